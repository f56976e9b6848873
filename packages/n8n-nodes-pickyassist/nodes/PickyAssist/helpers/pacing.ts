/**
 * Picky Assist accepts 90 pushes a minute and silently drops the rest. The pacer keeps a sliding window of the
 * send times of the last `limit` pushes and only makes a push wait when the window is full — never a fixed gap.
 * It holds no clock of its own: callers pass the time in, so it is tested without waiting.
 */
export class SlidingWindowPacer {
	private readonly sentAt: number[] = [];
	private head = 0;

	constructor(
		private readonly limit: number,
		private readonly windowMs = 60_000,
	) {}

	/** Milliseconds to wait before the next push may go out at `now` (0 when it may go now or pacing is off). */
	delayBeforeNext(now: number): number {
		if (this.limit <= 0) return 0;
		while (this.head < this.sentAt.length && this.sentAt[this.head] <= now - this.windowMs)
			this.head++;
		if (this.sentAt.length - this.head < this.limit) return 0;
		return this.sentAt[this.head] + this.windowMs - now;
	}

	record(now: number): void {
		if (this.limit <= 0) return;
		this.sentAt.push(now);
	}
}

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
