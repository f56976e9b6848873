/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code: runs in Node.js and never ships */
/**
 * Fault injection: the kinds of misbehaviour the sandbox can put on, their options and validation, and the book
 * where faults wait for requests. Each kind is listed once, in its group; handler.ts switches on the groups.
 * What each kind sends: README.md, "Faults".
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';

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
/** Faults that replace the answer with one the fault spells out; processed first only with `process: true`. */
export const CUSTOM_FAULTS = ['redirect', 'raw'] as const;

export const FAULT_KINDS = Object.freeze([
	...PRE_FAULTS,
	...DELIVERY_FAULTS,
	...DOCTOR_FAULTS,
	...CUSTOM_FAULTS,
] as const);
export type FaultKind = (typeof FAULT_KINDS)[number];

const REDIRECT_STATUSES = [301, 302, 303, 307, 308] as const;

/** The options of the kinds that take any (README.md, "Faults", says what they do). */
interface FaultOptions {
	/** Seconds, sent as `Retry-After` (only when given). */
	http429: { retryAfter?: number };
	/** `message` defaults to the documented text of `status` (ERROR_MESSAGES), or "Error". */
	status: { status: number; message?: string };
	timeout: { process?: boolean };
	delay: { ms: number };
	/** `intervalMs` (default 1000) between two bytes, also before the first; `process` defaults to true. */
	drip: { intervalMs?: number; process?: boolean };
	/** Indexes into the true data[]; out-of-range ones are dropped. Default: reversed. */
	shuffle: { order?: number[] };
	short: { drop?: number };
	'no-msg-id': { index?: number };
	/** `location` is sent as is and must be a valid header value. */
	redirect: { status: (typeof REDIRECT_STATUSES)[number]; location: string; process?: boolean };
	/** status 200–599 (1xx would be an interim answer); `$TOKEN` / `$TOKEN_JSON` are filled in body and header values. */
	raw: {
		status: number;
		body: string;
		headers?: Record<string, string>;
		contentType?: string;
		process?: boolean;
	};
}

export type FaultOf<K extends FaultKind> = K extends FaultKind
	? {
			kind: K;
			/** Endpoint whose requests consume this fault. Default `'push'`. */
			endpoint?: string;
			/** Matching requests this (queued) fault applies to. Default 1. Ignored by setFault(). */
			times?: number;
		} & (K extends keyof FaultOptions ? FaultOptions[K] : unknown)
	: never;
export type Fault = FaultOf<FaultKind>;

/** Narrows a fault to the kinds of one group. */
export function inGroup<G extends readonly FaultKind[]>(
	group: G,
	fault: Fault,
): fault is FaultOf<G[number]> {
	return (group as readonly string[]).includes(fault.kind);
}

const MAX_TIMER_MS = 2 ** 31 - 1; // Node turns larger timer delays into 1 ms

type Fields = Record<string, unknown>;

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

const isInt = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
const isMs = (v: unknown, max = Infinity) => typeof v === 'number' && v >= 0 && v <= max;

/** Options any fault may carry, checked when set: [key, test, message]. */
const COMMON_OPTIONS: Array<[string, (v: unknown) => boolean, string]> = [
	['endpoint', (v) => typeof v === 'string' && v !== '', 'must be a non-empty string'],
	['times', (v) => isInt(v, 1), 'must be an integer >= 1'],
	['retryAfter', (v) => isMs(v), 'must be a number of seconds >= 0'],
	[
		'order',
		(v) => Array.isArray(v) && v.every(Number.isInteger),
		'must be an array of integer indexes',
	],
	['drop', (v) => isInt(v, 0), 'must be an integer >= 0'],
	['index', (v) => isInt(v, 0), 'must be an integer >= 0'],
	['process', (v) => typeof v === 'boolean', 'must be true or false'],
	['intervalMs', (v) => isMs(v, MAX_TIMER_MS), `must be 0..${MAX_TIMER_MS}`],
	['headers', isPlainObject, 'must be an object of strings'],
];

/** The options one kind of fault needs. */
const KIND_CHECKS: Partial<Record<string, (f: Fields) => void>> = {
	status: (f) =>
		check(Number.isInteger(f.status), 'a "status" fault needs an integer fault.status'),
	delay: (f) => check(isMs(f.ms) && Number.isFinite(f.ms), 'a "delay" fault needs fault.ms >= 0'),
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
		for (const [name, value] of Object.entries((f.headers as Fields) || {}))
			checkHeader(name, value, `fault.headers[${JSON.stringify(name)}]`);
	},
};

/** Checks a fault given by a test or over HTTP and returns a copy, so later changes by the caller do not leak in. */
export function validateFault(input: unknown): Fault {
	check(isPlainObject(input), 'fault must be an object');
	const f = input as Fields;
	check(
		(FAULT_KINDS as readonly unknown[]).includes(f.kind),
		`unknown fault kind ${JSON.stringify(f.kind)}; expected one of ${FAULT_KINDS.join(', ')}`,
	);
	for (const [key, ok, message] of COMMON_OPTIONS)
		check(f[key] === undefined || ok(f[key]), `fault.${key} ${message}`);
	KIND_CHECKS[f.kind as string]?.(f);
	const copy = { ...f } as Fault;
	if (copy.kind === 'shuffle' && copy.order) copy.order = copy.order.slice();
	if (copy.kind === 'raw' && copy.headers) copy.headers = { ...copy.headers };
	return copy;
}

/** Faults waiting for requests: a FIFO queue per endpoint (`times` repeats), then one permanent fault per endpoint. */
export class FaultBook {
	private readonly queue: Array<{ fault: Fault; remaining: number }> = [];
	private readonly permanent = new Map<string, Fault>();

	get queued(): number {
		return this.queue.length;
	}

	add(fault: unknown): void {
		const f = validateFault(fault);
		this.queue.push({ fault: f, remaining: f.times ?? 1 });
	}

	set(fault: unknown): void {
		const f = validateFault(fault);
		this.permanent.set(f.endpoint || 'push', f);
	}

	clear(): void {
		this.queue.length = 0;
		this.permanent.clear();
	}

	/** The fault for the next request to `endpoint`, if any; consumes one use of a queued fault. */
	take(endpoint: string): Fault | null {
		const i = this.queue.findIndex((q) => (q.fault.endpoint || 'push') === endpoint);
		if (i === -1) return this.permanent.get(endpoint) || null;
		const q = this.queue[i];
		if (--q.remaining <= 0) this.queue.splice(i, 1);
		return q.fault;
	}
}
