/**
 * Check WhatsApp Numbers: Picky Assist's WhatsApp Number Filter. Each item's number is looked up — a push with
 * `action` "1" and the numbers only — through the same row checks, guards (Max Recipients, Allowed Prefixes,
 * Validate Only), pacing and outcomes as Send Dynamic Messages. An output item per number says the lookup was
 * queued (`state` "accepted", with `push_id` and `msg_id`); the result arrives later on the Picky Assist Trigger
 * as a WhatsApp Filter event with the same `msg_id`.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { sendOrLookUp } from '../bulk/run';
import { checkWhatsAppProperties } from './checkWhatsApp.properties';

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['checkWhatsApp'] } },
	checkWhatsAppProperties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await sendOrLookUp.call(this, true);
}
