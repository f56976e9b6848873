/**
 * A cancelled execution is saved by n8n at once, so no output item of this run would ever be seen: the run stops
 * before its next push, sends nothing more and says in n8n's log what went out and what did not.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { SendLog } from './outcomes';

export function stopOnCancel(
	context: IExecuteFunctions,
	log: SendLog,
	notSent: readonly number[],
): NodeOperationError {
	const message = 'Picky Assist: the execution was cancelled, so the node stopped sending';
	const description = log.describe(notSent);
	context.logger.warn(`${message}. ${description}`);
	return new NodeOperationError(context.getNode(), message, { description });
}
