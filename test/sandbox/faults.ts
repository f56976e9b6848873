/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code: runs in Node.js and never ships */
/**
 * Fault injection: the kinds of misbehaviour the sandbox can put on, their options and their validation.
 * fault-queue.ts holds faults until a request comes, answers.ts builds what they send, and handler.ts decides
 * when they apply by switching on the groups below: so each kind is listed exactly once, in its group, and
 * FAULT_KINDS is the union of the groups.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';

import type { Endpoint } from './api';
import { errorMessage, isPlainObject } from './util';

/** Faults that replace the answer with a fixed one: the request is recorded but not processed. */
export const PRE_FAULTS = [
	'http500',
	'http502-html',
	'html200',
	'http429',
	'http401',
	'status',
	'reset-before',
] as const;
/** Faults in how the answer arrives: never (timeout), late (delay), cut off (reset), unreadable (malformed), slowly (drip). */
export const DELIVERY_FAULTS = ['timeout', 'delay', 'reset', 'malformed', 'drip'] as const;
/** Faults that doctor the body of a processed request answered with status 100. */
export const DOCTOR_FAULTS = [
	'shuffle',
	'short',
	'extra',
	'no-msg-id',
	'no-data',
	'string-status',
	'duplicate-entry',
	'foreign-number',
] as const;
/** Faults that replace the answer with one the fault spells out; the request is processed first only with `process: true`. */
export const CUSTOM_FAULTS = ['redirect', 'raw'] as const;

export const FAULT_KINDS = Object.freeze([
	...PRE_FAULTS,
	...DELIVERY_FAULTS,
	...DOCTOR_FAULTS,
	...CUSTOM_FAULTS,
] as const);
export type FaultKind = (typeof FAULT_KINDS)[number];

export const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;
export type RedirectStatus = (typeof REDIRECT_STATUSES)[number];

interface FaultBase {
	/** Endpoint whose requests consume this fault. Default `'push'`. */
	endpoint?: Endpoint;
	/** Number of matching requests this (queued) fault applies to. Default 1. Ignored by setFault(). */
	times?: number;
}

/** HTTP 500 JSON `{status: 500, message: "Internal Server Error"}`; not processed. */
export interface Http500Fault extends FaultBase {
	kind: 'http500';
}
/** HTTP 502 with an nginx-style HTML page; not processed. */
export interface Http502HtmlFault extends FaultBase {
	kind: 'http502-html';
}
/** HTTP 200 with an HTML maintenance page (content-type text/html); not processed. */
export interface Html200Fault extends FaultBase {
	kind: 'html200';
}
/** HTTP 429 JSON `{status: 429, message: "Too Many Requests"}`; `Retry-After` only if `retryAfter` is given; not processed. */
export interface Http429Fault extends FaultBase {
	kind: 'http429';
	/** Seconds, sent as the `Retry-After` header. */
	retryAfter?: number;
}
/** A real HTTP 401 with JSON `{status: 401, message: "Authentication Failed"}`; not processed. */
export interface Http401Fault extends FaultBase {
	kind: 'http401';
}
/** HTTP 200 with `{status, message}`; not processed. */
export interface StatusFault extends FaultBase {
	kind: 'status';
	/** API status code, e.g. 101, 404, 405, 408, 409. */
	status: number;
	/** Default: the documented text for `status` (see ERROR_MESSAGES), or "Error". */
	message?: string;
}
/** Destroys the socket without processing. */
export interface ResetBeforeFault extends FaultBase {
	kind: 'reset-before';
}
/** Never answers; the socket stays open until the client gives up or close(). */
export interface TimeoutFault extends FaultBase {
	kind: 'timeout';
	/** If true the request is processed (push accepted, balance deducted) before hanging. Default false. */
	process?: boolean;
}
/** Processes normally, answers after `ms` milliseconds. */
export interface DelayFault extends FaultBase {
	kind: 'delay';
	ms: number;
}
/** Processes normally (the push IS accepted), then destroys the socket without answering ("maybe sent"). */
export interface ResetFault extends FaultBase {
	kind: 'reset';
}
/** Processed; the answer is the first half of the JSON text (invalid JSON). Applies to any answer. */
export interface MalformedFault extends FaultBase {
	kind: 'malformed';
}
/**
 * Sends the status line and headers (with the full `Content-Length`) at once, then the true answer body one
 * byte every `intervalMs`, like a server behind a stalling link. Stops when the client goes away or on close().
 */
export interface DripFault extends FaultBase {
	kind: 'drip';
	/** Milliseconds between two bytes (also before the first). Default 1000. */
	intervalMs?: number;
	/**
	 * Default true: processed as usual (push accepted, balance deducted) and that answer is dripped. false: nothing
	 * changes and the answer dripped is the one the server would have sent (its ids are handed out again later).
	 */
	process?: boolean;
}
/** Processed; data[] reversed, or reordered as `order` (indexes into the true data[]; out-of-range indexes dropped). */
export interface ShuffleFault extends FaultBase {
	kind: 'shuffle';
	order?: number[];
}
/** Processed; the last `drop` (default 1) entries of data[] are removed. */
export interface ShortFault extends FaultBase {
	kind: 'short';
	drop?: number;
}
/** Processed; an entry with a number that was not sent is appended to data[]. */
export interface ExtraFault extends FaultBase {
	kind: 'extra';
}
/** Processed; `msg_id` removed from data[index] (default 0). */
export interface NoMsgIdFault extends FaultBase {
	kind: 'no-msg-id';
	index?: number;
}
/** Processed; `data` omitted from the answer. */
export interface NoDataFault extends FaultBase {
	kind: 'no-data';
}
/** Processed; `status` is the string "100". */
export interface StringStatusFault extends FaultBase {
	kind: 'string-status';
}
/** Processed; data[0] repeated at the end of data[]. */
export interface DuplicateEntryFault extends FaultBase {
	kind: 'duplicate-entry';
}
/** Processed; data[0].number replaced with a number that was not sent. */
export interface ForeignNumberFault extends FaultBase {
	kind: 'foreign-number';
}
/**
 * Answers `status` with a `Location: location` header and a short text/plain body, like a host that moved or a
 * proxy sending clients elsewhere. Useful to check that a client does not follow it with the token in the body.
 */
export interface RedirectFault extends FaultBase {
	kind: 'redirect';
	status: RedirectStatus;
	/** Sent as is (absolute or relative); must be a valid header value. */
	location: string;
	/** If true the request is processed first (push accepted and recorded, balance deducted), then redirected. Default false. */
	process?: boolean;
}
/**
 * Answers exactly `status` and `body`. In `body` and in the values of `headers`, `$TOKEN` becomes the request
 * body's `token` verbatim and `$TOKEN_JSON` the same escaped for use inside a JSON string
 * (`JSON.stringify(token).slice(1, -1)`); a missing token is the empty string, a non-string one its JSON text.
 * `Content-Length` is computed unless `headers` sets it (or sets `Transfer-Encoding`). Bodies of many MB are fine.
 */
export interface RawFault extends FaultBase {
	kind: 'raw';
	/**
	 * 200–599. 1xx is refused: Node sends a 1xx as an interim response and the client would wait for a final
	 * one that never comes. With 204 and 304 HTTP allows no body, so Node drops it.
	 */
	status: number;
	body: string;
	/** Extra response headers; names are case-insensitive and override the defaults. */
	headers?: Record<string, string>;
	/** Default `application/json` (no charset). A `content-type` in `headers` wins. */
	contentType?: string;
	/** If true the request is processed first as usual (push accepted, recorded) and this answer replaces the true one. Default false. */
	process?: boolean;
}

export type Fault =
	| Http500Fault
	| Http502HtmlFault
	| Html200Fault
	| Http429Fault
	| Http401Fault
	| StatusFault
	| ResetBeforeFault
	| TimeoutFault
	| DelayFault
	| ResetFault
	| MalformedFault
	| DripFault
	| ShuffleFault
	| ShortFault
	| ExtraFault
	| NoMsgIdFault
	| NoDataFault
	| StringStatusFault
	| DuplicateEntryFault
	| ForeignNumberFault
	| RedirectFault
	| RawFault;

// The interfaces above and the kind lists must describe the same set: this fails to compile if one drifts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const kindsMatchTypes: Same<Fault['kind'], FaultKind> = true;
void kindsMatchTypes;

export type FaultOf<K extends FaultKind> = Extract<Fault, { kind: K }>;

/** Narrows a fault to the kinds of one group. */
export function inGroup<G extends readonly FaultKind[]>(
	group: G,
	fault: Fault,
): fault is FaultOf<G[number]> {
	return (group as readonly string[]).includes(fault.kind);
}

const MAX_TIMER_MS = 2 ** 31 - 1; // Node turns larger timer delays into 1 ms

function check(ok: boolean, message: string): void {
	if (!ok) throw new TypeError(message);
}

function checkHeader(name: string, value: unknown, what: string): void {
	check(typeof value === 'string', `${what} must be a string`);
	try {
		validateHeaderName(name);
		validateHeaderValue(name, value as string);
	} catch (err) {
		throw new TypeError(`${what} is not a valid HTTP header: ${errorMessage(err)}`);
	}
}

type FaultFields = Record<string, unknown>;

const isInt = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;

/** Checks `f[key]` when it is set. */
function optional(f: FaultFields, key: string, ok: (v: unknown) => boolean, message: string): void {
	check(f[key] === undefined || ok(f[key]), message);
}

/** The options any fault may carry. */
function checkCommonOptions(f: FaultFields): void {
	optional(
		f,
		'endpoint',
		(v) => typeof v === 'string' && v !== '',
		'fault.endpoint must be a non-empty string',
	);
	optional(f, 'times', (v) => isInt(v, 1), 'fault.times must be an integer >= 1');
	optional(
		f,
		'retryAfter',
		(v) => typeof v === 'number' && v >= 0,
		'fault.retryAfter must be a number of seconds >= 0',
	);
	optional(
		f,
		'order',
		(v) => Array.isArray(v) && v.every(Number.isInteger),
		'fault.order must be an array of integer indexes',
	);
	optional(f, 'drop', (v) => isInt(v, 0), 'fault.drop must be an integer >= 0');
	optional(f, 'index', (v) => isInt(v, 0), 'fault.index must be an integer >= 0');
	optional(f, 'process', (v) => typeof v === 'boolean', 'fault.process must be true or false');
}

/** The options one kind of fault needs. */
const KIND_CHECKS: Partial<Record<string, (f: FaultFields) => void>> = {
	status: (f) =>
		check(Number.isInteger(f.status), 'a "status" fault needs an integer fault.status'),
	delay: (f) =>
		check(
			typeof f.ms === 'number' && f.ms >= 0 && Number.isFinite(f.ms),
			'a "delay" fault needs fault.ms >= 0',
		),
	drip: (f) =>
		optional(
			f,
			'intervalMs',
			(v) => typeof v === 'number' && v >= 0 && v <= MAX_TIMER_MS,
			`fault.intervalMs must be 0..${MAX_TIMER_MS}`,
		),
	redirect: (f) => {
		check(
			(REDIRECT_STATUSES as readonly unknown[]).includes(f.status),
			`a "redirect" fault needs fault.status ${REDIRECT_STATUSES.join(', ')}`,
		);
		check(
			typeof f.location === 'string' && f.location !== '',
			'a "redirect" fault needs a non-empty fault.location',
		);
		checkHeader('location', f.location, 'fault.location');
	},
	raw: (f) => {
		check(
			isInt(f.status, 200) && (f.status as number) <= 599,
			'a "raw" fault needs an integer fault.status 200..599',
		);
		check(typeof f.body === 'string', 'a "raw" fault needs a string fault.body');
		if (f.contentType !== undefined)
			checkHeader('content-type', f.contentType, 'fault.contentType');
		optional(f, 'headers', isPlainObject, 'fault.headers must be an object of strings');
		for (const [name, value] of Object.entries((f.headers as Record<string, unknown>) || {})) {
			checkHeader(name, value, `fault.headers[${JSON.stringify(name)}]`);
		}
	},
};

/** Checks a fault given by a test or over HTTP and returns a copy of it, so later changes by the caller do not leak in. */
export function validateFault(input: unknown): Fault {
	check(isPlainObject(input), 'fault must be an object');
	const f = input as FaultFields;
	if (!(FAULT_KINDS as readonly unknown[]).includes(f.kind)) {
		throw new TypeError(
			`unknown fault kind ${JSON.stringify(f.kind)}; expected one of ${FAULT_KINDS.join(', ')}`,
		);
	}
	checkCommonOptions(f);
	KIND_CHECKS[f.kind as string]?.(f);
	const copy = { ...f } as unknown as Fault;
	if (copy.kind === 'shuffle' && copy.order) copy.order = copy.order.slice();
	if (copy.kind === 'raw' && copy.headers) copy.headers = { ...copy.headers };
	return copy;
}
