import fc from 'fast-check';

import {
	backoffDelay,
	SlidingWindowPacer,
} from '../../packages/n8n-nodes-pickyassist/nodes/PickyAssist/helpers/pacing';

describe('SlidingWindowPacer', () => {
	it('lets the first `limit` pushes go at once, with no gap between them', () => {
		const pacer = new SlidingWindowPacer(3, 1000);
		for (let i = 0; i < 3; i++) {
			expect(pacer.delayBeforeNext(0)).toBe(0);
			pacer.record(0);
		}
		expect(pacer.delayBeforeNext(0)).toBe(1000);
	});

	it('90 pushes at the same instant go without delay (never a fixed gap)', () => {
		const pacer = new SlidingWindowPacer(90, 60_000);
		for (let i = 0; i < 90; i++) {
			expect(pacer.delayBeforeNext(5_000)).toBe(0);
			pacer.record(5_000);
		}
		expect(pacer.delayBeforeNext(5_000)).toBe(60_000);
	});

	it('waits exactly until the oldest push in the window leaves it: oldest + window − now', () => {
		const pacer = new SlidingWindowPacer(3, 1000);
		pacer.record(100);
		pacer.record(250);
		pacer.record(400);
		expect(pacer.delayBeforeNext(500)).toBe(100 + 1000 - 500);
		expect(pacer.delayBeforeNext(1000)).toBe(100);
		expect(pacer.delayBeforeNext(1099)).toBe(1);
		expect(pacer.delayBeforeNext(1100)).toBe(0);
	});

	it('after the oldest leaves, the next oldest decides the delay', () => {
		const pacer = new SlidingWindowPacer(2, 1000);
		pacer.record(0);
		pacer.record(300);
		expect(pacer.delayBeforeNext(600)).toBe(400);
		pacer.record(1000);
		// window now holds 300 and 1000
		expect(pacer.delayBeforeNext(1000)).toBe(300);
		expect(pacer.delayBeforeNext(1200)).toBe(100);
		expect(pacer.delayBeforeNext(1300)).toBe(0);
	});

	it('does not wait while fewer than `limit` pushes are in the window', () => {
		const pacer = new SlidingWindowPacer(3, 1000);
		pacer.record(0);
		pacer.record(10);
		expect(pacer.delayBeforeNext(20)).toBe(0);
	});

	it('pushes that left the window do not count', () => {
		const pacer = new SlidingWindowPacer(2, 1000);
		pacer.record(0);
		pacer.record(1);
		expect(pacer.delayBeforeNext(1500)).toBe(0);
		pacer.record(1500);
		expect(pacer.delayBeforeNext(1600)).toBe(0);
		pacer.record(1600);
		expect(pacer.delayBeforeNext(1700)).toBe(800);
	});

	it('uses a one-minute window by default', () => {
		const pacer = new SlidingWindowPacer(1);
		pacer.record(0);
		expect(pacer.delayBeforeNext(0)).toBe(60_000);
		expect(pacer.delayBeforeNext(59_999)).toBe(1);
		expect(pacer.delayBeforeNext(60_000)).toBe(0);
	});

	it('limit 0 turns pacing off', () => {
		const pacer = new SlidingWindowPacer(0, 1000);
		for (let i = 0; i < 500; i++) {
			expect(pacer.delayBeforeNext(0)).toBe(0);
			pacer.record(0);
		}
	});

	it('at the fastest allowed pace, 90 pushes go at once and the 91st waits for the first to leave the window', () => {
		// That the limit holds in every window is a property in properties.test.ts; this is the documented case.
		const pacer = new SlidingWindowPacer(90, 60_000);
		const sent: number[] = [];
		let now = 0;
		for (let i = 0; i < 181; i++) {
			now += pacer.delayBeforeNext(now);
			pacer.record(now);
			sent.push(now);
			now += 10;
		}
		expect(sent[89]).toBe(890);
		expect(sent[90]).toBe(60_000);
		expect(sent[180]).toBe(120_000);
	});
});

describe('backoffDelay', () => {
	it.each([
		[1, 0, 500],
		[1, 1, 1000],
		[1, 0.5, 750],
		[2, 0, 1000],
		[2, 1, 2000],
		[3, 0, 2000],
		[3, 1, 4000],
		[5, 1, 16000],
		[6, 0, 15000],
		[6, 1, 30000],
		[20, 1, 30000],
		[20, 0, 15000],
		[2000, 0.3, 19500],
	])('attempt %p with random %p → %p ms (base 1 s, cap 30 s)', (attempt, random, expected) => {
		expect(backoffDelay(attempt, undefined, random)).toBe(expected);
	});

	it('never less than Retry-After', () => {
		expect(backoffDelay(1, 45_000, 0)).toBe(45_000);
		expect(backoffDelay(6, 120_000, 1)).toBe(120_000);
		expect(backoffDelay(1, 700, 0)).toBe(700);
	});

	it('a short Retry-After does not shorten the backoff', () => {
		expect(backoffDelay(3, 100, 0)).toBe(2000);
		expect(backoffDelay(1, 0, 0)).toBe(500);
	});

	it('honours custom base and cap', () => {
		expect(backoffDelay(1, undefined, 1, 200, 1000)).toBe(200);
		expect(backoffDelay(4, undefined, 1, 200, 1000)).toBe(1000);
		expect(backoffDelay(4, undefined, 0, 200, 1000)).toBe(500);
	});

	it('is within [exp/2, exp] and at least Retry-After for any attempt, random and Retry-After', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 60 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
				fc.integer({ min: 1, max: 10_000 }),
				fc.integer({ min: 1, max: 1_000_000 }),
				(attempt, random, retryAfterMs, baseMs, capMs) => {
					const exp = Math.min(capMs, baseMs * 2 ** (attempt - 1));
					const delay = backoffDelay(attempt, retryAfterMs, random, baseMs, capMs);
					expect(delay).toBeGreaterThanOrEqual(retryAfterMs ?? 0);
					expect(delay).toBeGreaterThanOrEqual(Math.floor(exp / 2));
					if (retryAfterMs === undefined || retryAfterMs <= exp / 2) {
						expect(delay).toBeLessThanOrEqual(Math.ceil(exp));
					} else {
						expect(delay).toBeLessThanOrEqual(Math.max(Math.ceil(exp), retryAfterMs));
					}
				},
			),
			{ numRuns: 500 },
		);
	});
});
