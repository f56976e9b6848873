/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * Posting to webhooks: the delivery-status events each accepted push causes (with retries), and the events and
 * incoming messages tests post on demand. Every attempt is recorded. Requests go to loopback addresses only (a
 * host name must resolve to one), on a fresh socket each (no keep-alive pool left open), with a bounded time;
 * cancelAll() (reset) and close() stop every pending timer and in-flight request.
 */
import {
	request,
	type ClientRequest,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type RequestOptions,
} from 'node:http';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

import type { AcceptedPush } from './api';
import { deliveryEvents, type EventStep } from './delivery';
import { maskUrl, stepDelays, type WebhookSettings } from './events';
import { isLookup, lookupEvent } from './lookups';
import { errorMessage, isLoopbackHost, isPlainObject, Timers } from './util';

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

type LookupCallback = (
	err: NodeJS.ErrnoException | null,
	address: string | LookupAddress[],
	family?: number,
) => void;

/** DNS lookup that only yields loopback addresses, so a name like "localhost" cannot lead off the machine. */
function loopbackLookup(
	hostname: string,
	options: { all?: boolean },
	callback: LookupCallback,
): void {
	dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
		if (err) return callback(err, []);
		const ok = addresses.filter((a) => isLoopbackHost(a.address));
		if (ok.length === 0) {
			const refused = Object.assign(
				new Error(`${hostname} does not resolve to a loopback address`),
				{ code: 'ENOTLOOPBACK' },
			);
			return callback(refused, []);
		}
		if (options.all) callback(null, ok);
		else callback(null, ok[0].address, ok[0].family);
	});
}

interface Meta {
	kind: WebhookDelivery['kind'];
	source: WebhookDelivery['source'];
	push_id: string | null;
	step: EventStep | null;
}

export class Webhooks {
	readonly deliveries: WebhookDelivery[] = [];
	private seq = 0;
	/** Bumped by cancelAll(): callbacks of an earlier generation do nothing (no retry, no next step). */
	private generation = 0;
	private closed = false;
	private readonly timers = new Timers();
	private readonly inflight = new Map<ClientRequest, (reason: Error) => void>();

	constructor(
		private readonly settings: () => WebhookSettings,
		private readonly log: () => ((line: string) => void) | undefined,
	) {}

	/** Pending timers plus in-flight requests: 0 once everything has finished or was cancelled. */
	get pending(): number {
		return this.timers.size + this.inflight.size;
	}

	/** Schedules the delivery-status events of a just-accepted push, if an Event Webhook URL is set. */
	pushAccepted(acc: AcceptedPush): void {
		const { eventWebhookUrl: url, eventDelaysMs, eventRetryDelaysMs: retries } = this.settings();
		if (!url || this.closed) return;
		if (isLookup(isPlainObject(acc.request.body) ? acc.request.body : {})) {
			const meta: Meta = { kind: 'event', source: 'push', push_id: acc.push_id, step: 'submitted' };
			const delay = stepDelays(eventDelaysMs, acc.delivery).submitted;
			this.timers.after(delay, () => this.deliver(meta, url, lookupEvent(acc), 1, retries));
			return;
		}
		const steps = deliveryEvents(acc);
		const delays = stepDelays(eventDelaysMs, acc.delivery);
		const start = Date.now();
		const gen = this.generation;
		let i = 0;
		// Each step waits for its time AND for the previous step's first attempt, so steps arrive in order.
		const next = (): void => {
			if (gen !== this.generation || i >= steps.length) return;
			const { step, body } = steps[i++];
			const meta: Meta = { kind: 'event', source: 'push', push_id: acc.push_id, step };
			this.timers.after(Math.max(0, start + delays[step] - Date.now()), () =>
				this.deliver(meta, url, body, 1, retries, next),
			);
		};
		next();
	}

	/** One attempt with retries after non-200 answers; `afterFirst` runs once the first attempt has finished. */
	private deliver(
		meta: Meta,
		url: string,
		body: unknown,
		attempt: number,
		retries: number[],
		afterFirst?: () => void,
	): void {
		const gen = this.generation;
		const entry = this.record(meta, url, body, attempt);
		this.attempt(entry)
			.then(
				(answer) => answer.status === 200,
				() => false,
			)
			.then((ok) => {
				if (gen !== this.generation) return;
				const wait = retries[attempt - 1];
				if (!ok && wait !== undefined) {
					entry.retryInMs = wait;
					this.timers.after(wait, () => this.deliver(meta, url, body, attempt + 1, retries));
				}
				afterFirst?.();
			});
	}

	/** Posts once, no retry; resolves with the answer whatever its status, rejects (WebhookSendError) without one. */
	send(kind: 'event' | 'incoming', url: string, body: unknown): Promise<WebhookAnswer> {
		if (this.closed) return Promise.reject(new WebhookSendError('the sandbox is closed'));
		return this.attempt(
			this.record({ kind, source: 'demand', push_id: null, step: null }, url, body, 1),
		);
	}

	private record(meta: Meta, url: string, body: unknown, attempt: number): WebhookDelivery {
		const entry: WebhookDelivery = {
			seq: ++this.seq,
			...meta,
			url,
			body,
			attempt,
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

	/** Writes an attempt's end into its entry and the log. */
	private recordEnd(entry: WebhookDelivery, err: Error | null, answer?: WebhookAnswer): void {
		entry.finishedAt = Date.now();
		if (answer) {
			entry.status = answer.status;
			entry.responseText = answer.text.slice(0, RECORDED_TEXT);
		} else entry.error = describe(err);
		this.logAttempt(entry);
	}

	private attempt(entry: WebhookDelivery): Promise<WebhookAnswer> {
		const payload = Buffer.from(
			typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body),
			'utf8',
		);
		const timeoutMs = this.settings().webhookTimeoutMs;
		return new Promise<WebhookAnswer>((resolve, reject) => {
			let settled = false;
			let cancelTimer = () => {};
			const finish = (err: Error | null, answer?: WebhookAnswer) => {
				if (settled) return;
				settled = true;
				cancelTimer();
				this.inflight.delete(req);
				this.recordEnd(entry, err, answer);
				if (answer) resolve(answer);
				else if (err instanceof WebhookSendError) reject(err);
				else reject(new WebhookSendError(`${maskUrl(entry.url)}: ${entry.error}`));
			};
			const req = request(new URL(entry.url), postOptions(payload.length), (res) =>
				readAnswer(res, finish),
			);
			req.on('error', (e) => finish(e));
			cancelTimer = this.timers.after(timeoutMs, () => {
				finish(new WebhookSendError(`timeout: no complete answer within ${timeoutMs} ms`));
				req.destroy();
			});
			this.inflight.set(req, (reason) => {
				finish(reason);
				req.destroy();
			});
			req.end(payload);
		});
	}

	private logAttempt(e: WebhookDelivery): void {
		const log = this.log();
		if (!log) return;
		const what =
			e.kind === 'event'
				? `event${e.push_id ? ` push_id=${e.push_id} step=${e.step}` : ''}`
				: 'incoming';
		const outcome = e.status !== null ? String(e.status) : `--- ${e.error}`;
		try {
			log(
				`${new Date(e.sentAt).toISOString().slice(11, 23)} webhook ${what} attempt=${e.attempt} POST ${maskUrl(e.url)} ${outcome}`,
			);
		} catch {
			// a broken logger must not break the sandbox
		}
	}

	/** Stops every pending post and retry and every in-flight request (reset()); clears nothing recorded. */
	cancelAll(): void {
		this.generation++;
		this.timers.clearAll();
		for (const cancel of [...this.inflight.values()]) cancel(new WebhookSendError('cancelled'));
		this.inflight.clear();
	}

	/** reset(): cancelAll() and forget the record (in place). */
	reset(): void {
		this.cancelAll();
		this.deliveries.length = 0;
		this.seq = 0;
	}

	close(): void {
		this.closed = true;
		this.cancelAll();
	}
}

function parseJson(text: string): unknown {
	if (text.trim() === '') return text;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function describe(err: unknown): string {
	const code = (err as NodeJS.ErrnoException | null)?.code;
	const message = errorMessage(err);
	return code && !message.includes(code) ? `${code}: ${message}` : message || code || 'error';
}

/** A webhook post: a fresh connection each time, to loopback addresses only. */
function postOptions(length: number): RequestOptions {
	return {
		method: 'POST',
		agent: false,
		lookup: loopbackLookup as never,
		headers: {
			'content-type': 'application/json',
			'content-length': String(length),
			'user-agent': 'PickyAssist-Sandbox',
		},
	};
}

/** Reads a receiver's answer in full, keeping its first MAX_ANSWER_BYTES; `done` gets it or what cut it short. */
function readAnswer(
	res: IncomingMessage,
	done: (err: Error | null, answer?: WebhookAnswer) => void,
): void {
	const chunks: Buffer[] = [];
	let size = 0;
	res.on('data', (c: Buffer) => {
		if (size < MAX_ANSWER_BYTES) chunks.push(c);
		size += c.length;
	});
	res.on('error', (e) => done(e));
	res.on('close', () => {
		if (!res.complete)
			return done(new Error('the connection closed before the answer was complete'));
		const text = Buffer.concat(chunks).toString('utf8');
		done(null, { status: res.statusCode || 0, headers: res.headers, body: parseJson(text), text });
	});
}
