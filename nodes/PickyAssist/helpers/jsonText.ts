/**
 * Reads an API answer's text as JSON without losing digits. Picky Assist's ids are strings in its samples, but a
 * server may send them as JSON numbers, and JSON.parse rounds integers beyond 2^53: two messages would then show
 * the same, wrong msg_id. Integers too large for a double are turned into strings holding the exact digits sent.
 */

/** True when `token` (digits with an optional minus) is an integer JSON.parse would round. */
function isUnsafeInteger(token: string): boolean {
	const digits = token.startsWith('-') ? token.length - 1 : token.length;
	return digits > 15 && !Number.isSafeInteger(Number(token));
}

/** A character of a JSON number: 0-9 . e E + - (compared by code: this runs for every digit of an answer). */
function isNumberChar(code: number): boolean {
	return (
		(code >= 48 && code <= 57) ||
		code === 46 ||
		code === 101 ||
		code === 69 ||
		code === 43 ||
		code === 45
	);
}

/** Quotes every unsafe integer outside strings, in one pass over the text. */
function quoteUnsafeIntegers(text: string): string {
	let result = '';
	let copiedUpTo = 0;
	let index = 0;
	while (index < text.length) {
		const char = text[index];
		if (char === '"') {
			// Skip the string, honouring escapes.
			index++;
			while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
			index++;
			continue;
		}
		if (char === '-' || (char >= '0' && char <= '9')) {
			const start = index;
			index++;
			while (index < text.length && isNumberChar(text.charCodeAt(index))) index++;
			const token = text.slice(start, index);
			if (/^-?\d+$/.test(token) && isUnsafeInteger(token)) {
				result += `${text.slice(copiedUpTo, start)}"${token}"`;
				copiedUpTo = index;
			}
			continue;
		}
		index++;
	}
	return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

/**
 * Where an integer JSON.parse could round might stand: 16 or more digits at the start of a value (after the text's
 * start, a colon, a comma or a bracket). A text without one, most answers, is parsed as it is; one with one
 * (perhaps only inside a string) is scanned.
 */
const MAYBE_UNSAFE_INTEGER = /(?:^|[:,[])\s*-?\d{16}/;

/** The JSON value of `text`, or undefined when it is not JSON. */
export function parseJsonText(text: string): unknown {
	try {
		return JSON.parse(
			MAYBE_UNSAFE_INTEGER.test(text) ? quoteUnsafeIntegers(text) : text,
		) as unknown;
	} catch {
		return undefined;
	}
}
