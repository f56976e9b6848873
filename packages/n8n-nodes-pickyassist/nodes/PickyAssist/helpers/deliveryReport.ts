/**
 * Turns one `delivery-report` answer into the items asked for. A report lists the messages of one push by
 * msg_id; a message it does not list yet is "pending" (Picky Assist builds reports a while after the push), not
 * an error.
 */
import { readDeliveryStatus } from './deliveryStatus';
import { isRecord, textOf } from './values';

export interface ReportRequest {
	itemIndex: number;
	/** The message asked about, or undefined for every message of the push. */
	msgId: string | undefined;
}

export interface ReportItem {
	itemIndex: number;
	json: Record<string, unknown>;
}

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

export function reportItems(
	pushId: string,
	body: Record<string, unknown>,
	requests: readonly ReportRequest[],
	checkedAt: string,
): ReportItem[] {
	const entries = Array.isArray(body.data) ? body.data.filter(isRecord) : [];
	const byMsgId = new Map<string, Record<string, unknown>>();
	for (const entry of entries) {
		const msgId = textOf(entry.msg_id);
		if (msgId !== undefined && !byMsgId.has(msgId)) byMsgId.set(msgId, entry);
	}
	const items: ReportItem[] = [];
	for (const request of requests) {
		if (request.msgId === undefined) {
			for (const entry of entries)
				items.push({ itemIndex: request.itemIndex, json: entryJson(pushId, entry, checkedAt) });
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
	return items;
}
