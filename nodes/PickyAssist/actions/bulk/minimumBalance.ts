/**
 * Send's "Minimum Balance" option: the balance is read once, before the first push, and below the minimum
 * nothing is sent. A balance that cannot be read stops the run too: sending on a guess is what the option exists
 * to prevent.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { readBalance } from '../../helpers/balance';
import type { PushPolicy } from '../../transport';
import { readEndpoint } from '../../transport';

/** Why nothing may be sent, or undefined when the balance is at least `minimum`. */
export async function balanceShortfall(
	context: IExecuteFunctions,
	minimum: number,
	policy: PushPolicy,
): Promise<string | undefined> {
	const result = await readEndpoint(context, 'check-balance', {}, policy);
	if (result.kind === 'failed')
		return `The balance could not be checked, so nothing was sent: ${result.message}`;
	const { balance, raw } = readBalance(result.body.balance);
	if (balance === undefined) {
		return `Picky Assist reported the balance as ${JSON.stringify(raw) ?? 'nothing'}, which is not a number, so nothing was sent`;
	}
	if (balance < minimum) {
		return `The balance is ${balance}, below the Minimum Balance of ${minimum}, so nothing was sent; top up and run the node again`;
	}
	return undefined;
}
