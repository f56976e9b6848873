/**
 * A message this node already sent in this execution — by an earlier try (Retry On Fail), an earlier tool call,
 * an earlier pass of a loop — keeps the outcome it got then and is not sent again (see helpers/sendRecord.ts);
 * only messages not yet sent go out. "The same message" is the same channel, number and everything the person
 * receives: the text, or the template with its header, language and values, and the media.
 */
import type { SendRecord } from '../../helpers/sendRecord';
import { messageDigest } from '../../helpers/sendRecord';
import type { RowOutcomes, SendLog } from './outcomes';
import { resendAdvice } from './outcomes';
import type { OutgoingRow } from './rowCollection';
import { rowContent } from './rowCollection';
import type { SendSettings } from './sendSettings';

/** A row about to be sent, with the digest the send record knows its message by. */
export type PendingRow = OutgoingRow & { digest: string };

export interface Replayed {
	/** Rows to send in this run. */
	pending: PendingRow[];
	/** Items whose message was sent earlier without a clear answer, or is being sent right now. */
	unknownEarlier: number[];
}

/** The digests of rows' messages. */
export function withDigests(rows: readonly OutgoingRow[], settings: SendSettings): PendingRow[] {
	const message = [settings.application, settings.template?.id, settings.template?.header];
	return rows.map((row) => ({
		...row,
		digest: messageDigest([...message, settings.globalMedia, row.number, rowContent(row)]),
	}));
}

/**
 * `repeatsIn`: with Send Repeats in One Execution, the node's run — a message another run got accepted is sent
 * again. One whose push may or may not have been queued is never sent again, whatever the setting.
 */
export function replayEarlierSends(
	rows: readonly PendingRow[],
	record: SendRecord,
	{ outcomes, log }: { outcomes: RowOutcomes; log: SendLog },
	repeatsIn?: number,
): Replayed {
	const pending: PendingRow[] = [];
	const unknownEarlier: number[] = [];
	for (const row of rows) {
		const earlier = record.earlier(row.digest);
		if (
			!earlier ||
			(earlier.state === 'accepted' && repeatsIn !== undefined && earlier.run !== repeatsIn)
		) {
			pending.push(row);
		} else if (earlier.state === 'accepted') {
			const pushId = earlier.pushId ?? '';
			outcomes.accepted(row.itemIndex, {
				state: 'accepted',
				msg_id: earlier.msgId,
				push_id: pushId,
				number: row.number,
				credit: earlier.credit as string,
			});
			log.accepted(pushId, row.itemIndex);
		} else {
			const reason =
				earlier.state === 'unknown'
					? `This message was already sent earlier in this execution (at ${earlier.sentAt}) without a clear answer; it may or may not have been queued, so it was not sent again`
					: `This message is being sent by another run of this node in this execution (since ${earlier.sentAt}); it was not sent again`;
			outcomes.failed(row.itemIndex, 'unknown', reason, {
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
