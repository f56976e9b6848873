import * as fc from 'fast-check';

import {
	normalizeCountryCode,
	normalizePhoneNumber,
} from '../../nodes/PickyAssist/helpers/phoneNumber';

type Valid = [
	label: string,
	input: unknown,
	defaultCountryCode: string | undefined,
	expected: string,
];
type Invalid = [
	label: string,
	input: unknown,
	defaultCountryCode: string | undefined,
	reasonSubstring: string | RegExp,
];

function expectValid(input: unknown, cc: string | undefined, expected: string): void {
	expect(normalizePhoneNumber(input, cc)).toEqual({ ok: true, value: expected });
}

function expectInvalid(input: unknown, cc: string | undefined, reason: string | RegExp): void {
	const result = normalizePhoneNumber(input, cc);
	expect(result.ok).toBe(false);
	if (result.ok) return;
	expect(typeof result.reason).toBe('string');
	if (typeof reason === 'string') expect(result.reason).toContain(reason);
	else expect(result.reason).toMatch(reason);
}

describe('normalizePhoneNumber: real-world formats from many countries', () => {
	const table: Valid[] = [
		// United Kingdom
		['UK mobile, +44 with spaces', '+44 7700 900123', undefined, '447700900123'],
		['UK mobile, bracketed trunk 0 after +44', '+44 (0) 7700 900123', undefined, '447700900123'],
		['UK mobile, bracketed trunk 0 without spaces', '+44(0)7700900123', undefined, '447700900123'],
		['UK London landline, +44 (0)20', '+44 (0)20 7946 0958', undefined, '442079460958'],
		['UK mobile, national with trunk 0', '07700 900123', '44', '447700900123'],
		['UK mobile, national with dashes', '07700-900-123', '44', '447700900123'],
		['UK landline, national with bracketed area code', '(020) 7946 0958', '44', '442079460958'],
		['UK mobile, 0044 international prefix', '0044 7700 900123', undefined, '447700900123'],
		['UK mobile, dots', '+44.7700.900.123', undefined, '447700900123'],
		['UK mobile, already clean', '447700900123', undefined, '447700900123'],
		[
			'UK mobile, already clean with a default country code set',
			'447700900123',
			'49',
			'447700900123',
		],
		['UK mobile, as a JS number', 447700900123, undefined, '447700900123'],
		// United States / Canada
		['US, +1 (212) 555-1234', '+1 (212) 555-1234', undefined, '12125551234'],
		['US, +1-212-555-1234', '+1-212-555-1234', undefined, '12125551234'],
		['US, 1 212 555 1234', '1 212 555 1234', undefined, '12125551234'],
		['US, 001 international prefix', '001 212 555 1234', undefined, '12125551234'],
		['Canada (Toronto), 001-416-555-0199', '001-416-555-0199', undefined, '14165550199'],
		['Canada (Vancouver), dotted', '+1.604.555.0123', undefined, '16045550123'],
		['US, as a JS number', 12125551234, undefined, '12125551234'],
		// India
		['India mobile, +91 98765 43210', '+91 98765 43210', undefined, '919876543210'],
		['India mobile, dashes', '+91-98765-43210', undefined, '919876543210'],
		['India mobile, national with trunk 0', '098765 43210', '91', '919876543210'],
		['India mobile, 0091 prefix', '0091 98765 43210', undefined, '919876543210'],
		['India mobile, Devanagari digits', '+९१ ९८७६५ ४३२१०', undefined, '919876543210'],
		// Brazil
		['Brazil mobile, +55 11 98765-4321', '+55 11 98765-4321', undefined, '5511987654321'],
		['Brazil mobile, bracketed area code', '+55 (11) 98765-4321', undefined, '5511987654321'],
		['Brazil mobile, national (011) with trunk 0', '(011) 98765-4321', '55', '5511987654321'],
		['Brazil, clean', '5511987654321', undefined, '5511987654321'],
		// Germany
		['Germany Berlin, +49 30 1234567', '+49 30 1234567', undefined, '49301234567'],
		['Germany Berlin, +49 (0)30', '+49 (0)30 1234567', undefined, '49301234567'],
		['Germany Berlin, 030/1234567 (slash inside one number)', '030/1234567', '49', '49301234567'],
		['Germany Berlin, 030 / 123 456 7', '030 / 123 456 7', '49', '49301234567'],
		['Germany Berlin, 0049 prefix', '0049 30 1234567', undefined, '49301234567'],
		['Germany mobile, +49 151 23456789', '+49 151 23456789', undefined, '4915123456789'],
		['Germany mobile, 0151/23456789', '0151/23456789', '49', '4915123456789'],
		[
			'Germany mobile, +49 (0) 151-234 567 89',
			'+49 (0) 151-234 567 89',
			undefined,
			'4915123456789',
		],
		// France
		['France mobile, +33 6 12 34 56 78', '+33 6 12 34 56 78', undefined, '33612345678'],
		['France mobile, national', '06 12 34 56 78', '33', '33612345678'],
		['France mobile, national dotted', '06.12.34.56.78', '33', '33612345678'],
		['France mobile, +33 (0)6', '+33 (0)6 12 34 56 78', undefined, '33612345678'],
		['France mobile, 0033 prefix', '0033 6 12 34 56 78', undefined, '33612345678'],
		// United Arab Emirates
		['UAE mobile, +971 50 123 4567', '+971 50 123 4567', undefined, '971501234567'],
		['UAE mobile, national', '050 123 4567', '971', '971501234567'],
		['UAE mobile, 00971 prefix', '00971501234567', undefined, '971501234567'],
		['UAE mobile, Arabic-Indic digits', '+٩٧١ ٥٠ ١٢٣ ٤٥٦٧', undefined, '971501234567'],
		['UAE mobile, Arabic-Indic national', '٠٥٠١٢٣٤٥٦٧', '971', '971501234567'],
		[
			'UAE mobile, wrapped in RLM/LRM marks',
			'\u200F+971 50 123 4567\u200E',
			undefined,
			'971501234567',
		],
		// Mexico
		['Mexico City, +52 55 1234 5678', '+52 55 1234 5678', undefined, '525512345678'],
		// Nigeria
		['Nigeria mobile, +234 803 123 4567', '+234 803 123 4567', undefined, '2348031234567'],
		['Nigeria mobile, national', '0803 123 4567', '234', '2348031234567'],
		['Nigeria mobile, national unspaced', '08031234567', '234', '2348031234567'],
		// Indonesia
		['Indonesia mobile, +62 812-3456-7890', '+62 812-3456-7890', undefined, '6281234567890'],
		['Indonesia mobile, national', '0812-3456-7890', '62', '6281234567890'],
		['Indonesia mobile, 11-digit national', '0812 3456 789', '62', '628123456789'],
		// Japan
		['Japan mobile, +81 90-1234-5678', '+81 90-1234-5678', undefined, '819012345678'],
		['Japan mobile, national', '090-1234-5678', '81', '819012345678'],
		[
			'Japan mobile, fullwidth digits and fullwidth hyphen',
			'０９０－１２３４－５６７８',
			'81',
			'819012345678',
		],
		[
			'Japan mobile, fullwidth plus and ideographic spaces',
			'＋８１\u3000９０\u3000１２３４\u3000５６７８',
			undefined,
			'819012345678',
		],
		['Japan Tokyo landline, national', '03-1234-5678', '81', '81312345678'],
		// Australia
		['Australia mobile, +61 4 1234 5678', '+61 4 1234 5678', undefined, '61412345678'],
		['Australia mobile, national', '0412 345 678', '61', '61412345678'],
		['Australia Sydney landline, (02)', '(02) 9876 5432', '61', '61298765432'],
		['Australia mobile, +61 (0)4', '+61 (0)4 1234 5678', undefined, '61412345678'],
		// Elsewhere
		['Spain mobile', '+34 612 34 56 78', undefined, '34612345678'],
		['Italy Rome landline keeps its 0 after +39', '+39 06 1234 5678', undefined, '390612345678'],
		['Italy mobile', '+39 312 345 6789', undefined, '393123456789'],
		['China mobile', '+86 138 0013 8000', undefined, '8613800138000'],
		['Saudi Arabia mobile', '+966 50 123 4567', undefined, '966501234567'],
		['Egypt mobile, national', '010 1234 5678', '20', '201012345678'],
		['Kenya mobile', '+254 712 345678', undefined, '254712345678'],
		['South Africa mobile, national', '082 123 4567', '27', '27821234567'],
		['Pakistan mobile, national', '0300-1234567', '92', '923001234567'],
		['Iran mobile, Persian digits, national', '۰۹۱۲ ۳۴۵ ۶۷۸۹', '98', '989123456789'],
		['Thailand mobile, Thai digits, national', '๐๘๑ ๒๓๔ ๕๖๗๘', '66', '66812345678'],
		['Bangladesh mobile, Bengali digits, national', '০১৭১১-১২৩৪৫৬', '880', '8801711123456'],
		['Singapore mobile', '+65 8123 4567', undefined, '6581234567'],
		['Philippines mobile, national', '0917 123 4567', '63', '639171234567'],
		['Russia mobile', '+7 (912) 345-67-89', undefined, '79123456789'],
		['Turkey mobile, national', '0532 123 45 67', '90', '905321234567'],
		['Vietnam mobile', '+84 91 234 56 78', undefined, '84912345678'],
		['Argentina mobile', '+54 9 11 1234-5678', undefined, '5491112345678'],
		['Niue, shortest allowed (7 digits)', '+683 7290', undefined, '6837290'],
		['15 digits, the longest allowed', '+882 1234 5678 9012', undefined, '882123456789012'],
	];

	it.each(table)('%s: %j (cc %s) → %s', (_label, input, cc, expected) => {
		expectValid(input, cc, expected);
	});
});

describe('normalizePhoneNumber: separators', () => {
	it.each([
		['hyphen-minus', '-'],
		['hyphen U+2010', '\u2010'],
		['non-breaking hyphen U+2011', '\u2011'],
		['figure dash U+2012', '\u2012'],
		['en dash U+2013', '\u2013'],
		['em dash U+2014', '\u2014'],
		['horizontal bar U+2015', '\u2015'],
		['minus sign U+2212', '\u2212'],
		['small hyphen-minus U+FE63', '\uFE63'],
		['fullwidth hyphen-minus U+FF0D', '\uFF0D'],
		['dot', '.'],
		['space', ' '],
		['tab', '\t'],
	])('drops %s between digit groups', (_name, sep) => {
		expectValid(['+44', '7700', '900', '123'].join(sep), undefined, '447700900123');
	});

	it('drops every Unicode dash punctuation character (\\p{Pd}) between digit groups', () => {
		const dashes: string[] = [];
		for (let cp = 0; cp <= 0xffff; cp++) {
			const ch = String.fromCharCode(cp);
			if (/\p{Pd}/u.test(ch)) dashes.push(ch);
		}
		expect(dashes.length).toBeGreaterThan(15);
		const notDropped = dashes.filter((dash) => {
			const result = normalizePhoneNumber(`+44 7700${dash}900${dash}123`);
			return !(result.ok && result.value === '447700900123');
		});
		expect(
			notDropped.map((d) => `U+${d.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`),
		).toEqual([]);
	});

	it('drops parentheses, including fullwidth ones', () => {
		expectValid('+1 (212) 555 1234', undefined, '12125551234');
		expectValid('+1 （212） 555 1234', undefined, '12125551234');
	});

	it('drops the parentheses around a +country code: "(+44) 7700 900123"', () => {
		expectValid('(+44) 7700 900123', undefined, '447700900123');
		expectValid('(+91) 98765 43210', undefined, '919876543210');
	});

	it('drops a bracketed trunk 0 after a 00 country code too (never keeps it as a digit)', () => {
		expectValid('0044 (0) 7700 900123', undefined, '447700900123');
		expectValid('0049 (0)30 1234567', undefined, '49301234567');
	});

	it('keeps surrounding whitespace out', () => {
		expectValid('   +44 7700 900123   ', undefined, '447700900123');
		expectValid('\t447700900123\t', undefined, '447700900123');
	});

	it('treats a space after the leading + as harmless', () => {
		expectValid('+ 44 7700 900123', undefined, '447700900123');
	});
});

describe('normalizePhoneNumber: invisible characters copied from spreadsheets', () => {
	const invisibles: Array<[string, string]> = [
		['NBSP U+00A0', '\u00A0'],
		['zero-width space U+200B', '\u200B'],
		['LRM U+200E', '\u200E'],
		['RLM U+200F', '\u200F'],
		['BOM U+FEFF', '\uFEFF'],
		['word joiner U+2060', '\u2060'],
		['narrow NBSP U+202F', '\u202F'],
	];

	it.each(invisibles)('strips %s before, inside and after the number', (_name, ch) => {
		expectValid(`${ch}+44${ch}7700${ch}900123${ch}`, undefined, '447700900123');
		expectValid(`${ch}4477${ch}00900123`, undefined, '447700900123');
		expectValid(`${ch}07700${ch}900123${ch}`, '44', '447700900123');
	});

	it('strips a mix of all of them at once', () => {
		expectValid(
			'\uFEFF\u200E+44\u00A07700\u202F900\u200B123\u2060\u200F',
			undefined,
			'447700900123',
		);
	});

	it('a cell holding only invisible characters is empty, not a number', () => {
		expectInvalid('\u200B\u00A0\uFEFF', undefined, 'empty');
	});
});

describe('normalizePhoneNumber: non-ASCII digits', () => {
	it.each([
		['Arabic-Indic', '٤٤٧٧٠٠٩٠٠١٢٣'],
		['Persian', '۴۴۷۷۰۰۹۰۰۱۲۳'],
		['Devanagari', '४४७७००९००१२३'],
		['fullwidth', '４４７７００９００１２３'],
		['Thai', '๔๔๗๗๐๐๙๐๐๑๒๓'],
		['Bengali', '৪৪৭৭০০৯০০১২৩'],
	])('converts %s digits to ASCII', (_script, input) => {
		expectValid(input, undefined, '447700900123');
	});

	it('converts a number mixing ASCII and Arabic-Indic digits', () => {
		expectValid('+44 ٧٧٠٠ 900123', undefined, '447700900123');
	});

	it.each([
		[
			'mathematical bold digits',
			'\u{1D7D2}\u{1D7D2}\u{1D7D5}\u{1D7D5}\u{1D7CE}\u{1D7CE}\u{1D7D7}\u{1D7CE}\u{1D7CE}\u{1D7CF}\u{1D7D0}\u{1D7D1}',
		],
		['Balinese digits', '\u1B54\u1B54\u1B57\u1B57\u1B50\u1B50\u1B59\u1B50\u1B50\u1B51\u1B52\u1B53'],
		[
			'Adlam digits',
			'\u{1E954}\u{1E954}\u{1E957}\u{1E957}\u{1E950}\u{1E950}\u{1E959}\u{1E950}\u{1E950}\u{1E951}\u{1E952}\u{1E953}',
		],
		['superscript digits', '⁴⁴⁷⁷⁰⁰⁹⁰⁰¹²³'],
		['circled digits', '④④⑦⑦⓪⓪⑨⓪⓪①②③'],
	])('rejects %s instead of passing them through', (_name, input) => {
		const result = normalizePhoneNumber(input);
		expect(result.ok).toBe(false);
		expect(normalizePhoneNumber(`+44 7700 ${input}`).ok).toBe(false);
	});
});

describe('normalizePhoneNumber: JS numbers from spreadsheets and JSON', () => {
	it.each([
		[447700900123, '447700900123'],
		[5511987654321, '5511987654321'],
		[919876543210, '919876543210'],
		[6837290, '6837290'],
	])('accepts the safe positive integer %p as its digits', (input, expected) => {
		expectValid(input, undefined, expected);
	});

	it.each([
		['a decimal', 447700900123.5],
		['an integer above 2^53', 2 ** 53 + 2],
		['1e20', 1e20],
		['a negative number', -447700900123],
		['zero', 0],
		['NaN', NaN],
		['Infinity', Infinity],
		['-Infinity', -Infinity],
	])('rejects %s with "lost digits"', (_label, input) => {
		expectInvalid(input, undefined, 'lost digits');
	});
});

describe('normalizePhoneNumber: invalid inputs', () => {
	const table: Invalid[] = [
		['empty string', '', undefined, 'empty'],
		['spaces only', '   ', undefined, 'empty'],
		['null', null, undefined, 'empty'],
		['undefined', undefined, undefined, 'empty'],
		['an object', { number: '447700900123' }, undefined, 'object'],
		['an empty object', {}, undefined, 'object'],
		['an array holding a number', ['447700900123'], undefined, 'list'],
		['an empty array', [], undefined, 'list'],
		['a boolean', true, undefined, 'boolean'],
		['words', 'call me', undefined, 'not part of a phone number'],
		['letter O instead of zero', '+44 77OO 900123', undefined, 'OO'],
		['an extension', '+44 7700 900123 ext. 12', undefined, 'ext'],
		[
			'national 0 without a default country code',
			'07700 900123',
			undefined,
			'Default Country Code',
		],
		[
			'German area code with slash but no default country code',
			'030/1234567',
			undefined,
			'Default Country Code',
		],
		['too short', '12345', undefined, '5 digits'],
		['too short after +', '+44 123', undefined, '5 digits'],
		['16 digits', '+1234567890123456', undefined, 'at most 15'],
		['0 after the + and country code position', '+0447700900123', undefined, 'starts with 0'],
		['three zeros', '000447700900123', undefined, 'starts with 0'],
		// several numbers in one cell
		['comma-separated', '+44 7700 900123, +44 7700 900124', undefined, 'more than one number'],
		['comma-separated, no spaces', '447700900123,447700900124', undefined, 'more than one number'],
		['semicolon-separated', '447700900123; 447700900124', undefined, 'more than one number'],
		[
			'slash-separated, both long',
			'447700900123 / 447700900124',
			undefined,
			'more than one number',
		],
		[
			'slash-separated national numbers',
			'07700 900123 / 07700 900124',
			'44',
			'more than one number',
		],
		['"or"', '447700900123 or 447700900124', undefined, 'more than one number'],
		['"OR"', '447700900123 OR 447700900124', undefined, 'more than one number'],
		['newline', '447700900123\n447700900124', undefined, 'more than one number'],
		['CRLF', '447700900123\r\n447700900124', undefined, 'more than one number'],
		['a second +', '+447700900123 +447700900124', undefined, 'more than one number'],
		['a second + without a space', '+447700900123+447700900124', undefined, 'more than one number'],
		// exponent form
		['exponent string, lowercase e+', '4.4770090012e+11', undefined, 'exponent'],
		['exponent string, uppercase E+', '4.4770090012E+11', undefined, 'exponent'],
		['exponent string without sign', '4.4770090012E11', undefined, 'exponent'],
	];

	it.each(table)('%s: %j → invalid (%s)', (_label, input, cc, reason) => {
		expectInvalid(input, cc, reason);
	});

	it('never returns a number for a string in exponent form, whatever the reason', () => {
		for (const input of [
			'4.4770090012e+11',
			'4.4770090012E+11',
			'4.4770090012E11',
			'5.5119876543E12',
			'9.19876543E+11',
		]) {
			expect(normalizePhoneNumber(input).ok).toBe(false);
		}
	});

	it('strips a tel: link prefix (web forms, CRMs), which is unambiguous', () => {
		expect(normalizePhoneNumber('tel:+447700900123')).toEqual({ ok: true, value: '447700900123' });
		expect(normalizePhoneNumber('TEL: 447700900123')).toEqual({ ok: true, value: '447700900123' });
		expect(normalizePhoneNumber('tel:').ok).toBe(false);
	});

	it('rejects functions and symbols without throwing', () => {
		expect(normalizePhoneNumber(() => '447700900123').ok).toBe(false);
		expect(normalizePhoneNumber(Symbol('447700900123')).ok).toBe(false);
	});
});

describe('normalizePhoneNumber: default country code', () => {
	it('replaces exactly one leading 0', () => {
		expectValid('07700900123', '44', '447700900123');
	});

	it('does not apply the default country code to 00-international numbers', () => {
		expectValid('0049 30 1234567', '44', '49301234567');
	});

	it('does not apply the default country code to +international numbers', () => {
		expectValid('+49 30 1234567', '44', '49301234567');
	});

	it('rejects a national number that becomes longer than 15 digits', () => {
		expectInvalid('0123456789012345', '44', 'at most 15');
	});

	it('output is idempotent', () => {
		const first = normalizePhoneNumber('+44 (0) 7700 900123');
		expect(first).toEqual({ ok: true, value: '447700900123' });
		if (first.ok) expect(normalizePhoneNumber(first.value, '49')).toEqual(first);
	});
});

describe('normalizeCountryCode', () => {
	it.each([
		['+44', '44'],
		['44', '44'],
		[' 1 ', '1'],
		['+1', '1'],
		['971', '971'],
		['1868', '1868'],
		[49, '49'],
	])('%j → %s', (input, expected) => {
		expect(normalizeCountryCode(input)).toEqual({ ok: true, value: expected });
	});

	it.each([[''], [undefined], [null], ['   ']])('%j → no code', (input) => {
		expect(normalizeCountryCode(input)).toEqual({ ok: true, value: undefined });
	});

	it.each([['abc'], ['0'], ['12345'], ['044'], ['+4a'], ['4 4']])(
		'%j → invalid with a reason naming the value',
		(input) => {
			const result = normalizeCountryCode(input);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.reason).toContain(String(input));
		},
	);
});

describe('normalizePhoneNumber: prefixes that must not become a different number', () => {
	it("reads 011 as North America's international prefix when the default country code is 1", () => {
		expect(normalizePhoneNumber('011 44 7700 900123', '1')).toEqual({
			ok: true,
			value: '447700900123',
		});
		// Elsewhere a leading 0 is the trunk prefix.
		expect(normalizePhoneNumber('0117 496 0123', '44')).toEqual({
			ok: true,
			value: '441174960123',
		});
	});

	it('treats Arabic, fullwidth and ideographic commas between numbers as a list', () => {
		for (const comma of ['\u060C', '\uFF0C', '\u3001', '\u061B']) {
			const result = normalizePhoneNumber(`+971501234567${comma} +971501234568`);
			expect(result).toEqual({
				ok: false,
				reason: 'holds more than one number; put one number per item',
			});
		}
	});
});

describe('normalizePhoneNumber: decimals from spreadsheets and two numbers in one cell', () => {
	it.each([
		['447700900001.0', undefined, '447700900001'],
		['447700900001.00', undefined, '447700900001'],
		['07700 900001.0', '44', '447700900001'],
		['+44 7700 900001.00', undefined, '447700900001'],
		['1 555123.4567', undefined, '15551234567'],
		['06.12.34.56.78', '33', '33612345678'],
	])(
		'%j (country %s) → %s: a fraction of zeros is dropped, dots elsewhere are separators',
		(input, cc, expected) => {
			expect(normalizePhoneNumber(input, cc)).toEqual({ ok: true, value: expected });
		},
	);

	it.each([
		['447700900001.5', /decimal part "\.5"/],
		['447700900001.01', /decimal part "\.01"/],
		['447700900001.000', /could be a decimal part or the last digits/],
	])('%j is refused, never sent with the fraction as digits', (input, reason) => {
		const result = normalizePhoneNumber(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});

	it.each([
		'447700900001/447700900002',
		'447700900001/2',
		'447700900001 / 02',
		'447700900001,447700900002',
		'447700900001; 447700900002',
		'447700900001 or 447700900002',
		'447700900001 ext 12',
		'447700900001 ext. 12',
		'447700900001x12',
		'447700900001 X 12',
		'447700900001#12',
		'447700900001 #12',
	])('%j is refused as more than one number, never merged', (input) => {
		const result = normalizePhoneNumber(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(/more than one number|extension/);
	});

	it('a German area code before a slash is still one number', () => {
		expect(normalizePhoneNumber('030/1234567', '49')).toEqual({ ok: true, value: '49301234567' });
	});
});

describe("normalizePhoneNumber: the number must fit its country's numbering plan", () => {
	it.each([
		// Two numbers typed into one cell would otherwise be sent as one long number.
		['5551234 5555678', undefined, 'more than one number'],
		['07700 900001 07700 900002', '44', 'two numbers in one cell?'],
		[
			'+44 7700 900001 2',
			undefined,
			'too long for country code 44 (11 digits after it; its numbers have 7, 9 or 10) — two numbers in one cell?',
		],
		[
			'+44 07700 900001',
			undefined,
			'too long for country code 44 (11 digits after it; its numbers have 7, 9 or 10) — a trunk 0 after the country code?',
		],
		// The old Mexican mobile "1" is not part of Mexico's plan any more (libphonenumber: not possible).
		['+52 1 55 1234 5678', undefined, 'too long for country code 52'],
		['+44 7700 90', undefined, 'too short for country code 44 (6 digits after it'],
		['+44 7700 9001', undefined, 'has a length country code 44 does not use (8 digits after it'],
		['+49 1512 3456789012345', undefined, 'at most 15'],
		['+999 123 4567', undefined, 'starts with 999, which begins no country calling code'],
		// A local number without its area code: with no 0 it is read as international (+55), and fits nowhere.
		['555-0199', '44', 'too short for country code 55'],
	])('%j (default country %s) is refused: %s', (input, cc, reason) => {
		expectInvalid(input, cc, reason);
	});

	it.each([
		['+44 7700 900001 (0)', undefined],
		['+4477 (0) 00900001', undefined],
		['447700 (0) 900001', undefined],
		['0044 7700 (0)900001', undefined],
		['(0)7700 900001', '44'],
	])('%j: "(0)" anywhere but right after the country code refuses the cell', (input, cc) => {
		expectInvalid(input, cc, '"(0)" somewhere other than right after the country code');
	});

	it.each([
		['+44 (0) 7700 900001', '447700900001'],
		['+44(0)20 7946 0958', '442079460958'],
		['+353 (0)87 123 4567', '353871234567'],
		['0049 (0)30 1234567', '49301234567'],
	])(
		'%j: "(0)" right after the country code is the trunk prefix and is dropped',
		(input, expected) => {
			expectValid(input, undefined, expected);
		},
	);

	it.each([
		['+44 7700 900123', '447700900123'],
		['+1 212 555 0199', '12125550199'],
		['+1 (555) 123-4567', '15551234567'],
		['+61 491 570 006', '61491570006'],
	])(
		'%j: numbers kept for drama and fiction are possible, so the default check accepts them',
		(input, expected) => {
			expectValid(input, undefined, expected);
		},
	);
});

describe('normalizePhoneNumber: Number Check "valid" holds numbers against the ranges their country assigns', () => {
	it.each([
		['+44 7911 123456', undefined, '447911123456'],
		['07911 123456', '44', '447911123456'],
		['+44 20 7946 0123', undefined, '442079460123'],
		['+1 212 736 0199', undefined, '12127360199'],
		['+55 11 98765 4321', undefined, '5511987654321'],
		['+49 151 23456789', undefined, '4915123456789'],
		['+91 97370 01155', undefined, '919737001155'],
		// Regions sharing a calling code: Guernsey and Isle of Man under 44, Kazakhstan under 7.
		['+44 7781 123456', undefined, '447781123456'],
		['+44 7624 123456', undefined, '447624123456'],
		['+7 701 123 4567', undefined, '77011234567'],
	])('%j (default country %s) is valid → %s', (input, cc, expected) => {
		expect(normalizePhoneNumber(input, cc, 'valid')).toEqual({ ok: true, value: expected });
	});

	it.each([
		['+44 7700 900123', undefined, 'not a valid number for country code 44'],
		['07700 900001', '44', 'not a valid number for country code 44'],
		['+1 212 555 0199', undefined, '555-0100 to 555-0199'],
		['+1 555 123 4567', undefined, 'not a valid number for country code 1'],
		['+44 1632 960123', undefined, 'not a valid number for country code 44'],
		['555-0199', '44', 'too short for country code 55'],
	])('%j (default country %s) is not valid: %s', (input, cc, reason) => {
		const result = normalizePhoneNumber(input, cc, 'valid');
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toContain(reason);
	});
});

describe('normalizePhoneNumber: a number that is digits only takes a shorter road to the same answer', () => {
	// Digits already in Picky Assist's form skip the normalising steps; written with "+" or "tel:+", or as a
	// JS number, the same digits go through every step. Both roads must give the same answer, valid or not.
	it('answers plain digits exactly as it answers them written another way', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[1-9]\d{6,14}$/),
				fc.constantFrom(undefined, '44', '1'),
				fc.constantFrom('possible' as const, 'valid' as const),
				(digits, countryCode, check) => {
					const plain = normalizePhoneNumber(digits, countryCode, check);
					expect(normalizePhoneNumber(`+${digits}`, countryCode, check)).toEqual(plain);
					expect(normalizePhoneNumber(`tel:+${digits}`, countryCode, check)).toEqual(plain);
					if (Number.isSafeInteger(Number(digits))) {
						expect(normalizePhoneNumber(Number(digits), countryCode, check)).toEqual(plain);
					}
				},
			),
			{ numRuns: 5000 },
		);
	});

	it('answers digit groups split by spaces or hyphens, with or without "+", as the long road does', () => {
		// "tel:" sends the same text down the long road, through every step.
		const groups = fc
			.array(fc.tuple(fc.constantFrom(' ', '-'), fc.stringMatching(/^\d{1,8}$/)), { maxLength: 4 })
			.map((parts) => parts.map(([separator, digits]) => separator + digits).join(''));
		fc.assert(
			fc.property(
				fc.stringMatching(/^[1-9]\d{0,6}$/),
				groups,
				fc.constantFrom(undefined, '44', '1'),
				fc.constantFrom('possible' as const, 'valid' as const),
				fc.constantFrom('+', ''),
				(head, rest, countryCode, check, plus) => {
					const text = `${plus}${head}${rest}`;
					expect(normalizePhoneNumber(text, countryCode, check)).toEqual(
						normalizePhoneNumber(`tel:${text}`, countryCode, check),
					);
				},
			),
			{ numRuns: 5000 },
		);
	});

	it('still reads fourteen digits in two whole groups as two numbers, and thirteen as one', () => {
		expect(normalizePhoneNumber('5551234 5555678', undefined).ok).toBe(false);
		expect(normalizePhoneNumber('+44 7700900 1234567', undefined).ok).toBe(false);
		expect(normalizePhoneNumber('+44 7700 900123', undefined)).toEqual({
			ok: true,
			value: '447700900123',
		});
	});
});
