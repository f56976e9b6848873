/**
 * Checks what goes into a WhatsApp template: the values of {{1}}, {{2}}, … for one row, the header text, and a
 * per-row media URL. WhatsApp refuses a template message whose values are empty, too long, or hold line breaks,
 * tabs or long runs of spaces; checking before the push turns a refused message into a clear error for its row.
 */
import type { Checked } from './checked';
import { invalid, valid } from './checked';
import { textOf } from './values';

export const MAX_TEMPLATE_VALUE = 1024;
export const MAX_TEMPLATE_HEADER = 60;

const REFUSED_INSIDE_A_VALUE = /[\r\n\t]| {5}/;

function valueText(value: unknown): string | undefined {
	return typeof value === 'bigint' ? value.toString() : textOf(value);
}

/** One row's values, in order; `expectedCount` is the first row's count. */
export function checkTemplateValues(
	values: readonly unknown[],
	expectedCount?: number,
): Checked<string[]> {
	if (values.length === 0)
		return invalid('has no values; add one for each {{1}}, {{2}}, … of the template');
	if (expectedCount !== undefined && values.length !== expectedCount) {
		return invalid(`has ${values.length} values where the first row has ${expectedCount}`);
	}
	const texts: string[] = [];
	for (let index = 0; index < values.length; index++) {
		const place = `{{${index + 1}}}`;
		const text = valueText(values[index]);
		if (text === undefined)
			return invalid(
				`${place} is ${values[index] === null ? 'null' : typeof values[index]}, not text`,
			);
		if (text.trim() === '')
			return invalid(`${place} is empty; WhatsApp refuses a template with an empty value`);
		if (text.length > MAX_TEMPLATE_VALUE) {
			return invalid(
				`${place} has ${text.length} characters; WhatsApp allows ${MAX_TEMPLATE_VALUE}`,
			);
		}
		// One scan for what WhatsApp refuses inside a value; which one it was is told apart only for a bad value.
		if (REFUSED_INSIDE_A_VALUE.test(text)) {
			return invalid(
				/[\r\n\t]/.test(text)
					? `${place} holds a line break or tab, which WhatsApp refuses in a value`
					: `${place} holds more than four spaces in a row, which WhatsApp refuses`,
			);
		}
		texts.push(text);
	}
	return valid(texts);
}

export function checkTemplateHeader(value: unknown): Checked<string | undefined> {
	const text = valueText(value) ?? '';
	if (text === '') return valid(undefined);
	if (text.length > MAX_TEMPLATE_HEADER) {
		return invalid(
			`has ${text.length} characters; a document header allows ${MAX_TEMPLATE_HEADER}`,
		);
	}
	return valid(text);
}

/** A public http(s) URL, or nothing. */
export function checkMediaUrl(value: unknown): Checked<string | undefined> {
	if (value === undefined || value === null) return valid(undefined);
	if (typeof value !== 'string') return invalid(`is ${typeof value}, not a URL`);
	const text = value.trim();
	if (text === '') return valid(undefined);
	if (!/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(text)) {
		return invalid('must be a public http:// or https:// URL');
	}
	return valid(text);
}

/** "44, 353" → ['44', '353']; undefined when empty. */
export function parsePrefixes(value: unknown): Checked<string[] | undefined> {
	const text = String(value ?? '').trim();
	if (text === '') return valid(undefined);
	const prefixes = text.split(',').map((part) => part.trim().replace(/^\+/, ''));
	const bad = prefixes.find((prefix) => !/^[1-9]\d{0,14}$/.test(prefix));
	if (bad !== undefined)
		return invalid(`must be number prefixes separated by commas, such as 44,353; got "${bad}"`);
	return valid(prefixes);
}
