import { chunk, DEFAULT_BATCH_SIZE, describeItems, MAX_BATCH_SIZE, validateBatchSize } from '../../packages/n8n-nodes-pickyassist/nodes/PickyAssist/helpers/batching';

describe('validateBatchSize', () => {
	it('exposes 500 as the default and 10000 as the maximum', () => {
		expect(DEFAULT_BATCH_SIZE).toBe(500);
		expect(MAX_BATCH_SIZE).toBe(10000);
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
	const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ row: i }));

	it.each([
		[0, 500, 0],
		[1, 500, 1],
		[499, 500, 1],
		[500, 500, 1],
		[501, 500, 2],
		[1000, 500, 2],
		[1001, 500, 3],
		[7, 1, 7],
		[7, 3, 3],
		[10, 10000, 1],
	])('%p rows in batches of %p → %p batches, in order, concatenating to the input', (n, size, expectedCount) => {
		const input = rows(n);
		const batches = chunk(input, size);
		expect(batches).toHaveLength(expectedCount);
		expect(batches.flat()).toEqual(input);
		batches.forEach((batch, i) => {
			expect(batch.length).toBeGreaterThan(0);
			expect(batch.length).toBeLessThanOrEqual(size);
			if (i < batches.length - 1) expect(batch.length).toBe(size);
		});
		// Same row objects, not copies.
		if (n > 0) expect(batches[0][0]).toBe(input[0]);
	});

	it('splits 1001 rows into 500 / 500 / 1 with exact boundaries', () => {
		const input = rows(1001);
		const batches = chunk(input, 500);
		expect(batches.map((b) => b.length)).toEqual([500, 500, 1]);
		expect(batches[0][0]).toEqual({ row: 0 });
		expect(batches[0][499]).toEqual({ row: 499 });
		expect(batches[1][0]).toEqual({ row: 500 });
		expect(batches[2]).toEqual([{ row: 1000 }]);
	});

	it('does not modify the input array', () => {
		const input = [1, 2, 3, 4, 5];
		chunk(input, 2);
		expect(input).toEqual([1, 2, 3, 4, 5]);
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
		[Array.from({ length: 12 }, (_, i) => i * 2), 'items 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, … (12 in all)'],
	])('%j → %j', (indexes, expected) => {
		expect(describeItems(indexes)).toBe(expected);
	});
});
