/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * What each fault sends instead of (or made out of) the true answer. Pure functions: handler.ts decides when
 * they apply, respond.ts writes the result.
 */
import { STATUS_CODES } from 'node:http';

import type { ApiBody, RecordedRequest } from './api';
import type { FaultOf, RawFault, RedirectFault } from './faults';
import { isPlainObject } from './util';

/** An answer ready to write. `Content-Length` is added by respond.ts unless `headers` has one. */
export interface Reply {
	httpStatus: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	body: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

// Pages shaped like what a proxy in front of the API, or the site's maintenance page, would send.
const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML_200 =
	'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Picky Assist</title></head>\n' +
	'<body><h1>We&#39;ll be back soon</h1><p>Picky Assist is down for scheduled maintenance.</p></body></html>\n';

export function jsonReply(
	httpStatus: number,
	body: unknown,
	headers: Record<string, string> = {},
): Reply {
	return {
		httpStatus,
		headers: { 'content-type': JSON_TYPE, ...headers },
		body: JSON.stringify(body),
	};
}

function textReply(httpStatus: number, contentType: string, body: string): Reply {
	return { httpStatus, headers: { 'content-type': contentType }, body };
}

/** The fixed answer of a fault that replaces processing, and the API status to log; null = destroy the socket instead. */
export function preFaultReply(
	fault: FaultOf<
		'http500' | 'http502-html' | 'html200' | 'http429' | 'http401' | 'status' | 'reset-before'
	>,
	errorMessages: Readonly<Record<number, string>>,
): { reply: Reply; apiStatus?: number } | null {
	switch (fault.kind) {
		case 'http500':
			return {
				reply: jsonReply(500, { status: 500, message: 'Internal Server Error' }),
				apiStatus: 500,
			};
		case 'http502-html':
			return { reply: textReply(502, 'text/html', HTML_502) };
		case 'html200':
			return { reply: textReply(200, 'text/html; charset=UTF-8', HTML_200) };
		case 'http429': {
			const headers: Record<string, string> =
				fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
			return {
				reply: jsonReply(429, { status: 429, message: 'Too Many Requests' }, headers),
				apiStatus: 429,
			};
		}
		case 'http401':
			return {
				reply: jsonReply(401, { status: 401, message: 'Authentication Failed' }),
				apiStatus: 401,
			};
		case 'status': {
			const message =
				fault.message !== undefined ? fault.message : errorMessages[fault.status] || 'Error';
			return { reply: jsonReply(200, { status: fault.status, message }), apiStatus: fault.status };
		}
		case 'reset-before':
			return null;
	}
}

export function redirectReply(fault: RedirectFault): Reply {
	return {
		httpStatus: fault.status,
		headers: { 'content-type': 'text/plain; charset=utf-8', location: fault.location },
		body: `${fault.status} ${STATUS_CODES[fault.status]}: ${fault.location}\n`,
	};
}

/**
 * The answer of a `raw` fault, with `$TOKEN` / `$TOKEN_JSON` replaced in the body and the header values.
 * One regular expression handles both, so `$TOKEN_JSON` is never read as `$TOKEN` followed by "_JSON", and a
 * function replacer keeps `$&`-like sequences in the token literal.
 */
export function rawReply(fault: RawFault, record: RecordedRequest): Reply {
	const t: unknown = isPlainObject(record.body) ? record.body.token : undefined;
	const token = typeof t === 'string' ? t : t === undefined ? '' : JSON.stringify(t);
	const tokenJson = JSON.stringify(token).slice(1, -1);
	const fill = (s: string) =>
		s.includes('$TOKEN')
			? s.replace(/\$TOKEN(_JSON)?/g, (_m, json?: string) => (json ? tokenJson : token))
			: s;
	const headers: Record<string, string> = {
		'content-type': fault.contentType ?? 'application/json',
	};
	for (const [name, value] of Object.entries(fault.headers || {}))
		headers[name.toLowerCase()] = fill(value);
	return { httpStatus: fault.status, headers, body: fill(fault.body) };
}

/** The first half of the JSON text: the answer a connection cut mid-body would leave. */
export function malformedText(body: ApiBody): string {
	const full = JSON.stringify(body);
	return full.slice(0, Math.max(1, Math.floor(full.length / 2)));
}

/** A number that was not among `taken`, counting up from one that cannot be a real subscriber's. */
function foreignNumber(taken: Set<string>): string {
	let candidate = 999000000000;
	while (taken.has(String(candidate))) candidate++;
	return String(candidate);
}

type DoctorKind =
	| 'shuffle'
	| 'short'
	| 'extra'
	| 'no-msg-id'
	| 'no-data'
	| 'string-status'
	| 'duplicate-entry'
	| 'foreign-number';

type Entries = Array<Record<string, unknown>>;

/** What a doctoring fault works on: the copied answer, its copied entries, and the push it answers. */
interface Patient {
	answer: Record<string, unknown>;
	data: Entries | undefined;
	record: RecordedRequest;
	creditText: string;
}

/** Every number the push sent or the answer names: a foreign number must be none of them. */
function knownNumbers({ record, data }: Patient): Set<string> {
	const s = new Set<string>();
	const rows: unknown[] =
		isPlainObject(record.body) && Array.isArray(record.body.data) ? record.body.data : [];
	for (const r of rows) if (isPlainObject(r)) s.add(String(r.number));
	for (const e of data || []) s.add(String(e.number));
	return s;
}

const TREATMENTS: { [K in DoctorKind]: (p: Patient, fault: FaultOf<K>) => void } = {
	shuffle: ({ answer, data }, fault) => {
		if (!data) return;
		answer.data = fault.order
			? fault.order.filter((i) => i >= 0 && i < data.length).map((i) => data[i])
			: data.reverse();
	},
	short: ({ data }, fault) => {
		if (data) data.length = Math.max(0, data.length - (fault.drop === undefined ? 1 : fault.drop));
	},
	extra: (p) => {
		if (!p.data) return;
		const credit = p.data.length ? p.data[0].credit : p.creditText;
		const number = foreignNumber(knownNumbers(p));
		p.data.push({ msg_id: String(9000000000 + p.record.seq), number, credit });
	},
	'no-msg-id': ({ data }, fault) => {
		const entry = data && data[fault.index === undefined ? 0 : fault.index];
		if (entry) delete entry.msg_id;
	},
	'no-data': ({ answer }) => {
		delete answer.data;
	},
	'string-status': ({ answer }) => {
		answer.status = String(answer.status);
	},
	'duplicate-entry': ({ data }) => {
		if (data && data.length) data.push({ ...data[0] });
	},
	'foreign-number': (p) => {
		if (p.data && p.data.length) p.data[0].number = foreignNumber(knownNumbers(p));
	},
};

/**
 * Applies a doctoring fault to a copy of a status-100 answer. The copy matters: acceptedPushes keeps the true
 * answer, which is what tests compare the doctored one against.
 */
export function doctor(
	fault: FaultOf<DoctorKind>,
	answer: ApiBody,
	record: RecordedRequest,
	creditText: string,
): Record<string, unknown> {
	const b: Record<string, unknown> = { ...answer };
	const data: Entries | undefined = Array.isArray(b.data)
		? b.data.map((e) => ({ ...e }))
		: undefined;
	if (data) b.data = data;
	const treat = TREATMENTS[fault.kind] as (p: Patient, fault: FaultOf<DoctorKind>) => void;
	treat({ answer: b, data, record, creditText }, fault);
	return b;
}
