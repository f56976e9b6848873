/**
 * Which events the trigger already emitted, so that a webhook Picky Assist sends again (it retries one that got
 * no 200 after 1 min, 15 min, 2 h and 6 h) starts no second execution.
 *
 * The memory lives in the workflow's static data, which n8n reads with every webhook call and writes back after
 * every execution that changed it. Its cost therefore grows with its size and with how much work parsing it is:
 * the keys are kept as a few long strings (one per hour, keys separated by line breaks) rather than one object
 * with a property per key, and there is a fixed maximum. Hours older than a day are dropped whole, and past the
 * maximum the oldest keys go first, so the memory stays bounded whatever arrives.
 */

export const REMEMBER_MS = 24 * 60 * 60 * 1000;
export const MAX_REMEMBERED = 50_000;
const HOUR_MS = 60 * 60 * 1000;
const SEPARATOR = '\n';

/** [start of the hour, the keys first seen in it joined by SEPARATOR], oldest hour first. */
type Hour = [number, string];

interface Memory {
	hours: Hour[];
}

function isMemory(value: unknown): value is Memory {
	return (
		typeof value === 'object' &&
		value !== null &&
		Array.isArray((value as Memory).hours) &&
		(value as Memory).hours.every(
			(hour) => Array.isArray(hour) && typeof hour[0] === 'number' && typeof hour[1] === 'string',
		)
	);
}

/** A key as stored: JSON string escaping keeps SEPARATOR out of it, and distinct keys stay distinct. */
function stored(key: string): string {
	return key.includes(SEPARATOR) || key.includes('\\') ? JSON.stringify(key) : key;
}

function keysOf(hour: Hour): string[] {
	return hour[1] === '' ? [] : hour[1].split(SEPARATOR);
}

export class RecentEvents {
	private readonly hours: Hour[];
	private known?: Set<string>;
	private added: string[] = [];
	private changed = false;

	constructor(
		private readonly store: Record<string, unknown>,
		private readonly now: number,
		private readonly max = MAX_REMEMBERED,
	) {
		const memory = store.recentEvents;
		const hours = isMemory(memory) ? memory.hours.map((hour): Hour => [hour[0], hour[1]]) : [];
		// An hour is kept while any key in it can be younger than a day.
		const kept = hours.filter((hour) => hour[0] + HOUR_MS > now - REMEMBER_MS);
		this.changed = kept.length !== hours.length || (memory !== undefined && !isMemory(memory));
		this.hours = kept;
	}

	/** True when `key` was emitted within the last day; otherwise remembers it and returns false. */
	seenBefore(key: string): boolean {
		// The set is built on the first question only: calls that emit nothing never pay for it.
		this.known ??= new Set(this.hours.flatMap(keysOf));
		const entry = stored(key);
		if (this.known.has(entry)) return true;
		this.known.add(entry);
		this.added.push(entry);
		return false;
	}

	/**
	 * Writes the memory back into the static data when it changed (n8n saves static data only then); returns
	 * whether it did.
	 */
	save(): boolean {
		if (this.added.length > 0) {
			const hourStart = this.now - (this.now % HOUR_MS);
			const last = this.hours[this.hours.length - 1];
			const joined = this.added.join(SEPARATOR);
			if (last && last[0] === hourStart)
				last[1] = last[1] === '' ? joined : `${last[1]}${SEPARATOR}${joined}`;
			else this.hours.push([hourStart, joined]);
			this.added = [];
			this.changed = true;
			this.trim();
		}
		if (!this.changed) return false;
		// A new object: both n8n lines notice a property that is set, not always one changed deep inside.
		this.store.recentEvents = { hours: this.hours } satisfies Memory;
		this.changed = false;
		return true;
	}

	/** Past the maximum, the oldest keys go, down to nine tenths of it so that a trim is not needed every call. */
	private trim(): void {
		// Every remembered key is in the set, once: its size is the count, without reading the hours again.
		const count = this.known?.size ?? 0;
		if (count <= this.max) return;
		let excess = count - Math.floor(this.max * 0.9);
		while (excess > 0 && this.hours.length > 0) {
			const keys = keysOf(this.hours[0]);
			if (keys.length <= excess) {
				this.hours.shift();
				excess -= keys.length;
			} else {
				this.hours[0][1] = keys.slice(excess).join(SEPARATOR);
				excess = 0;
			}
		}
	}
}
