/**
 * Decides what a push's answer means. Picky Assist answers errors as HTTP 200 with a non-100 `status` in the body,
 * but real HTTP errors and proxy HTML pages happen too. A push is not idempotent (sending it twice sends and bills
 * every message twice), so the verdicts are deliberately conservative:
 *
 * - accepted: body `status` is 100 — Picky Assist queued the push (queued, not delivered).
 * - rejected: Picky Assist (or the HTTP layer) explicitly refused it, so nothing was queued.
 * - retry:    certainly not taken (HTTP 429: requests over the rate limit "will be dropped and won't be processed").
 * - unknown:  anything else — 5xx, an unreadable body, no answer. It may or may not have been queued; never resend.
 */
import { parseJsonText } from './jsonText';
import { excerpt } from './redaction';
import { isRecord } from './values';

export const PICKY_ASSIST_ERRORS: Record<number, { title: string; hint: string }> = {
	101: {
		title: 'Service unavailable',
		hint: 'Picky Assist is temporarily unavailable. Nothing was queued; try again later.',
	},
	401: {
		title: 'Authentication failed',
		hint: "Check the API token, and that the credential's API Host is the one the token was created on (a V4 token is rejected by the legacy host).",
	},
	402: { title: 'Empty number list', hint: 'The push reached Picky Assist without numbers.' },
	403: {
		title: 'Insufficient balance',
		hint: 'Top up your Picky Assist credits, then run the rows that were not sent.',
	},
	404: {
		title: 'Unable to communicate with your phone',
		hint: 'For Phone Automation channels, check that the phone is online and the Picky Assist app is running.',
	},
	405: {
		title: 'API is not active for this plan',
		hint: 'Your Picky Assist plan does not include API access.',
	},
	406: {
		title: 'Invalid mobile number',
		hint: 'Numbers need the full country code, digits only (e.g. 5511987654321). Check the numbers of this push.',
	},
	407: {
		title: 'Message cannot be empty',
		hint: 'Map a message text for every row, or set Global Media.',
	},
	408: { title: 'Project is not active', hint: 'Activate the project in Picky Assist.' },
	409: {
		title: 'Invalid user',
		hint: 'The token belongs to a user Picky Assist does not accept; create a new token.',
	},
	410: {
		title: 'Invalid request',
		hint: 'Check the Application (channel) value: it must be a channel code or a channel id from Settings → Channels.',
	},
	429: {
		title: 'Too many requests',
		hint: 'Picky Assist allows 90 pushes a minute and drops the rest. Lower Max Pushes per Minute if other workflows share the account.',
	},
};

export type PushVerdict =
	| { kind: 'accepted'; pushId: string; data: unknown }
	| { kind: 'rejected'; code?: number; httpStatus: number; apiMessage: string; hint: string }
	| { kind: 'retry'; httpStatus: number; apiMessage: string; retryAfterMs?: number }
	/** `reason` says what came back; what that means (a push that may have been queued) is the caller's to add. */
	| { kind: 'unknown'; httpStatus?: number; reason: string };

function statusCode(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\d{1,4}$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const seconds = Number(text);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(String(text));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describeCode(
	code: number | undefined,
	apiMessage: string,
): { apiMessage: string; hint: string } {
	const known = code === undefined ? undefined : PICKY_ASSIST_ERRORS[code];
	return {
		apiMessage: apiMessage || known?.title || 'No message',
		hint: known?.hint ?? 'See the message from Picky Assist.',
	};
}

export const REDIRECT_HINT =
	"The address in the credential redirects to another one. Requests that carry the token never follow a redirect: set the credential's Custom URL (or API Host) to the final address.";

/**
 * What an answer to a push means.
 * @param text the answer's body as text, already redacted (see helpers/redaction.ts)
 */
export function classifyPushResponse(
	httpStatus: number,
	text: string,
	retryAfterHeader: unknown,
	now: number,
): PushVerdict {
	const body = parseJsonText(text);
	const record = isRecord(body) ? body : undefined;
	const code = record ? statusCode(record.status) : undefined;
	const apiMessage =
		record && typeof record.message === 'string' ? excerpt(record.message, undefined) : '';
	const success = httpStatus >= 200 && httpStatus < 300;

	if (httpStatus >= 300 && httpStatus < 400) {
		// Never followed (the token would go with the body). 307/308 say the request was not processed here;
		// any other redirect may come after the server processed it.
		if (httpStatus === 307 || httpStatus === 308) {
			return {
				kind: 'rejected',
				httpStatus,
				apiMessage: `HTTP ${httpStatus}: the server redirects this request elsewhere`,
				hint: REDIRECT_HINT,
			};
		}
		return {
			kind: 'unknown',
			httpStatus,
			reason: `The server answered with a redirect (HTTP ${httpStatus}) instead of a result`,
		};
	}
	if (code === 100 && !success) {
		return {
			kind: 'unknown',
			httpStatus,
			reason: `The answer contradicts itself: HTTP ${httpStatus} with a body that says the push was queued`,
		};
	}
	if (httpStatus === 429 || code === 429) {
		return {
			kind: 'retry',
			httpStatus,
			apiMessage: apiMessage || 'Too many requests',
			retryAfterMs: parseRetryAfter(retryAfterHeader, now),
		};
	}
	if (httpStatus >= 500 || httpStatus === 408) {
		return {
			kind: 'unknown',
			httpStatus,
			reason: `Picky Assist answered HTTP ${httpStatus}${apiMessage ? ` (${apiMessage})` : ''}`,
		};
	}
	if (httpStatus >= 400) {
		// Picky Assist answers its own errors with HTTP 200. A real 404/405 means the URL is not its API (even when
		// the body says `status: 404`, which would otherwise read as Picky Assist's "unable to reach your phone").
		const wrongAddress = httpStatus === 404 || httpStatus === 405;
		if (code !== undefined && !wrongAddress) {
			return { kind: 'rejected', code, httpStatus, ...describeCode(code, apiMessage) };
		}
		return {
			kind: 'rejected',
			httpStatus,
			apiMessage: `HTTP ${httpStatus}: ${excerpt(text, undefined) || 'no body'}`,
			hint: wrongAddress
				? "This address does not answer like Picky Assist's API: check the credential's API Host or Custom URL."
				: 'The request was refused before Picky Assist queued it. Check the credential and the node settings.',
		};
	}
	if (!success) {
		return {
			kind: 'unknown',
			httpStatus,
			reason: `The server answered HTTP ${httpStatus}, which is not a result`,
		};
	}
	if (code === 100) {
		const pushId = record?.push_id;
		return {
			kind: 'accepted',
			pushId: typeof pushId === 'string' || typeof pushId === 'number' ? String(pushId) : '',
			data: record?.data,
		};
	}
	if (code !== undefined) {
		return { kind: 'rejected', code, httpStatus, ...describeCode(code, apiMessage) };
	}
	return {
		kind: 'unknown',
		httpStatus,
		reason: `Picky Assist's answer (HTTP ${httpStatus}) could not be read as a result: "${excerpt(text, undefined)}"`,
	};
}

/** What an answer to a call that only reads (delivery-report, check-balance) is. */
export type ReadVerdict =
	| { kind: 'result'; body: Record<string, unknown> }
	| Extract<PushVerdict, { kind: 'rejected' }>
	/** Not a result and not a refusal: reading again costs nothing. */
	| { kind: 'again'; why: string; retryAfterMs?: number };

/**
 * What an answer to a read means. Picky Assist's documented answers differ from the push's: the delivery report's
 * sample has no `status` at all. So a body is a result when `isResult` recognises it and its `status`, when it
 * has one, is 100; a `status` other than 100 is a refusal with its code, as for a push.
 */
export function classifyReadResponse(
	httpStatus: number,
	text: string,
	retryAfterHeader: unknown,
	now: number,
	isResult: (body: Record<string, unknown>) => boolean,
): ReadVerdict {
	const verdict = classifyPushResponse(httpStatus, text, retryAfterHeader, now);
	if (verdict.kind === 'rejected') return verdict;
	if (verdict.kind === 'retry') {
		return { kind: 'again', why: verdict.apiMessage, retryAfterMs: verdict.retryAfterMs };
	}
	const body = parseJsonText(text);
	const success = httpStatus >= 200 && httpStatus < 300;
	if (success && isRecord(body) && (body.status === undefined || statusCode(body.status) === 100)) {
		if (isResult(body)) return { kind: 'result', body };
	}
	return {
		kind: 'again',
		why:
			verdict.kind === 'unknown'
				? verdict.reason
				: `Picky Assist's answer (HTTP ${httpStatus}) is not the result asked for: "${excerpt(text, undefined)}"`,
	};
}

/**
 * Network failures that happen before the request can have reached Picky Assist (nothing left the machine, or
 * no connection was ever made): safe to try again. Each in words, for messages. Anything else — a reset, a
 * timeout, an abort — may come after the request was sent.
 */
const NOT_SENT_CAUSES = new Map<string, string>([
	['ECONNREFUSED', 'connection refused'],
	['ENOTFOUND', 'host name not found'],
	['EAI_AGAIN', 'host name could not be looked up (DNS server unavailable)'],
	['ENETUNREACH', 'network unreachable'],
	['EHOSTUNREACH', 'host unreachable'],
	['EADDRNOTAVAIL', 'address not available on this machine'],
]);

const NODE_ERROR_CODE = /^E[A-Z_]+$/;

/**
 * Finds the low-level error code (ECONNREFUSED, ETIMEDOUT, …) in an error and the errors it wraps. n8n's request
 * helper wraps the HTTP client's error in a NodeApiError: n8n-workflow 2.x keeps it as `cause`, 1.x drops the
 * cause and keeps the client's code only as the error's `httpCode` (which otherwise holds an HTTP status).
 */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const { code, httpCode } = current as { code?: unknown; httpCode?: unknown };
		if (typeof code === 'string' && NODE_ERROR_CODE.test(code)) return code;
		if (typeof httpCode === 'string' && NODE_ERROR_CODE.test(httpCode)) return httpCode;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** "could not connect to host app.pickyassist.com: connection refused (ECONNREFUSED)", for a not-sent code. */
export function notSentMessage(code: string, url: string): string | undefined {
	const cause = NOT_SENT_CAUSES.get(code);
	if (cause === undefined) return undefined;
	let host = 'Picky Assist';
	try {
		host = `host ${new URL(url).host}`;
	} catch {
		// The credential's URL was checked before any call; keep a generic name if it still cannot be read.
	}
	return `could not connect to ${host}: ${cause} (${code})`;
}

export function isCertainlyNotSent(code: string | undefined): boolean {
	return code !== undefined && NOT_SENT_CAUSES.has(code);
}

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
