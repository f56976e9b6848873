/**
 * Picky Assist's account limit as its documentation states it: 90 push requests a minute, and requests over the
 * limit "will be dropped and won't be processed". What comes back for a dropped push is undocumented; the sandbox
 * takes the hardest plausible answer — exactly what an accepted push gets (`status: 100`, a push_id, msg_ids) — so
 * a client cannot tell from the answer and only the missing deliveries give it away. That is the failure mode a
 * client's pacing has to prevent, and what tests measure through `droppedPushes`.
 *
 * Per token, a sliding window: a push is processed when fewer than `pushes` pushes of that token were processed in
 * the `windowMs` before it; a dropped push does not count (it was not processed). Off by default (tests of other
 * behaviour send faster than that); distinct from `rateLimitPerMinute`, which answers HTTP 429 instead.
 */
import type { PushSuccess, RecordedRequest } from './api';

export interface PushLimit {
	/** Pushes processed per token in any sliding window. */
	pushes: number;
	/** The window in ms. Default 60000. */
	windowMs: number;
}

/** A push answered as accepted and then dropped: never delivered, no events, no delivery report. */
export interface DroppedPush {
	push_id: string;
	/** The recorded request (its body holds the token). */
	request: RecordedRequest;
	/** What the client was told: the same shape as an accepted push's answer. */
	response: PushSuccess;
	/** ms epoch on the sandbox clock. */
	droppedAt: number;
}

/** `pushLimit` as configured: a count (per 60 s), `{pushes, windowMs?}`, or null / 0 / false / "off". */
export function normalisePushLimit(v: unknown): PushLimit | null {
	if (v === undefined || v === null || v === 0 || v === false || v === 'off') return null;
	const bad = () =>
		new RangeError(
			'pushLimit must be a positive integer, {pushes, windowMs?} with positive integers, 0, null or "off"',
		);
	const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
	if (positive(v)) return { pushes: v as number, windowMs: 60_000 };
	if (typeof v !== 'object' || Array.isArray(v)) throw bad();
	const { pushes, windowMs = 60_000, ...rest } = v as Record<string, unknown>;
	if (Object.keys(rest).length > 0 || !positive(pushes) || !positive(windowMs)) throw bad();
	return { pushes: pushes as number, windowMs: windowMs as number };
}

/** The processed pushes of each token in the current window, oldest first. */
export class AccountWindows {
	private readonly times = new Map<string, number[]>();

	/**
	 * Whether a push of `token` at `now` is within `limit` (always true when the limit is off). When it is and
	 * `commit` is set, the push is counted. Pushes are counted while the limit is off too, so switching it on
	 * live is accurate.
	 */
	admit(token: string, now: number, limit: PushLimit | null, commit: boolean): boolean {
		let list = this.times.get(token);
		if (!list) {
			list = [];
			this.times.set(token, list);
		}
		// Only the longest window that may be configured matters; 24 h bounds the memory of a long dry run.
		const keepMs = Math.max(limit?.windowMs ?? 60_000, 60_000);
		let head = 0;
		while (head < list.length && list[head] <= now - Math.min(keepMs, 86_400_000)) head++;
		if (head > 0) list.splice(0, head);
		if (limit) {
			let inWindow = 0;
			for (let i = list.length - 1; i >= 0 && list[i] > now - limit.windowMs; i--) inWindow++;
			if (inWindow >= limit.pushes) return false;
		}
		if (commit) list.push(now);
		return true;
	}

	clear(): void {
		this.times.clear();
	}
}
