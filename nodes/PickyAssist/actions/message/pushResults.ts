/**
 * Maps one push's result onto its rows: accepted rows get their msg_id, the rest an error item that says
 * whether anything was queued. The send log and the send record are updated here too, so the three never
 * disagree about a row.
 */
import type { IDataObject } from 'n8n-workflow';

import { describeItems } from '../../helpers/batching';
import { matchResponse } from '../../helpers/responseMatching';
import type { SendRecord } from '../../helpers/sendRecord';
import type { PushResult } from '../../transport';
import { describeValue, resendAdvice } from './outcomes';
import type { RowOutcomes, SendLog } from './outcomes';
import type { PendingRow } from './earlierTries';

/** What the node error says when "Continue" is off. */
export interface PushFailure {
	message: string;
	hint: string;
	itemIndexes: number[];
	status: number | string;
	httpStatus?: number;
}

export interface PushRecord {
	outcomes: RowOutcomes;
	log: SendLog;
	record: SendRecord;
}

/** Entries Picky Assist returned that fit no row: shown in a warning, a few of them, never the whole answer. */
function unexpectedWarning(pushId: string, unexpected: readonly unknown[]): string | undefined {
	if (unexpected.length === 0) return undefined;
	const shown = describeValue(unexpected.slice(0, 3)).slice(0, 500);
	const count = unexpected.length;
	return `Picky Assist returned ${count} entr${count === 1 ? 'y' : 'ies'} in push ${pushId} that match no row sent: ${shown}`;
}

export function recordPushResult(
	batch: readonly PendingRow[],
	pushName: string,
	result: PushResult,
	{ outcomes, log, record }: PushRecord,
): PushFailure | undefined {
	if (result.kind === 'accepted') {
		const match = matchResponse(
			batch.map((row) => row.number),
			result.data,
		);
		// The answer was redacted as text before it was parsed; its values are cleaned again once parsed (an
		// escaped token only shows then), the push's own values once per push rather than once per row.
		const pushId = outcomes.clean(result.pushId);
		const found = unexpectedWarning(result.pushId, match.unexpected);
		const warning = found === undefined ? undefined : outcomes.clean(found);
		for (let position = 0; position < batch.length; position++) {
			const entry = match.matched[position];
			if (!entry) continue;
			const row = batch[position];
			const json: IDataObject = {
				state: 'accepted',
				msg_id: outcomes.clean(entry.msg_id),
				push_id: pushId,
				// The number this node sent, never one the server put in its answer.
				number: row.number,
				credit: outcomes.clean(entry.credit),
			};
			if (warning) json.push_warning = warning;
			outcomes.accepted(row.itemIndex, json);
			log.accepted(result.pushId, row.itemIndex);
			record.accepted(row.digest, { msgId: json.msg_id as string, pushId, credit: json.credit });
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
			outcomes.failed(row.itemIndex, 'unknown', reason, details);
			log.unknown(row.itemIndex);
			record.unknown(row.digest, result.sentAt);
		}
		return {
			message: `${describeItems(missingItems)}: ${reason}`,
			hint,
			itemIndexes: missingItems,
			status: 'unknown',
		};
	}

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
		outcomes.failed(row.itemIndex, rejected ? 'rejected' : 'unknown', summary, details);
		if (!rejected) {
			log.unknown(row.itemIndex);
			record.unknown(row.digest, result.sentAt);
		}
	}
	if (rejected) record.forget(batch.map((row) => row.digest));
	return {
		message: summary,
		hint,
		itemIndexes: batch.map((row) => row.itemIndex),
		status: rejected && result.code !== undefined ? result.code : 'unknown',
		httpStatus: rejected ? result.httpStatus : undefined,
	};
}
