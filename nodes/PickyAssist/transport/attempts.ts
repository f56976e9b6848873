/**
 * The pacing and backoff every call shares. Each attempt takes a place in its account's window (waiting while
 * the window is full), sends, and lets the caller judge the answer: done, or worth another attempt. Another
 * attempt waits with exponential backoff and jitter (honouring Retry-After) within the policy's limits; past
 * them the caller says how the call ends. Every wait ends at once when the execution is cancelled.
 */
import type { ICredentialsDecrypted, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Redactor } from '../helpers/redaction';
import { waitUnlessCancelled } from './deadline';
import type { AccountPacer, PacingSlot } from './pacing';
import { backoffDelay } from './pacing';
import type { ApiAnswer } from './request';
import { postWithCredential } from './request';

export interface CallPolicy {
	baseUrl: string;
	/** The node's credential, read once per execution (its data holds the token). */
	credentials: ICredentialsDecrypted;
	/** Removes the credential's token from every answer and error, before anything reads them. */
	redactor: Redactor;
	timeoutMs: number;
	/** Further attempts after the first, for answers the caller judges worth another one. */
	maxRetries: number;
	/** Upper bound of the time spent waiting between the attempts of one call. */
	maxRetryWaitMs: number;
	/** The account's shared window (pacing.ts), with this run's limit. */
	pacer: AccountPacer;
}

/**
 * The execution was cancelled while a call waited for pacing or for a retry: the call was not sent. On cancel n8n
 * has already saved the execution, so the caller stops and sends nothing more.
 */
export class CancelledBeforeSending extends Error {
	constructor() {
		super('The execution was cancelled while waiting to send; nothing more was sent');
		this.name = 'CancelledBeforeSending';
	}
}

export function executionCancelled(context: IExecuteFunctions): boolean {
	return context.getExecutionCancelSignal?.()?.aborted === true;
}

/**
 * Takes a place in the account's window, waiting while it is full. The place is taken synchronously when the
 * window has room, so it is counted before the request is even started. The log says when the account starts
 * waiting, not for every call that waits.
 */
async function takeSlot(context: IExecuteFunctions, pacer: AccountPacer): Promise<PacingSlot> {
	const cancel = context.getExecutionCancelSignal?.();
	let told = false;
	for (;;) {
		if (cancel?.aborted) throw new CancelledBeforeSending();
		const reservation = pacer.reserve(Date.now());
		if (reservation.kind === 'reserved') return reservation.slot;
		if (!told && reservation.announce) {
			told = true;
			context.logger.info(
				`Picky Assist: ${reservation.inWindow} requests went out with this account in the last 60 seconds (limit ${reservation.limit}); the next one waits ${Math.ceil(reservation.waitMs / 1000)} s, and later ones as long as the account stays at its limit`,
			);
		}
		if ((await waitUnlessCancelled(reservation.waitMs, cancel)) === 'cancelled')
			throw new CancelledBeforeSending();
	}
}

/** `why` is what the caller learnt of an answer worth another attempt, handed to giveUp if none is left. */
export type Judgement<T, W> =
	| { kind: 'done'; value: T }
	| { kind: 'again'; why: W; retryAfterMs?: number };

export interface AttemptInfo {
	attempt: number;
	sentAt: Date;
}

export async function callWithRetries<T, W>(
	context: IExecuteFunctions,
	endpoint: string,
	body: IDataObject,
	policy: CallPolicy,
	judge: (answer: ApiAnswer, info: AttemptInfo) => Judgement<T, W>,
	giveUp: (why: W, info: AttemptInfo) => T,
): Promise<T> {
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const slot = await takeSlot(context, policy.pacer);
		const sentAt = new Date();
		const url = `${policy.baseUrl}/${endpoint}`;
		let answer: ApiAnswer;
		try {
			answer = await postWithCredential(context, url, body, policy);
		} finally {
			// Picky Assist counts a push when it arrives, which is some time before its answer comes back. The slot,
			// taken at the send, now counts from the answer: every 60 s of arrivals stays within the limit, whatever
			// the network's delay (see pacing.ts).
			slot.settle(Date.now());
		}
		const info = { attempt, sentAt };
		const judged = judge(answer, info);
		if (judged.kind === 'done') return judged.value;

		const delayMs = backoffDelay(attempt, judged.retryAfterMs, Math.random());
		if (attempt > policy.maxRetries || waitedMs + delayMs > policy.maxRetryWaitMs)
			return giveUp(judged.why, info);
		waitedMs += delayMs;
		// Another attempt follows only a push that certainly was not taken, or a read: a cancel here loses nothing.
		if ((await waitUnlessCancelled(delayMs, context.getExecutionCancelSignal?.())) === 'cancelled')
			throw new CancelledBeforeSending();
	}
}

export function attemptsText(attempt: number): string {
	return `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
}
