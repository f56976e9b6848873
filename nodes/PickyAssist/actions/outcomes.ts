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
 * Shared by every operation that outputs items or fails with a node error. This file is also where text leaves an
 * operation: every output item (when it is recorded here) and every node error (when it is built) passes the
 * account's redactor here, whatever its source, so no text can carry the token out.
 */
import type { IDataObject, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeItems } from '../helpers/batching';
import type { Redactor } from '../helpers/redaction';

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

/**
 * One slot per input item, filled once, and what the slots say about the run so far: which pushes were queued
 * and which rows may or may not have been, so that an error never hides what may already be on its way.
 */
export class RowOutcomes {
	private readonly slots: Array<INodeExecutionData | undefined>;
	private readonly acceptedPushes = new Map<string, number[]>();
	private readonly unknownItems: number[] = [];

	constructor(
		itemCount: number,
		private readonly redactor: Redactor,
	) {
		this.slots = new Array<INodeExecutionData | undefined>(itemCount);
	}

	/** The one redaction step of everything that leaves the node. */
	clean(text: string): string {
		return this.redactor.clean(text);
	}

	/**
	 * `pushId`: the push that queued the row's message, named in a later error; none for a row only checked. The
	 * item's texts are cleaned in place as it is recorded, so a caller may read them back clean (the send record does).
	 */
	accepted(itemIndex: number, json: IDataObject, pushId?: string): void {
		this.cleanTexts(json);
		this.slots[itemIndex] = { json, pairedItem: { item: itemIndex } };
		if (pushId === undefined) return;
		const items = this.acceptedPushes.get(pushId);
		if (items) items.push(itemIndex);
		else this.acceptedPushes.set(pushId, [itemIndex]);
	}

	/** An error item: rejected (nothing was queued for this row) or unknown (it may have been). */
	failed(
		itemIndex: number,
		state: Exclude<RowState, 'accepted'>,
		message: string,
		details: IDataObject,
	): void {
		const error: IDataObject = { message, state, item_index: itemIndex, ...details };
		this.cleanTexts(error);
		this.slots[itemIndex] = { json: { error }, pairedItem: { item: itemIndex } };
		if (state === 'unknown') this.unknownItems.push(itemIndex);
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

	/** Every text of an item, or of its error, in place. */
	private cleanTexts(record: IDataObject): void {
		for (const key in record) {
			const value = record[key];
			if (typeof value !== 'string') continue;
			const clean = this.redactor.clean(value);
			if (clean !== value) record[key] = clean;
		}
	}
}

/**
 * How a message names the item it is about. In lower case on purpose: n8n's editor appends " [item N]" to a
 * node error's message unless the message already contains "item N" spelled exactly so ("Item N" does not count).
 */
export function itemPrefix(itemIndex: number): string {
	return `In item ${itemIndex}, `;
}

/** What a node error says when a push or a read failed. */
export interface FailureDetails {
	message: string;
	description: string;
	itemIndexes: readonly number[];
	/** Picky Assist's own status code when it gave one; otherwise the rows' state ("unknown", "rejected", …). */
	status: number | string;
	/** The HTTP status of the answer, when one came. */
	httpStatus?: number;
}

/**
 * A push or a read failed. Built from sanitised parts only — never from an error n8n's request helper threw,
 * which holds the request and so the token. The message is set again after construction, because NodeApiError
 * swaps any message that mentions a Node.js error code (ECONNREFUSED, …) for a generic text. A failure of
 * several items names them in its message and description; n8n's own item index (shown by the editor as
 * " [item N]") is set only when the failure is about one item, so that it never singles out the first of many.
 *
 * Two numbers, each under its own name: the editor's "Error code" is the HTTP status, shown only when the HTTP
 * layer itself failed (Picky Assist answers its own refusals with HTTP 200, which is no error code); the error's
 * data names `http_status` and `picky_assist_status`. With no answer at all there is neither, and no code is
 * made up: the message names the cause.
 */
export function pushError(node: INode, redactor: Redactor, details: FailureDetails): NodeApiError {
	const message = redactor.clean(details.message);
	const httpStatus = details.httpStatus ? details.httpStatus : undefined;
	const pickyAssistStatus = typeof details.status === 'number' ? details.status : undefined;
	// No `status` or `code` key in the response given to n8n: it would read one as the error code.
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description: redactor.clean(details.description),
		httpCode:
			httpStatus !== undefined && (httpStatus < 200 || httpStatus > 299)
				? String(httpStatus)
				: undefined,
		itemIndex: details.itemIndexes.length === 1 ? details.itemIndexes[0] : undefined,
	});
	error.message = message;
	const data: JsonObject = {};
	if (httpStatus !== undefined) data.http_status = httpStatus;
	if (pickyAssistStatus !== undefined) data.picky_assist_status = pickyAssistStatus;
	if (Object.keys(data).length > 0) error.context.data = data;
	return error;
}
