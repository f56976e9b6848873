/**
 * The one result type of every check: the value that passed it, or the reason it did not. Reasons are written
 * for the person who filled the sheet and are shown as they are, after the field's name.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export function valid<T>(value: T): Checked<T> {
	return { ok: true, value };
}

export function invalid<T = never>(reason: string): Checked<T> {
	return { ok: false, reason };
}
