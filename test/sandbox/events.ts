/* eslint-disable @n8n/community-nodes/require-node-api-error -- test code: runs in Node.js and never ships */
/**
 * What the sandbox posts to webhooks, and where and when: the webhook settings and their checks, when each
 * delivery-status step is posted, and the Global Webhook's incoming-message payload. webhooks.ts sends them.
 *
 * Picky Assist posts to URLs configured by hand in its admin; the sandbox posts only to loopback URLs, for the
 * same reason it only binds to one: nothing it does may reach another machine.
 */
import { randomBytes } from 'node:crypto';
import { checkMs, type DeliveryPlan, type EventStep } from './delivery';
import { isLoopbackHost, isPlainObject } from './util';

export interface WebhookConfig {
	/**
	 * Where the Event Webhook posts delivery-status events (event 1) of pushes accepted from now on; null (default):
	 * none. Must be an http:// URL on a loopback host (127.x.y.z, ::1, localhost); a query string such as
	 * `?secret=…` is kept, as Picky Assist keeps it.
	 */
	eventWebhookUrl?: string | null;
	/** Default target of sendIncomingMessage() (the Global Webhook). Same rules as eventWebhookUrl. */
	incomingWebhookUrl?: string | null;
	/**
	 * Real-time ms after a push's acceptance at which each step's event is posted. A step left out gets a default
	 * derived from the status settings, so with the real clock the events agree with delivery-report:
	 * submitted 20, delivered max(60, deliveredAfterMs), read max(120, readAfterMs). A step is never posted before
	 * the previous step's first attempt has finished, so a receiver always sees them in order.
	 */
	eventDelaysMs?: Partial<Record<EventStep, number>> | null;
	/**
	 * After a scheduled event's attempt that did not get HTTP 200 (or got no answer), the next attempt follows after
	 * eventRetryDelaysMs[i] ms, then the event is dropped. Default [200, 1000]; [] = no retries. (Picky Assist waits
	 * 1 min, 15 min, 2 h, 6 h: too slow for tests.)
	 */
	eventRetryDelaysMs?: number[];
	/** An attempt with no complete answer within this many ms is abandoned (error "timeout"). Default 5000. */
	webhookTimeoutMs?: number;
}

export interface WebhookSettings {
	eventWebhookUrl: string | null;
	incomingWebhookUrl: string | null;
	eventDelaysMs: Partial<Record<EventStep, number>>;
	eventRetryDelaysMs: number[];
	webhookTimeoutMs: number;
}

export const DEFAULT_WEBHOOKS: Readonly<WebhookSettings> = Object.freeze({
	eventWebhookUrl: null,
	incomingWebhookUrl: null,
	eventDelaysMs: {},
	eventRetryDelaysMs: [200, 1000],
	webhookTimeoutMs: 5000,
});

const MAX_RETRIES = 20;

/**
 * A loopback http URL as a string, or throws. The error names the host only: the URL may carry a secret.
 * Credentials in the URL are refused too: Picky Assist has no way to send them either.
 */
export function loopbackUrl(v: unknown, name: string): string {
	if (typeof v !== 'string' || v.trim() === '') throw new TypeError(`${name} must be a URL string`);
	let url: URL;
	try {
		url = new URL(v.trim());
	} catch {
		throw new TypeError(`${name} is not a valid URL`);
	}
	if (url.protocol !== 'http:')
		throw new RangeError(`${name} must be an http:// URL (got ${url.protocol})`);
	if (!isLoopbackHost(url.hostname)) {
		throw new RangeError(
			`refusing ${name} on host ${JSON.stringify(url.hostname)}: the sandbox only posts to loopback addresses (127.0.0.1, ::1, localhost)`,
		);
	}
	if (url.username || url.password)
		throw new RangeError(`${name} must not carry a user name or password`);
	return url.href;
}

/** The URL for logs and banners: the query (where a secret lives) masked. */
export function maskUrl(url: string): string {
	const i = url.indexOf('?');
	return i === -1 ? url : `${url.slice(0, i)}?***`;
}

/** The WebhookConfig keys present in `partial`, validated; throws on the first bad one. */
export function readWebhookConfig(partial: WebhookConfig): Partial<WebhookSettings> {
	const out: Partial<WebhookSettings> = {};
	const urlOrNull = (v: unknown, name: string) =>
		v === undefined || v === null || v === '' ? null : loopbackUrl(v, name);
	if ('eventWebhookUrl' in partial)
		out.eventWebhookUrl = urlOrNull(partial.eventWebhookUrl, 'eventWebhookUrl');
	if ('incomingWebhookUrl' in partial)
		out.incomingWebhookUrl = urlOrNull(partial.incomingWebhookUrl, 'incomingWebhookUrl');
	if ('eventDelaysMs' in partial) {
		const v: unknown = partial.eventDelaysMs;
		const delays: Partial<Record<EventStep, number>> = {};
		if (v !== undefined && v !== null) {
			if (!isPlainObject(v))
				throw new TypeError('eventDelaysMs must be an object like { submitted, delivered, read }');
			for (const [step, ms] of Object.entries(v)) {
				if (step !== 'submitted' && step !== 'delivered' && step !== 'read') {
					throw new RangeError(
						`eventDelaysMs: unknown step ${JSON.stringify(step)} (submitted, delivered, read)`,
					);
				}
				if (ms !== undefined && ms !== null) delays[step] = checkMs(ms, `eventDelaysMs.${step}`);
			}
		}
		out.eventDelaysMs = delays;
	}
	if ('eventRetryDelaysMs' in partial) {
		const v: unknown =
			partial.eventRetryDelaysMs === undefined
				? DEFAULT_WEBHOOKS.eventRetryDelaysMs
				: partial.eventRetryDelaysMs;
		if (!Array.isArray(v) || v.length > MAX_RETRIES)
			throw new TypeError(`eventRetryDelaysMs must be an array of at most ${MAX_RETRIES} delays`);
		out.eventRetryDelaysMs = v.map((ms, i) => checkMs(ms, `eventRetryDelaysMs[${i}]`));
	}
	if ('webhookTimeoutMs' in partial) {
		const v =
			partial.webhookTimeoutMs === undefined
				? DEFAULT_WEBHOOKS.webhookTimeoutMs
				: partial.webhookTimeoutMs;
		if (checkMs(v, 'webhookTimeoutMs') === 0) throw new RangeError('webhookTimeoutMs must be > 0');
		out.webhookTimeoutMs = v;
	}
	return out;
}

/** Real-time ms after acceptance at which each step is posted (see WebhookConfig.eventDelaysMs). */
export function stepDelays(
	delays: Partial<Record<EventStep, number>>,
	plan: DeliveryPlan,
): Record<EventStep, number> {
	return {
		submitted: delays.submitted ?? 20,
		delivered: delays.delivered ?? Math.max(60, plan.deliveredAfterMs),
		read: delays.read ?? Math.max(120, plan.readAfterMs ?? 0),
	};
}

/** An incoming message for sendIncomingMessage(), in plain terms; incomingPayload() turns it into what Picky Assist posts. */
export interface IncomingMessageInput {
	/** The sender: country code and number (on phone automation it may be a contact name; in groups "Group @Sender"). */
	number: string;
	/** The message text, sent URL-encoded in `message-in` (first 2,500 characters) and as is in `message_in_raw`. */
	text: string;
	name?: string;
	/** Channel code or channel id. Default "8" (WhatsApp Official). */
	application?: string | number;
	messengerId?: string;
	groupId?: string;
	groupMentions?: string;
	/** The message being replied to. */
	contextMsgId?: string;
	/** Default "0" (inbound). */
	direction?: '0' | '1';
	/**
	 * Picky Assist's id of the message, sent as `unique-id` as in the documented samples; a re-sent message carries
	 * the same one. Default: a new random id per message.
	 */
	uniqueId?: string;
	/** An attachment's URL: sent as `media-url`, with `type` "2" (media) unless `extra` sets another. */
	mediaUrl?: string;
	/** More fields, added as given (e.g. media fields of an attachment); they override the ones above. */
	extra?: Record<string, unknown>;
}

/**
 * Like PHP's urlencode(), which the `message-in` samples match: spaces as "+", everything but letters, digits and
 * "-_." percent-encoded (UTF-8).
 */
export function formEncode(s: string): string {
	return encodeURIComponent(s)
		.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');
}

const MESSAGE_IN_CHARS = 2500;

/** The JSON the Global Webhook posts for one incoming message; every value a string, as Picky Assist sends them. */
export function incomingPayload(input: IncomingMessageInput): Record<string, unknown> {
	if (!isPlainObject(input as unknown))
		throw new TypeError('the incoming message must be an object');
	const str = (v: unknown, name: string, fallback: string): string => {
		if (v === undefined || v === null) return fallback;
		if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
		throw new TypeError(`incoming message: ${name} must be a string`);
	};
	const number = str(input.number, 'number', '');
	if (number.trim() === '') throw new TypeError('incoming message: number is required');
	if (typeof input.text !== 'string')
		throw new TypeError('incoming message: text must be a string');
	if (input.extra !== undefined && !isPlainObject(input.extra as unknown))
		throw new TypeError('incoming message: extra must be an object');
	// Cut by characters (code points), not UTF-16 units, so an emoji at the limit is not split in half.
	const shown = Array.from(input.text).slice(0, MESSAGE_IN_CHARS).join('');
	return {
		number,
		name: str(input.name, 'name', ''),
		messenger_id: str(input.messengerId, 'messengerId', ''),
		'message-in': formEncode(shown),
		message_in_raw: input.text,
		application: str(input.application, 'application', '8'),
		direction: str(input.direction, 'direction', '0'),
		'group-id': str(input.groupId, 'groupId', ''),
		'group-mentions': str(input.groupMentions, 'groupMentions', ''),
		'context-msg-id': str(input.contextMsgId, 'contextMsgId', ''),
		'unique-id': str(input.uniqueId, 'uniqueId', randomBytes(8).toString('hex')),
		...(input.mediaUrl === undefined
			? {}
			: { type: '2', 'media-url': str(input.mediaUrl, 'mediaUrl', '') }),
		...(input.extra || {}),
	};
}
