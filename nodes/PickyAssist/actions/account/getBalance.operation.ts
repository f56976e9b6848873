/**
 * Get Balance: the account's credit, read once per run with Picky Assist's free `check-balance` call. `balance`
 * is a number for comparisons; `balance_raw` is exactly what Picky Assist sent.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readBalance } from '../../helpers/balance';
import { readEndpoint } from '../../transport';
import { RowOutcomes } from '../outcomes';
import { readFailedError, readOptions, readPolicyFor } from '../readOptions';

const properties: INodeProperties[] = [readOptions];

export const description = updateDisplayOptions(
	{ show: { resource: ['account'], operation: ['getBalance'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const { policy, redactor } = await readPolicyFor(this);
	const result = await readEndpoint(this, 'check-balance', {}, policy);
	if (result.kind === 'failed') {
		if (!this.continueOnFail()) {
			throw readFailedError(this.getNode(), redactor, result, {
				description: result.hint,
				// One call for the whole run: the failure is about no item in particular.
				itemIndexes: [],
			});
		}
		const outcomes = new RowOutcomes(1, redactor);
		outcomes.failed(0, 'rejected', result.message, { code: result.code, hint: result.hint });
		return outcomes.items();
	}
	const { balance, raw } = readBalance(result.body.balance);
	return [
		{
			json: {
				balance,
				balance_raw: raw,
				checked_at: result.checkedAt.toISOString(),
			} as INodeExecutionData['json'],
			pairedItem: { item: 0 },
		},
	];
}
