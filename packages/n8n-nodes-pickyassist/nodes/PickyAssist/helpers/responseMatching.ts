/**
 * Matches the `data` of a successful push response back to the rows that were sent.
 *
 * Picky Assist does not promise that `data[]` keeps request order, so entries are matched by number (and, among
 * rows with the same number, in order). Nothing is invented and nothing is dropped: every sent row is either
 * matched to exactly one entry with a msg_id or listed as missing, and every entry that fits no sent row is listed
 * as unexpected. A msg_id names one message: an entry that repeats a msg_id already matched in this push is
 * unexpected, so two rows never show the same msg_id.
 */
import { textOf } from './values';

export interface ReturnedMessage {
	msg_id: string;
	/** The number as the answer gave it (the node shows the number it sent). */
	number: string;
	credit: string;
}

export interface MatchResult {
	/** Index = position in the push; undefined where no usable entry came back for that row. */
	matched: Array<ReturnedMessage | undefined>;
	/** Positions in the push with no entry. */
	missing: number[];
	/** Entries that fit no sent row, or that lack a msg_id or number, as returned. */
	unexpected: unknown[];
}

/** An id exactly as sent: a string, or an integer small enough to have kept its digits (see jsonText.ts). */
function asId(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
	return undefined;
}

function digitsOf(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const digits = String(value).replace(/\D/g, '');
	return digits === '' ? undefined : digits;
}

export function matchResponse(sentNumbers: readonly string[], data: unknown): MatchResult {
	const matched: Array<ReturnedMessage | undefined> = new Array(sentNumbers.length).fill(undefined);
	const unexpected: unknown[] = [];

	// number → positions still waiting for an entry, consumed front to back (linear overall).
	const waiting = new Map<string, { positions: number[]; next: number }>();
	for (let position = 0; position < sentNumbers.length; position++) {
		const key = digitsOf(sentNumbers[position]) ?? '';
		const queue = waiting.get(key);
		if (queue) queue.positions.push(position);
		else waiting.set(key, { positions: [position], next: 0 });
	}

	const entries = Array.isArray(data) ? data : [];
	const seenMsgIds = new Set<string>();
	for (const entry of entries) {
		const record =
			entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : undefined;
		const msgId = record ? asId(record.msg_id) : undefined;
		const number = record ? digitsOf(record.number) : undefined;
		const queue = number === undefined ? undefined : waiting.get(number);
		if (
			!record ||
			msgId === undefined ||
			seenMsgIds.has(msgId) ||
			!queue ||
			queue.next >= queue.positions.length
		) {
			unexpected.push(entry);
			continue;
		}
		seenMsgIds.add(msgId);
		const position = queue.positions[queue.next++];
		matched[position] = {
			msg_id: msgId,
			number: String(record.number),
			credit: textOf(record.credit) ?? '',
		};
	}

	const missing: number[] = [];
	for (let position = 0; position < matched.length; position++) {
		if (matched[position] === undefined) missing.push(position);
	}
	return { matched, missing, unexpected };
}
