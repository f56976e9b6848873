/**
 * Matches the `data` of a successful push response back to the rows that were sent.
 *
 * Picky Assist does not promise that `data[]` keeps request order, so entries are matched by number. A push never
 * holds a number twice (see chunk); should it, the rows of that number are left missing and its entries unexpected,
 * never paired by a guessed order. Nothing is invented and nothing is dropped: every sent row is either
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

/** The number a text names, by its digits. Most texts are digits already (every number the node sends is). */
const ALL_DIGITS = /^\d+$/;

function digitsOf(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value);
	if (ALL_DIGITS.test(text)) return text;
	const digits = text.replace(/\D/g, '');
	return digits === '' ? undefined : digits;
}

export function matchResponse(sentNumbers: readonly string[], data: unknown): MatchResult {
	const matched: Array<ReturnedMessage | undefined> = new Array(sentNumbers.length).fill(undefined);
	const unexpected: unknown[] = [];

	// number → its position in the push; a number sent twice has no position an entry could be sure of.
	const keys: string[] = [];
	const positionOf = new Map<string, number>();
	const repeated = new Set<string>();
	for (let position = 0; position < sentNumbers.length; position++) {
		const key = digitsOf(sentNumbers[position]) ?? '';
		keys.push(key);
		if (positionOf.has(key)) repeated.add(key);
		else positionOf.set(key, position);
	}

	const entries = Array.isArray(data) ? data : [];
	const seenMsgIds = new Set<string>();
	for (let index = 0; index < entries.length; index++) {
		const entry: unknown = entries[index];
		const record =
			entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>) : undefined;
		const msgId = record ? asId(record.msg_id) : undefined;
		const number = record ? digitsOf(record.number) : undefined;
		// Most answers list the numbers in the order they were sent: the entry's own position is tried first.
		const position =
			number === undefined || repeated.has(number)
				? undefined
				: keys[index] === number
					? index
					: positionOf.get(number);
		if (
			!record ||
			msgId === undefined ||
			seenMsgIds.has(msgId) ||
			position === undefined ||
			matched[position] !== undefined
		) {
			unexpected.push(entry);
			continue;
		}
		seenMsgIds.add(msgId);
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

/** Entries that fit no row, for a warning: a few of them, never the whole answer. */
export function unexpectedWarning(
	pushId: string,
	unexpected: readonly unknown[],
): string | undefined {
	if (unexpected.length === 0) return undefined;
	const shown = (JSON.stringify(unexpected.slice(0, 3)) ?? '').slice(0, 500);
	const count = unexpected.length;
	return `Picky Assist returned ${count} entr${count === 1 ? 'y' : 'ies'} in push ${pushId} that match no row sent: ${shown}`;
}
