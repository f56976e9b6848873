/**
 * How often the trigger writes a line about a refused call. A stranger can send refused calls as fast as the
 * network allows; one line each would let a flood fill the log. So refusals are counted per trigger and kind, and
 * a line is written for the first one and then at most once a minute, with the count since the last line. A node
 * may run no timers: the line due after a quiet minute is written with the next refusal. The trigger counts its
 * other warnings that a sender can repeat at will (a forged key, entries that are not objects) the same way.
 */
export const REFUSAL_LINE_EVERY_MS = 60_000;
/** Triggers (and kinds of refusal) counted at once; past it, the least recent is forgotten. */
const MAX_COUNTERS = 256;

interface Counter {
	loggedAt: number;
	unlogged: number;
}

export class RefusalLog {
	private readonly counters = new Map<string, Counter>();

	constructor(
		private readonly everyMs = REFUSAL_LINE_EVERY_MS,
		private readonly maxCounters = MAX_COUNTERS,
	) {}

	/**
	 * Counts one refusal of kind `key` at `now`. Returns how many refusals a line written now would stand for
	 * (this one included) when a line is due, or undefined when this refusal is only counted.
	 */
	note(key: string, now: number): number | undefined {
		const counter = this.counters.get(key);
		if (counter === undefined) {
			this.counters.set(key, { loggedAt: now, unlogged: 0 });
			if (this.counters.size > this.maxCounters)
				this.counters.delete(this.counters.keys().next().value as string);
			return 1;
		}
		counter.unlogged++;
		if (now - counter.loggedAt < this.everyMs) return undefined;
		const count = counter.unlogged;
		counter.loggedAt = now;
		counter.unlogged = 0;
		// Most recently logged last, so that the least recent goes first past the maximum.
		this.counters.delete(key);
		this.counters.set(key, counter);
		return count;
	}
}
