/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * One recorded API request, from route check to answer: takes the next fault for its endpoint, switches on the
 * fault's group to decide whether the request is processed, builds what the fault sends instead of (or made out
 * of) the true answer, and writes it: at once, late, cut off, or a byte at a time.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

import {
	ERROR_MESSAGES,
	isImplemented,
	type ApiAnswer,
	type ImplementedEndpoint,
	type RecordedRequest,
} from './api';
import {
	CUSTOM_FAULTS,
	DELIVERY_FAULTS,
	DOCTOR_FAULTS,
	inGroup,
	PRE_FAULTS,
	type Fault,
	type FaultBook,
	type FaultOf,
} from './faults';
import type { Settings } from './config';
import { isPlainObject, logLine, type Timers } from './util';

/** An answer ready to write; header names in lower case. `Content-Length` is added unless `headers` has one. */
export interface Reply {
	httpStatus: number;
	headers: Record<string, string>;
	body: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(httpStatus: number, body: unknown, headers = {}): Reply {
	return {
		httpStatus,
		headers: { 'content-type': JSON_TYPE, ...headers },
		body: JSON.stringify(body),
	};
}

/** False once the client went away or the answer was finished: writing then would throw or be lost. */
function canWrite(res: ServerResponse): boolean {
	return !res.destroyed && !res.writableEnded && !!res.socket && !res.socket.destroyed;
}

/** Status line and headers; 204 and 304 never carry a body (Node drops it), so they get no length either. */
function writeHead(res: ServerResponse, reply: Reply): Buffer {
	const body = Buffer.from(reply.body, 'utf8');
	const headers = { ...reply.headers };
	// A test may set its own length (even a wrong one) or chunked framing; otherwise the true length.
	if (
		headers['content-length'] === undefined &&
		headers['transfer-encoding'] === undefined &&
		reply.httpStatus !== 204 &&
		reply.httpStatus !== 304
	)
		headers['content-length'] = String(body.length);
	res.writeHead(reply.httpStatus, headers);
	return body;
}

export function writeReply(res: ServerResponse, reply: Reply): void {
	if (canWrite(res)) res.end(writeHead(res, reply));
}

/**
 * The `drip` fault: headers now, then one byte every `intervalMs`. It stops when the body is complete, when the
 * client goes away (the response closes) and by close() through `timers`.
 */
function dripReply(res: ServerResponse, reply: Reply, intervalMs: number, timers: Timers): void {
	if (!canWrite(res)) return;
	const body = writeHead(res, reply);
	res.flushHeaders();
	let sent = 0;
	const stop = timers.every(intervalMs, () => {
		if (!canWrite(res)) return stop();
		if (sent < body.length) res.write(body.subarray(sent, ++sent));
		if (sent >= body.length) {
			stop();
			res.end();
		}
	});
	res.on('close', stop);
}

// Pages shaped like what a proxy in front of the API, or the site's maintenance page, would send.
const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML_200 =
	'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Picky Assist</title></head>\n' +
	'<body><h1>We&#39;ll be back soon</h1><p>Picky Assist is down for scheduled maintenance.</p></body></html>\n';

/** An answer of the given content type, its body as is. */
const typedReply = (httpStatus: number, contentType: string, body: string): Reply => ({
	httpStatus,
	headers: { 'content-type': contentType },
	body,
});

/** The fixed answer of a fault that replaces processing; null = destroy the socket instead. */
const PRE_REPLIES: { [K in (typeof PRE_FAULTS)[number]]: (fault: FaultOf<K>) => Reply | null } = {
	http500: () => jsonReply(500, { status: 500, message: 'Internal Server Error' }),
	'http502-html': () => typedReply(502, 'text/html', HTML_502),
	html200: () => typedReply(200, 'text/html; charset=UTF-8', HTML_200),
	http429: (f) =>
		jsonReply(
			429,
			{ status: 429, message: 'Too Many Requests' },
			f.retryAfter === undefined ? {} : { 'retry-after': String(f.retryAfter) },
		),
	http401: () => jsonReply(401, { status: 401, message: 'Authentication Failed' }),
	status: (f) =>
		jsonReply(200, {
			status: f.status,
			message: f.message ?? (ERROR_MESSAGES[f.status] || 'Error'),
		}),
	'reset-before': () => null,
};

function redirectReply(fault: FaultOf<'redirect'>): Reply {
	const reply = typedReply(fault.status, 'text/plain; charset=utf-8', '');
	reply.headers.location = fault.location;
	reply.body = `${fault.status} ${STATUS_CODES[fault.status]}: ${fault.location}\n`;
	return reply;
}

/**
 * The answer of a `raw` fault, with `$TOKEN` / `$TOKEN_JSON` replaced in the body and the header values. One
 * regular expression handles both, so `$TOKEN_JSON` is never read as `$TOKEN` followed by "_JSON", and a function
 * replacer keeps `$&`-like sequences in the token literal.
 */
function rawReply(fault: FaultOf<'raw'>, record: RecordedRequest): Reply {
	const t: unknown = isPlainObject(record.body) ? record.body.token : undefined;
	const token = typeof t === 'string' ? t : t === undefined ? '' : JSON.stringify(t);
	const tokenJson = JSON.stringify(token).slice(1, -1);
	const fill = (s: string) =>
		s.replace(/\$TOKEN(_JSON)?/g, (_m, json?: string) => (json ? tokenJson : token));
	const reply = typedReply(fault.status, fault.contentType ?? 'application/json', fill(fault.body));
	for (const [name, value] of Object.entries(fault.headers || {}))
		reply.headers[name.toLowerCase()] = fill(value);
	return reply;
}

type Entries = Array<Record<string, unknown>>;

/** What a doctoring fault works on: a copy of the answer, its copied entries (if any), and the push it answers. */
interface Patient {
	answer: Record<string, unknown>;
	data: Entries | undefined;
	record: RecordedRequest;
	credit: string;
}

/** A number neither sent nor answered, counting up from one that cannot be a real subscriber's. */
function foreignNumber({ record, data }: Patient): string {
	const rows: unknown[] = Array.isArray(record.body?.data) ? record.body.data : [];
	const taken = new Set(
		[...rows, ...(data || [])].map((r) => String(isPlainObject(r) && r.number)),
	);
	let candidate = 999000000000;
	while (taken.has(String(candidate))) candidate++;
	return String(candidate);
}

type DoctorKind = (typeof DOCTOR_FAULTS)[number];

const TREATMENTS: { [K in DoctorKind]: (p: Patient, fault: FaultOf<K>) => void } = {
	shuffle: ({ answer, data }, fault) => {
		if (!data) return;
		answer.data = fault.order
			? fault.order.filter((i) => i >= 0 && i < data.length).map((i) => data[i])
			: data.reverse();
	},
	short: ({ data }, fault) => {
		if (data) data.length = Math.max(0, data.length - (fault.drop ?? 1));
	},
	extra: (p) => {
		const number = foreignNumber(p);
		const credit = p.data?.length ? p.data[0].credit : p.credit;
		p.data?.push({ msg_id: String(9000000000 + p.record.seq), number, credit });
	},
	'no-msg-id': ({ data }, fault) => {
		delete data?.[fault.index ?? 0]?.msg_id;
	},
	'no-data': ({ answer }) => {
		delete answer.data;
	},
	'string-status': ({ answer }) => {
		answer.status = String(answer.status);
	},
	'duplicate-entry': ({ data }) => {
		if (data?.length) data.push({ ...data[0] });
	},
	'foreign-number': (p) => {
		if (p.data?.length) p.data[0].number = foreignNumber(p);
	},
};

/** Applies a doctoring fault to a copy: acceptedPushes keeps the true answer, which tests compare against. */
function doctor(fault: FaultOf<DoctorKind>, body: object, record: RecordedRequest, credit: string) {
	const answer: Record<string, unknown> = { ...body };
	const data = Array.isArray(answer.data) ? answer.data.map((e: object) => ({ ...e })) : undefined;
	if (data) answer.data = data;
	const treat = TREATMENTS[fault.kind] as (p: Patient, fault: FaultOf<DoctorKind>) => void;
	treat({ answer, data, record, credit }, fault);
	return answer;
}

export interface HandlerContext {
	faults: FaultBook;
	timers: Timers;
	/** The true answer; with `commit` (default) an accepted or dropped push is recorded, with the fault's kind. */
	process: (
		endpoint: ImplementedEndpoint,
		record: RecordedRequest,
		fault: Fault | null,
		commit?: boolean,
	) => ApiAnswer;
	/** Read on every request, so configure() (a new `log`, credit) takes effect at once. */
	settings: Settings;
}

interface LogInfo {
	/** HTTP status sent; undefined when nothing was sent (hang, reset). */
	http?: number;
	/** API `status` of the answer, when it has one. */
	status?: unknown;
	push_id?: string;
	fault?: string | null;
}

/** One short line per request. The token is never printed, only whether there was one. */
function emitLog(ctx: HandlerContext, record: RecordedRequest, info: LogInfo): void {
	if (!ctx.settings.log) return;
	const body = isPlainObject(record.body) ? record.body : {};
	const parts = [
		`#${record.seq}`,
		record.method,
		record.path.split('?')[0],
		info.http === undefined ? '---' : String(info.http),
		info.status !== undefined && `status=${info.status}`,
		info.push_id !== undefined && `push_id=${info.push_id}`,
		`rows=${Array.isArray(body.data) ? body.data.length : '-'}`,
		`token=${body.token !== undefined && body.token !== null && body.token !== '' ? '***' : 'none'}`,
		info.fault && `fault=${info.fault}`,
	];
	logLine(ctx.settings.log, record.receivedAt, parts.filter(Boolean).join(' '));
}

function answerInfo(answer: ApiAnswer, fault: Fault | null): LogInfo {
	return {
		http: answer.httpStatus,
		status: 'status' in answer.body ? answer.body.status : undefined,
		push_id: answer.accepted?.push_id ?? answer.dropped?.push_id,
		fault: answer.dropped ? 'dropped-over-push-limit' : fault?.kind,
	};
}

export function handleApiRequest(
	ctx: HandlerContext,
	req: IncomingMessage,
	res: ServerResponse,
	record: RecordedRequest,
): void {
	const endpoint = record.endpoint;
	const send = (reply: Reply | null, info: LogInfo) => {
		if (reply) writeReply(res, reply);
		else req.socket.destroy();
		emitLog(ctx, record, info);
	};
	if (record.apiHost === null || !isImplemented(endpoint))
		return send(jsonReply(404, { status: 404, message: 'Not Found' }), { http: 404, status: 404 });
	if (req.method !== 'POST') {
		const body = { status: 405, message: 'Method Not Allowed: use POST' };
		return send(jsonReply(405, body, { allow: 'POST' }), { http: 405, status: 405 });
	}
	const fault = ctx.faults.take(endpoint);
	if (fault && inGroup(PRE_FAULTS, fault)) {
		const reply = (PRE_REPLIES[fault.kind] as (f: Fault) => Reply | null)(fault);
		const json = reply?.headers['content-type'] === JSON_TYPE;
		const status = json ? (JSON.parse(reply.body) as { status: number }).status : undefined;
		return send(reply, { http: reply?.httpStatus, status, fault: fault.kind });
	}
	if (fault && inGroup(CUSTOM_FAULTS, fault)) {
		const answer = fault.process ? ctx.process(endpoint, record, fault) : undefined;
		const reply = fault.kind === 'redirect' ? redirectReply(fault) : rawReply(fault, record);
		return send(reply, {
			http: reply.httpStatus,
			push_id: answer?.accepted?.push_id,
			fault: fault.kind,
		});
	}
	if (fault && inGroup(DELIVERY_FAULTS, fault)) return deliverBadly(ctx, req, res, record, fault);
	const answer = ctx.process(endpoint, record, fault);
	// A documented delivery report has no `status`: a processed request's answer is one without an error status.
	const succeeded = !('status' in answer.body) || answer.body.status === 100;
	const body =
		fault && inGroup(DOCTOR_FAULTS, fault) && succeeded
			? doctor(fault, answer.body, record, ctx.settings.creditPerMessage.text)
			: answer.body;
	send(jsonReply(answer.httpStatus, body, answer.headers), answerInfo(answer, fault));
}

/** The true answer, delivered never, late, cut off, half, or a byte at a time. */
function deliverBadly(
	ctx: HandlerContext,
	req: IncomingMessage,
	res: ServerResponse,
	record: RecordedRequest,
	fault: FaultOf<(typeof DELIVERY_FAULTS)[number]>,
): void {
	if (fault.kind === 'timeout' && !fault.process)
		return emitLog(ctx, record, { fault: fault.kind }); // close() destroys the socket
	const commit = !(fault.kind === 'drip' && fault.process === false);
	const answer = ctx.process(record.endpoint as ImplementedEndpoint, record, fault, commit);
	const info = answerInfo(answer, fault);
	const reply = jsonReply(answer.httpStatus, answer.body, answer.headers);
	const text = reply.body;
	if (fault.kind === 'timeout' || fault.kind === 'reset') {
		emitLog(ctx, record, { ...info, http: undefined });
		if (fault.kind === 'reset') req.socket.destroy();
		return;
	}
	if (fault.kind === 'delay') {
		ctx.timers.after(fault.ms, () => {
			writeReply(res, reply);
			emitLog(ctx, record, info);
		});
		return;
	}
	// malformed: the first half of the JSON text, the answer a connection cut mid-body would leave.
	if (fault.kind === 'malformed')
		writeReply(res, { ...reply, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) });
	else dripReply(res, reply, fault.intervalMs ?? 1000, ctx.timers);
	emitLog(ctx, record, info);
}
