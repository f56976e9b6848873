import type { Checked } from './checked';
import { invalid, valid } from './checked';

/** Picky Assist takes many numbers per push; the docs use 500 as their example of one call. */
export const DEFAULT_BATCH_SIZE = 500;
/** No maximum per push is documented; beyond this one push body becomes tens of megabytes. */
export const MAX_BATCH_SIZE = 10000;

export function validateBatchSize(value: unknown): Checked<number> {
	const size = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
		return invalid(
			`must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${JSON.stringify(value)}`,
		);
	}
	return valid(size);
}

/**
 * Splits rows into pushes of at most `size`, never with the same number twice in one push: Picky Assist answers
 * each number with a msg_id and does not document in which order, so a repeated number could not be matched to
 * its row. The n-th row of a number belongs to the n-th round; the rounds follow one another and are cut into
 * full pushes, a push closing early only where a row's number is already in it (only where it spans two rounds).
 * So a number's rows go out in order, each in a later push than the one before, and repeats cost at most one
 * push more per round than Batch Size alone. Without repeats that is exactly ⌈rows / size⌉ consecutive pushes.
 * Within a push rows keep input order. Linear in rows, but for the sort of a push that spans rounds, which merges
 * the sorted runs of the rounds it spans.
 */
export function chunk<T extends { readonly number: string }>(
	rows: readonly T[],
	size: number,
): T[][] {
	// Each distinct number gets a small id, so that every later step is an array access, not a lookup by text.
	const idOf = new Map<string, number>();
	const idAt = new Int32Array(rows.length);
	const roundAt = new Int32Array(rows.length);
	const rowsOfId: number[] = [];
	let rounds = rows.length > 0 ? 1 : 0;
	for (let position = 0; position < rows.length; position++) {
		const number = rows[position].number;
		let id = idOf.get(number);
		if (id === undefined) {
			id = rowsOfId.length;
			idOf.set(number, id);
			rowsOfId.push(0);
		}
		idAt[position] = id;
		const round = rowsOfId[id]++;
		roundAt[position] = round;
		if (round >= rounds) rounds = round + 1;
	}
	const batches: T[][] = [];
	if (rounds <= 1) {
		for (let start = 0; start < rows.length; start += size) {
			batches.push(rows.slice(start, start + size));
		}
		return batches;
	}
	// The rows in round order, each round in input order (a counting sort by round).
	const roundStart = new Int32Array(rounds + 1);
	for (let position = 0; position < rows.length; position++) roundStart[roundAt[position] + 1]++;
	for (let round = 0; round < rounds; round++) roundStart[round + 1] += roundStart[round];
	const order = new Int32Array(rows.length);
	const next = roundStart.slice(0, rounds);
	for (let position = 0; position < rows.length; position++)
		order[next[roundAt[position]]++] = position;

	// The push each number went into last, to close a push before a number would be in it twice.
	const pushOf = new Int32Array(rowsOfId.length).fill(-1);
	let current: number[] = [];
	let spansRounds = false;
	const close = () => {
		// A push that spans two rounds holds the end of one and the start of the next: put it back in input order.
		if (spansRounds) current.sort((a, b) => a - b);
		batches.push(current.map((position) => rows[position]));
		current = [];
		spansRounds = false;
	};
	for (let index = 0; index < order.length; index++) {
		const position = order[index];
		// A row of a later round than the one before it, with that row's push still open: the push spans rounds.
		if (current.length > 0 && roundAt[position] !== roundAt[order[index - 1]]) {
			spansRounds = true;
		}
		const id = idAt[position];
		if (current.length === size || pushOf[id] === batches.length) close();
		current.push(position);
		pushOf[id] = batches.length;
	}
	close();
	return batches;
}

/**
 * Splits each push further so that its body stays under `maxBytes`: rows that carry files make a push large long
 * before Batch Size is reached, and a push body is held in memory whole. A row larger than the cap on its own goes
 * alone (the caller refuses rows that cannot fit any push). Order is kept; linear in rows.
 */
export function splitByBytes<T>(
	batches: readonly T[][],
	sizeOf: (row: T) => number,
	maxBytes: number,
): T[][] {
	const out: T[][] = [];
	for (const batch of batches) {
		let current: T[] = [];
		let bytes = 0;
		for (const row of batch) {
			const size = sizeOf(row);
			if (current.length > 0 && bytes + size > maxBytes) {
				out.push(current);
				current = [];
				bytes = 0;
			}
			current.push(row);
			bytes += size;
		}
		if (current.length > 0) out.push(current);
	}
	return out;
}

/** "items 0–499" or "item 7": how a range of input items is named in messages. */
export function describeItems(itemIndexes: readonly number[]): string {
	if (itemIndexes.length === 0) return 'no items';
	if (itemIndexes.length === 1) return `item ${itemIndexes[0]}`;
	let contiguous = true;
	for (let i = 1; i < itemIndexes.length; i++) {
		if (itemIndexes[i] !== itemIndexes[i - 1] + 1) {
			contiguous = false;
			break;
		}
	}
	if (contiguous) return `items ${itemIndexes[0]}–${itemIndexes[itemIndexes.length - 1]}`;
	const shown = itemIndexes.slice(0, 10).join(', ');
	return `items ${shown}${itemIndexes.length > 10 ? `, … (${itemIndexes.length} in all)` : ''}`;
}
