/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * The HTTP side: a server bound to a loopback address only, that reads each request in full, records the API
 * ones, and hands them on (media to media.ts, the API to handler.ts). close() leaves nothing behind: no listening
 * socket, no open connection (hung ones included), no timer.
 *
 * Also the `/__sandbox/*` control endpoints: the same controls as the Sandbox object, for a sandbox running in
 * another process (the CLI, a dev stack). They are not recorded as requests and consume no fault. The webhook
 * ones answer once the receiver has answered (or the attempt failed: HTTP 502).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

import type { RecordedRequest } from './api';
import type { SandboxConfig } from './config';
import { validateFault } from './faults';
import { jsonReply, writeReply } from './handler';
import type { Sandbox } from './index';
import { serveMedia } from './media';
import { errorMessage, isLoopbackHost, isPlainObject, parseJson, Timers } from './util';
import { WebhookSendError, type IncomingMessageInput, type WebhookAnswer } from './webhooks';

const ROUTE_RE = /^\/(api|app\/api)\/v2\/([^/]+)\/?$/;

/**
 * The address to bind, from the `host` option: the sandbox holds fake credentials and answers anything, so it
 * must never be reachable from another machine. 'localhost' becomes 127.0.0.1 so the URL does not depend on
 * how the machine resolves it.
 */
export function resolveHost(host: unknown = '127.0.0.1'): string {
	if (typeof host !== 'string' || !isLoopbackHost(host))
		throw new Error(
			`refusing to bind the sandbox to ${JSON.stringify(host)}: only loopback addresses are allowed`,
		);
	const h = host.trim().replace(/^\[(.*)\]$/, '$1');
	return h.toLowerCase() === 'localhost' ? '127.0.0.1' : h;
}

/** An API request as the sandbox records it: its body parsed when it is JSON. */
function recordOf(
	req: IncomingMessage,
	pathname: string,
	buf: Buffer,
	seq: number,
): RecordedRequest {
	const m = ROUTE_RE.exec(pathname);
	const rawBody = buf.toString('utf8');
	return {
		seq,
		method: req.method || 'GET',
		path: req.url || '/',
		endpoint: m ? m[2] : 'unknown',
		apiHost: m ? (m[1] === 'api' ? 'v4' : 'legacy') : null,
		headers: req.headers,
		rawBody,
		body: parseJson(rawBody, undefined),
		receivedAt: Date.now(),
	};
}

export class SandboxServer {
	/** Timers of delayed and dripping answers; close() stops them. */
	readonly timers = new Timers();
	/** `seq` of the last recorded request; the sandbox's reset() sets it back to 0. */
	seq = 0;
	private readonly server = createServer();
	private closing: Promise<void> | null = null;

	/** `api` answers every request but the control and media ones, once it is recorded. */
	constructor(
		private readonly sandbox: Sandbox,
		private readonly api: (req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) => void,
	) {
		const server = this.server;
		// Keep-alive longer than common client pools (n8n's included) so the server is not the side that drops idle
		// sockets mid-test; no request timeout, because the timeout fault must be able to hang forever.
		server.keepAliveTimeout = 65000;
		server.headersTimeout = 66000;
		server.requestTimeout = 0;
		server.on(
			'request',
			(req: IncomingMessage, res: ServerResponse) => void this.readRequest(req, res),
		);
	}

	private async readRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const buf = await buffer(req).catch(() => null);
		if (!buf) return; // the client went away mid-request
		try {
			this.dispatch(req, res, buf);
		} catch (err) {
			const message = `Sandbox error: ${errorMessage(err)}`;
			writeReply(res, jsonReply(500, { status: 500, message }));
		}
	}

	private dispatch(req: IncomingMessage, res: ServerResponse, buf: Buffer): void {
		// Routes go by the path as sent; URL would normalise it (and read "//x" as a host).
		const pathname = (req.url || '/').split('?')[0];
		const url = new URL(req.url || '/', 'http://sandbox');
		if (pathname === '/__sandbox' || pathname.startsWith('/__sandbox/'))
			return handleControl(this.sandbox, req, res, pathname, url.searchParams, buf);
		if (serveMedia(req, res, url, this.sandbox.mediaRequests)) return;
		const record = recordOf(req, pathname, buf, ++this.seq);
		this.sandbox.requests.push(record);
		this.api(req, res, record);
	}

	async listen(host: string, port: number): Promise<number> {
		this.server.listen({ port, host, exclusive: true });
		await once(this.server, 'listening'); // rejects with the server's error, e.g. EADDRINUSE
		this.server.on('error', () => {}); // late server errors must not crash the host process
		return (this.server.address() as AddressInfo).port;
	}

	close(): Promise<void> {
		this.closing ??= new Promise<void>((resolve) => {
			this.timers.clearAll();
			if (!this.server.listening) return resolve();
			this.server.close(() => resolve());
			this.server.closeAllConnections(); // hung ones included
		});
		return this.closing;
	}
}

type Body = Record<string, unknown>;
type Route = (sandbox: Sandbox, query: URLSearchParams, json: () => Body) => unknown;

/** The receiver's answer as the control endpoint's body: JSON leaves out the text, the body is there parsed. */
const answered = (answer: WebhookAnswer) => ({ ok: true, ...answer, text: undefined });

/** The body's `url`; undefined: the configured one (target() refuses all but loopback URL strings). */
const optionalUrl = ({ url }: Body) => (url ?? undefined) as string | undefined;

/** A fault, or an array of faults; `"permanent": true` on one makes it a setFault(). All are checked before any is added. */
function addFaults(sandbox: Sandbox, body: unknown): void {
	const checked = (Array.isArray(body) ? body : [body]).map((f: unknown) => {
		const { permanent, ...rest } = isPlainObject(f) ? f : { fault: f };
		return { fault: validateFault(isPlainObject(f) ? rest : f), permanent: Boolean(permanent) };
	});
	for (const { fault, permanent } of checked)
		if (permanent) sandbox.setFault(fault);
		else sandbox.addFault(fault);
}

/** Records with a `seq` above `?since=` and, when given, the value `key` has in the query. */
const since = <T extends { seq: number }>(
	list: T[],
	query: URLSearchParams,
	key: keyof T & string,
) =>
	list.filter(
		(r) =>
			r.seq > Number(query.get('since') || 0) && (!query.get(key) || r[key] === query.get(key)),
	);

const ROUTES: Record<string, Route> = {
	'GET /__sandbox/requests': (sb, query) => since(sb.requests, query, 'endpoint'),
	'GET /__sandbox/webhooks': (sb, query) => since(sb.webhookDeliveries, query, 'kind'),
	'GET /__sandbox/accepted-pushes': (sb) =>
		sb.acceptedPushes.map((a) => ({
			push_id: a.push_id,
			seq: a.request.seq,
			response: a.response,
			fault: a.fault,
			acceptedAt: a.acceptedAt,
		})),
	// ?token=T counts one token's; the tokens themselves are never listed.
	'GET /__sandbox/dropped-pushes': (sb, query) => {
		const token = query.get('token');
		const list = sb.droppedPushes.filter((d) => token === null || d.request.body?.token === token);
		const pushes = list.map((d) => ({
			push_id: d.push_id,
			seq: d.request.seq,
			rows: d.response.data.length,
			droppedAt: d.droppedAt,
		}));
		return { pushLimit: sb.pushLimit, count: list.length, pushes };
	},
	'GET /__sandbox/state': (sb) => sb.state(),
	// { payload, url? }: the payload is wrapped so any payload (even one with a `url` key) can be sent.
	'POST /__sandbox/event': async (sb, _q, json) => {
		const body = json();
		if (!('payload' in body)) throw new TypeError('event body must be {"payload": …, "url"?: …}');
		return answered(await sb.postEvent(body.payload, optionalUrl(body)));
	},
	// The message itself ({number, text, name?, …}) plus an optional `url`.
	'POST /__sandbox/incoming': async (sb, _q, json) => {
		const { url, ...message } = json();
		return answered(
			await sb.sendIncomingMessage(
				message as unknown as IncomingMessageInput,
				optionalUrl({ url }),
			),
		);
	},
	'POST /__sandbox/reset': (sb) => {
		sb.reset();
		return { ok: true, ...sb.state() };
	},
	'POST /__sandbox/fault': (sb, _q, json) => {
		addFaults(sb, json());
		return { ok: true, queuedFaults: sb.state().queuedFaults };
	},
	'POST /__sandbox/clear-faults': (sb) => {
		sb.clearFaults();
		return { ok: true, queuedFaults: 0 };
	},
	'POST /__sandbox/config': (sb, _q, json) => {
		const body = json();
		// A function cannot come over HTTP anyway; refusing the key says so instead of ignoring it.
		if ('log' in body) throw new TypeError('log cannot be set remotely');
		sb.configure(body as SandboxConfig);
		return { ok: true, ...sb.state() };
	},
};

function handleControl(
	sandbox: Sandbox,
	req: IncomingMessage,
	res: ServerResponse,
	pathname: string,
	query: URLSearchParams,
	buf: Buffer,
): void {
	const name = `${req.method} ${pathname.replace(/\/+$/, '')}`;
	const route = Object.prototype.hasOwnProperty.call(ROUTES, name) ? ROUTES[name] : undefined;
	const send = (status: number, body: unknown) => writeReply(res, jsonReply(status, body));
	if (!route) return send(404, { ok: false, error: `unknown control endpoint ${name}` });
	const json = (): Body => {
		const raw = buf.toString('utf8').trim();
		const body: unknown = raw === '' ? {} : JSON.parse(raw);
		if (Array.isArray(body) && name.endsWith('/fault')) return body as unknown as Body;
		if (!isPlainObject(body))
			throw new TypeError(`${name.split('/').pop()} body must be a JSON object`);
		return body;
	};
	// Bad input is the caller's fault (400); a webhook receiver that gave no answer is a bad gateway (502).
	const failed = (err: unknown) =>
		send(err instanceof WebhookSendError ? 502 : 400, { ok: false, error: errorMessage(err) });
	try {
		void Promise.resolve(route(sandbox, query, json)).then((body) => send(200, body), failed);
	} catch (err) {
		failed(err);
	}
}
