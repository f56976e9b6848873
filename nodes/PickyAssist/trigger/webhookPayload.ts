/**
 * Reads what Picky Assist posts to a webhook. One URL serves both of its webhooks, told apart by payload:
 * - the Event Webhook posts `{ project_id, event_id, data: [ … ] }`, one item per `data` entry;
 * - the Global Webhook posts one incoming message: `{ number, name, "message-in", message_in_raw, … }`.
 * Anything else is refused with a reason, never turned into an item.
 *
 * Everything a sender posts is first copied as plain JSON data (jsonCopy.ts): what the items carry is the body's
 * own data, and no key can reach an object's prototype, however the body was forged.
 */
import { readDeliveryStatus } from '../helpers/deliveryStatus';
import { isRecord, textFields, textOf } from '../helpers/values';
import { incomingMessage } from './incomingMessage';
import { canonicalJson, plainJsonCopy } from './jsonCopy';

/** The Event Webhook's event ids; incoming messages come through the Global Webhook, without one. */
const EVENT_BY_ID = {
	'1': 'deliveryReport',
	'2': 'whatsappFilter',
	'3': 'groupMembership',
	'4': 'newSubscriber',
} as const satisfies Record<string, string>;

export type WebhookEvent = 'incomingMessage' | (typeof EVENT_BY_ID)[keyof typeof EVENT_BY_ID];

type Json = Record<string, unknown>;

export interface EventEntry {
	json: Json;
	/**
	 * What identifies a re-sent entry: the message and its status, or else the whole entry (its canonical JSON). The
	 * trigger remembers only a digest of it (recentEvents.ts).
	 */
	key: string;
}

/** `removedKeys`: how many `__proto__`, `constructor` and `prototype` keys the body held; none reaches an item. */
export type WebhookPayload =
	| {
			kind: 'events';
			event: WebhookEvent;
			entries: EventEntry[];
			skipped: number;
			removedKeys: number;
	  }
	| {
			kind: 'incomingMessage';
			json: Json;
			/** Picky Assist's `unique-id` of the message, when given: what identifies a re-sent one. */
			key: string | undefined;
			/**
			 * `direction` 1: a message the account sent (the workflow's own instant reply among them), which the Global
			 * Webhook posts too. Starting a workflow for it would have a replying workflow answer its own replies.
			 */
			outgoing: boolean;
			removedKeys: number;
	  }
	| { kind: 'invalid'; reason: string };

/** The fields of an event entry, under the names the trigger's items use, as far as they are present. */
const EVENT_FIELDS = [
	'push_id',
	'msg_id',
	'number',
	'error_message',
	'reference_number',
	'channel_id',
	'message',
	'message_type',
];

function eventItem(
	eventId: string,
	event: WebhookEvent,
	projectId: string | undefined,
	entry: Json,
): EventEntry {
	const json: Json = { event };
	if (projectId !== undefined) json.project_id = projectId;
	for (const [field, value] of Object.entries(entry)) {
		if (field !== 'status' && !EVENT_FIELDS.includes(field)) json[field] = value;
	}
	Object.assign(json, textFields(entry, EVENT_FIELDS));
	// What each WhatsApp Filter status means is not documented: it is passed on as given, never read as a delivery
	// status (a filter's "1" is not "delivered").
	if (event === 'whatsappFilter') {
		const status = textOf(entry.status);
		if (status !== undefined) json.status = status;
		else if (entry.status !== undefined) json.status = entry.status;
	} else if (event === 'deliveryReport' || entry.status !== undefined) {
		const { status, statusCode } = readDeliveryStatus(entry.status);
		json.status = status;
		json.status_code = statusCode;
	}
	const msgId = textOf(entry.msg_id);
	const stateKey = event === 'whatsappFilter' ? textOf(entry.status) : json.status_code;
	// Short keys: the trigger remembers many of them (recentEvents.ts).
	const key =
		msgId !== undefined && stateKey !== undefined
			? `${eventId}:${msgId}:${String(stateKey)}`
			: `${eventId}:${canonicalJson(entry)}`;
	return { json, key };
}

export function readWebhookPayload(received: unknown): WebhookPayload {
	const copy = plainJsonCopy(received);
	if (copy.kind === 'tooDeep')
		return {
			kind: 'invalid',
			reason: `the body is nested deeper than ${copy.maxDepth} levels, which no Picky Assist payload is`,
		};
	const { value: body, removedKeys } = copy;
	if (!isRecord(body)) return { kind: 'invalid', reason: 'the body is not a JSON object' };
	if (body.event_id !== undefined || body.data !== undefined) {
		const eventId = String(body.event_id ?? '').trim();
		const event: WebhookEvent | undefined = EVENT_BY_ID[eventId as keyof typeof EVENT_BY_ID];
		if (!event)
			return {
				kind: 'invalid',
				reason: `the event_id ${JSON.stringify(body.event_id)} is not one Picky Assist documents`,
			};
		if (!Array.isArray(body.data)) return { kind: 'invalid', reason: 'the event has no data list' };
		const projectId = textOf(body.project_id);
		const entries: EventEntry[] = [];
		let skipped = 0;
		for (const entry of body.data) {
			if (isRecord(entry)) entries.push(eventItem(eventId, event, projectId, entry));
			else skipped++;
		}
		return { kind: 'events', event, entries, skipped, removedKeys };
	}
	if (
		textOf(body.number) !== undefined &&
		(body['message-in'] !== undefined || body.message_in_raw !== undefined)
	) {
		const uniqueId = textOf(body['unique-id']);
		return {
			kind: 'incomingMessage',
			json: incomingMessage(body),
			key: uniqueId ? `incoming:${uniqueId}` : undefined,
			outgoing: textOf(body.direction)?.trim() === '1',
			removedKeys,
		};
	}
	return {
		kind: 'invalid',
		reason: 'the body is neither a Picky Assist event nor an incoming message',
	};
}
