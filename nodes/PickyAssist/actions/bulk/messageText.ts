/**
 * Checks the per-row message text. Text is sent byte-exact — emoji, right-to-left and CJK scripts, line breaks and
 * surrounding spaces are the user's and are never trimmed or re-encoded.
 */
import type { Checked } from '../../helpers/checked';
import { invalid, valid } from '../../helpers/checked';

export function normalizeMessage(value: unknown, hasGlobalMedia: boolean): Checked<string> {
	let text: string;
	if (value === undefined || value === null) {
		text = '';
	} else if (typeof value === 'string') {
		text = value;
	} else if (typeof value === 'number' && Number.isFinite(value)) {
		// A code or an amount mapped straight from a column: its text form is unambiguous.
		text = String(value);
	} else if (typeof value === 'bigint') {
		text = value.toString();
	} else if (typeof value === 'number') {
		return invalid(
			`is the number ${String(value)}, which is not a value a customer should read; check the expression or the column it reads`,
		);
	} else if (typeof value === 'boolean') {
		// A lone true/false is a column mapped by mistake (a flag, not the text); sending the word helps nobody.
		return invalid(
			`is ${String(value)} (a yes/no value), not text; map the text field, or write the words you want sent`,
		);
	} else {
		// Sending "[object Object]" or a JSON dump to a customer is never what was meant.
		const kind = Array.isArray(value) ? 'a list' : 'an object';
		return invalid(
			`is ${kind}, not text; map a text field (for example {{ $json.message }}) or build the text with an expression`,
		);
	}
	if (text.trim() === '' && !hasGlobalMedia) {
		return invalid('is empty (a message needs text, or a Global Media URL to send)');
	}
	return valid(text);
}
