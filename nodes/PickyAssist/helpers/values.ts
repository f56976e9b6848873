/** How values in Picky Assist's JSON are read: ids, statuses and amounts come as strings or as numbers. */

/** A string as it came, or a finite number as its text; anything else is not text. */
export function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The named fields of `source` that are text, as text; fields absent or not text are left out. */
export function textFields(
	source: Record<string, unknown>,
	fields: readonly string[],
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const field of fields) {
		const value = textOf(source[field]);
		if (value !== undefined) out[field] = value;
	}
	return out;
}

/** A JSON object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
