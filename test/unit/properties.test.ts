import fc from 'fast-check';
import { parsePhoneNumber } from 'libphonenumber-js/max';

import type { OutgoingRow } from '../../nodes/PickyAssist/actions/bulk/rowCollection';
import { rowContent } from '../../nodes/PickyAssist/actions/bulk/rowCollection';
import { chunk } from '../../nodes/PickyAssist/helpers/batching';
import { normalizePhoneNumber } from '../../nodes/PickyAssist/helpers/phoneNumber';
import { matchResponse } from '../../nodes/PickyAssist/helpers/responseMatching';
import { AccountWindow } from '../../nodes/PickyAssist/transport/pacing';

const RUNS = { numRuns: 400 };

/** A normalised number: 7–15 ASCII digits, not starting with 0. */
const digitNumber = fc
	.tuple(
		fc.integer({ min: 1, max: 9 }),
		fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 14 }),
	)
	.map(([first, rest]) => `${first}${rest.join('')}`);

const digitsOf = (value: unknown) => String(value).replace(/\D/g, '');

// ---------------------------------------------------------------------------------------------------------------
// (1) matchResponse
// ---------------------------------------------------------------------------------------------------------------

interface Scenario {
	sent: string[];
	data: unknown[];
	/** For each element of data: the digits it should be matched on, or undefined when it can never match. */
	validNumber: Array<string | undefined>;
}

// A push never holds a number twice (chunk); matchResponse's refusal of repeats has its own unit tests.
const scenario: fc.Arbitrary<Scenario> = fc
	.uniqueArray(digitNumber, { minLength: 1, maxLength: 25 })
	.chain((pool) =>
		fc.record({
			pool: fc.constant(pool),
			sent: fc.shuffledSubarray(pool),
			foreign: fc.uniqueArray(
				digitNumber.filter((n) => !pool.includes(n)),
				{ maxLength: 4 },
			),
		}),
	)
	.chain(({ pool, sent, foreign }) =>
		fc.record({
			sent: fc.constant(sent),
			// which entries of the correct response come back (subset)
			keep: fc.array(fc.boolean(), { minLength: sent.length, maxLength: sent.length }),
			// extra valid entries: duplicates of pool numbers (sent or not) and foreign numbers (superset)
			extras: fc.array(fc.constantFrom(...pool, ...foreign, ...(foreign.length ? [] : pool)), {
				maxLength: 6,
			}),
			// how each returned number is written
			styles: fc.array(fc.constantFrom('plain', 'plus', 'json-number', 'spaced'), {
				minLength: 40,
				maxLength: 40,
			}),
			// junk that can never match
			junk: fc.array(
				fc.oneof(
					fc.constant(null),
					fc.constant('447700900123'),
					fc.constant(42),
					fc.constantFrom(...pool).map((n) => ({ number: n, credit: '0.005' })),
					fc.constantFrom(...pool).map((n) => ({ msg_id: '', number: n })),
					fc.constantFrom(...pool).map((n) => ({ msg_id: null, number: n })),
					fc.constant({ msg_id: 'no-number', credit: '0.005' }),
				),
				{ maxLength: 4 },
			),
			// permutation keys
			order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 60, maxLength: 60 }),
		}),
	)
	.map(({ sent, keep, extras, styles, junk, order }) => {
		let styleIndex = 0;
		const write = (n: string): unknown => {
			const style = styles[styleIndex++ % styles.length];
			if (style === 'plus') return `+${n}`;
			if (style === 'json-number') return Number(n);
			if (style === 'spaced') return `${n.slice(0, 2)} ${n.slice(2)}`;
			return n;
		};
		const items: Array<{ value: unknown; valid: string | undefined }> = [];
		sent.forEach((n, i) => {
			if (keep[i])
				items.push({ value: { msg_id: `m${i}`, number: write(n), credit: '0.005' }, valid: n });
		});
		extras.forEach((n, k) =>
			items.push({
				value: { msg_id: k % 2 ? `x${k}` : 1_000_000 + k, number: write(n), credit: 0.01 },
				valid: n,
			}),
		);
		junk.forEach((j) => items.push({ value: j, valid: undefined }));
		const shuffled = items
			.map((item, i) => ({ item, key: order[i % order.length] + i * 1e-9 }))
			.sort((a, b) => a.key - b.key);
		return {
			sent,
			data: shuffled.map((s) => s.item.value),
			validNumber: shuffled.map((s) => s.item.valid),
		};
	});

describe('property: matchResponse', () => {
	it('every sent position is matched or missing, once; no entry is used twice; numbers agree; entries are all accounted for', () => {
		fc.assert(
			fc.property(scenario, ({ sent, data, validNumber }) => {
				const result = matchResponse(sent, data);

				// shape
				expect(result.matched).toHaveLength(sent.length);

				// every position in exactly one of matched / missing
				const matchedPositions = result.matched.flatMap((m, i) => (m === undefined ? [] : [i]));
				expect(new Set(result.missing).size).toBe(result.missing.length);
				expect([...matchedPositions, ...result.missing].sort((a, b) => a - b)).toEqual(
					sent.map((_, i) => i),
				);
				for (const position of result.missing) expect(result.matched[position]).toBeUndefined();

				// each matched entry is a real entry, used once, with the number of its position
				const dataIndexById = new Map<string, number>();
				data.forEach((entry, index) => {
					if (entry !== null && typeof entry === 'object' && 'msg_id' in entry) {
						const id = (entry as { msg_id: unknown }).msg_id;
						if (typeof id === 'string' || typeof id === 'number')
							dataIndexById.set(String(id), index);
					}
				});
				const usedIds = new Set<string>();
				const usedDataIndexes = new Set<number>();
				for (const position of matchedPositions) {
					const m = result.matched[position]!;
					expect(typeof m.msg_id).toBe('string');
					expect(typeof m.number).toBe('string');
					expect(typeof m.credit).toBe('string');
					expect(usedIds.has(m.msg_id)).toBe(false);
					usedIds.add(m.msg_id);
					const dataIndex = dataIndexById.get(m.msg_id);
					expect(dataIndex).toBeDefined();
					usedDataIndexes.add(dataIndex!);
					expect(validNumber[dataIndex!]).toBe(sent[position]);
					expect(digitsOf(m.number)).toBe(sent[position]);
				}

				// every entry is either matched or unexpected
				expect(matchedPositions.length + result.unexpected.length).toBe(data.length);
				const unexpectedIndexes = data.flatMap((_, i) => (usedDataIndexes.has(i) ? [] : [i]));
				expect(result.unexpected).toEqual(unexpectedIndexes.map((i) => data[i]));
				for (let i = 0; i < result.unexpected.length; i++) {
					expect(result.unexpected[i]).toBe(data[unexpectedIndexes[i]]);
				}

				// nothing usable is wasted: per number, matched = min(sent, usable entries)
				for (const n of new Set(sent)) {
					const sentCount = sent.filter((s) => s === n).length;
					const usable = validNumber.filter((v) => v === n).length;
					const matchedCount = matchedPositions.filter((p) => sent[p] === n).length;
					expect(matchedCount).toBe(Math.min(sentCount, usable));
					// among duplicates, entries go to positions in order
					const indexes = matchedPositions
						.filter((p) => sent[p] === n)
						.map((p) => dataIndexById.get(result.matched[p]!.msg_id)!);
					expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
				}
			}),
			RUNS,
		);
	});

	it('a complete response in any order matches every position and nothing is unexpected', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(digitNumber, { maxLength: 30 }),
				fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
				(sent, keys) => {
					const correct = sent.map((n, i) => ({ msg_id: `m${i}`, number: n, credit: '0.005' }));
					const shuffled = correct
						.map((e, i) => ({ e, k: keys[i] * 100 + i }))
						.sort((a, b) => a.k - b.k)
						.map((x) => x.e);
					const result = matchResponse(sent, shuffled);
					expect(result.missing).toEqual([]);
					expect(result.unexpected).toEqual([]);
					result.matched.forEach((m, i) => expect(m?.number).toBe(sent[i]));
					// among equal numbers, the i-th returned entry of that number goes to its i-th position
					for (const n of new Set(sent)) {
						const returnedIds = shuffled.filter((e) => e.number === n).map((e) => e.msg_id);
						const positions = sent.flatMap((s, i) => (s === n ? [i] : []));
						expect(positions.map((p) => result.matched[p]!.msg_id)).toEqual(returnedIds);
					}
				},
			),
			RUNS,
		);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// (2) normalizePhoneNumber
// ---------------------------------------------------------------------------------------------------------------

const VALID = /^[1-9]\d{6,14}$/;

function checkTotal(value: unknown, cc?: string): void {
	let result: ReturnType<typeof normalizePhoneNumber> | undefined;
	expect(() => {
		result = normalizePhoneNumber(value, cc);
	}).not.toThrow();
	if (result!.ok) {
		expect(result!.value).toMatch(VALID);
		// idempotent on its own output, with or without a default country code
		expect(normalizePhoneNumber(result!.value)).toEqual(result);
		expect(normalizePhoneNumber(result!.value, cc)).toEqual(result);
	} else {
		expect(typeof result!.reason).toBe('string');
		expect(result!.reason.trim().length).toBeGreaterThan(0);
	}
}

const countryCode = fc.option(
	fc
		.tuple(
			fc.integer({ min: 1, max: 9 }),
			fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }),
		)
		.map(([a, r]) => `${a}${r.join('')}`),
	{ nil: undefined },
);

const phoneishChar = fc.constantFrom(
	...'0123456789'.split(''),
	'+',
	'-',
	'.',
	' ',
	'(',
	')',
	'/',
	',',
	';',
	'\n',
	'e',
	'E',
	'o',
	'r',
	'x',
	'\u00A0',
	'\u200B',
	'\u200E',
	'\uFEFF',
	'\u2013',
	'\uFF0B',
	'٠',
	'٧',
	'۴',
	'४',
	'５',
	'๒',
	'৩',
	'\u{1D7D2}',
	'¹',
);

describe('property: normalizePhoneNumber', () => {
	it('never throws for anything, and returns either a valid number or a non-empty reason', () => {
		fc.assert(
			fc.property(
				fc.anything({
					withBigInt: true,
					withBoxedValues: true,
					withMap: true,
					withSet: true,
					withDate: true,
					withTypedArray: true,
					withSparseArray: true,
					withNullPrototype: true,
				}),
				(value) => {
					checkTotal(value);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('never throws for any string (any unit) or number, with any default country code', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string({ unit: 'binary' }),
					fc.string({ unit: 'grapheme' }),
					fc.string({ unit: phoneishChar, maxLength: 30 }),
					fc.double(),
					fc.integer(),
					fc.maxSafeInteger(),
				),
				countryCode,
				(value, cc) => {
					checkTotal(value, cc);
				},
			),
			{ numRuns: 2000 },
		);
	});

	const SEPARATORS = [
		' ',
		'-',
		'.',
		'\t',
		'(',
		')',
		'\u2010',
		'\u2013',
		'\u2014',
		'\u2212',
		'\uFF0D',
		'（',
		'）',
	];
	const INVISIBLES = ['\u00A0', '\u200B', '\u200E', '\u200F', '\uFEFF', '\u2060', '\u202F'];
	const SCRIPT_ZEROS = [0x30, 0x0660, 0x06f0, 0x0966, 0xff10, 0x0e50, 0x09e6];

	// Numbers must fit their country's plan: the property decorates libphonenumber's example number of each region.
	const EXAMPLE_NUMBERS = Object.entries(
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		require('libphonenumber-js/examples.mobile.json') as Record<string, string>,
	).map(([region, national]) => parsePhoneNumber(national, region as never).number.slice(1));

	const decorated = fc
		.record({
			example: fc.constantFrom(...EXAMPLE_NUMBERS),
			prefix: fc.constantFrom('+', '00', '', '+ ', '00 ', '\uFF0B'),
			gaps: fc.array(
				fc.oneof(
					{ weight: 3, arbitrary: fc.constant('') },
					{ weight: 2, arbitrary: fc.constantFrom(...SEPARATORS, ...INVISIBLES) },
				),
				{
					minLength: 20,
					maxLength: 20,
				},
			),
			lead: fc.array(fc.constantFrom(' ', ...INVISIBLES), { maxLength: 3 }),
			trail: fc.array(fc.constantFrom(' ', ...INVISIBLES), { maxLength: 3 }),
			scripts: fc.array(fc.constantFrom(...SCRIPT_ZEROS), { minLength: 20, maxLength: 20 }),
			defaultCc: countryCode,
		})
		.map(({ example, prefix, gaps, lead, trail, scripts, defaultCc }) => {
			const digits = example;
			let text = '';
			for (let i = 0; i < digits.length; i++) {
				if (i > 0) text += gaps[i % gaps.length];
				text += String.fromCodePoint(scripts[i % scripts.length] + Number(digits[i]));
			}
			// A single dot followed only by digits reads as a spreadsheet's decimal part (".0" is dropped, ".5"
			// refused), not as a separator: that case has its own tests, so the generator writes a space there.
			if (text.split('.').length === 2 && /^\.\p{Nd}+$/u.test(text.slice(text.indexOf('.')))) {
				text = text.replace('.', ' ');
			}
			return { digits, input: `${lead.join('')}${prefix}${text}${trail.join('')}`, defaultCc };
		});

	it('returns the bare digits of a valid international number decorated with separators, invisible characters, + or 00 and other scripts', () => {
		fc.assert(
			fc.property(decorated, ({ digits, input, defaultCc }) => {
				// "(0)" right after a country code is a trunk prefix by rule; keep generated inputs clear of it.
				const skeleton = input
					.replace(/[（]/g, '(')
					.replace(/[）]/g, ')')
					.replace(
						/[^\d()\u0660-\u0669\u06F0-\u06F9\u0966-\u096F\uFF10-\uFF19\u0E50-\u0E59\u09E6-\u09EF]/g,
						'',
					);
				fc.pre(!/\([0٠۰०０๐০]\)/.test(skeleton));
				// Two groups of seven digits or more are read as two numbers, by rule.
				fc.pre(input.split(/\P{Nd}/u).filter((group) => group.length >= 7).length < 2);
				expect(normalizePhoneNumber(input, defaultCc)).toEqual({ ok: true, value: digits });
			}),
			{ numRuns: 2000 },
		);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// (3) chunk
// ---------------------------------------------------------------------------------------------------------------

describe('property: chunk', () => {
	it('without repeated numbers: batches concatenate to the input, count = ceil(n/size), all full but the last', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(digitNumber, { maxLength: 300 }),
				fc.integer({ min: 1, max: 50 }),
				(numbers, size) => {
					const rows = numbers.map((number) => ({ number }));
					const batches = chunk(rows, size);
					expect(batches).toHaveLength(Math.ceil(rows.length / size));
					const flat: unknown[] = [];
					for (const batch of batches) flat.push(...batch);
					expect(flat).toHaveLength(rows.length);
					flat.forEach((row, i) => expect(Object.is(row, rows[i])).toBe(true));
					for (const [i, batch] of batches.entries()) {
						expect(batch.length).toBeGreaterThan(0);
						expect(batch.length).toBeLessThanOrEqual(size);
						if (i < batches.length - 1) expect(batch.length).toBe(size);
					}
				},
			),
			RUNS,
		);
	});

	it('with repeated numbers: every row once, no number twice in a batch, each repeat in a later batch, order kept', () => {
		fc.assert(
			fc.property(
				fc
					.uniqueArray(digitNumber, { minLength: 1, maxLength: 8 })
					.chain((pool) => fc.array(fc.constantFrom(...pool), { maxLength: 200 })),
				fc.integer({ min: 1, max: 20 }),
				(numbers, size) => {
					const rows = numbers.map((number, index) => ({ number, index }));
					const batches = chunk(rows, size);
					const batchOf = new Map<number, number>();
					for (const [b, batch] of batches.entries()) {
						expect(batch.length).toBeGreaterThan(0);
						expect(batch.length).toBeLessThanOrEqual(size);
						expect(new Set(batch.map((row) => row.number)).size).toBe(batch.length);
						for (let i = 1; i < batch.length; i++)
							expect(batch[i].index).toBeGreaterThan(batch[i - 1].index);
						for (const row of batch) {
							expect(batchOf.has(row.index)).toBe(false);
							batchOf.set(row.index, b);
						}
					}
					expect(batchOf.size).toBe(rows.length);
					const lastBatch = new Map<string, number>();
					for (const row of rows) {
						const b = batchOf.get(row.index)!;
						const previous = lastBatch.get(row.number);
						if (previous !== undefined) expect(b).toBeGreaterThan(previous);
						lastBatch.set(row.number, b);
					}
				},
			),
			RUNS,
		);
	});
});

describe('property: rowContent', () => {
	// The send record knows a message by a digest of this text: a different text for the same row would make a
	// message sent before an upgrade unknown after it, and send it again.
	it('is the JSON array [message, media] or [language, values, media], as the record has always known it', () => {
		const text = fc.option(fc.string({ unit: 'binary' }), { nil: undefined });
		fc.assert(
			fc.property(
				fc.record({
					message: text,
					language: text,
					templateValues: fc.option(fc.array(fc.string({ unit: 'binary' })), { nil: undefined }),
					media: text,
					file: fc.option(fc.string(), { nil: undefined }),
				}),
				({ message, language, templateValues, media, file }) => {
					const row: OutgoingRow = {
						itemIndex: 0,
						number: '447700900123',
						message,
						language,
						templateValues,
						media,
					};
					if (file !== undefined) row.file = { identity: file, bytes: 1, kind: 'image' };
					const mediaPart = file !== undefined ? `file:${file}` : (media ?? null);
					const expected = templateValues
						? JSON.stringify([language, templateValues, mediaPart])
						: JSON.stringify([message, mediaPart]);
					expect(rowContent(row)).toBe(expected);
				},
			),
			RUNS,
		);
	});
});

// ---------------------------------------------------------------------------------------------------------------
// (4) AccountWindow, one caller whose pushes are answered at once
// ---------------------------------------------------------------------------------------------------------------

describe('property: AccountWindow', () => {
	it('never allows more than `limit` sends in any window, and only ever waits as long as needed', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 10 }),
				fc.integer({ min: 1, max: 1000 }),
				fc.array(fc.tuple(fc.integer({ min: 0, max: 1500 }), fc.integer({ min: 0, max: 50 })), {
					minLength: 1,
					maxLength: 80,
				}),
				(limit, windowMs, steps) => {
					const window = new AccountWindow(windowMs);
					const sent: number[] = [];
					const inWindowEndingAt = (t: number) =>
						sent.filter((s) => s > t - windowMs && s <= t).length;
					let now = 0;
					for (const [gap, extraWait] of steps) {
						now += gap;
						const asked = window.reserve(now, limit);
						if (asked.kind === 'reserved') {
							// it lets a push go only when the window has room
							expect(inWindowEndingAt(now)).toBeLessThan(limit);
						} else {
							// it waits only when the window is full, and no longer than needed
							const delay = asked.waitMs;
							expect(delay).toBeGreaterThan(0);
							expect(inWindowEndingAt(now)).toBe(limit);
							expect(inWindowEndingAt(now + delay - 1)).toBe(limit);
							expect(inWindowEndingAt(now + delay)).toBeLessThan(limit);
							now += delay + extraWait;
						}
						const taken = asked.kind === 'reserved' ? asked : window.reserve(now, limit);
						if (taken.kind !== 'reserved') throw new Error(`no place at ${now} after waiting`);
						taken.slot.settle(now);
						sent.push(now);
					}
					for (const start of sent) {
						expect(
							sent.filter((t) => t >= start && t < start + windowMs).length,
						).toBeLessThanOrEqual(limit);
					}
				},
			),
			RUNS,
		);
	});
});
