/**
 * The pacing and backoff every call shares. Each attempt waits for the sliding-window pacer, sends, and lets
 * the caller judge the answer: done, or worth another attempt. Another attempt waits with exponential backoff
 * and jitter (honouring Retry-After) within the policy's limits; past them the caller says how the call ends.
 */
import type { ICredentialsDecrypted, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { SlidingWindowPacer } from '../helpers/pacing';
import { backoffDelay } from '../helpers/pacing';
import type { ApiAnswer } from './request';
import { postWithCredential } from './request';

export interface CallPolicy {
	baseUrl: string;
	/** The node's credential, read once per execution (its data holds the token). */
	credentials: ICredentialsDecrypted;
	timeoutMs: number;
	/** Further attempts after the first, for answers the caller judges worth another one. */
	maxRetries: number;
	/** Upper bound of the time spent waiting between the attempts of one call. */
	maxRetryWaitMs: number;
	pacer: SlidingWindowPacer;
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
		const paceMs = policy.pacer.delayBeforeNext(Date.now());
		if (paceMs > 0) await sleep(paceMs);
		const sentAt = new Date();
		const url = `${policy.baseUrl}/${endpoint}`;
		let answer: ApiAnswer;
		try {
			answer = await postWithCredential(context, url, body, policy.timeoutMs, policy.credentials);
		} finally {
			// Picky Assist counts a push when it arrives, which is some time before its answer comes back. Counting
			// it from the answer keeps every 60 s of arrivals within the limit, whatever the network's delay.
			policy.pacer.record(Date.now());
		}
		const info = { attempt, sentAt };
		const judged = judge(answer, info);
		if (judged.kind === 'done') return judged.value;

		const delayMs = backoffDelay(attempt, judged.retryAfterMs, Math.random());
		if (attempt > policy.maxRetries || waitedMs + delayMs > policy.maxRetryWaitMs)
			return giveUp(judged.why, info);
		waitedMs += delayMs;
		await sleep(delayMs);
	}
}

export function attemptsText(attempt: number): string {
	return `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
}
