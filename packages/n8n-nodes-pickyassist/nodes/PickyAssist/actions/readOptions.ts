/**
 * Options and shared set-up of the operations that only read from Picky Assist (Get Delivery Report, Get
 * Balance): how long to wait, how often to retry, how fast to call. The limits are the same as Send's.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Checked } from '../helpers/checked';
import { invalid, valid } from '../helpers/checked';
import { SlidingWindowPacer } from '../helpers/pacing';
import { redact } from '../helpers/redaction';
import type { PickyAssistCredentials, ReadPolicy } from '../transport';
import { apiBaseUrl, credentialForRequests, CREDENTIAL_TYPE } from '../transport';
import { MAX_RETRIES, MAX_RETRY_WAIT_SECONDS, MAX_TIMEOUT_SECONDS } from './message/sendSettings';

export const readOptionProperties: INodeProperties[] = [
	{
		displayName: 'Max Requests per Minute',
		name: 'maxRequestsPerMinute',
		type: 'number',
		default: 90,
		typeOptions: { minValue: 0 },
		description:
			'The node waits only when this many calls went out in the last 60 seconds; 0 turns pacing off',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 0, maxValue: MAX_RETRIES },
		description:
			'Retries of a call that got no usable answer. Reading twice sends nothing and costs nothing.',
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWaitSeconds',
		type: 'number',
		default: 120,
		typeOptions: { minValue: 0, maxValue: MAX_RETRY_WAIT_SECONDS },
		description: 'The longest time spent waiting between the retries of one call',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeoutSeconds',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
		description: 'How long to wait for the whole answer to a call',
	},
];

function numberInRange(
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

export interface ReadOptions {
	maxPerMinute: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	timeoutMs: number;
}

export function parseReadOptions(options: IDataObject): Checked<ReadOptions> {
	const perMinute = numberInRange(options.maxRequestsPerMinute, 90, 0, 100_000);
	if (perMinute === undefined)
		return invalid('"Max Requests per Minute" must be 0 (no pacing) or more');
	const retries = numberInRange(options.maxRetries, 3, 0, MAX_RETRIES);
	if (retries === undefined) return invalid(`"Max Retries" must be from 0 to ${MAX_RETRIES}`);
	const wait = numberInRange(options.maxRetryWaitSeconds, 120, 0, MAX_RETRY_WAIT_SECONDS);
	if (wait === undefined)
		return invalid(`"Max Retry Wait" must be from 0 to ${MAX_RETRY_WAIT_SECONDS} seconds`);
	const timeout = numberInRange(options.requestTimeoutSeconds, 60, 0, MAX_TIMEOUT_SECONDS);
	if (timeout === undefined || timeout === 0) {
		return invalid(
			`"Request Timeout" must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds`,
		);
	}
	return valid({
		maxPerMinute: Math.floor(perMinute),
		maxRetries: Math.floor(retries),
		maxRetryWaitMs: wait * 1000,
		timeoutMs: Math.ceil(timeout * 1000),
	});
}

/** Reads the options and the credential; throws a clear node error when either cannot be used. */
export async function readPolicyFor(
	context: IExecuteFunctions,
): Promise<{ policy: ReadPolicy; token: string }> {
	const node = context.getNode();
	const options = parseReadOptions(context.getNodeParameter('options', 0, {}) as IDataObject);
	if (!options.ok) throw new NodeOperationError(node, options.reason, { itemIndex: 0 });
	const credentials = await context.getCredentials<PickyAssistCredentials>(CREDENTIAL_TYPE);
	const token = String(credentials.apiToken ?? '');
	const base = apiBaseUrl(credentials);
	if (!base.ok) throw new NodeOperationError(node, redact(base.reason, token));
	return {
		token,
		policy: {
			baseUrl: base.value,
			credentials: credentialForRequests(node, credentials),
			timeoutMs: options.value.timeoutMs,
			maxRetries: options.value.maxRetries,
			maxRetryWaitMs: options.value.maxRetryWaitMs,
			pacer: new SlidingWindowPacer(options.value.maxPerMinute),
		},
	};
}
