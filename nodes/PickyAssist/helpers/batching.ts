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
 * Splits rows into pushes of at most `size`, in order, never with the same number twice in one push: Picky Assist
 * answers each number with a msg_id and does not document in which order, so a repeated number could not be
 * matched to its row. The n-th row of a number goes into the n-th round of pushes: every round holds each number
 * once and is split into consecutive pushes; rounds go out one after another. Without repeats that is exactly
 * ⌈rows / size⌉ consecutive pushes. One pass to count, one to place: linear in rows.
 */
export function chunk<T extends { readonly number: string }>(
	rows: readonly T[],
	size: number,
): T[][] {
	const seen = new Map<string, number>();
	const rounds: T[][] = [];
	for (const row of rows) {
		const round = seen.get(row.number) ?? 0;
		seen.set(row.number, round + 1);
		(rounds[round] ??= []).push(row);
	}
	const batches: T[][] = [];
	for (const round of rounds) {
		for (let start = 0; start < round.length; start += size) {
			batches.push(round.slice(start, start + size));
		}
	}
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
