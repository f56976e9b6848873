/**
 * Which events the trigger already emitted, so that a webhook Picky Assist sends again (it retries one that got
 * no 200 after 1 min, 15 min, 2 h and 6 h) starts no second execution.
 *
 * Two layers. The first is a memory in this process, per workflow and trigger node: asking and remembering happen
 * in one synchronous step, so however fast calls arrive, a re-sent event is dropped within one process. The
 * second is the workflow's static data, what survives a restart (and what other processes may read): n8n reads it
 * from the database with every call and saves it once per call, the last write winning, so it alone cannot keep up
 * with calls that come close together. Every save writes the whole process memory, merged with the copy read.
 *
 * Memory is bounded in bytes, whatever arrives: every event is remembered as a fixed-size digest of what
 * identifies it, never as the text a sender chose; at most MAX_REMEMBERED digests per trigger, for a day; and at
 * most MAX_TRIGGERS trigger memories per process. In the static data the digests are kept as a few long strings
 * (one per hour, separated by line breaks), cheap for n8n to read and write.
 */
import { createHash } from 'node:crypto';

export const REMEMBER_MS = 24 * 60 * 60 * 1000;
export const MAX_REMEMBERED = 50_000;
export const MAX_TRIGGERS = 32;
/** 128 bits of SHA-256 in base64url: collisions are out of reach, and a key with its separator is 23 bytes. */
const DIGEST_CHARS = 22;
const DIGEST = /^[A-Za-z0-9_-]{22}$/;
const HOUR_MS = 60 * 60 * 1000;
const SEPARATOR = '\n';

/** [start of the hour, the digests first seen in it joined by SEPARATOR], oldest hour first. */
type Hour = [number, string];

interface Memory {
	hours: Hour[];
}

/**
 * One trigger's memory in this process: a set of digests for the questions, and the same digests as one text per
 * hour, kept up to date as keys come, so that a save costs no pass over every key.
 */
class ProcessMemory {
	/** Digest → start of the hour it was first seen in. */
	readonly seen = new Map<string, number>();
	/** Start of the hour → its digests joined by SEPARATOR, in the order remembered. */
	readonly hours = new Map<number, string>();
	/** The static data's hours as last merged or written, so that an unchanged copy is not read again. */
	merged = new Map<number, string>();

	add(key: string, hourStart: number): void {
		this.seen.set(key, hourStart);
		const text = this.hours.get(hourStart);
		this.hours.set(hourStart, text === undefined ? key : `${text}${SEPARATOR}${key}`);
	}

	/** Forgets the hours for which `keep` is false, and past `max` keys the oldest, down to nine tenths of it. */
	trim(keep: (hourStart: number) => boolean, max: number): void {
		let excess = this.seen.size > max ? this.seen.size - Math.floor(max * 0.9) : 0;
		for (const hourStart of [...this.hours.keys()].sort((a, b) => a - b)) {
			if (keep(hourStart) && excess <= 0) break;
			const keys = this.hours.get(hourStart)!.split(SEPARATOR);
			const gone = keep(hourStart) ? Math.min(excess, keys.length) : keys.length;
			for (const key of keys.slice(0, gone)) this.seen.delete(key);
			excess -= gone;
			if (gone === keys.length) this.hours.delete(hourStart);
			else this.hours.set(hourStart, keys.slice(gone).join(SEPARATOR));
		}
	}
}

const processMemories = new Map<string, ProcessMemory>();

/** The memory of one trigger (workflow and node), most recently used last; the least recent goes past the max. */
function processMemory(key: string): ProcessMemory {
	let memory = processMemories.get(key);
	if (memory) processMemories.delete(key);
	else memory = new ProcessMemory();
	processMemories.set(key, memory);
	if (processMemories.size > MAX_TRIGGERS)
		processMemories.delete(processMemories.keys().next().value as string);
	return memory;
}

export function eventDigest(identity: string): string {
	return createHash('sha256').update(identity, 'utf8').digest('base64url').slice(0, DIGEST_CHARS);
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

export class RecentEvents {
	private readonly hours: Hour[];
	private readonly memory: ProcessMemory;
	private merged = false;
	private added = 0;
	private changed = false;

	/**
	 * `store` is the static data; `memoryKey` names the trigger in this process (workflow and node). Without one, the
	 * process memory is this object's own.
	 */
	constructor(
		private readonly store: Record<string, unknown>,
		private readonly now: number,
		private readonly max = MAX_REMEMBERED,
		memoryKey?: string,
	) {
		this.memory = memoryKey === undefined ? new ProcessMemory() : processMemory(memoryKey);
		const stored = store.recentEvents;
		const hours = isMemory(stored) ? stored.hours : [];
		const kept = hours.filter((hour) => this.fresh(hour[0]));
		this.changed = kept.length !== hours.length || (stored !== undefined && !isMemory(stored));
		this.hours = kept;
	}

	/** An hour is kept while any key in it can be younger than a day. */
	private fresh(hourStart: number): boolean {
		return hourStart + HOUR_MS > this.now - REMEMBER_MS;
	}

	/**
	 * Adds what the static data holds and this process does not know yet (after a restart, or written by another
	 * process). Done on the first question only: calls that emit nothing never pay for it.
	 */
	private merge(): void {
		if (this.merged) return;
		this.merged = true;
		const memory = this.memory;
		// Hours past the day go first, so that every digest the process lists is one to drop.
		memory.trim((hourStart) => this.fresh(hourStart), Number.POSITIVE_INFINITY);
		for (const [hourStart, text] of this.hours) {
			// An hour only grows in one process: a copy saved earlier (read by a call that came close after another)
			// is where the process's own text starts, and has nothing new.
			if (memory.merged.get(hourStart) === text || memory.hours.get(hourStart)?.startsWith(text))
				continue;
			memory.merged.set(hourStart, text);
			for (const key of text === '' ? [] : text.split(SEPARATOR)) {
				if (memory.seen.has(key)) continue;
				// Anything but a digest (an older format, or an edited copy) is not kept: the next save leaves it out.
				if (DIGEST.test(key)) memory.add(key, hourStart);
				else this.changed = true;
			}
		}
	}

	/** True when the event `identity` names was seen within the last day; otherwise remembers it, returns false. */
	seenBefore(identity: string): boolean {
		this.merge();
		const key = eventDigest(identity);
		if (this.memory.seen.has(key)) return true;
		this.memory.add(key, this.now - (this.now % HOUR_MS));
		this.added++;
		return false;
	}

	/**
	 * Writes the memory into the static data when it changed (n8n saves static data only then); returns whether
	 * it did.
	 */
	save(): boolean {
		if (this.added === 0 && !this.changed) return false;
		this.merge();
		this.memory.trim((hourStart) => this.fresh(hourStart), this.max);
		const hours = [...this.memory.hours]
			.filter((hour) => hour[1] !== '')
			.sort((a, b) => a[0] - b[0]);
		this.memory.merged = new Map(hours);
		// A new object: both n8n lines notice a property that is set, not always one changed deep inside.
		this.store.recentEvents = { hours } satisfies Memory;
		this.added = 0;
		this.changed = false;
		return true;
	}
}
