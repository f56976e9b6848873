/**
 * Picky Assist accepts 90 pushes a minute per account and silently drops the rest, so pacing belongs to the
 * account, not to one run of the node. n8n loads a node's module once per process (its tool variants too), so one
 * module-level table serves every run in the process: loops, concurrent executions, sub-workflows and an agent's
 * parallel tool calls. Other processes (queue-mode workers) have their own table.
 *
 * Each account keeps a sliding window of its calls and makes a call wait only when the window is full — never a
 * fixed gap. Nothing here holds a clock or a timer: callers pass the time in, and stale entries are dropped
 * whenever the table is used.
 */
import { createHash } from 'node:crypto';

/** A call's place in its account's window, taken before the call is sent. */
export interface PacingSlot {
	/** Called when the call's answer (or its failure) arrives: from then on the slot counts from that moment. */
	settle(now: number): void;
}

export type Reservation =
	| { kind: 'reserved'; slot: PacingSlot }
	| {
			kind: 'wait';
			waitMs: number;
			inWindow: number;
			limit: number;
			/** True for the first wait of the account in a window's time: the one worth a line in the log. */
			announce: boolean;
	  };

interface Slot extends PacingSlot {
	/** When the call went out, then when its answer came. */
	at: number;
	inFlight: boolean;
	/** The limit of the caller that took it; Infinity when that caller paces nothing. */
	limit: number;
}

/**
 * One account's window. A slot is taken synchronously when a call may go, before its request is awaited, so
 * concurrent callers never both see the same free place. While the request is under way the slot counts as
 * "now"; when the answer comes the slot is moved to the answer's time. Picky Assist counts a push when it
 * arrives, which lies between the two: counting from the answer keeps every 60 s of arrivals within the limit
 * whatever the network's delay, and counting from the send while in flight keeps concurrent callers out.
 *
 * Callers with different limits share one window; a call may go only while the window holds fewer calls than
 * its own limit and than the limit of every call still in the window. So no window of the account ever holds
 * more calls than the smallest limit among them: a caller asking for less slows the others down while its own
 * calls are in the window. A caller with pacing off (limit 0) never waits, but its calls count for the others.
 */
export class AccountWindow {
	private slots: Slot[] = [];
	/**
	 * When a wait was last announced. A full sliding window makes nearly every later call wait a moment (the
	 * calls before it left one by one), so the log says once per window's time that the account is paced.
	 */
	private announcedAt = -Infinity;

	constructor(private readonly windowMs: number) {}

	/** Drops the settled calls that left the window; true when nothing is left to remember. */
	forget(now: number): boolean {
		const since = now - this.windowMs;
		this.slots = this.slots.filter((slot) => slot.inFlight || slot.at > since);
		return this.slots.length === 0;
	}

	/** Takes a slot for a call at `now`, or says how long to wait before asking again. */
	reserve(now: number, limit: number): Reservation {
		this.forget(now);
		const ownLimit = limit > 0 ? limit : Infinity;
		let effective = ownLimit;
		for (const slot of this.slots) effective = Math.min(effective, slot.limit);
		if (limit <= 0 || this.slots.length < effective) {
			const slot: Slot = {
				at: now,
				inFlight: true,
				limit: ownLimit,
				settle(answeredAt: number) {
					slot.at = Math.max(slot.at, answeredAt);
					slot.inFlight = false;
				},
			};
			this.slots.push(slot);
			return { kind: 'reserved', slot };
		}
		// A call under way leaves the window no sooner than a full window after now (its answer is still to come).
		const leaves = this.slots
			.map((slot) => (slot.inFlight ? Math.max(slot.at, now) : slot.at) + this.windowMs)
			.sort((a, b) => a - b);
		// Enough calls must leave for the count to drop below the limit; the limits may loosen sooner, and the
		// caller asks again after the wait either way.
		const leaving = leaves[this.slots.length - effective];
		const announce = now - this.announcedAt >= this.windowMs;
		if (announce) this.announcedAt = now;
		return {
			kind: 'wait',
			waitMs: Math.max(1, leaving - now),
			inWindow: this.slots.length,
			limit: effective,
			announce,
		};
	}
}

/** What one caller uses: its account's window in the table, and its own limit (0 = pacing off). */
export class AccountPacer {
	constructor(
		private readonly table: AccountPacing,
		private readonly key: string,
		readonly limit: number,
	) {}

	reserve(now: number): Reservation {
		return this.table.reserve(this.key, now, this.limit);
	}
}

/** Never the token itself as a key: a table in memory is still something a heap dump shows. */
export function accountKey(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The windows of every account seen in this process, keyed by a hash of the token and the kind of call. */
export class AccountPacing {
	private readonly windows = new Map<string, AccountWindow>();

	constructor(private readonly windowMs = 60_000) {}

	/** A pacer for `token`'s calls of one kind ("push" or "read"); all pacers of the same account share a window. */
	forAccount(token: string, kind: 'push' | 'read', limit: number): AccountPacer {
		return new AccountPacer(this, `${kind}:${accountKey(token)}`, limit);
	}

	/**
	 * Looks the window up at every call rather than holding it: an account forgotten while a run holds its pacer
	 * had nothing in its window, which is exactly what a new window has.
	 */
	reserve(key: string, now: number, limit: number): Reservation {
		this.forgetIdle(now);
		let window = this.windows.get(key);
		if (!window) {
			window = new AccountWindow(this.windowMs);
			this.windows.set(key, window);
		}
		return window.reserve(now, limit);
	}

	/** How many accounts' windows are kept (for tests of the eviction). */
	get size(): number {
		return this.windows.size;
	}

	keys(): string[] {
		return [...this.windows.keys()];
	}

	/** Accounts with nothing left in their window are forgotten whenever the table is used, with no timer. */
	private forgetIdle(now: number): void {
		for (const [key, window] of this.windows) if (window.forget(now)) this.windows.delete(key);
	}
}

/** The process-wide table: one module instance per n8n process, shared by every run of the node. */
export const accountPacing = new AccountPacing();

/**
 * Exponential backoff with full jitter, honouring a server's Retry-After when it asks for longer.
 * @param attempt 1 for the first retry
 */
export function backoffDelay(
	attempt: number,
	retryAfterMs: number | undefined,
	random: number,
	baseMs = 1000,
	capMs = 30_000,
): number {
	const exponential = Math.min(capMs, baseMs * 2 ** (attempt - 1));
	const jittered = Math.round(exponential / 2 + (exponential / 2) * random);
	return Math.max(jittered, retryAfterMs ?? 0);
}
