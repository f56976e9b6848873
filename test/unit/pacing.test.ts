/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
import fc from 'fast-check';

import {
	accountKey,
	AccountPacing,
	AccountWindow,
	backoffDelay,
	type PacingSlot,
} from '../../nodes/PickyAssist/transport/pacing';

/**
 * One caller whose calls are answered at the instant they go: `send(now)` sends when the window has room (and
 * returns 0) or returns how long to wait (and sends nothing).
 */
function caller(window: AccountWindow, limit: number) {
	return {
		send(now: number): number {
			const r = window.reserve(now, limit);
			if (r.kind === 'wait') return r.waitMs;
			r.slot.settle(now);
			return 0;
		},
		/** Takes a place at `now` and leaves the call under way; undefined when it has to wait. */
		start(now: number): PacingSlot | undefined {
			const r = window.reserve(now, limit);
			return r.kind === 'reserved' ? r.slot : undefined;
		},
	};
}

describe('AccountWindow, one caller', () => {
	it('lets the first `limit` pushes go at once, with no gap between them', () => {
		const pacer = caller(new AccountWindow(1000), 3);
		for (let i = 0; i < 3; i++) expect(pacer.send(0)).toBe(0);
		expect(pacer.send(0)).toBe(1000);
	});

	it('90 pushes at the same instant go without delay (never a fixed gap)', () => {
		const pacer = caller(new AccountWindow(60_000), 90);
		for (let i = 0; i < 90; i++) expect(pacer.send(5_000)).toBe(0);
		expect(pacer.send(5_000)).toBe(60_000);
	});

	it('waits exactly until the oldest push in the window leaves it: oldest + window − now', () => {
		const pacer = caller(new AccountWindow(1000), 3);
		pacer.send(100);
		pacer.send(250);
		pacer.send(400);
		expect(pacer.send(500)).toBe(100 + 1000 - 500);
		expect(pacer.send(1000)).toBe(100);
		expect(pacer.send(1099)).toBe(1);
		expect(pacer.send(1100)).toBe(0);
	});

	it('after the oldest leaves, the next oldest decides the delay', () => {
		const pacer = caller(new AccountWindow(1000), 2);
		pacer.send(0);
		pacer.send(300);
		expect(pacer.send(600)).toBe(400);
		expect(pacer.send(1000)).toBe(0);
		// window now holds 300 and 1000
		expect(pacer.send(1000)).toBe(300);
		expect(pacer.send(1200)).toBe(100);
		expect(pacer.send(1300)).toBe(0);
	});

	it('pushes that left the window do not count', () => {
		const pacer = caller(new AccountWindow(1000), 2);
		pacer.send(0);
		pacer.send(1);
		expect(pacer.send(1500)).toBe(0);
		expect(pacer.send(1600)).toBe(0);
		expect(pacer.send(1700)).toBe(800);
	});

	it('limit 0 turns pacing off for that caller', () => {
		const pacer = caller(new AccountWindow(1000), 0);
		for (let i = 0; i < 500; i++) expect(pacer.send(0)).toBe(0);
	});

	it('at the fastest allowed pace, 90 pushes go at once and the 91st waits for the first to leave the window', () => {
		const pacer = caller(new AccountWindow(60_000), 90);
		const sent: number[] = [];
		let now = 0;
		for (let i = 0; i < 181; i++) {
			for (let wait = pacer.send(now); wait > 0; wait = pacer.send(now)) now += wait;
			sent.push(now);
			now += 10;
		}
		expect(sent[89]).toBe(890);
		expect(sent[90]).toBe(60_000);
		expect(sent[180]).toBe(120_000);
	});
});

describe('AccountWindow, a push reserves its place when it goes and counts from its answer', () => {
	it('a push under way holds its place: a second sender at the same instant waits (both would see a free window if the push were counted at its answer)', () => {
		const window = new AccountWindow(1000);
		const first = caller(window, 1);
		const second = caller(window, 1);
		const slot = first.start(0);
		expect(slot).toBeDefined();
		expect(second.start(0)).toBeUndefined();
		// Still under way much later: its answer is yet to come, so it leaves no sooner than a window from now.
		const r = window.reserve(5000, 1);
		expect(r).toMatchObject({ kind: 'wait', waitMs: 1000, inWindow: 1, limit: 1 });
	});

	it('once answered, the push counts from its answer, not from when it went out', () => {
		const window = new AccountWindow(1000);
		const pacer = caller(window, 1);
		const slot = pacer.start(0)!;
		slot.settle(400); // answered 400 ms after it was sent
		expect(pacer.send(1000)).toBe(400); // 400 + 1000 − 1000, not free at 1000
		expect(pacer.send(1399)).toBe(1);
		expect(pacer.send(1400)).toBe(0);
	});

	it('many concurrent senders of one account together take exactly `limit` places', () => {
		const window = new AccountWindow(60_000);
		const senders = Array.from({ length: 10 }, () => caller(window, 3));
		const started = senders.map((s) => s.start(0));
		expect(started.filter(Boolean)).toHaveLength(3);
	});
});

describe('AccountWindow, what the log is told', () => {
	it('the first wait of an account is announced, the waits that follow within a window are not', () => {
		// 90 pushes spread over a second fill the window; then each later push waits a moment for the next to leave.
		const window = new AccountWindow(60_000);
		for (let i = 0; i < 90; i++) caller(window, 90).send(i * 10);
		const announced: boolean[] = [];
		let now = 1000;
		for (let push = 0; push < 60; push++) {
			for (;;) {
				const r = window.reserve(now, 90);
				if (r.kind === 'reserved') {
					r.slot.settle(now);
					break;
				}
				announced.push(r.announce);
				now += r.waitMs;
			}
		}
		expect(announced.length).toBeGreaterThan(50);
		expect(announced.filter(Boolean)).toHaveLength(1);
		expect(announced[0]).toBe(true);
	});

	it('a wait a window after the last announced one is announced again', () => {
		const window = new AccountWindow(1000);
		const pacer = caller(window, 1);
		pacer.send(0);
		expect(window.reserve(0, 1)).toMatchObject({ kind: 'wait', announce: true });
		expect(window.reserve(500, 1)).toMatchObject({ kind: 'wait', announce: false });
		pacer.send(1000);
		expect(window.reserve(1000, 1)).toMatchObject({ kind: 'wait', announce: true });
	});
});

describe('AccountWindow, callers with different limits on one account', () => {
	it('a caller asking for fewer holds the others to its limit while its pushes are in the window', () => {
		const window = new AccountWindow(1000);
		const generous = caller(window, 5);
		const strict = caller(window, 2);
		expect(strict.send(0)).toBe(0);
		expect(generous.send(0)).toBe(0);
		// Two in the window and one of them asked for at most 2: the generous caller waits too.
		expect(generous.send(10)).toBe(990);
		expect(strict.send(10)).toBe(990);
		// Once the strict caller's push has left, the generous caller's own limit applies again.
		for (let i = 0; i < 5; i++) expect(generous.send(1000)).toBe(0);
		expect(generous.send(1000)).toBe(1000);
	});

	it('a caller asking for fewer waits for the pushes of a generous one', () => {
		const window = new AccountWindow(1000);
		const generous = caller(window, 5);
		const strict = caller(window, 2);
		for (let t = 0; t < 5; t++) expect(generous.send(t * 100)).toBe(0);
		// Five in the window; the strict caller may go only once fewer than 2 are left: when the 4th has left.
		expect(strict.send(450)).toBe(300 + 1000 - 450);
		expect(strict.send(1299)).toBe(1);
		expect(strict.send(1300)).toBe(0);
		// Now its push holds everyone to 2 in the window.
		expect(generous.send(1300)).toBe(100);
	});

	it('a caller with pacing off never waits, and its pushes count for the paced callers', () => {
		const window = new AccountWindow(1000);
		const unpaced = caller(window, 0);
		const paced = caller(window, 3);
		for (let i = 0; i < 10; i++) expect(unpaced.send(0)).toBe(0);
		expect(paced.send(0)).toBe(1000);
		expect(paced.send(1000)).toBe(0);
	});

	it('no window of the account ever holds more pushes than the smallest limit among them (any senders, limits, delays)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 50, max: 2000 }),
				fc.array(
					fc.record({
						limit: fc.integer({ min: 1, max: 6 }),
						gap: fc.integer({ min: 0, max: 400 }),
						answerAfter: fc.integer({ min: 0, max: 600 }),
					}),
					{ minLength: 1, maxLength: 60 },
				),
				(windowMs, calls) => {
					const window = new AccountWindow(windowMs);
					// Each call asks at its time until it gets a place; answers arrive later, in any order.
					const answered: Array<{ at: number; limit: number }> = [];
					const sent: Array<{ at: number; limit: number }> = [];
					const underWay: Array<{ slot: PacingSlot; answerAt: number; limit: number }> = [];
					let now = 0;
					const settleUpTo = (t: number) => {
						underWay.sort((a, b) => a.answerAt - b.answerAt);
						while (underWay.length > 0 && underWay[0].answerAt <= t) {
							const done = underWay.shift()!;
							done.slot.settle(done.answerAt);
							answered.push({ at: done.answerAt, limit: done.limit });
						}
					};
					for (const call of calls) {
						now += call.gap;
						for (;;) {
							settleUpTo(now);
							const r = window.reserve(now, call.limit);
							if (r.kind === 'reserved') {
								underWay.push({
									slot: r.slot,
									answerAt: now + call.answerAfter,
									limit: call.limit,
								});
								sent.push({ at: now, limit: call.limit });
								break;
							}
							expect(r.waitMs).toBeGreaterThan(0);
							now += r.waitMs;
						}
					}
					settleUpTo(Infinity);
					// Picky Assist counts a push somewhere between its send and its answer: both ends hold the limit.
					for (const times of [answered, sent]) {
						for (const { at } of times) {
							const inWindow = times.filter((a) => a.at > at - windowMs && a.at <= at);
							expect(inWindow.length).toBeLessThanOrEqual(
								Math.min(...inWindow.map((a) => a.limit)),
							);
						}
					}
				},
			),
			{ numRuns: 300 },
		);
	});
});

describe('AccountPacing, the process-wide table', () => {
	it('every pacer of one token shares one window; another token has its own', () => {
		const table = new AccountPacing(1000);
		const runA = table.forAccount('tok-A', 'push', 1);
		const runA2 = table.forAccount('tok-A', 'push', 1);
		const runB = table.forAccount('tok-B', 'push', 1);
		expect(runA.reserve(0).kind).toBe('reserved');
		expect(runA2.reserve(0).kind).toBe('wait');
		expect(runB.reserve(0).kind).toBe('reserved');
	});

	it('reads and pushes of one account have their own windows', () => {
		const table = new AccountPacing(1000);
		expect(table.forAccount('tok-A', 'push', 1).reserve(0).kind).toBe('reserved');
		expect(table.forAccount('tok-A', 'read', 1).reserve(0).kind).toBe('reserved');
	});

	it('is keyed by a hash of the token, never the token itself', () => {
		const token = 'pa-tok_secret-0123456789';
		const table = new AccountPacing(1000);
		table.forAccount(token, 'push', 5).reserve(0);
		expect(table.keys().join()).not.toContain(token);
		expect(table.keys()).toEqual([`push:${accountKey(token)}`]);
		expect(accountKey(token)).toMatch(/^[0-9a-f]{64}$/);
		expect(accountKey(token)).not.toBe(accountKey(`${token}x`));
	});

	it('forgets an account once its window is empty, when the table is next used (no timer)', () => {
		const table = new AccountPacing(1000);
		const send = (token: string, now: number, answeredAt = now) => {
			const r = table.forAccount(token, 'push', 5).reserve(now);
			if (r.kind !== 'reserved') throw new Error('expected a place');
			r.slot.settle(answeredAt);
			return r.slot;
		};
		send('tok-A', 0);
		const underWay = table.forAccount('tok-B', 'push', 5).reserve(0);
		expect(table.size).toBe(2);
		send('tok-C', 5000);
		// tok-A's push left the window; tok-B's is still under way, so it is kept however old.
		expect(table.keys().sort()).toEqual(
			[`push:${accountKey('tok-B')}`, `push:${accountKey('tok-C')}`].sort(),
		);
		if (underWay.kind === 'reserved') underWay.slot.settle(5500);
		send('tok-C', 6499);
		expect(table.size).toBe(2);
		send('tok-C', 6500);
		expect(table.keys()).toEqual([`push:${accountKey('tok-C')}`]);
	});

	it('a run holding its pacer while its account is forgotten still shares the window with later runs', () => {
		const table = new AccountPacing(1000);
		const early = table.forAccount('tok-A', 'push', 1);
		table.forAccount('tok-B', 'push', 1).reserve(0); // the table is used; tok-A has nothing in its window
		expect(early.reserve(10).kind).toBe('reserved');
		expect(table.forAccount('tok-A', 'push', 1).reserve(10).kind).toBe('wait');
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
