/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/** Writing a Reply to the client: all at once, or one byte at a time (the `drip` fault). */
import type { ServerResponse } from 'node:http';

import type { Reply } from './answers';
import type { Timers } from './util';

/** False once the client went away or the answer was finished: writing then would throw or be lost. */
function canWrite(res: ServerResponse): boolean {
	return !res.destroyed && !res.writableEnded && !!res.socket && !res.socket.destroyed;
}

/** 204 and 304 answers never carry a body (Node drops it), so they get no length either. */
const NO_BODY = new Set([204, 304]);

function headersFor(reply: Reply, length: number): Record<string, string> {
	const headers = { ...reply.headers };
	// A test may set its own length (even a wrong one) or chunked framing; otherwise the true length.
	if (
		headers['content-length'] === undefined &&
		headers['transfer-encoding'] === undefined &&
		!NO_BODY.has(reply.httpStatus)
	) {
		headers['content-length'] = String(length);
	}
	return headers;
}

export function writeReply(res: ServerResponse, reply: Reply): void {
	if (!canWrite(res)) return;
	const body = Buffer.from(reply.body, 'utf8');
	res.writeHead(reply.httpStatus, headersFor(reply, body.length));
	res.end(body);
}

/**
 * Status line and headers now, then one byte of the body every `intervalMs`. The interval is stopped when the
 * body is complete, when the client goes away (the response closes) and by close() through `timers`.
 */
export function dripReply(
	res: ServerResponse,
	reply: Reply,
	intervalMs: number,
	timers: Timers,
): void {
	if (!canWrite(res)) return;
	const body = Buffer.from(reply.body, 'utf8');
	res.writeHead(reply.httpStatus, headersFor(reply, body.length));
	res.flushHeaders();
	let sent = 0;
	const stop = timers.every(intervalMs, () => {
		if (!canWrite(res)) {
			stop();
			return;
		}
		if (sent < body.length) res.write(body.subarray(sent, ++sent));
		if (sent >= body.length) {
			stop();
			res.end();
		}
	});
	res.on('close', stop);
}
