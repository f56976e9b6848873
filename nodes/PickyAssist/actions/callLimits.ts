/**
 * How fast, how long and how often a node calls Picky Assist: the limits every operation shares, their bounds and
 * their checks (each operation's Options collection declares the fields, in its own words). Each limit keeps a value
 * inside what the node can honour: a timer longer than about 24 days fires at once, so an unchecked timeout of a
 * million seconds would abort every call after a millisecond.
 */
import type { Checked } from '../helpers/checked';
import { invalid, valid } from '../helpers/checked';
import type { NumberRule } from '../helpers/optionValues';
import { isSet, readNumber } from '../helpers/optionValues';

export const MAX_TIMEOUT_SECONDS = 3600;
export const MAX_RETRY_WAIT_SECONDS = 3600;
export const MAX_RETRIES = 10;
export const DEFAULT_CALLS_PER_MINUTE = 90;

export interface CallLimits {
	maxPerMinute: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	timeoutMs: number;
}

/** The per-minute field is named for what the operation sends: pushes, or requests. */
export interface PerMinuteField {
	name: string;
	displayName: string;
}

/**
 * The shortest Request Timeout. A push's answer needs a round trip to Picky Assist and the time it takes to queue
 * the messages; a timeout far below a second would end nearly every push before its answer and leave every row
 * unknown (may or may not have been queued) — a setting that can only do harm, so it is refused.
 */
export const MIN_TIMEOUT_SECONDS = 1;
export const MAX_CALLS_PER_MINUTE = 100_000;

function limit(
	options: Record<string, unknown>,
	name: string,
	fallback: number,
	rule: NumberRule,
): Checked<number> {
	return isSet(options, name) ? readNumber(options[name], rule) : valid(fallback);
}

export function parseCallLimits(
	options: Record<string, unknown>,
	perMinute: PerMinuteField,
	defaultTimeoutSeconds = 60,
): Checked<CallLimits> {
	// Pacing and the timeout guard the account and the rows' outcomes: read strictly (see helpers/optionValues.ts).
	const calls = limit(options, perMinute.name, DEFAULT_CALLS_PER_MINUTE, {
		min: 0,
		max: MAX_CALLS_PER_MINUTE,
		whole: true,
		minMeaning: '(no pacing)',
	});
	if (!calls.ok) return invalid(`"${perMinute.displayName}" ${calls.reason}`);
	const retries = limit(options, 'maxRetries', 3, { min: 0, max: MAX_RETRIES, whole: true });
	if (!retries.ok) return invalid(`"Max Retries" ${retries.reason}`);
	const wait = limit(options, 'maxRetryWaitSeconds', 120, {
		min: 0,
		max: MAX_RETRY_WAIT_SECONDS,
		whole: false,
		unit: 'seconds',
	});
	if (!wait.ok) return invalid(`"Max Retry Wait (Seconds)" ${wait.reason}`);
	const timeout = limit(options, 'requestTimeoutSeconds', defaultTimeoutSeconds, {
		min: MIN_TIMEOUT_SECONDS,
		max: MAX_TIMEOUT_SECONDS,
		whole: false,
		unit: 'seconds',
	});
	if (!timeout.ok) return invalid(`"Request Timeout (Seconds)" ${timeout.reason}`);
	return valid({
		maxPerMinute: calls.value,
		maxRetries: retries.value,
		maxRetryWaitMs: wait.value * 1000,
		timeoutMs: Math.ceil(timeout.value * 1000),
	});
}
