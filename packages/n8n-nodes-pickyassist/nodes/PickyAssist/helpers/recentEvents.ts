/**
 * Which events the trigger already emitted, so that a webhook Picky Assist sends again (it retries one that got
 * no 200 after 1 min, 15 min, 2 h and 6 h) starts no second execution. Kept in the workflow's static data as a
 * plain object of key → time, oldest first; entries older than a day are dropped, and so are the oldest ones
 * beyond a fixed number, so the memory stays bounded whatever arrives.
 */

export const REMEMBER_MS = 24 * 60 * 60 * 1000;
export const MAX_REMEMBERED = 100_000;
/** How often expired entries are swept: a sweep reads every entry, so not on every call. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

interface Memory {
	seen: Record<string, number>;
	count: number;
	sweptAt: number;
}

export class RecentEvents {
	private readonly memory: Memory;

	constructor(
		store: Record<string, unknown>,
		private readonly now: number,
		private readonly max = MAX_REMEMBERED,
	) {
		const memory = store.recentEvents as Memory | undefined;
		this.memory =
			memory && typeof memory.seen === 'object' ? memory : { seen: {}, count: 0, sweptAt: now };
		store.recentEvents = this.memory;
		if (now - this.memory.sweptAt > SWEEP_EVERY_MS || this.memory.count > this.max) this.sweep();
	}

	/** True when `key` was emitted within the last day; otherwise remembers it and returns false. */
	seenBefore(key: string): boolean {
		const at = this.memory.seen[key];
		if (at !== undefined && this.now - at < REMEMBER_MS) return true;
		if (at === undefined) this.memory.count++;
		else delete this.memory.seen[key]; // re-inserted below, so the order stays oldest first
		this.memory.seen[key] = this.now;
		if (this.memory.count > this.max) this.sweep();
		return false;
	}

	private sweep(): void {
		const { seen } = this.memory;
		let excess = this.memory.count - Math.floor(this.max * 0.9);
		for (const key of Object.keys(seen)) {
			if (this.now - seen[key] < REMEMBER_MS && excess <= 0) break;
			delete seen[key];
			this.memory.count--;
			excess--;
		}
		this.memory.sweptAt = this.now;
	}
}
