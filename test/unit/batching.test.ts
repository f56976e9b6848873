/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
import {
	chunk,
	DEFAULT_BATCH_SIZE,
	describeItems,
	MAX_BATCH_SIZE,
	validateBatchSize,
} from '../../nodes/PickyAssist/helpers/batching';
import * as sendDynamic from '../../nodes/PickyAssist/actions/message/sendDynamic.operation';

describe('validateBatchSize', () => {
	it("agrees with the node's Batch Size field: its default is valid, its maximum is the validator's", () => {
		const field = (sendDynamic.description.find((p) => p.name === 'options')?.options ?? []).find(
			(option) => 'name' in option && option.name === 'batchSize',
		) as { default: unknown; typeOptions?: { minValue?: number; maxValue?: number } } | undefined;
		expect(field?.default).toBe(DEFAULT_BATCH_SIZE);
		expect(validateBatchSize(field?.default)).toEqual({ ok: true, value: DEFAULT_BATCH_SIZE });
		expect(field?.typeOptions).toEqual({ minValue: 1, maxValue: MAX_BATCH_SIZE });
		expect(validateBatchSize(MAX_BATCH_SIZE).ok).toBe(true);
		expect(validateBatchSize(MAX_BATCH_SIZE + 1).ok).toBe(false);
	});

	it.each([
		[1, 1],
		[2, 2],
		[500, 500],
		[9999, 9999],
		[10000, 10000],
		['1', 1],
		['500', 500],
		['10000', 10000],
		[' 250 ', 250],
		[500.0, 500],
	])('accepts %j as %p', (value, size) => {
		expect(validateBatchSize(value)).toEqual({ ok: true, value: size });
	});

	it.each([
		[0],
		[-1],
		[-500],
		[0.5],
		[1.5],
		[499.9],
		[10001],
		[1e9],
		[Number.MAX_SAFE_INTEGER],
		[NaN],
		[Infinity],
		[-Infinity],
		['0'],
		['-1'],
		['12.5'],
		['10001'],
		['abc'],
		['500abc'],
		[''],
		['   '],
		[null],
		[undefined],
		[true],
		[[500]],
		[{ size: 500 }],
	])('rejects %j with a reason naming the range', (value) => {
		const result = validateBatchSize(value);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toContain('1 to 10000');
	});
});

describe('chunk', () => {
	const rows = (n: number) =>
		Array.from({ length: n }, (_, i) => ({ number: String(447700900000 + i) }));

	// The general laws of chunk (order, sizes, count) are properties in properties.test.ts; these are examples.
	it('splits 1001 rows into 500 / 500 / 1 with exact boundaries', () => {
		const input = rows(1001);
		const batches = chunk(input, 500);
		expect(batches.map((b) => b.length)).toEqual([500, 500, 1]);
		expect(batches[0][0]).toBe(input[0]);
		expect(batches[0][499]).toBe(input[499]);
		expect(batches[1][0]).toBe(input[500]);
		expect(batches[2]).toEqual([input[1000]]);
	});

	it('does not modify the input array', () => {
		const input = rows(5);
		const copy = [...input];
		chunk(input, 2);
		expect(input).toEqual(copy);
	});

	it('never puts the same number twice into one push: the second goes into the next push', () => {
		const input = [
			{ number: '447700900001', message: 'first' },
			{ number: '447700900001', message: 'second' },
			{ number: '447700900002', message: 'third' },
		];
		expect(chunk(input, 500)).toEqual([[input[0], input[2]], [input[1]]]);
	});

	it('a number repeated goes once into each push, in order, and the rounds share pushes where they can', () => {
		const a = (tag: string) => ({ number: '4411', tag });
		const b = (tag: string) => ({ number: '4422', tag });
		const c = (tag: string) => ({ number: '4433', tag });
		const input = [a('a1'), b('b1'), a('a2'), a('a3'), c('c1'), b('b2')];
		// Rounds: a1 b1 c1 | a2 b2 | a3. Cut into pushes of 2, each back in input order: a round's tail and the
		// next round's head share a push, where one push a round would have made 4.
		expect(chunk(input, 2).map((batch) => batch.map((row) => row.tag))).toEqual([
			['a1', 'b1'],
			['a2', 'c1'],
			['a3', 'b2'],
		]);
	});

	it('closes a push early rather than put a number in it twice', () => {
		const input = ['4411', '4422', '4411', '4433'].map((number, i) => ({ number, i }));
		// Rounds: 4411 4422 4433 | 4411. The second 4411 may not join the first push, which still has room.
		expect(chunk(input, 5).map((batch) => batch.map((row) => row.i))).toEqual([[0, 1, 3], [2]]);
	});

	it('repeats fill the last push of the round before them instead of opening a round of their own', () => {
		// 950 distinct numbers, then the first 10 again: the 10 go into the tenth push beside rows 900–949.
		const input = [...rows(950), ...rows(10)];
		const batches = chunk(input, 100);
		expect(batches).toHaveLength(10);
		expect(batches[9].map((row) => row.number)).toEqual(
			[...input.slice(900, 950), ...input.slice(950)].map((row) => row.number),
		);
	});

	it('stays linear: 100k rows of one number become 100k pushes of one, quickly', () => {
		const input = Array.from({ length: 100_000 }, (_, i) => ({ number: '447700900001', i }));
		// Processor time, not wall time: a machine busy with other work does not make this test fail.
		const started = process.cpuUsage();
		const batches = chunk(input, 500);
		const { user, system } = process.cpuUsage(started);
		expect((user + system) / 1000).toBeLessThan(1000);
		expect(batches).toHaveLength(100_000);
		expect(batches[99_999]).toEqual([input[99_999]]);
	});
});

describe('describeItems', () => {
	it.each([
		[[], 'no items'],
		[[7], 'item 7'],
		[[0], 'item 0'],
		[[0, 1], 'items 0–1'],
		[Array.from({ length: 500 }, (_, i) => i), 'items 0–499'],
		[Array.from({ length: 500 }, (_, i) => i + 500), 'items 500–999'],
		[[1, 3, 5], 'items 1, 3, 5'],
		[[2, 1], 'items 2, 1'],
		[Array.from({ length: 10 }, (_, i) => i * 2), 'items 0, 2, 4, 6, 8, 10, 12, 14, 16, 18'],
		[
			Array.from({ length: 12 }, (_, i) => i * 2),
			'items 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, … (12 in all)',
		],
	])('%j → %j', (indexes, expected) => {
		expect(describeItems(indexes)).toBe(expected);
	});
});
