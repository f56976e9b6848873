/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * The `/__sandbox/*` control endpoints: the same controls as the Sandbox object, for a sandbox running in
 * another process (the CLI, a dev stack). They are not recorded as requests and consume no fault. The webhook
 * ones answer once the receiver has answered (or the attempt failed: HTTP 502).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { jsonReply } from './answers';
import { validateFault } from './faults';
import type { IncomingMessageInput } from './events';
import { writeReply } from './respond';
import type { Sandbox, SandboxConfig } from './types';
import { errorMessage, isPlainObject } from './util';
import { WebhookSendError, type WebhookAnswer } from './webhooks';

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

export interface ControlContext {
	sandbox: Sandbox;
	state: () => SandboxState;
}

/** A fault, or an array of faults; `"permanent": true` on one makes it a setFault(). All are checked before any is added. */
function addFaults(ctx: ControlContext, body: unknown): void {
	const list: unknown[] = Array.isArray(body) ? body : [body];
	const checked = list.map((f) => {
		if (!isPlainObject(f)) return { fault: validateFault(f), permanent: false };
		const { permanent, ...rest } = f;
		return { fault: validateFault(rest), permanent: Boolean(permanent) };
	});
	for (const { fault, permanent } of checked) {
		if (permanent) ctx.sandbox.setFault(fault);
		else ctx.sandbox.addFault(fault);
	}
}

type Result = { status: number; body: unknown };

/** The receiver's answer as the control endpoint's body. */
const answered = (a: WebhookAnswer): Result => ({
	status: 200,
	body: { ok: true, status: a.status, headers: a.headers, body: a.body },
});

function optionalUrl(body: Record<string, unknown>): string | undefined {
	if (body.url === undefined || body.url === null) return undefined;
	if (typeof body.url !== 'string') throw new TypeError('url must be a string');
	return body.url;
}

function route(
	ctx: ControlContext,
	req: IncomingMessage,
	pathname: string,
	url: string,
	buf: Buffer,
): Result | Promise<Result> {
	const { sandbox } = ctx;
	const jsonBody = (): unknown => {
		const raw = buf.toString('utf8').trim();
		return raw === '' ? {} : JSON.parse(raw);
	};
	const name = `${req.method} ${pathname.replace(/\/+$/, '')}`;
	switch (name) {
		case 'GET /__sandbox/requests': {
			const q = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
			const since = Number(q.get('since') || 0);
			const endpoint = q.get('endpoint');
			return {
				status: 200,
				body: sandbox.requests.filter(
					(r) => r.seq > since && (!endpoint || r.endpoint === endpoint),
				),
			};
		}
		case 'GET /__sandbox/accepted-pushes':
			return {
				status: 200,
				body: sandbox.acceptedPushes.map((a) => ({
					push_id: a.push_id,
					seq: a.request.seq,
					response: a.response,
					fault: a.fault,
					acceptedAt: a.acceptedAt,
				})),
			};
		case 'GET /__sandbox/dropped-pushes': {
			// ?token=T counts one token's; the tokens themselves are never listed.
			const q = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
			const token = q.get('token');
			const list = sandbox.droppedPushes.filter(
				(d) => token === null || d.request.body?.token === token,
			);
			return {
				status: 200,
				body: {
					pushLimit: sandbox.pushLimit,
					count: list.length,
					pushes: list.map((d) => ({
						push_id: d.push_id,
						seq: d.request.seq,
						rows: d.response.data.length,
						droppedAt: d.droppedAt,
					})),
				},
			};
		}
		case 'GET /__sandbox/webhooks': {
			const q = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
			const since = Number(q.get('since') || 0);
			const kind = q.get('kind');
			return {
				status: 200,
				body: sandbox.webhookDeliveries.filter((d) => d.seq > since && (!kind || d.kind === kind)),
			};
		}
		case 'POST /__sandbox/event': {
			// { payload, url? }: the payload is wrapped so any payload (even one with a `url` key) can be sent.
			const body = jsonBody();
			if (!isPlainObject(body) || !('payload' in body))
				throw new TypeError('event body must be {"payload": …, "url"?: …}');
			return sandbox.postEvent(body.payload, optionalUrl(body)).then(answered);
		}
		case 'POST /__sandbox/incoming': {
			// The message itself ({number, text, name?, …}) plus an optional `url`.
			const body = jsonBody();
			if (!isPlainObject(body)) throw new TypeError('incoming body must be a JSON object');
			const message: Record<string, unknown> = { ...body };
			delete message.url;
			return sandbox
				.sendIncomingMessage(message as unknown as IncomingMessageInput, optionalUrl(body))
				.then(answered);
		}
		case 'GET /__sandbox/state':
			return { status: 200, body: ctx.state() };
		case 'POST /__sandbox/reset':
			sandbox.reset();
			return { status: 200, body: { ok: true, ...ctx.state() } };
		case 'POST /__sandbox/fault':
			addFaults(ctx, jsonBody());
			return { status: 200, body: { ok: true, queuedFaults: ctx.state().queuedFaults } };
		case 'POST /__sandbox/clear-faults':
			sandbox.clearFaults();
			return { status: 200, body: { ok: true, queuedFaults: 0 } };
		case 'POST /__sandbox/config': {
			const body = jsonBody();
			if (!isPlainObject(body)) throw new TypeError('config body must be a JSON object');
			// A function cannot come over HTTP anyway; refusing the key says so instead of ignoring it.
			if ('log' in body) throw new TypeError('log cannot be set remotely');
			sandbox.configure(body as SandboxConfig);
			return { status: 200, body: { ok: true, ...ctx.state() } };
		}
		default:
			return { status: 404, body: { ok: false, error: `unknown control endpoint ${name}` } };
	}
}

export function handleControl(
	ctx: ControlContext,
	req: IncomingMessage,
	res: ServerResponse,
	pathname: string,
	url: string,
	buf: Buffer,
): void {
	// Bad input is the caller's fault (400); a webhook receiver that gave no answer is a bad gateway (502).
	const failed = (err: unknown): Result => ({
		status: err instanceof WebhookSendError ? 502 : 400,
		body: { ok: false, error: errorMessage(err) },
	});
	const send = (result: Result) => writeReply(res, jsonReply(result.status, result.body));
	let result: Result | Promise<Result>;
	try {
		result = route(ctx, req, pathname, url, buf);
	} catch (err) {
		result = failed(err);
	}
	if (result instanceof Promise) void result.then(send, (err: unknown) => send(failed(err)));
	else send(result);
}
