/**
 * Digits typed in other scripts — Arabic-Indic, Devanagari, fullwidth from CJK input methods, … — as ASCII
 * digits, so that a number copied from a local-language sheet or chat reads the same as one typed with 0–9.
 */
import type { Checked } from './checked';
import { invalid, valid } from './checked';

/**
 * The zero of each decimal-digit block that is converted to ASCII. Each block holds 0–9 in order, so a digit's
 * value is its distance from the block's zero. Digits of any other script are rejected, never passed through.
 */
const DIGIT_ZEROS = [
	0x0660, // Arabic-Indic
	0x06f0, // Extended Arabic-Indic (Persian, Urdu)
	0x07c0, // NKo
	0x0966, // Devanagari
	0x09e6, // Bengali
	0x0a66, // Gurmukhi
	0x0ae6, // Gujarati
	0x0b66, // Oriya
	0x0be6, // Tamil
	0x0c66, // Telugu
	0x0ce6, // Kannada
	0x0d66, // Malayalam
	0x0de6, // Sinhala
	0x0e50, // Thai
	0x0ed0, // Lao
	0x0f20, // Tibetan
	0x1040, // Myanmar
	0x17e0, // Khmer
	0x1810, // Mongolian
	0xff10, // Fullwidth (CJK input methods)
];

const NON_ASCII = /[\u0080-\uFFFF]/;
const UNICODE_DIGIT = /\p{Nd}/gu;

/** The text with the digits of other scripts (and the fullwidth plus) written in ASCII, or why it cannot be. */
export function convertDigits(text: string): Checked<string> {
	if (!NON_ASCII.test(text)) return valid(text);
	let unsupported = '';
	const converted = text
		.replace(/\uFF0B/g, '+') // fullwidth plus
		.replace(UNICODE_DIGIT, (digit) => {
			const codePoint = digit.codePointAt(0) as number;
			if (codePoint < 0x80) return digit;
			for (const zero of DIGIT_ZEROS) {
				if (codePoint >= zero && codePoint <= zero + 9) return String(codePoint - zero);
			}
			unsupported = digit;
			return digit;
		});
	if (unsupported) {
		return invalid(
			`contains the digit "${unsupported}" from a script this node does not convert; write it with 0–9`,
		);
	}
	return valid(converted);
}
