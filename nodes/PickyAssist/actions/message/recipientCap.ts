/**
 * Max Recipients counts every row this node sends in one execution, not per run: an AI agent calls the node
 * once per message, so a cap per call would never bite. The count lives in the execution's node context, which
 * every run of the node in this execution shares — parallel tool calls included.
 *
 * Rows are reserved before their push in one synchronous step (check and count, no await in between), so two runs
 * going on at the same time can never both see room for the last recipient; rows that were then not sent (a
 * refused push, a run stopped before their push) are given back, so the count is what was sent or may have been.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const KEY = 'pickyAssistRecipientsSent';

function counted(context: IExecuteFunctions): number {
	return Number(context.getContext('node')[KEY] ?? 0);
}

/** Throws before anything is sent when these rows would take the execution past the cap. */
export function checkRecipientCap(context: IExecuteFunctions, cap: number, rows: number): void {
	if (cap <= 0 || rows === 0) return;
	const before = counted(context);
	if (before + rows <= cap) return;
	const earlier = before > 0 ? ` (${before} already sent by this node in this execution)` : '';
	throw new NodeOperationError(
		context.getNode(),
		`${rows} row${rows === 1 ? '' : 's'} would be sent, more than Max Recipients (${cap}) allows${earlier}; nothing was sent`,
		{ description: 'Send fewer rows, or raise Max Recipients if this many messages are intended.' },
	);
}

/** Checks the cap and counts the rows as sent, in one step; throws (counting nothing) past the cap. */
export function reserveRecipients(context: IExecuteFunctions, cap: number, rows: number): void {
	checkRecipientCap(context, cap, rows);
	const store = context.getContext('node');
	store[KEY] = counted(context) + rows;
}

/** Rows that were reserved but certainly not sent. */
export function releaseRecipients(context: IExecuteFunctions, rows: number): void {
	if (rows === 0) return;
	const store = context.getContext('node');
	store[KEY] = Math.max(0, counted(context) - rows);
}
