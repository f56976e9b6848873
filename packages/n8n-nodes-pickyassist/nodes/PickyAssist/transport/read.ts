/**
 * Calls that only read (delivery-report, check-balance). Unlike a push, reading twice costs nothing and sends
 * nothing, so every answer that is not a result — no answer, HTTP 5xx, 429, an unreadable body — is retried
 * with backoff, within the same limits as pushes; only Picky Assist's own refusal (a status other than 100)
 * ends the call at once.
 */
import type { ICredentialsDecrypted, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { classifyPushResponse } from '../helpers/apiResponse';
import { parseJsonText } from '../helpers/jsonText';
import type { SlidingWindowPacer } from '../helpers/pacing';
import { backoffDelay } from '../helpers/pacing';
import { postWithCredential } from './request';

export interface ReadPolicy {
	baseUrl: string;
	credentials: ICredentialsDecrypted;
	timeoutMs: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	pacer: SlidingWindowPacer;
}

export type ReadResult =
	| { kind: 'ok'; body: Record<string, unknown>; checkedAt: Date }
	| { kind: 'failed'; code?: number; httpStatus?: number; message: string; hint: string };

export async function readEndpoint(
	context: IExecuteFunctions,
	endpoint: 'delivery-report' | 'check-balance',
	body: IDataObject,
	policy: ReadPolicy,
): Promise<ReadResult> {
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const paceMs = policy.pacer.delayBeforeNext(Date.now());
		if (paceMs > 0) await sleep(paceMs);
		const checkedAt = new Date();
		policy.pacer.record(checkedAt.getTime());

		const answer = await postWithCredential(
			context,
			`${policy.baseUrl}/${endpoint}`,
			body,
			policy.timeoutMs,
			policy.credentials,
		);
		let problem: string;
		let retryAfterMs: number | undefined;
		if (answer.kind === 'answered') {
			const verdict = classifyPushResponse(
				answer.httpStatus,
				answer.text,
				answer.retryAfter,
				Date.now(),
			);
			if (verdict.kind === 'accepted') {
				return {
					kind: 'ok',
					body: parseJsonText(answer.text) as Record<string, unknown>,
					checkedAt,
				};
			}
			if (verdict.kind === 'rejected') {
				const codeText = verdict.code !== undefined ? ` (status ${verdict.code})` : '';
				return {
					kind: 'failed',
					code: verdict.code,
					httpStatus: verdict.httpStatus,
					message: `Picky Assist refused ${endpoint}: ${verdict.apiMessage}${codeText}`,
					hint: verdict.hint,
				};
			}
			problem = verdict.kind === 'retry' ? verdict.apiMessage : verdict.reason;
			retryAfterMs = verdict.kind === 'retry' ? verdict.retryAfterMs : undefined;
		} else {
			problem = answer.timedOut
				? `no complete answer within ${Math.round(policy.timeoutMs / 1000)} s`
				: `the connection failed (${answer.message})`;
		}
		const delayMs = backoffDelay(attempt, retryAfterMs, Math.random());
		if (attempt > policy.maxRetries || waitedMs + delayMs > policy.maxRetryWaitMs) {
			return {
				kind: 'failed',
				message: `Could not read ${endpoint} from Picky Assist: ${problem} — gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`,
				hint: 'Nothing was sent or changed; run the node again later.',
			};
		}
		waitedMs += delayMs;
		await sleep(delayMs);
	}
}
