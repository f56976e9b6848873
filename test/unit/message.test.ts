import { normalizeMessage } from '../../nodes/PickyAssist/actions/bulk/messageText';

function utf8(text: string): string {
	return Buffer.from(text, 'utf8').toString('hex');
}

describe('normalizeMessage: strings are sent byte-exact', () => {
	const texts: Array<[string, string]> = [
		['plain', 'Hi Ana, your bill is 12.40'],
		['leading and trailing spaces', '   Hi Ana   '],
		['leading and trailing newlines and tabs', '\n\tHi Ana\t\n'],
		['LF line breaks', 'Line 1\nLine 2\n\nLine 4'],
		['CRLF line breaks', 'Line 1\r\nLine 2\r\n'],
		['emoji', 'Your order shipped 📦🚚 ✅'],
		['ZWJ emoji sequence and skin tone', 'Family 👨‍👩‍👧‍👦 and 👍🏽'],
		['flag emoji', 'Olá 🇧🇷'],
		['Arabic (RTL) with Arabic-Indic digits', 'مرحبا أحمد، فاتورتك ١٢٫٤٠ درهم'],
		['Hebrew (RTL)', 'שלום דנה, החשבון שלך מוכן'],
		['mixed LTR/RTL with marks', 'Order \u200F#123\u200E: مرحبا'],
		['Chinese', '你好，您的订单已发货。'],
		['Japanese', 'こんにちは、ご注文ありがとうございます'],
		['Korean', '안녕하세요 주문이 발송되었습니다'],
		['Devanagari', 'नमस्ते राज, आपका बिल ८.०० है'],
		['decomposed accent (NFD, must not be NFC-normalised)', 'Jose\u0301'],
		['precomposed accent (NFC, must not be NFD-normalised)', 'José'],
		['non-breaking spaces', 'Total:\u00A012,40\u00A0€'],
		['zero-width joiner inside text', 'a\u200Db'],
		['WhatsApp formatting', '*bold* _italic_ ~strike~ ```mono```'],
		['looks like JSON', '{"a":1}'],
		['the literal text [object Object]', '[object Object]'],
		['a single character', 'x'],
	];

	it.each(texts)('%s', (_label, text) => {
		const result = normalizeMessage(text, false);
		expect(result).toEqual({ ok: true, value: text });
		if (result.ok) {
			expect(result.value.length).toBe(text.length);
			expect(utf8(result.value)).toBe(utf8(text));
		}
	});

	it('keeps a long text (10 000 characters) intact', () => {
		const text = 'ab😀\n'.repeat(2500);
		expect(normalizeMessage(text, false)).toEqual({ ok: true, value: text });
	});

	it('keeps text byte-exact when global media is set (caption)', () => {
		expect(normalizeMessage('  Caption 📷  ', true)).toEqual({ ok: true, value: '  Caption 📷  ' });
	});
});

describe('normalizeMessage: finite numbers become their text form', () => {
	it.each([
		[12.4, '12.4'],
		[0, '0'],
		[-5, '-5'],
		[1234567, '1234567'],
		[0.1 + 0.2, '0.30000000000000004'],
		[BigInt('123456789012345678901'), '123456789012345678901'],
	])('%p → %j', (value, expected) => {
		expect(normalizeMessage(value, false)).toEqual({ ok: true, value: expected });
		expect(normalizeMessage(value, true)).toEqual({ ok: true, value: expected });
	});
});

describe('normalizeMessage: values nobody means to send are refused, never sent as words', () => {
	it.each([
		[true, /true \(a yes\/no value\)/],
		[false, /false \(a yes\/no value\)/],
		[NaN, /the number NaN/],
		[Infinity, /the number Infinity/],
		[-Infinity, /the number -Infinity/],
	])('%p → refused with the reason', (value, reason) => {
		for (const hasGlobalMedia of [false, true]) {
			const result = normalizeMessage(value, hasGlobalMedia);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.reason).toMatch(reason);
		}
	});

	it('text that spells the words is sent as written', () => {
		expect(normalizeMessage('true', false)).toEqual({ ok: true, value: 'true' });
		expect(normalizeMessage('NaN', false)).toEqual({ ok: true, value: 'NaN' });
	});
});

describe('normalizeMessage: empty messages', () => {
	it.each([[''], ['   '], ['\n'], ['\t \r\n '], [null], [undefined]])(
		'%j without media → invalid',
		(value) => {
			const result = normalizeMessage(value, false);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.reason).toMatch(/empty/);
		},
	);

	it.each([[''], [null], [undefined]])('%j with media → ok with an empty caption', (value) => {
		expect(normalizeMessage(value, true)).toEqual({ ok: true, value: '' });
	});

	it.each([['   '], ['\n'], ['\t \r\n ']])(
		'whitespace-only %j with media → ok, caption blank',
		(value) => {
			const result = normalizeMessage(value, true);
			expect(result.ok).toBe(true);
			if (result.ok) {
				expect(result.value.trim()).toBe('');
				expect(['', value]).toContain(result.value);
			}
		},
	);
});

describe('normalizeMessage: objects and arrays are never stringified', () => {
	const values: Array<[string, unknown]> = [
		['an empty object', {}],
		['an object with a text field', { text: 'Hi Ana' }],
		['an empty array', []],
		['an array of strings', ['Hi', 'Ana']],
		['a Date', new Date(0)],
		['a Map', new Map([['a', 'b']])],
		['an object with its own toString', { toString: () => 'Hi Ana' }],
	];

	it.each(values)('%s → invalid, with or without media', (_label, value) => {
		for (const media of [false, true]) {
			const result = normalizeMessage(value, media);
			expect(result.ok).toBe(false);
			if (!result.ok) {
				expect(result.reason).not.toContain('[object');
				expect(result.reason).not.toContain('Hi Ana');
				expect(result.reason).toMatch(Array.isArray(value) ? /list/ : /object/);
			}
		}
	});
});
