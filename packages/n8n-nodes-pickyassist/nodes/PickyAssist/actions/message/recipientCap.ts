/**
 * Max Recipients counts every row this node sends in one execution, not per run: an AI agent calls the node
 * once per message, so a cap per call would never bite. The count lives in the execution's node context, which
 * every run of the node in this execution shares.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const KEY = 'pickyAssistRecipientsSent';

export function recipientsSentBefore(context: IExecuteFunctions): number {
	return Number(context.getContext('node')[KEY] ?? 0);
}

export function countRecipients(context: IExecuteFunctions, rows: number): void {
	const store = context.getContext('node');
	store[KEY] = Number(store[KEY] ?? 0) + rows;
}

/** Throws before anything is sent when these rows would take the execution past the cap. */
export function checkRecipientCap(context: IExecuteFunctions, cap: number, rows: number): void {
	if (cap <= 0) return;
	const before = recipientsSentBefore(context);
	if (before + rows <= cap) return;
	const earlier = before > 0 ? ` (${before} already sent by this node in this execution)` : '';
	throw new NodeOperationError(
		context.getNode(),
		`${rows} rows would be sent, more than Max Recipients (${cap}) allows${earlier}; nothing was sent`,
		{ description: 'Send fewer rows, or raise Max Recipients if this many messages are intended.' },
	);
}
