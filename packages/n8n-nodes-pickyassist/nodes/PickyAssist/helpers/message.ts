/**
 * Checks the per-row message text. Text is sent byte-exact — emoji, right-to-left and CJK scripts, line breaks and
 * surrounding spaces are the user's and are never trimmed or re-encoded.
 */

export type MessageResult = { ok: true; message: string } | { ok: false; reason: string };

export function normalizeMessage(value: unknown, hasGlobalMedia: boolean): MessageResult {
	let text: string;
	if (value === undefined || value === null) {
		text = '';
	} else if (typeof value === 'string') {
		text = value;
	} else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
		// A code, an amount or a flag mapped straight from a column: its text form is unambiguous.
		text = String(value);
	} else {
		// Sending "[object Object]" or a JSON dump to a customer is never what was meant.
		const kind = Array.isArray(value) ? 'a list' : 'an object';
		return {
			ok: false,
			reason: `is ${kind}, not text; map a text field (for example {{ $json.message }}) or build the text with an expression`,
		};
	}
	if (text.trim() === '' && !hasGlobalMedia) {
		return { ok: false, reason: 'is empty (a message needs text, or a Global Media URL to send)' };
	}
	return { ok: true, message: text };
}
