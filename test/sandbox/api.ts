/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * What a faithful Picky Assist server answers: push, check-balance and delivery-report, the balance they spend
 * and read, the 90-a-minute style rate limit and the account limit. Answers have the shapes of Picky Assist's
 * documented samples, including what they leave out (docs/pickyassist-api.md):
 *   - the token travels in the JSON body only (headers are ignored);
 *   - answers are JSON with HTTP 200 even for errors; ids and credit are strings, `status` a number.
 *
 * Where the API is undocumented the sandbox takes the strict side, so the node is tested against the hardest
 * plausible server:
 *   - one bad number rejects the whole push (406), naming the number;
 *   - data[] of a successful push keeps request order (faults can break that on purpose);
 *   - duplicates are accepted and billed like any other row;
 *   - over the rate limit a push gets HTTP 429 with Retry-After and is NOT processed;
 *   - over the account limit a push is answered exactly as accepted and dropped (see SlidingWindows);
 *   - 407 only when a row has no text and nothing else carries the message either.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { formatNano, type PushLimit, type Settings } from './config';
import { PROJECT_ID, reportEntries, reportTime, type DeliveryPlan } from './delivery';
import type { FaultKind } from './faults';
import { rowMediaRefusal } from './media';
import { isNonEmpty, isPlainObject } from './util';

/** Which documented host a base URL / request belongs to: `/api/v2` (V4) or `/app/api/v2` (legacy V3). */
export type ApiHost = 'v4' | 'legacy';

const IMPLEMENTED = ['push', 'check-balance', 'delivery-report'] as const;
export type ImplementedEndpoint = (typeof IMPLEMENTED)[number];

export function isImplemented(endpoint: string): endpoint is ImplementedEndpoint {
	return (IMPLEMENTED as readonly string[]).includes(endpoint);
}

/** API status code → documented message text (from a third-party table: the official one was not available). */
export const ERROR_MESSAGES: Readonly<Record<number, string>> = Object.freeze({
	100: 'Success',
	101: 'Service Unavailable',
	401: 'Authentication Failed',
	402: 'Empty Number List',
	403: 'Insufficient Balance',
	404: 'Unable to Communicate with Your Phone',
	405: 'API Is Not Active For This Plan',
	406: 'Invalid Mobile Number',
	407: 'Message cannot be empty',
	408: 'Project is not Active',
	409: 'Invalid User',
	410: 'Invalid Request',
});

export interface RecordedRequest {
	/** 1-based, in arrival order; restarts at 1 after reset(). */
	seq: number;
	method: string;
	/** The request target as received, including any query string. */
	path: string;
	/** Segment after `/v2/` for paths under either base, otherwise 'unknown'. */
	endpoint: string;
	/** Which base the path used, or null for paths outside both bases. */
	apiHost: ApiHost | null;
	headers: IncomingHttpHeaders;
	/** Exact body, decoded as UTF-8. */
	rawBody: string;
	/** Parsed JSON body, or undefined if the body was empty or not JSON. Typed loosely: it is whatever the client sent. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	/** ms epoch. */
	receivedAt: number;
}

export interface PushSuccess {
	status: 100;
	push_id: string;
	message: 'Success';
	data: Array<{ msg_id: string; number: string; credit: string }>;
}

export interface AcceptedPush {
	push_id: string;
	/** The recorded request (same object as in `requests`). */
	request: RecordedRequest;
	/** The true, undoctored success answer (what a faithful server would have sent). */
	response: PushSuccess;
	/** Fault applied to this request, if any (e.g. 'reset', 'shuffle'). */
	fault: FaultKind | null;
	/** ms epoch on the sandbox clock (`now`, default Date.now): what the delivery statuses are measured from. */
	acceptedAt: number;
	/** When its messages are delivered, read or failed (fixed at acceptance, see delivery.ts). */
	delivery: DeliveryPlan;
}

/** A push answered as accepted and then dropped over `pushLimit`: never delivered, no events, no delivery report. */
export interface DroppedPush {
	push_id: string;
	/** The recorded request (its body holds the token). */
	request: RecordedRequest;
	/** What the client was told: the same shape as an accepted push's answer. */
	response: PushSuccess;
	/** ms epoch on the sandbox clock. */
	droppedAt: number;
}

/** The true answer to one request, before any fault changes how (or whether) it is sent. */
export interface ApiAnswer {
	httpStatus: number;
	body: PushSuccess | Record<string, unknown>;
	headers?: Record<string, string>;
	/** Set when a push was accepted (status 100). */
	accepted?: { push_id: string; response: PushSuccess };
	/** Set instead of `accepted` when the push was answered as accepted but dropped over `pushLimit`. */
	dropped?: { push_id: string; response: PushSuccess };
}

/** Everything the API answers depend on: the settings and the counters; reset() restores the counters. */
export interface ApiState extends Settings {
	nextPushId: number;
	nextMsgId: number;
	/** The pushes that got past the rate limiter (key ''), and those of each token that were processed. */
	windows: SlidingWindows;
}

export interface ApiContext {
	state: ApiState;
	now: () => number;
	findPush: (pushId: string) => AcceptedPush | undefined;
}

/**
 * Sliding windows of push times, per key. The rate limit counts every push that got past it (key ''); the account
 * limit, per token, the pushes processed. Picky Assist documents the latter as 90 push requests a minute, over which
 * requests "will be dropped and won't be processed"; what comes back for a dropped push is undocumented, so the
 * sandbox takes the hardest plausible answer, exactly what an accepted push gets: a client cannot tell from the
 * answer and only the missing deliveries give it away, the failure mode a client's pacing has to prevent.
 */
export class SlidingWindows extends Map<string, { times: number[]; head: number }> {
	/**
	 * null when a push of `key` at `now` is within `limit` (always, when the limit is off), and then counted if
	 * `commit`; otherwise the ms until it would be. Pushes are counted while the limit is off too, so switching it on
	 * live is accurate.
	 */
	admit(key: string, now: number, limit: PushLimit | null, commit: boolean): number | null {
		const w = this.get(key) ?? { times: [], head: 0 };
		this.set(key, w);
		// Only the longest window that may be configured matters; 24 h bounds the memory of a long dry run.
		const keepMs = Math.min(Math.max(limit?.windowMs ?? 0, 60_000), 86_400_000);
		while (w.head < w.times.length && w.times[w.head] <= now - keepMs) w.head++;
		if (w.head > 1024 && w.head * 2 > w.times.length) {
			w.times = w.times.slice(w.head);
			w.head = 0;
		}
		for (let i = w.times.length - 1, n = 0; limit && i >= w.head; i--) {
			if (w.times[i] <= now - limit.windowMs) break;
			if (++n >= limit.pushes) return w.times[i] + limit.windowMs - now;
		}
		if (commit) w.times.push(now);
		return null;
	}
}

const NUMBER_RE = /^[1-9][0-9]{6,14}$/;
const WINDOW_MS = 60000;
/** WhatsApp Number Filter (a push with `"action": "1"`) runs on these applications only. */
const LOOKUP_APPLICATIONS = ['1', '2', '8', '10'];

export const isLookup = (body: Record<string, unknown>) => body.action === '1' || body.action === 1;

function apiError(code: number, detail?: string): ApiAnswer {
	const base = ERROR_MESSAGES[code] || 'Error';
	return { httpStatus: 200, body: { status: code, message: detail ? `${base}: ${detail}` : base } };
}

function describeNumber(n: unknown): string {
	if (n === undefined) return 'missing';
	const s = typeof n === 'string' ? n : (JSON.stringify(n) ?? String(n));
	return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/**
 * The true answer of an implemented endpoint. With `commit` false nothing changes (no balance spent, no ids
 * handed out, the push is not counted by the rate limiter): the answer is what the server *would* have said.
 */
export function answerApi(
	ctx: ApiContext,
	endpoint: ImplementedEndpoint,
	body: unknown,
	commit = true,
): ApiAnswer {
	const { state } = ctx;
	const limit = state.rateLimitPerMinute;
	const rate = limit ? { pushes: limit, windowMs: WINDOW_MS } : null;
	const waitMs = endpoint === 'push' ? state.windows.admit('', ctx.now(), rate, commit) : null;
	if (waitMs !== null) {
		const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
		const message =
			`Too Many Requests: more than ${state.rateLimitPerMinute} push requests in 60 seconds; ` +
			`the request was dropped and not processed, retry after ${retryAfter} s`;
		return {
			httpStatus: 429,
			headers: { 'retry-after': String(retryAfter) },
			body: { status: 429, message },
		};
	}
	if (!isPlainObject(body)) return apiError(410);
	const t = body.token;
	const tokens = state.tokens;
	if (typeof t !== 'string' || t === '' || (tokens.length > 0 && !tokens.includes(t)))
		return apiError(401);
	if (endpoint === 'push') {
		const over = state.windows.admit(t, ctx.now(), state.pushLimit, commit) !== null;
		return answerPush(state, body, commit, over);
	}
	if (endpoint === 'check-balance')
		return {
			httpStatus: 200,
			body: { status: 100, message: 'Success', balance: formatNano(state.balance) },
		};
	const accepted =
		body.push_id === undefined || body.push_id === null
			? undefined
			: ctx.findPush(String(body.push_id));
	if (!accepted) return apiError(410, 'unknown push_id');
	// The documented sample: no `status` at the top, `push_id` a JSON number (the push answer's is a string).
	const report = {
		project_id: PROJECT_ID,
		push_id: Number(accepted.push_id),
		application: String(accepted.request.body.application),
		message_type: '3',
		time: reportTime(accepted.acceptedAt),
		data: reportEntries(accepted, ctx.now()),
	};
	return { httpStatus: 200, body: report };
}

/** A push's shape: rows with valid numbers, an application, and media only where the channel takes it. */
function pushShapeError(body: Record<string, unknown>): ApiAnswer | undefined {
	const rows = body.data;
	if (!Array.isArray(rows) || rows.length === 0) return apiError(402);
	const app = body.application;
	if (
		(typeof app !== 'string' && typeof app !== 'number') ||
		(typeof app === 'string' && app.trim() === '')
	)
		return apiError(410);
	for (let i = 0; i < rows.length; i++) {
		const num: unknown = isPlainObject(rows[i]) ? rows[i].number : undefined;
		if (typeof num !== 'string' || !NUMBER_RE.test(num))
			return apiError(406, `${describeNumber(num)} (data[${i}])`);
		const mediaRefusal = rowMediaRefusal(rows[i], String(app));
		if (mediaRefusal) return apiError(410, `${mediaRefusal} (data[${i}])`);
	}
	if (isLookup(body) && !LOOKUP_APPLICATIONS.includes(String(app)))
		return apiError(
			410,
			`the WhatsApp Number Filter runs on applications ${LOOKUP_APPLICATIONS.join(', ')}, not ${JSON.stringify(app)}`,
		);
	return undefined;
}

// What can carry the message instead of a row's text (407 only when none does).
const GLOBAL_CONTENT =
	'globalmessage globalmedia globalmedia_code template_id template_globalmessage'.split(' ');
const ROW_CONTENT = ['message', 'media', 'media_code', 'template_message'];

/**
 * With `commit` the ids move on and (unless dropped) the cost is charged; with `drop` a push that would be accepted
 * gets the same answer and ids but is not processed (no balance spent). A lookup (WhatsApp Number Filter) costs no
 * credit here (whether it does at Picky Assist is not documented) and answers each number with `status` "0".
 */
function answerPush(
	state: ApiState,
	body: Record<string, unknown>,
	commit: boolean,
	drop: boolean,
): ApiAnswer {
	const shapeError = pushShapeError(body);
	if (shapeError) return shapeError;
	const rows = body.data as Array<Record<string, unknown>>;
	const lookup = isLookup(body);
	const hasGlobal = GLOBAL_CONTENT.some((k) => isNonEmpty(body[k]));
	if (!lookup && !hasGlobal && !rows.every((row) => ROW_CONTENT.some((k) => isNonEmpty(row[k]))))
		return apiError(407);
	const cost = lookup ? 0n : BigInt(rows.length) * state.creditPerMessage.nano;
	if (state.balance < cost) return apiError(403);
	const data = rows.map((row, i) => ({
		msg_id: String(state.nextMsgId + i),
		number: row.number as string,
		...(lookup ? { status: '0' } : { credit: state.creditPerMessage.text }),
	}));
	const push_id = String(state.nextPushId);
	const response = { status: 100, push_id, message: 'Success', data } as PushSuccess;
	if (!commit) return { httpStatus: 200, body: response };
	if (!drop) state.balance -= cost;
	state.nextPushId += 1;
	state.nextMsgId += rows.length;
	const outcome = { push_id, response };
	return {
		httpStatus: 200,
		body: response,
		...(drop ? { dropped: outcome } : { accepted: outcome }),
	};
}
