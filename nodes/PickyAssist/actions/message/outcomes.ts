/**
 * The three visible states of a row and how they are shown. Every input item ends in exactly one output item:
 * - accepted: `{ state: 'accepted', msg_id, push_id, number, credit }`, paired to its item;
 * - rejected or unknown: an error item `{ error: { message, state, item_index, … } }`, paired to its item.
 *
 * n8n routes an item to the error output ("Continue (using error output)") only when its json holds nothing
 * but `error` (n8n 1.x also allows `message`, 2.x `message` and `details`) and then merges the input row into
 * it. So everything about the outcome lives inside `error`, which leaves the row's own fields — usually
 * including its `message` text — untouched in the merge.
 *
 * Every text that reaches an item or an error passes through `redact` here, whatever its source.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { describeItems } from '../../helpers/batching';
import { redact } from '../../helpers/redaction';

export type RowState = 'accepted' | 'rejected' | 'unknown';

/** How a value from a row is quoted in a message: JSON for text, so spaces and invisible characters show. */
export function describeValue(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (value === undefined) return 'nothing';
	if (typeof value === 'bigint') return value.toString();
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/** What to do about rows whose push may or may not have been queued. */
export function resendAdvice(what: string): string {
	return `Check the delivery report or message log in Picky Assist for ${what} before sending these rows again; the node does not resend them by itself.`;
}

/** The accepted and unknown pushes so far, so that an error never hides what may already be on its way. */
export class SendLog {
	private readonly acceptedPushes = new Map<string, number[]>();
	private readonly unknownItems: number[] = [];

	accepted(pushId: string, itemIndex: number): void {
		const items = this.acceptedPushes.get(pushId);
		if (items) items.push(itemIndex);
		else this.acceptedPushes.set(pushId, [itemIndex]);
	}

	unknown(itemIndex: number): void {
		this.unknownItems.push(itemIndex);
	}

	/** The state of every row that is not the failure itself, for a node error's description. */
	describe(notSent: readonly number[]): string {
		const parts: string[] = [];
		if (this.acceptedPushes.size === 0) {
			parts.push('No push of this run was queued before this failure.');
		} else {
			let rows = 0;
			const pushes: string[] = [];
			for (const [pushId, items] of this.acceptedPushes) {
				rows += items.length;
				pushes.push(`push_id ${pushId || '(none given)'} (${describeItems(items)})`);
			}
			parts.push(
				`Already queued before this failure — do not send these rows again: ${pushes.join('; ')} (${rows} messages).`,
			);
		}
		if (this.unknownItems.length > 0) {
			parts.push(`May or may not have been queued: ${describeItems(this.unknownItems)}.`);
		}
		if (notSent.length > 0) parts.push(`Not sent: ${describeItems(notSent)}.`);
		return parts.join(' ');
	}
}

/** One slot per input item, filled once; the token is removed from every text put in. */
export class RowOutcomes {
	private readonly slots: Array<INodeExecutionData | undefined>;

	constructor(
		itemCount: number,
		private readonly secret: string,
	) {
		this.slots = new Array<INodeExecutionData | undefined>(itemCount);
	}

	clean(text: string): string {
		return redact(text, this.secret);
	}

	accepted(itemIndex: number, json: IDataObject): void {
		this.slots[itemIndex] = { json, pairedItem: { item: itemIndex } };
	}

	/** An error item: rejected (nothing was queued for this row) or unknown (it may have been). */
	failed(
		itemIndex: number,
		state: Exclude<RowState, 'accepted'>,
		message: string,
		details: IDataObject,
	): void {
		const error: IDataObject = { message: this.clean(message), state, item_index: itemIndex };
		for (const [key, value] of Object.entries(details)) {
			error[key] = typeof value === 'string' ? this.clean(value) : value;
		}
		this.slots[itemIndex] = { json: { error }, pairedItem: { item: itemIndex } };
	}

	/** The item recorded for one input item, if any. */
	itemAt(itemIndex: number): INodeExecutionData | undefined {
		return this.slots[itemIndex];
	}

	/** The output in input order. */
	items(): INodeExecutionData[] {
		const output: INodeExecutionData[] = [];
		for (const slot of this.slots) if (slot) output.push(slot);
		return output;
	}
}
