/**
 * Turns one `delivery-report` answer into the items asked for. A report lists the messages of one push by
 * msg_id; a message it does not list yet is "pending" (Picky Assist builds reports a while after the push), not
 * an error. A report that is not about the push asked for is refused: its statuses would be shown as another
 * push's.
 */
import { readDeliveryStatus } from '../../helpers/deliveryStatus';
import { isRecord, textOf } from '../../helpers/values';

export interface ReportRequest {
	itemIndex: number;
	/** The message asked about, or undefined for every message of the push. */
	msgId: string | undefined;
}

export interface ReportItem {
	itemIndex: number;
	json: Record<string, unknown>;
}

export type ReportReading =
	| { kind: 'items'; items: ReportItem[] }
	| { kind: 'refused'; reason: string };

function entryJson(
	pushId: string,
	entry: Record<string, unknown>,
	checkedAt: string,
): Record<string, unknown> {
	const { status, statusCode } = readDeliveryStatus(entry.status);
	const json: Record<string, unknown> = {
		push_id: pushId,
		msg_id: textOf(entry.msg_id),
		number: textOf(entry.number),
		status,
		status_code: statusCode,
	};
	const error = textOf(entry.error_message) ?? textOf(entry.error_code);
	if (error !== undefined && error !== '' && error !== '0') json.error_message = error;
	json.checked_at = checkedAt;
	return json;
}

/** Ids compared as text: the report's sample sends push_id as a JSON number, the push answer as a string. */
function sameId(value: unknown, pushId: string): boolean {
	return textOf(value)?.trim() === pushId;
}

/** Why a report is not about `pushId`, or undefined when it is. */
function foreignReport(
	pushId: string,
	body: Record<string, unknown>,
	entries: ReadonlyArray<Record<string, unknown>>,
): string | undefined {
	const shown = (value: unknown) => (textOf(value) ?? JSON.stringify(value) ?? '').slice(0, 64);
	if (body.push_id === undefined || body.push_id === null) {
		return `Picky Assist's report for push ${pushId} names no push_id, so it cannot be told to be about this push`;
	}
	if (!sameId(body.push_id, pushId)) {
		return `Picky Assist answered the report of push ${pushId} with the report of push_id ${shown(body.push_id)}`;
	}
	const other = entries.find(
		(entry) => entry.push_id !== undefined && !sameId(entry.push_id, pushId),
	);
	if (other) {
		return `Picky Assist's report for push ${pushId} lists a message of push_id ${shown(other.push_id)}`;
	}
	return undefined;
}

/**
 * The items for one push's report. A message asked by its msg_id gets its entry (or "pending"); the whole report,
 * asked with no msg_id, is emitted once, paired to the first item that asked for it — the other items of that
 * push would only repeat it, once per item.
 */
export function reportItems(
	pushId: string,
	body: Record<string, unknown>,
	requests: readonly ReportRequest[],
	checkedAt: string,
): ReportReading {
	const entries = Array.isArray(body.data) ? body.data.filter(isRecord) : [];
	const foreign = foreignReport(pushId, body, entries);
	if (foreign) return { kind: 'refused', reason: foreign };
	const byMsgId = new Map<string, Record<string, unknown>>();
	for (const entry of entries) {
		const msgId = textOf(entry.msg_id);
		if (msgId !== undefined && !byMsgId.has(msgId)) byMsgId.set(msgId, entry);
	}
	const items: ReportItem[] = [];
	let wholeReportGiven = false;
	for (const request of requests) {
		if (request.msgId === undefined) {
			if (wholeReportGiven) continue;
			wholeReportGiven = true;
			for (const entry of entries)
				items.push({ itemIndex: request.itemIndex, json: entryJson(pushId, entry, checkedAt) });
			if (entries.length === 0) {
				items.push({
					itemIndex: request.itemIndex,
					json: {
						push_id: pushId,
						status: 'pending',
						note: `The report of push ${pushId} has no entries yet`,
						checked_at: checkedAt,
					},
				});
			}
			continue;
		}
		const entry = byMsgId.get(request.msgId);
		items.push({
			itemIndex: request.itemIndex,
			json: entry
				? entryJson(pushId, entry, checkedAt)
				: { push_id: pushId, msg_id: request.msgId, status: 'pending', checked_at: checkedAt },
		});
	}
	return { kind: 'items', items };
}
