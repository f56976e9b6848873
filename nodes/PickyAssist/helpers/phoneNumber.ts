/**
 * Turns whatever a spreadsheet, CRM or webhook put in the "number" field into the form Picky Assist wants:
 * full country code, digits only, no "+" and no leading 0 (e.g. 5511987654321).
 *
 * The rule: normalise only where the intent is unambiguous, otherwise reject with a reason. A number is never
 * "repaired" into a different number — a wrong number costs a credit and reaches a stranger.
 */

import type { Checked } from './checked';
import { invalid, valid } from './checked';
import type { NumberCheck } from './numberingPlan';
import { convertDigits } from './digitScripts';
import { callingCodeOf, checkNumberingPlan } from './numberingPlan';

/** Picky Assist (and E.164) numbers: 7 to 15 digits including the country code, not starting with 0. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

/**
 * Characters that come along when numbers are copied out of spreadsheets, PDFs and chat apps and that nobody can
 * see: no-break and other Unicode spaces, zero-width characters, left-to-right/right-to-left marks and embeddings,
 * word joiners, the byte-order mark and the soft hyphen.
 */
const INVISIBLE_CHARACTERS =
	/[\u00A0\u00AD\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u206F\u3000\uFEFF]/g;

/** Visual separators people write inside a number: spaces, hyphens and dashes of every kind, dots, brackets. */
const SEPARATORS = /[\s\p{Pd}.()[\]/\u2212\uFF0E\uFF08\uFF09]/gu;

/**
 * The forms most sheets hold: digits, perhaps after a "+", perhaps in groups split by single spaces or hyphens
 * ("5511987654321", "+44 7700 900123", "+91-98765-43210"), the first digit not 0. Of the normalising steps only the
 * check for two numbers and the removal of the "+" and the separators apply to them.
 */
const DIGIT_GROUPS = /^\+?[1-9]\d*(?:[ -]\d+)*$/;
const PLUS_AND_SEPARATORS = /^\+|[ -]/g;

const TWO_NUMBERS = 'holds more than one number; put one number per item';

/** What separates two numbers typed into one cell. */
const LIST_SEPARATORS = /[,;|\n\r\u060C\u061B\uFF0C\uFF1B\u3001]|\bor\b|\band\b/i;

/** What introduces an extension ("ext 12", "x12", "#12"): its digits belong to no number that can be messaged. */
const EXTENSION = /ext|x|#/i;

/** A bracketed 0: the trunk prefix, written after the country code by those who dial both ways. */
const BRACKETED_ZERO = /\(\s*0\s*\)/;

/** The digits of an area code written before a slash, as in "030/1234567". */
const MAX_AREA_CODE_DIGITS = 5;

/** A spreadsheet's decimal: one dot between digits, at the end ("447700900001.0", "07700 900001.00"). */
const TRAILING_FRACTION = /^([^.]*\d)\.(\d+)$/;

/**
 * "030/1234567" (a German area code) is one number. Anything else with a slash is read as two numbers
 * ("447700900123 / 447700900124", or the shorthand "447700900123/4"), never merged into one.
 */
function isSlashSeparatedList(text: string): boolean {
	if (!text.includes('/')) return false;
	const parts = text.split('/');
	return parts.length !== 2 || parts[0].replace(/\D/g, '').length > MAX_AREA_CODE_DIGITS;
}

/**
 * "5551234 5555678": two groups that each hold a whole number's worth of digits are two numbers, however
 * plausible their digits are together. One number is written in groups shorter than that.
 */
function holdsTwoNumbers(text: string): boolean {
	// Two whole groups need twice a whole number's digits: most cells have fewer, and need no split.
	let digitCount = 0;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 48 && code <= 57) digitCount++;
	}
	if (digitCount < 2 * MIN_DIGITS) return false;
	let wholeGroups = 0;
	for (const group of text.split(SEPARATORS)) {
		if (group.replace(/\D/g, '').length >= MIN_DIGITS) wholeGroups++;
	}
	return wholeGroups > 1;
}

/**
 * "+44 (0) 7700 900123", "0044 (0)7700 900123": a bracketed 0 right after the country code is the trunk prefix
 * and is dropped. Anywhere else ("+44 7700 900001 (0)", "+4477 (0) 00900001") it would become a digit of the
 * number, so the number is refused.
 */
function dropTrunkZero(text: string, international: boolean): Checked<string> {
	const match = international ? /^\s*(\d{1,3})\s*\(\s*0\s*\)/.exec(text) : null;
	const afterCountryCode = match !== null && callingCodeOf(match[1]) === match[1];
	const rest = afterCountryCode ? match[1] + text.slice(match[0].length) : text;
	if (BRACKETED_ZERO.test(rest)) {
		return invalid(
			'has "(0)" somewhere other than right after the country code, where it would become a digit of the number; write the number without it',
		);
	}
	return valid(rest);
}

/**
 * A decimal part from a spreadsheet that stored the number as a float. Zeros only (".0", ".00") are dropped:
 * the intent is clear. Any other short fraction is a different number and is refused; so is a longer run of
 * zeros, which could as well be the last group of the number written with a dot.
 */
function dropDecimalZeros(text: string): Checked<string> {
	const match = TRAILING_FRACTION.exec(text);
	if (!match) return valid(text);
	const [, whole, fraction] = match;
	const zeros = /^0+$/.test(fraction);
	if (fraction.length <= 2 && zeros) return valid(whole);
	if (fraction.length <= 2) {
		return invalid(
			`ends in the decimal part ".${fraction}", so it is not a whole phone number; format the column as text`,
		);
	}
	if (zeros) {
		return invalid(
			`ends in ".${fraction}", which could be a decimal part or the last digits; write the number without the dot`,
		);
	}
	return valid(text);
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Validates and normalises a default country code option ("+44", "44", " 1 ") to its digits.
 * Returns undefined for an empty value and throws nothing: the caller reports the reason.
 */
export function normalizeCountryCode(value: unknown): Checked<string | undefined> {
	if (value === undefined || value === null || value === '') return valid(undefined);
	const text = String(value).trim().replace(/^\+/, '');
	if (text === '') return valid(undefined);
	if (!/^[1-9]\d{0,3}$/.test(text)) {
		return invalid(
			`must be a country calling code of 1–4 digits such as 44 or 1, got "${String(value)}"`,
		);
	}
	return valid(text);
}

/**
 * @param value the raw field value (string, number, anything a previous node produced)
 * @param defaultCountryCode digits of the country code used for national numbers written with a trunk 0
 */
export function normalizePhoneNumber(
	value: unknown,
	defaultCountryCode?: string,
	check: NumberCheck = 'possible',
): Checked<string> {
	if (value === undefined || value === null) return invalid('is empty');
	// The common forms take a short road to the answer the steps below would give (see DIGIT_GROUPS).
	const simple = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
	if (typeof simple === 'string' && DIGIT_GROUPS.test(simple)) {
		return holdsTwoNumbers(simple)
			? invalid(TWO_NUMBERS)
			: checkDigits(simple.replace(PLUS_AND_SEPARATORS, ''), check);
	}

	let text: string;
	if (typeof value === 'number') {
		// Spreadsheets and JSON give phone columns as numbers. Only a safe, positive integer still holds every digit;
		// a float (4.4770090012e+11 from a CSV export) or a huge integer has lost digits and would reach a stranger.
		if (!Number.isSafeInteger(value) || value <= 0) {
			return invalid(
				`is the number ${String(value)}, which has lost digits (a spreadsheet or CSV turned it into a decimal or exponent); format the column as text`,
			);
		}
		text = String(value);
	} else if (typeof value === 'bigint') {
		text = value > BigInt(0) ? value.toString() : '-';
	} else if (typeof value === 'string') {
		text = value;
	} else {
		return invalid(`is ${describeType(value)}, not a phone number`);
	}

	text = text.replace(INVISIBLE_CHARACTERS, ' ').trim();
	if (text === '') return invalid('is empty');
	// "tel:+44…" links from web forms and CRMs; "(+44) 7700…" with the country code in brackets.
	text = text.replace(/^tel:\s*/i, '').replace(/^\(\s*\+\s*(\d{1,4})\s*\)/, '+$1 ');

	const digits = convertDigits(text);
	if (!digits.ok) return digits;
	text = digits.value;

	if (/\d[eE][+-]?\d/.test(text)) {
		return invalid(
			'is written in exponent form (e.g. 4.47E+11), so digits were lost; format the column as text',
		);
	}
	if (
		LIST_SEPARATORS.test(text) ||
		text.lastIndexOf('+') > 0 ||
		isSlashSeparatedList(text) ||
		holdsTwoNumbers(text)
	) {
		return invalid(TWO_NUMBERS);
	}
	if (EXTENSION.test(text)) {
		return invalid(
			'holds an extension or a second number ("ext", "x" or "#"); put one number per item, without extension',
		);
	}
	const whole = dropDecimalZeros(text);
	if (!whole.ok) return whole;
	text = whole.value;

	let international = false;
	if (text.startsWith('+')) {
		international = true;
		text = text.slice(1);
	} else if (/^00\s*[1-9]/.test(text)) {
		international = true;
		text = text.slice(2);
	}
	const withoutTrunkZero = dropTrunkZero(text, international);
	if (!withoutTrunkZero.ok) return withoutTrunkZero;
	text = withoutTrunkZero.value;

	text = text.replace(SEPARATORS, '');
	if (!/^\d+$/.test(text)) {
		const offending = text.replace(/\d/g, '').slice(0, 10);
		return invalid(`contains "${offending}", which is not part of a phone number`);
	}

	if (!international && text.startsWith('00')) {
		international = true;
		text = text.slice(2);
	}
	if (!international && defaultCountryCode === '1' && text.startsWith('011')) {
		// North America has no trunk 0: "011" is its international prefix, never "1" + "11…".
		international = true;
		text = text.slice(3);
	}
	if (!international && text.startsWith('0')) {
		if (!defaultCountryCode) {
			return {
				ok: false,
				reason:
					'starts with 0 (national format) and no Default Country Code is set; write it with the country code or set the option',
			};
		}
		text = defaultCountryCode + text.slice(1);
	}

	return checkDigits(text, check);
}

/** The digits of a whole international number, country code first: their count, then the numbering plan. */
function checkDigits(text: string, check: NumberCheck): Checked<string> {
	if (text.startsWith('0')) return invalid('starts with 0 after the country code');
	if (text.length < MIN_DIGITS) {
		return invalid(
			`has ${text.length} digits; a full international number has at least ${MIN_DIGITS}`,
		);
	}
	if (text.length > MAX_DIGITS) {
		return invalid(
			`has ${text.length} digits; a phone number has at most ${MAX_DIGITS} — two numbers in one cell?`,
		);
	}
	return checkNumberingPlan(text, check);
}
