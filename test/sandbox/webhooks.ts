/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * Posting to webhooks: the delivery-status events each accepted push causes (with retries), and the events and
 * incoming messages tests post on demand. Every attempt is recorded. Picky Assist posts to URLs configured by hand
 * in its admin; the sandbox posts only to loopback addresses (a host name must resolve to one), for the same reason
 * it only binds to one: nothing it does may reach another machine. Each request uses a fresh socket (no keep-alive
 * pool left open) and a bounded time; reset() and close() stop every pending timer and in-flight request.
 */
import { randomBytes } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns';
import {
	request,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type RequestOptions,
} from 'node:http';

import type { AcceptedPush } from './api';
import type { Settings } from './config';
import { deliveryEvents, type EventStep } from './delivery';
import { errorMessage, isLoopbackHost, isPlainObject, logLine, parseJson, Timers } from './util';

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

/** One attempt to post to a webhook. Filled in when it finishes; until then `finishedAt` is null. */
export interface WebhookDelivery {
	/** 1-based, in the order attempts started; restarts at 1 after reset(). */
	seq: number;
	/** 'event': Event Webhook payload; 'incoming': Global Webhook incoming message. */
	kind: 'event' | 'incoming';
	/** 'push': scheduled by an accepted push; 'demand': postEvent() / sendIncomingMessage(). */
	source: 'push' | 'demand';
	/** For scheduled events: the push and the status step. */
	push_id: string | null;
	step: EventStep | null;
	url: string;
	/** What was posted: the payload object (a string given to postEvent() is sent and kept as is). */
	body: unknown;
	/** 1 for the first attempt, 2… for retries. */
	attempt: number;
	/** ms epoch (real time) when the attempt started and when it finished. */
	sentAt: number;
	finishedAt: number | null;
	/** HTTP status the receiver answered, or null (no answer yet, or none at all: see `error`). */
	status: number | null;
	/** Why there was no answer: a connection error, "timeout …" or "cancelled". */
	error: string | null;
	/** The receiver's answer text (the first 64 KiB). */
	responseText: string | null;
	/** ms until the next attempt when one was scheduled, else null. */
	retryInMs: number | null;
}

/** The receiver's answer: `body` is the parsed JSON when the text is JSON, else the text itself. */
export interface WebhookAnswer {
	status: number;
	headers: IncomingHttpHeaders;
	body: unknown;
	text: string;
}

/** A post that got no answer (connection error, timeout, cancelled); the attempt is recorded either way. */
export class WebhookSendError extends Error {}

const MAX_ANSWER_BYTES = 1024 * 1024;
const RECORDED_TEXT = 64 * 1024;

/** The URL for logs and banners: the query (where a secret lives) masked. */
export function maskUrl(url: string): string {
	const i = url.indexOf('?');
	return i === -1 ? url : `${url.slice(0, i)}?***`;
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
	/** Sent as `unique-id`, as in the documented samples; a re-sent message carries the same one. Default: random. */
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

/** The JSON the Global Webhook posts for one incoming message; every value a string, as Picky Assist sends them. */
export function incomingPayload(input: IncomingMessageInput): Record<string, unknown> {
	const str = (name: keyof IncomingMessageInput, fallback = ''): string => {
		const v = input[name];
		if (v === undefined || v === null) return fallback;
		if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
		throw new TypeError(`incoming message: ${name} must be a string`);
	};
	const number = str('number');
	if (number.trim() === '') throw new TypeError('incoming message: number is required');
	if (typeof input.text !== 'string')
		throw new TypeError('incoming message: text must be a string');
	if (input.extra !== undefined && !isPlainObject(input.extra as unknown))
		throw new TypeError('incoming message: extra must be an object');
	// Cut by characters (code points), not UTF-16 units, so an emoji at the limit is not split in half.
	const shown = Array.from(input.text).slice(0, 2500).join('');
	return {
		number,
		name: str('name'),
		messenger_id: str('messengerId'),
		'message-in': formEncode(shown),
		message_in_raw: input.text,
		application: str('application', '8'),
		direction: str('direction', '0'),
		'group-id': str('groupId'),
		'group-mentions': str('groupMentions'),
		'context-msg-id': str('contextMsgId'),
		'unique-id': str('uniqueId', randomBytes(8).toString('hex')),
		...(input.mediaUrl === undefined ? {} : { type: '2', 'media-url': str('mediaUrl') }),
		...input.extra,
	};
}

/** DNS lookup that only yields loopback addresses, so a name like "localhost" cannot lead off the machine. */
const loopbackLookup: RequestOptions['lookup'] = (hostname, options, callback) => {
	dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
		const ok = err ? [] : addresses.filter((a) => isLoopbackHost(a.address));
		if (err || ok.length === 0) {
			const refused = new Error(`${hostname} does not resolve to a loopback address`);
			return callback(err ?? Object.assign(refused, { code: 'ENOTLOOPBACK' }), []);
		}
		if (options.all) callback(null, ok);
		else callback(null, ok[0].address, ok[0].family);
	});
};

/** What an attempt posts, where, and why. */
type Attempt = Pick<
	WebhookDelivery,
	'kind' | 'source' | 'push_id' | 'step' | 'url' | 'body' | 'attempt'
>;

export class Webhooks {
	readonly deliveries: WebhookDelivery[] = [];
	private seq = 0;
	/** Bumped by cancelAll(): callbacks of an earlier generation do nothing (no retry, no next step). */
	private generation = 0;
	private closed = false;
	private readonly timers = new Timers();
	private readonly inflight = new Set<AbortController>();

	/** `settings` are read when used, so configure() takes effect at once (for pushes accepted from then on). */
	constructor(private readonly settings: Settings) {}

	/** Pending timers plus in-flight requests: 0 once everything has finished or was cancelled. */
	get pending(): number {
		return this.timers.size + this.inflight.size;
	}

	/** Schedules the delivery-status events of a just-accepted push, if an Event Webhook URL is set. */
	pushAccepted(acc: AcceptedPush, lookup: boolean): void {
		const { eventWebhookUrl: url, eventDelaysMs: d, eventRetryDelaysMs: retries } = this.settings;
		if (!url || this.closed) return;
		const steps = deliveryEvents(acc, lookup);
		const { push_id, delivery: plan } = acc;
		const delays: Record<EventStep, number> = {
			submitted: d.submitted ?? 20,
			delivered: d.delivered ?? Math.max(60, plan.deliveredAfterMs),
			read: d.read ?? Math.max(120, plan.readAfterMs ?? 0),
		};
		const start = Date.now();
		const gen = this.generation;
		let i = 0;
		// Each step waits for its time AND for the previous step's first attempt, so steps arrive in order.
		const next = (): void => {
			if (gen !== this.generation || i >= steps.length) return;
			const { step, body } = steps[i++];
			const first: Attempt = {
				kind: 'event',
				source: 'push',
				push_id,
				step,
				url,
				body,
				attempt: 1,
			};
			this.timers.after(Math.max(0, start + delays[step] - Date.now()), () =>
				this.deliver(first, retries, next),
			);
		};
		next();
	}

	/** One attempt with retries after non-200 answers; `afterFirst` runs once the first attempt has finished. */
	private deliver(a: Attempt, retries: number[], afterFirst?: () => void) {
		const gen = this.generation;
		const entry = this.record(a);
		void this.post(entry)
			.then(
				(answer) => answer.status === 200,
				() => false,
			)
			.then((ok) => {
				if (gen !== this.generation) return;
				const wait = retries[a.attempt - 1];
				if (!ok && wait !== undefined) {
					entry.retryInMs = wait;
					this.timers.after(wait, () => this.deliver({ ...a, attempt: a.attempt + 1 }, retries));
				}
				afterFirst?.();
			});
	}

	/** Posts once, no retry; resolves with the answer whatever its status, rejects (WebhookSendError) without one. */
	send(kind: 'event' | 'incoming', url: string, body: unknown): Promise<WebhookAnswer> {
		if (this.closed) return Promise.reject(new WebhookSendError('the sandbox is closed'));
		return this.post(
			this.record({ kind, source: 'demand', push_id: null, step: null, url, body, attempt: 1 }),
		);
	}

	private record(a: Attempt): WebhookDelivery {
		const entry: WebhookDelivery = {
			seq: ++this.seq,
			...a,
			sentAt: Date.now(),
			finishedAt: null,
			status: null,
			error: null,
			responseText: null,
			retryInMs: null,
		};
		this.deliveries.push(entry);
		return entry;
	}

	private post(entry: WebhookDelivery): Promise<WebhookAnswer> {
		const payload = Buffer.from(
			typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body),
			'utf8',
		);
		const ms = this.settings.webhookTimeoutMs;
		const abort = new AbortController();
		this.inflight.add(abort);
		const stopTimer = this.timers.after(ms, () =>
			abort.abort(new WebhookSendError(`timeout: no complete answer within ${ms} ms`)),
		);
		const headers = {
			'content-type': 'application/json',
			'content-length': String(payload.length),
			'user-agent': 'PickyAssist-Sandbox',
		};
		const options = {
			method: 'POST',
			agent: false,
			lookup: loopbackLookup,
			headers,
			signal: abort.signal,
		};
		return new Promise<WebhookAnswer>((resolve, reject) => {
			const req = request(new URL(entry.url), options, (res) =>
				readAnswer(res).then(resolve, reject),
			);
			req.on('error', reject);
			req.end(payload);
		})
			.then(
				(answer) => {
					entry.status = answer.status;
					entry.responseText = answer.text.slice(0, RECORDED_TEXT);
					return answer;
				},
				(err: unknown) => {
					// An aborted request only says "aborted": the reason is the timeout's or cancelAll()'s.
					const reason: unknown = abort.signal.aborted ? abort.signal.reason : err;
					entry.error = describe(reason);
					if (reason instanceof WebhookSendError) throw reason;
					throw new WebhookSendError(`${maskUrl(entry.url)}: ${entry.error}`);
				},
			)
			.finally(() => {
				stopTimer();
				this.inflight.delete(abort);
				entry.finishedAt = Date.now();
				this.logAttempt(entry);
			});
	}

	private logAttempt(e: WebhookDelivery): void {
		if (!this.settings.log) return;
		const what =
			e.kind === 'incoming'
				? 'incoming'
				: `event${e.push_id ? ` push_id=${e.push_id} step=${e.step}` : ''}`;
		const outcome = e.status !== null ? String(e.status) : `--- ${e.error}`;
		const line = `webhook ${what} attempt=${e.attempt} POST ${maskUrl(e.url)} ${outcome}`;
		logLine(this.settings.log, e.sentAt, line);
	}

	/** Stops every pending post and retry and every in-flight request; with `forget` (reset()) clears the record. */
	cancelAll(forget = false): void {
		this.generation++;
		this.timers.clearAll();
		for (const request of this.inflight) request.abort(new WebhookSendError('cancelled'));
		this.inflight.clear();
		if (!forget) return;
		this.deliveries.length = 0;
		this.seq = 0;
	}

	close(): void {
		this.closed = true;
		this.cancelAll();
	}
}

function describe(err: unknown): string {
	const code = (err as NodeJS.ErrnoException | null)?.code;
	const message = errorMessage(err);
	return code && !message.includes(code) ? `${code}: ${message}` : message || code || 'error';
}

/** Reads a receiver's answer in full, keeping its first MAX_ANSWER_BYTES. */
async function readAnswer(res: IncomingMessage): Promise<WebhookAnswer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const c of res as AsyncIterable<Buffer>) {
		if (size < MAX_ANSWER_BYTES) chunks.push(c);
		size += c.length;
	}
	const text = Buffer.concat(chunks).toString('utf8');
	return { status: res.statusCode || 0, headers: res.headers, body: parseJson(text, text), text };
}
