/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * What a faithful Picky Assist server answers: push, check-balance and delivery-report, the balance they spend
 * and read, and the 90-a-minute style rate limit. Answers have the shapes of Picky Assist's documented samples,
 * including what they leave out (docs/pickyassist-api.md):
 *   - the token travels in the JSON body only (headers are ignored);
 *   - answers are JSON with HTTP 200 even for errors; ids and credit are strings, `status` a number.
 *
 * Where the API is undocumented the sandbox takes the strict side, so the node is tested against the hardest
 * plausible server:
 *   - one bad number rejects the whole push (406), naming the number;
 *   - data[] of a successful push keeps request order (faults can break that on purpose);
 *   - duplicates are accepted and billed like any other row;
 *   - over the rate limit a push gets HTTP 429 with Retry-After and is NOT processed;
 *   - over the account limit (pushLimit, per token) a push is answered as accepted and dropped (account-limit.ts);
 *   - 407 only when a row has no text and nothing else carries the message either.
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { AccountWindows, PushLimit } from './account-limit';
import { formatNano } from './decimal';
import { PROJECT_ID, reportEntries, reportTime, type DeliveryPlan } from './delivery';
import type { FaultKind } from './faults';
import { isLookup, lookupAnswer, lookupRefusal } from './lookups';
import { rowMediaRefusal } from './media';
import { isNonEmpty, isPlainObject } from './util';

/** Which documented host a base URL / request belongs to: `/api/v2` (V4) or `/app/api/v2` (legacy V3). */
export type ApiHost = 'v4' | 'legacy';

export const IMPLEMENTED = ['push', 'check-balance', 'delivery-report'] as const;
export type ImplementedEndpoint = (typeof IMPLEMENTED)[number];
/** Implemented API endpoints; any other string is an unimplemented endpoint or `'unknown'` (path outside both bases). */
export type Endpoint = ImplementedEndpoint | (string & {});

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
	endpoint: Endpoint;
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

export interface PushResultEntry {
	msg_id: string;
	number: string;
	credit: string;
}

export interface PushSuccess {
	status: 100;
	push_id: string;
	message: 'Success';
	data: PushResultEntry[];
}

export interface ApiError {
	status: number;
	message: string;
}

export interface CheckBalanceSuccess {
	status: 100;
	message: 'Success';
	balance: string;
}

export interface DeliveryReportEntry {
	number: string;
	msg_id: string;
	/** 0 unknown (the sandbox: not delivered yet), 1 delivered, 2 failed, 3 read: the report's documented table. */
	status: '0' | '1' | '2' | '3';
	/** Non-zero for a failed message, otherwise empty. */
	error_code: string;
}

/** The documented sample: no `status` at the top, and `push_id` a JSON number (the push answer's is a string). */
export interface DeliveryReportSuccess {
	project_id: string;
	push_id: number;
	application: string;
	/** A digit as a string; the docs do not say what it means. */
	message_type: string;
	/** Time of the push as the sample writes it, "dd-mm-yyyy hh:mm AM" (UTC here). */
	time: string;
	data: DeliveryReportEntry[];
}

export type ApiBody = PushSuccess | CheckBalanceSuccess | DeliveryReportSuccess | ApiError;

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

/** The true answer to one request, before any fault changes how (or whether) it is sent. */
export interface ApiAnswer {
	httpStatus: number;
	body: ApiBody;
	headers?: Record<string, string>;
	/** Set when a push was accepted (status 100). */
	accepted?: { push_id: string; response: PushSuccess };
	/** Set instead of `accepted` when the push was answered as accepted but dropped over `pushLimit`. */
	dropped?: { push_id: string; response: PushSuccess };
}

export interface Credit {
	nano: bigint;
	/** As configured when it was given as a decimal string ("0.0050" stays "0.0050"), so the answer echoes it. */
	text: string;
}

/** Everything the API answers depend on; owned by the sandbox, reset() restores parts of it. */
export interface ApiState {
	tokens: string[];
	credit: Credit;
	rateLimit: number | null;
	/** Picky Assist's per-token limit: pushes over it are answered as accepted and dropped (account-limit.ts). */
	pushLimit: PushLimit | null;
	accountWindows: AccountWindows;
	balance: bigint;
	nextPushId: number;
	nextMsgId: number;
	/** Times of the pushes that got past the limiter, oldest first, from index windowHead on. */
	window: number[];
	windowHead: number;
}

export interface ApiContext {
	state: ApiState;
	now: () => number;
	findPush: (pushId: string) => AcceptedPush | undefined;
}

const NUMBER_RE = /^[1-9][0-9]{6,14}$/;
const WINDOW_MS = 60000;

function apiError(code: number, detail?: string): ApiAnswer {
	const base = ERROR_MESSAGES[code] || 'Error';
	return { httpStatus: 200, body: { status: code, message: detail ? `${base}: ${detail}` : base } };
}

function describeNumber(n: unknown): string {
	if (n === undefined) return 'missing';
	try {
		const s = typeof n === 'string' ? n : JSON.stringify(n);
		return s.length > 40 ? `${s.slice(0, 40)}…` : s;
	} catch {
		return String(n);
	}
}

/**
 * Returns null if the push may go ahead (and, when `commit`, counts it), otherwise the Retry-After in seconds.
 * The window is kept even while the limit is off, so switching it on live is accurate.
 */
function rateLimitCheck(ctx: ApiContext, commit: boolean): number | null {
	const { state } = ctx;
	const t = ctx.now();
	while (state.windowHead < state.window.length && state.window[state.windowHead] <= t - WINDOW_MS)
		state.windowHead++;
	if (state.windowHead > 1024 && state.windowHead * 2 > state.window.length) {
		state.window = state.window.slice(state.windowHead);
		state.windowHead = 0;
	}
	const inWindow = state.window.length - state.windowHead;
	if (state.rateLimit && inWindow >= state.rateLimit) {
		const oldest = state.window[state.windowHead + inWindow - state.rateLimit];
		return Math.max(1, Math.ceil((oldest + WINDOW_MS - t) / 1000));
	}
	if (commit) state.window.push(t);
	return null;
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
	if (endpoint === 'push') {
		const retryAfter = rateLimitCheck(ctx, commit);
		if (retryAfter !== null) {
			return {
				httpStatus: 429,
				headers: { 'retry-after': String(retryAfter) },
				body: {
					status: 429,
					message:
						`Too Many Requests: more than ${ctx.state.rateLimit} push requests in 60 seconds; ` +
						`the request was dropped and not processed, retry after ${retryAfter} s`,
				},
			};
		}
	}
	if (!isPlainObject(body)) return apiError(410);
	const t = body.token;
	const tokens = ctx.state.tokens;
	if (typeof t !== 'string' || t === '' || (tokens.length > 0 && !tokens.includes(t)))
		return apiError(401);
	if (endpoint === 'push') {
		const within = ctx.state.accountWindows.admit(t, ctx.now(), ctx.state.pushLimit, commit);
		return answerPush(ctx.state, body, commit, !within);
	}
	if (endpoint === 'check-balance') {
		return {
			httpStatus: 200,
			body: { status: 100, message: 'Success', balance: formatNano(ctx.state.balance) },
		};
	}
	return answerDeliveryReport(ctx, body);
}

function answerDeliveryReport(ctx: ApiContext, body: Record<string, unknown>): ApiAnswer {
	const accepted =
		body.push_id === undefined || body.push_id === null
			? undefined
			: ctx.findPush(String(body.push_id));
	if (!accepted) return apiError(410, 'unknown push_id');
	// Each message's status now, on the sandbox clock: submitted, delivered, read or failed as its plan says.
	const data: DeliveryReportEntry[] = reportEntries(accepted, ctx.now());
	return {
		httpStatus: 200,
		body: {
			project_id: PROJECT_ID,
			push_id: Number(accepted.push_id),
			application: String(accepted.request.body.application),
			message_type: '3',
			time: reportTime(accepted.acceptedAt),
			data,
		},
	};
}

/** A push's shape: rows with valid numbers, an application, and media only where the channel takes it. */
function pushShapeError(body: Record<string, unknown>): ApiAnswer | undefined {
	const rows = body.data;
	if (!Array.isArray(rows) || rows.length === 0) return apiError(402);
	const app = body.application;
	if (
		(typeof app !== 'string' && typeof app !== 'number') ||
		(typeof app === 'string' && app.trim() === '')
	) {
		return apiError(410);
	}
	for (let i = 0; i < rows.length; i++) {
		const num: unknown = isPlainObject(rows[i]) ? rows[i].number : undefined;
		if (typeof num !== 'string' || !NUMBER_RE.test(num))
			return apiError(406, `${describeNumber(num)} (data[${i}])`);
		const mediaRefusal = rowMediaRefusal(rows[i], String(app));
		if (mediaRefusal) return apiError(410, `${mediaRefusal} (data[${i}])`);
	}
	return undefined;
}

const GLOBAL_CONTENT = [
	'globalmessage',
	'globalmedia',
	'globalmedia_code',
	'template_id',
	'template_globalmessage',
];

const rowHasContent = (row: Record<string, unknown>) =>
	isNonEmpty(row.message) ||
	isNonEmpty(row.media) ||
	isNonEmpty(row.media_code) ||
	isNonEmpty(row.template_message);

/**
 * An accepted answer: with `commit` the ids move on and (unless dropped) the cost is charged; with `drop` the
 * push gets the same answer and ids but is not processed (no balance spent).
 */
function acceptedAnswer(
	state: ApiState,
	response: PushSuccess,
	rows: number,
	cost: bigint,
	{ commit, drop }: { commit: boolean; drop: boolean },
): ApiAnswer {
	if (!commit) return { httpStatus: 200, body: response };
	if (!drop) state.balance -= cost;
	state.nextPushId += 1;
	state.nextMsgId += rows;
	const push_id = response.push_id;
	return drop
		? { httpStatus: 200, body: response, dropped: { push_id, response } }
		: { httpStatus: 200, body: response, accepted: { push_id, response } };
}

/** With `drop`, a push that would be accepted gets the same answer and ids but is not processed (no balance spent). */
function answerPush(
	state: ApiState,
	body: Record<string, unknown>,
	commit: boolean,
	drop: boolean,
): ApiAnswer {
	const shapeError = pushShapeError(body);
	if (shapeError) return shapeError;
	const rows = body.data as Array<Record<string, unknown>>;
	const push_id = String(state.nextPushId);
	if (isLookup(body)) {
		const refusal = lookupRefusal(body);
		if (refusal) return apiError(410, refusal);
		const numbers = rows.map((row) => row.number as string);
		const response = lookupAnswer(push_id, numbers, state.nextMsgId);
		return acceptedAnswer(state, response, rows.length, 0n, { commit, drop });
	}
	const hasGlobal = GLOBAL_CONTENT.some((k) => isNonEmpty(body[k]));
	if (!hasGlobal && !rows.every(rowHasContent)) return apiError(407);

	const cost = BigInt(rows.length) * state.credit.nano;
	if (state.balance < cost) return apiError(403);
	const credit = state.credit.text;
	const data: PushResultEntry[] = rows.map((row, i) => ({
		msg_id: String(state.nextMsgId + i),
		number: row.number as string,
		credit,
	}));
	const response: PushSuccess = { status: 100, push_id, message: 'Success', data };
	return acceptedAnswer(state, response, rows.length, cost, { commit, drop });
}
