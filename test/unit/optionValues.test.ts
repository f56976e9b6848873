/** How the options that guard money or recipients read a value an expression gave them. */
import { readNumber, readSwitch } from '../../nodes/PickyAssist/helpers/optionValues';

describe('readSwitch', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['TRUE', true],
		[' False ', false],
	])('%j is %j', (value, expected) => {
		expect(readSwitch(value)).toEqual({ ok: true, value: expected });
	});

	it.each([['yes'], [1], [0], [''], [null], [undefined], [{}], ['truthy']])(
		'%j is refused with the value named',
		(value) => {
			const read = readSwitch(value);
			expect(read.ok).toBe(false);
			if (!read.ok) expect(read.reason).toMatch(/^must be true or false, got /);
		},
	);
});

describe('readNumber', () => {
	const count = { min: 0, max: 100, whole: true, minMeaning: '(no cap)' };
	const amount = { min: 1, max: 3600, whole: false, unit: 'seconds' };

	it.each([
		[5, count, 5],
		['5', count, 5],
		[' 7 ', count, 7],
		[0, count, 0],
		[1.5, amount, 1.5],
		['2.25', amount, 2.25],
	])('%j is %j', (value, rule, expected) => {
		expect(readNumber(value, rule)).toEqual({ ok: true, value: expected });
	});

	it.each([
		[0.5, count, 'must be a whole number from 0 (no cap) to 100, got 0.5'],
		[101, count, 'must be a whole number from 0 (no cap) to 100, got 101'],
		[-1, count, 'must be a whole number from 0 (no cap) to 100, got -1'],
		['', count, 'must be a whole number from 0 (no cap) to 100, got ""'],
		[undefined, count, 'must be a whole number from 0 (no cap) to 100, got nothing'],
		[true, count, 'must be a whole number from 0 (no cap) to 100, got true'],
		['1e3', count, 'must be a whole number from 0 (no cap) to 100, got "1e3"'],
		[NaN, amount, 'must be a number from 1 to 3600 seconds, got NaN'],
		[Infinity, amount, 'must be a number from 1 to 3600 seconds, got Infinity'],
		[0.0004, amount, 'must be a number from 1 to 3600 seconds, got 0.0004'],
	])('%j is refused: %s', (value, rule, reason) => {
		expect(readNumber(value, rule)).toEqual({ ok: false, reason });
	});
});
