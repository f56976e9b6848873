/**
 * Options and shared set-up of the operations that only read from Picky Assist (Get Delivery Report, Get
 * Balance): how long to wait, how often to retry, how fast to call. The limits are the same as Send's.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Redactor } from '../helpers/redaction';
import { optionsCollection } from '../helpers/panelFields';
import type { ReadPolicy, ReadResult } from '../transport';
import { openAccount } from '../transport';
import {
	DEFAULT_CALLS_PER_MINUTE,
	MAX_TIMEOUT_SECONDS,
	MIN_TIMEOUT_SECONDS,
	parseCallLimits,
} from './callLimits';
import { retryOptions } from './callOptions';
import { pushError } from './outcomes';

const PER_MINUTE = { name: 'maxRequestsPerMinute', displayName: 'Max Requests per Minute' };

/** The Options collection of an operation that only reads. */
export const readOptions: INodeProperties = {
	...optionsCollection,
	options: [
		{
			displayName: 'Max Requests per Minute',
			name: 'maxRequestsPerMinute',
			type: 'number',
			default: DEFAULT_CALLS_PER_MINUTE,
			typeOptions: { minValue: 0 },
			description:
				'The node waits only when this many calls with this account went out in the last 60 seconds, counting every run and execution in this n8n process; 0 turns pacing off',
		},
		...retryOptions,
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			default: 60,
			typeOptions: { minValue: MIN_TIMEOUT_SECONDS, maxValue: MAX_TIMEOUT_SECONDS },
			description: 'How long to wait for the whole answer to a call',
		},
	],
};

/** Reads the options and the credential; throws a clear node error when either cannot be used. */
export async function readPolicyFor(
	context: IExecuteFunctions,
): Promise<{ policy: ReadPolicy; redactor: Redactor }> {
	const node = context.getNode();
	const options = parseCallLimits(
		context.getNodeParameter('options', 0, {}) as IDataObject,
		PER_MINUTE,
	);
	if (!options.ok) throw new NodeOperationError(node, options.reason, { itemIndex: 0 });
	const account = await openAccount(context);
	if (!account.baseUrl.ok) throw new NodeOperationError(node, account.baseUrl.reason);
	return { redactor: account.redactor, policy: account.policy('read', options.value) };
}

/** A read that failed, as the node error shown when "Continue" is off. */
export function readFailedError(
	node: INode,
	redactor: Redactor,
	failure: Extract<ReadResult, { kind: 'failed' }>,
	details: { description: string; itemIndexes: readonly number[] },
): NodeApiError {
	return pushError(node, redactor, {
		message: failure.message,
		description: details.description,
		itemIndexes: details.itemIndexes,
		status: failure.code ?? 'failed',
		httpStatus: failure.httpStatus,
	});
}
