/**
 * How fast, how long and how often a node calls Picky Assist: the options every operation shares, their panel
 * fields and their checks. Each limit keeps a value inside what the node can honour: a timer longer than about
 * 24 days fires at once, so an unchecked timeout of a million seconds would abort every call after a millisecond.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { Checked } from '../helpers/checked';
import { invalid, valid } from '../helpers/checked';

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

/** A number option within [min, max], or its default when left empty. */
export function numberInRange(
	value: unknown,
	fallback: number,
	min: number,
	max: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return fallback;
	const parsed =
		typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
	return Number.isFinite(parsed) && parsed >= min && parsed <= max ? parsed : undefined;
}

/** The per-minute field is named for what the operation sends: pushes, or requests. */
export interface PerMinuteField {
	name: string;
	displayName: string;
}

export function parseCallLimits(
	options: Record<string, unknown>,
	perMinute: PerMinuteField,
): Checked<CallLimits> {
	const calls = numberInRange(options[perMinute.name], DEFAULT_CALLS_PER_MINUTE, 0, 100_000);
	if (calls === undefined)
		return invalid(`"${perMinute.displayName}" must be 0 (no pacing) or more`);
	const retries = numberInRange(options.maxRetries, 3, 0, MAX_RETRIES);
	if (retries === undefined) return invalid(`"Max Retries" must be from 0 to ${MAX_RETRIES}`);
	const wait = numberInRange(options.maxRetryWaitSeconds, 120, 0, MAX_RETRY_WAIT_SECONDS);
	if (wait === undefined)
		return invalid(`"Max Retry Wait (Seconds)" must be from 0 to ${MAX_RETRY_WAIT_SECONDS}`);
	const timeout = numberInRange(options.requestTimeoutSeconds, 60, 0, MAX_TIMEOUT_SECONDS);
	if (timeout === undefined || timeout === 0) {
		return invalid(
			`"Request Timeout (Seconds)" must be more than 0 and at most ${MAX_TIMEOUT_SECONDS}`,
		);
	}
	return valid({
		maxPerMinute: Math.floor(calls),
		maxRetries: Math.floor(retries),
		maxRetryWaitMs: wait * 1000,
		timeoutMs: Math.ceil(timeout * 1000),
	});
}

/** The panel fields of the limits, each with the words of the operation it belongs to. */
export function callLimitFields(descriptions: {
	perMinute: PerMinuteField & { description: string };
	retries: string;
	retryWait: string;
	timeout: string;
}): Record<'perMinute' | 'retries' | 'retryWait' | 'timeout', INodeProperties> {
	const numberField = (
		displayName: string,
		name: string,
		defaultValue: number,
		typeOptions: { minValue: number; maxValue?: number },
		description: string,
	): INodeProperties => ({
		displayName,
		name,
		type: 'number',
		default: defaultValue,
		typeOptions,
		description,
	});
	return {
		perMinute: numberField(
			descriptions.perMinute.displayName,
			descriptions.perMinute.name,
			DEFAULT_CALLS_PER_MINUTE,
			{ minValue: 0 },
			descriptions.perMinute.description,
		),
		retries: numberField(
			'Max Retries',
			'maxRetries',
			3,
			{ minValue: 0, maxValue: MAX_RETRIES },
			descriptions.retries,
		),
		retryWait: numberField(
			'Max Retry Wait (Seconds)',
			'maxRetryWaitSeconds',
			120,
			{ minValue: 0, maxValue: MAX_RETRY_WAIT_SECONDS },
			descriptions.retryWait,
		),
		timeout: numberField(
			'Request Timeout (Seconds)',
			'requestTimeoutSeconds',
			60,
			{ minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
			descriptions.timeout,
		),
	};
}
