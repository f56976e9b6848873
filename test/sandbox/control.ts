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

/** One control request: its query and its body, read as JSON when a route asks for it. */
interface ControlRequest {
	query: URLSearchParams;
	json(): unknown;
}

type Route = (ctx: ControlContext, request: ControlRequest) => Result | Promise<Result>;

const ok = (body: unknown): Result => ({ status: 200, body });

function requests({ sandbox }: ControlContext, { query }: ControlRequest): Result {
	const since = Number(query.get('since') || 0);
	const endpoint = query.get('endpoint');
	return ok(
		sandbox.requests.filter((r) => r.seq > since && (!endpoint || r.endpoint === endpoint)),
	);
}

function acceptedPushes({ sandbox }: ControlContext): Result {
	return ok(
		sandbox.acceptedPushes.map((a) => ({
			push_id: a.push_id,
			seq: a.request.seq,
			response: a.response,
			fault: a.fault,
			acceptedAt: a.acceptedAt,
		})),
	);
}

/** ?token=T counts one token's; the tokens themselves are never listed. */
function droppedPushes({ sandbox }: ControlContext, { query }: ControlRequest): Result {
	const token = query.get('token');
	const list = sandbox.droppedPushes.filter(
		(d) => token === null || d.request.body?.token === token,
	);
	return ok({
		pushLimit: sandbox.pushLimit,
		count: list.length,
		pushes: list.map((d) => ({
			push_id: d.push_id,
			seq: d.request.seq,
			rows: d.response.data.length,
			droppedAt: d.droppedAt,
		})),
	});
}

function webhooks({ sandbox }: ControlContext, { query }: ControlRequest): Result {
	const since = Number(query.get('since') || 0);
	const kind = query.get('kind');
	return ok(sandbox.webhookDeliveries.filter((d) => d.seq > since && (!kind || d.kind === kind)));
}

/** { payload, url? }: the payload is wrapped so any payload (even one with a `url` key) can be sent. */
function event({ sandbox }: ControlContext, request: ControlRequest): Promise<Result> {
	const body = request.json();
	if (!isPlainObject(body) || !('payload' in body))
		throw new TypeError('event body must be {"payload": …, "url"?: …}');
	return sandbox.postEvent(body.payload, optionalUrl(body)).then(answered);
}

/** The message itself ({number, text, name?, …}) plus an optional `url`. */
function incoming({ sandbox }: ControlContext, request: ControlRequest): Promise<Result> {
	const body = request.json();
	if (!isPlainObject(body)) throw new TypeError('incoming body must be a JSON object');
	const message: Record<string, unknown> = { ...body };
	delete message.url;
	return sandbox
		.sendIncomingMessage(message as unknown as IncomingMessageInput, optionalUrl(body))
		.then(answered);
}

function configure(ctx: ControlContext, request: ControlRequest): Result {
	const body = request.json();
	if (!isPlainObject(body)) throw new TypeError('config body must be a JSON object');
	// A function cannot come over HTTP anyway; refusing the key says so instead of ignoring it.
	if ('log' in body) throw new TypeError('log cannot be set remotely');
	ctx.sandbox.configure(body as SandboxConfig);
	return ok({ ok: true, ...ctx.state() });
}

const ROUTES: Record<string, Route> = {
	'GET /__sandbox/requests': requests,
	'GET /__sandbox/accepted-pushes': acceptedPushes,
	'GET /__sandbox/dropped-pushes': droppedPushes,
	'GET /__sandbox/webhooks': webhooks,
	'POST /__sandbox/event': event,
	'POST /__sandbox/incoming': incoming,
	'GET /__sandbox/state': (ctx) => ok(ctx.state()),
	'POST /__sandbox/reset': (ctx) => {
		ctx.sandbox.reset();
		return ok({ ok: true, ...ctx.state() });
	},
	'POST /__sandbox/fault': (ctx, request) => {
		addFaults(ctx, request.json());
		return ok({ ok: true, queuedFaults: ctx.state().queuedFaults });
	},
	'POST /__sandbox/clear-faults': (ctx) => {
		ctx.sandbox.clearFaults();
		return ok({ ok: true, queuedFaults: 0 });
	},
	'POST /__sandbox/config': configure,
};

function route(
	ctx: ControlContext,
	req: IncomingMessage,
	pathname: string,
	url: string,
	buf: Buffer,
): Result | Promise<Result> {
	const name = `${req.method} ${pathname.replace(/\/+$/, '')}`;
	const handler = Object.prototype.hasOwnProperty.call(ROUTES, name) ? ROUTES[name] : undefined;
	if (!handler)
		return { status: 404, body: { ok: false, error: `unknown control endpoint ${name}` } };
	const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
	const json = (): unknown => {
		const raw = buf.toString('utf8').trim();
		return raw === '' ? {} : JSON.parse(raw);
	};
	return handler(ctx, { query, json });
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
