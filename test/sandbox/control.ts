/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * The `/__sandbox/*` control endpoints: the same controls as the Sandbox object, for a sandbox running in
 * another process (the CLI, a dev stack). They are not recorded as requests and consume no fault. The webhook
 * ones answer once the receiver has answered (or the attempt failed: HTTP 502).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { validateFault } from './faults';
import { jsonReply, writeReply } from './handler';
import type { SandboxConfig } from './config';
import type { Sandbox } from './index';
import { errorMessage, isPlainObject } from './util';
import { WebhookSendError, type IncomingMessageInput, type WebhookAnswer } from './webhooks';

/** Body of GET /__sandbox/state. */
export interface SandboxState {
	balance: number;
	/** Recorded requests to the push endpoint. */
	pushes: number;
	acceptedPushes: number;
	/** Pushes answered as accepted but dropped over `pushLimit`. */
	droppedPushes: number;
	requests: number;
	queuedFaults: number;
}

type Body = Record<string, unknown>;
type Route = (sandbox: Sandbox, query: URLSearchParams, json: () => Body) => unknown;

/** The receiver's answer as the control endpoint's body. */
const answered = (a: WebhookAnswer) => ({
	ok: true,
	status: a.status,
	headers: a.headers,
	body: a.body,
});

function optionalUrl(body: Body): string | undefined {
	if (body.url === undefined || body.url === null) return undefined;
	if (typeof body.url !== 'string') throw new TypeError('url must be a string');
	return body.url;
}

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

export function handleControl(
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
