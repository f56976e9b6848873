/**
 * With n8n's Retry On Fail, a row an earlier try of this node sent keeps the state it got then and is never sent
 * again; only rows that certainly were not queued go out (see helpers/sendLedger.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { SendLedger } from '../../helpers/sendLedger';
import { fingerprint } from '../../helpers/sendLedger';
import type { RowOutcomes, SendLog } from './outcomes';
import { resendAdvice } from './outcomes';
import type { OutgoingRow } from './rowCollection';
import { rowContent } from './rowCollection';

/** A row about to be sent, with what the retry ledger knows it by. */
export type PendingRow = OutgoingRow & { sent: string };

export interface Replayed {
	/** Rows to send in this try. */
	pending: PendingRow[];
	/** Items an earlier try sent without a clear answer. */
	unknownEarlier: number[];
}

export function replayEarlierTries(
	rows: readonly OutgoingRow[],
	ledger: SendLedger | undefined,
	{ outcomes, log }: { outcomes: RowOutcomes; log: SendLog },
): Replayed {
	const pending: PendingRow[] = [];
	const unknownEarlier: number[] = [];
	for (const row of rows) {
		const sent = ledger ? fingerprint(row.number, rowContent(row)) : '';
		const earlier = ledger?.earlier(row.itemIndex, sent);
		if (!earlier) {
			pending.push({ ...row, sent });
		} else if (earlier.state === 'accepted' && earlier.result) {
			outcomes.accepted(row.itemIndex, earlier.result as IDataObject);
			log.accepted(String(earlier.result.push_id ?? ''), row.itemIndex);
		} else {
			const reason = `An earlier try of this node sent this row at ${earlier.sentAt} without a clear answer; it may or may not have been queued`;
			outcomes.failed(row.itemIndex, 'unknown', String(earlier.result?.message ?? reason), {
				...(earlier.result as IDataObject | undefined),
				number: row.number,
				sent_at: earlier.sentAt,
				hint: resendAdvice(`the push sent at ${earlier.sentAt}`),
			});
			log.unknown(row.itemIndex);
			unknownEarlier.push(row.itemIndex);
		}
	}
	return { pending, unknownEarlier };
}
