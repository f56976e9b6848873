/**
 * One send: the object that owns a run's state — its settings, its rows' outcomes (which also say what went out
 * so far), the execution's send record (sendRecord.ts: a message already sent in this execution keeps
 * the outcome it got then) and its share of Max Recipients (recipientCount.ts) — and every change of a
 * row's state, so that the three never disagree about a row. run.ts tells the order of the steps.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { describeItems } from '../../helpers/batching';
import type { Redactor } from '../../helpers/redaction';
import { matchResponse, unexpectedWarning } from '../../helpers/responseMatching';
import type { PushResult } from '../../transport';
import type { FailureDetails } from '../outcomes';
import { describeValue, pushError, resendAdvice, RowOutcomes } from '../outcomes';
import { invalidRowError, rowProblemMessage } from './invalidRows';
import { RecipientCount } from './recipientCount';
import type { OutgoingRow, PendingRow, RowProblem } from './rowCollection';
import type { Place } from './sendRecord';
import { SendRecord } from './sendRecord';
import type { SendSettings } from './sendSettings';

/** What the node error says when a push failed and "Continue" is off. */
export type PushFailure = Omit<FailureDetails, 'description'> & { hint: string };

export class Send {
	readonly outcomes: RowOutcomes;
	private readonly record: SendRecord;
	/** Each claimed row's place in the send record, by item index (-1 until claimed): found once, at the claim. */
	private readonly places: Int32Array;
	private readonly recipients: RecipientCount;
	/** With Send Repeats in One Execution, the node's run: a message another run got accepted is sent again. */
	private readonly repeatsIn: number | undefined;
	private readonly continueOnFail: boolean;

	constructor(
		private readonly context: IExecuteFunctions,
		readonly settings: SendSettings,
		itemCount: number,
		private readonly redactor: Redactor,
	) {
		this.outcomes = new RowOutcomes(itemCount, redactor);
		const store = context.getContext('node');
		this.record = new SendRecord(store);
		this.places = new Int32Array(itemCount).fill(-1);
		this.recipients = new RecipientCount(store, settings.maxRecipients);
		this.repeatsIn = settings.sendRepeats ? context.getWorkflowDataProxy(0).$runIndex : undefined;
		this.continueOnFail = context.continueOnFail();
	}

	/** Invalid rows stop the run before anything is sent, or — with "Continue" — each gets its error item. */
	refuseInvalid(problems: readonly RowProblem[]): void {
		if (problems.length > 0 && !this.continueOnFail) {
			throw invalidRowError(this.context.getNode(), problems, this.redactor);
		}
		for (const problem of problems) {
			this.outcomes.failed(problem.itemIndex, 'rejected', rowProblemMessage(problem), {
				field: problem.field.toLowerCase(),
				value: describeValue(problem.value),
			});
		}
	}

	/** Nothing may be sent for these rows: the run fails, or — with "Continue" — each gets its error item. */
	refuse(
		rows: readonly OutgoingRow[],
		reason: string,
		details: (row: OutgoingRow) => IDataObject,
		error: () => Error,
	): INodeExecutionData[] {
		if (!this.continueOnFail) throw error();
		for (const row of rows) this.outcomes.failed(row.itemIndex, 'rejected', reason, details(row));
		return this.outcomes.items();
	}

	/** A node error about a push, a read or rows not sent, ending with what the run did so far. */
	error(
		details: Omit<FailureDetails, 'description'>,
		notSent: readonly number[],
		before?: string,
	): Error {
		const sofar = this.outcomes.describe(notSent);
		return pushError(this.context.getNode(), this.redactor, {
			...details,
			description: before === undefined ? sofar : `${before} ${sofar}`,
		});
	}

	/**
	 * The rows whose message is not yet in the send record (or, with Send Repeats, was accepted in another run);
	 * the others keep the outcome they got then. One whose push may or may not have been queued is never sent
	 * again, whatever the setting — and without "Continue" it stops the run.
	 */
	replay(rows: readonly PendingRow[]): PendingRow[] {
		const pending: PendingRow[] = [];
		const unknownEarlier: number[] = [];
		for (const row of rows) {
			const earlier = this.record.earlier(row.digest);
			if (
				!earlier ||
				(earlier.state === 'accepted' &&
					this.repeatsIn !== undefined &&
					earlier.run !== this.repeatsIn)
			) {
				pending.push(row);
			} else if (earlier.state === 'accepted') {
				const pushId = earlier.pushId ?? '';
				this.outcomes.accepted(
					row.itemIndex,
					{
						state: 'accepted',
						msg_id: earlier.msgId,
						push_id: pushId,
						number: row.number,
						credit: earlier.credit as string,
					},
					pushId,
				);
			} else {
				const reason =
					earlier.state === 'unknown'
						? `This message was already sent earlier in this execution (at ${earlier.sentAt}) without a clear answer; it may or may not have been queued, so it was not sent again`
						: `This message is being sent by another run of this node in this execution (since ${earlier.sentAt}); it was not sent again`;
				this.outcomes.failed(row.itemIndex, 'unknown', reason, {
					number: row.number,
					sent_at: earlier.sentAt,
					hint: resendAdvice(`the push sent at ${earlier.sentAt}`),
				});
				unknownEarlier.push(row.itemIndex);
			}
		}
		if (unknownEarlier.length > 0 && !this.continueOnFail) {
			throw this.error(
				{
					message: `${describeItems(unknownEarlier)}: these messages were already sent earlier in this execution (an earlier try or run of this node) without a clear answer; they may or may not have been queued, so this run sends nothing`,
					itemIndexes: unknownEarlier,
					status: 'unknown',
				},
				pending.map((row) => row.itemIndex),
				resendAdvice('those rows'),
			);
		}
		return pending;
	}

	/** Throws before anything is sent when this many rows would take the execution past Max Recipients. */
	checkRecipientCap(rows: number): void {
		const refusal = this.recipients.refusal(rows);
		if (refusal === undefined) return;
		throw new NodeOperationError(this.context.getNode(), refusal, {
			description: 'Send fewer rows, or raise Max Recipients if this many messages are intended.',
		});
	}

	/** Checks the cap, counts the rows and claims their messages in the record, in one synchronous step. */
	claim(rows: readonly PendingRow[]): void {
		this.checkRecipientCap(rows.length);
		this.recipients.reserve(rows.length);
		const places = this.record.claim(
			rows.map((row) => row.digest),
			new Date(),
			this.repeatsIn,
		);
		for (let index = 0; index < rows.length; index++) {
			this.places[rows[index].itemIndex] = places[index];
		}
	}

	/** A push is going out now: its messages' time is the push's. */
	sending(rows: readonly PendingRow[]): void {
		this.record.sending(this.placesOf(rows), new Date(), this.repeatsIn);
	}

	/** Rows claimed and counted for this run that were never pushed: a later run may send them. */
	giveBack(rows: readonly PendingRow[]): void {
		this.record.forget(this.placesOf(rows));
		this.recipients.release(rows.length);
	}

	private placesOf(rows: readonly PendingRow[]): Place[] {
		return rows.map((row) => this.places[row.itemIndex]);
	}

	/**
	 * A cancelled execution is saved by n8n at once, so no output item of this run would ever be seen: the run
	 * stops before its next push, sends nothing more and says in n8n's log what went out and what did not.
	 */
	stop(notSent: readonly PendingRow[]): NodeOperationError {
		this.giveBack(notSent);
		const message = 'Picky Assist: the execution was cancelled, so the node stopped sending';
		const description = this.outcomes.clean(
			this.outcomes.describe(notSent.map((row) => row.itemIndex)),
		);
		this.context.logger.warn(`${message}. ${description}`);
		return new NodeOperationError(this.context.getNode(), message, { description });
	}

	/**
	 * Maps one push's result onto its rows: accepted rows get their msg_id, the rest an error item that says
	 * whether anything was queued; the record and the recipient count follow. Returns what the node error says
	 * when the push did not fully succeed.
	 */
	pushed(
		batch: readonly PendingRow[],
		pushName: string,
		result: PushResult,
	): PushFailure | undefined {
		if (result.kind === 'accepted') return this.accepted(batch, result);

		// Rejected (nothing queued) or unknown (may have been queued): the same rows, a different promise.
		const rejected = result.kind === 'rejected';
		const codeText = rejected && result.code !== undefined ? ` (status ${result.code})` : '';
		// httpStatus 0: no answer came, Picky Assist was never reached — it did not reject anything itself.
		const refusedBy = rejected && result.httpStatus === 0 ? 'Not sent:' : 'Picky Assist rejected';
		const summary = rejected
			? `${refusedBy} ${pushName}: ${result.apiMessage}${codeText}`
			: `No clear answer for ${pushName}: ${result.reason}`;
		const hint = rejected
			? result.hint
			: resendAdvice(`the push sent at ${result.sentAt.toISOString()}`);
		for (const row of batch) {
			const details: IDataObject = { number: row.number, hint };
			if (rejected && result.code !== undefined) details.code = result.code;
			if (!rejected) details.sent_at = result.sentAt.toISOString();
			this.outcomes.failed(row.itemIndex, rejected ? 'rejected' : 'unknown', summary, details);
			if (!rejected) this.record.unknown(this.places[row.itemIndex], result.sentAt);
		}
		if (rejected) this.giveBack(batch);
		return {
			message: summary,
			hint,
			itemIndexes: batch.map((row) => row.itemIndex),
			status: rejected && result.code !== undefined ? result.code : 'unknown',
			httpStatus: rejected ? result.httpStatus : undefined,
		};
	}

	private accepted(
		batch: readonly PendingRow[],
		result: Extract<PushResult, { kind: 'accepted' }>,
	): PushFailure | undefined {
		const match = matchResponse(
			batch.map((row) => row.number),
			result.data,
		);
		// The answer was redacted as text before it was parsed; its values are cleaned again as each item is recorded
		// (an escaped token only shows once parsed), and the send record takes them from the cleaned item.
		const warning = unexpectedWarning(result.pushId, match.unexpected);
		for (let position = 0; position < batch.length; position++) {
			const entry = match.matched[position];
			if (!entry) continue;
			const row = batch[position];
			const json: IDataObject = {
				state: 'accepted',
				msg_id: entry.msg_id,
				push_id: result.pushId,
				// The number this node sent, never one the server put in its answer.
				number: row.number,
			};
			// A lookup's answer carries no credit; a push's always does.
			if (!this.settings.lookup || entry.credit !== '') json.credit = entry.credit;
			if (warning) json.push_warning = warning;
			this.outcomes.accepted(row.itemIndex, json, result.pushId);
			this.record.accepted(this.places[row.itemIndex], {
				msgId: json.msg_id as string,
				pushId: json.push_id as string,
				credit: json.credit,
			});
		}
		if (match.missing.length === 0) return undefined;

		const missingItems = match.missing.map((position) => batch[position].itemIndex);
		const reason = `Picky Assist queued push ${result.pushId} but returned no msg_id for this row, so whether its message was queued is unknown`;
		const hint = resendAdvice(`push ${result.pushId}`);
		for (const position of match.missing) {
			const row = batch[position];
			const details = {
				number: row.number,
				push_id: result.pushId,
				sent_at: result.sentAt.toISOString(),
				hint,
			};
			this.outcomes.failed(row.itemIndex, 'unknown', reason, details);
			this.record.unknown(this.places[row.itemIndex], result.sentAt);
		}
		return {
			message: `${describeItems(missingItems)}: ${reason}`,
			hint,
			itemIndexes: missingItems,
			status: 'unknown',
		};
	}
}
