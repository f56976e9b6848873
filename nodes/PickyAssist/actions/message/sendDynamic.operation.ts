/**
 * Send Dynamic Messages: every incoming item becomes one `{number, message}` entry of a push's `data` array; the
 * rows go out in as few pushes as the batch size allows, and every item ends in exactly one visible state:
 * accepted (its msg_id), rejected (nothing was queued for it, with the reason) or unknown (the push may or may not
 * have been queued — check Picky Assist before resending; the node never resends such a push by itself, and a
 * message it already sent in this execution — on a retry, a tool call, a loop — is shown, not sent again).
 *
 * The run is the bulk run Check WhatsApp Numbers shares: ../bulk/run.ts tells the whole algorithm, step by step —
 * read and check every row before anything is sent; replay what this execution already sent; hold to Max
 * Recipients and Minimum Balance; then send the rest in paced pushes, one state per item.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { sendOrLookUp } from '../bulk/run';
import { sendDynamicProperties } from './sendDynamic.properties';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendDynamic'] } },
	sendDynamicProperties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await sendOrLookUp.call(this, false);
}
