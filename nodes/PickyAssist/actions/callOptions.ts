/**
 * Max Retries and Max Retry Wait, the same two options in Send and in the operations that only read, written once
 * as literals so that n8n's lint reads them. What a retry may do differs by call, and the text says so for both.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MAX_RETRIES, MAX_RETRY_WAIT_SECONDS } from './callLimits';

export const retryOptions = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 0, maxValue: MAX_RETRIES },
		description:
			'Retries of a call that got no usable answer. A push is retried only when Picky Assist certainly did not take it (HTTP 429, connection refused), never when it may have been queued; a read sends nothing and costs nothing.',
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWaitSeconds',
		type: 'number',
		default: 120,
		typeOptions: { minValue: 0, maxValue: MAX_RETRY_WAIT_SECONDS },
		description: 'The longest time spent waiting between the retries of one call',
	},
] satisfies INodeProperties[];
