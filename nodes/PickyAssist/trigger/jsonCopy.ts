/**
 * A webhook body as plain JSON data. n8n hands the node what its JSON parser made of the request, where a key
 * named `__proto__` is an ordinary own property; copied by assignment it would set the copy's prototype, and the
 * next node would read the sender's fields through it. The copy keeps own properties only, leaves out the keys
 * that name prototypes, and stops at a depth no Picky Assist payload comes near, so that no later step (a copy,
 * a digest, n8n's own handling of the items) can run out of stack on a body nested thousands of levels deep.
 */

export const MAX_DEPTH = 64;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonCopy =
	| { kind: 'copy'; value: unknown; removedKeys: number }
	| { kind: 'tooDeep'; maxDepth: number };

/** Stands for "deeper than allowed" on the way back up the copy. */
const TOO_DEEP = Symbol('too deep');

export function plainJsonCopy(value: unknown, maxDepth = MAX_DEPTH): JsonCopy {
	let removedKeys = 0;
	const copy = (current: unknown, depth: number): unknown => {
		if (current === null || typeof current !== 'object') return current;
		if (depth >= maxDepth) return TOO_DEEP;
		if (Array.isArray(current)) {
			const list: unknown[] = [];
			for (const element of current) {
				const copied = copy(element, depth + 1);
				if (copied === TOO_DEEP) return TOO_DEEP;
				list.push(copied);
			}
			return list;
		}
		const result: Record<string, unknown> = {};
		for (const key of Object.keys(current)) {
			if (PROTOTYPE_KEYS.has(key)) {
				removedKeys++;
				continue;
			}
			const copied = copy((current as Record<string, unknown>)[key], depth + 1);
			if (copied === TOO_DEEP) return TOO_DEEP;
			result[key] = copied;
		}
		return result;
	};
	const copied = copy(value, 0);
	return copied === TOO_DEEP
		? { kind: 'tooDeep', maxDepth }
		: { kind: 'copy', value: copied, removedKeys };
}

/** JSON with every object's keys in order, so that the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	const record = value as Record<string, unknown>;
	const fields = Object.keys(record)
		.sort()
		.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
	return `{${fields.join(',')}}`;
}
