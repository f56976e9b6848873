/**
 * Calls that only read (delivery-report, check-balance). Unlike a push, reading twice costs nothing and sends
 * nothing, so every answer that is not a result — no answer, HTTP 5xx, 429, an unreadable body — is retried
 * with backoff, within the same limits as pushes; only Picky Assist's own refusal (a status other than 100)
 * ends the call at once.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { classifyPushResponse } from '../helpers/apiResponse';
import { parseJsonText } from '../helpers/jsonText';
import type { CallPolicy } from './attempts';
import { attemptsText, callWithRetries } from './attempts';

export type ReadPolicy = CallPolicy;

export type ReadResult =
	| { kind: 'ok'; body: Record<string, unknown>; checkedAt: Date }
	| { kind: 'failed'; code?: number; httpStatus?: number; message: string; hint: string };

export async function readEndpoint(
	context: IExecuteFunctions,
	endpoint: 'delivery-report' | 'check-balance',
	body: IDataObject,
	policy: ReadPolicy,
): Promise<ReadResult> {
	return await callWithRetries<ReadResult, string>(
		context,
		endpoint,
		body,
		policy,
		(answer, { sentAt }) => {
			if (answer.kind === 'no-answer') {
				const why = answer.timedOut
					? `no complete answer within ${Math.round(policy.timeoutMs / 1000)} s`
					: `the connection failed (${answer.message})`;
				return { kind: 'again', why };
			}
			const verdict = classifyPushResponse(
				answer.httpStatus,
				answer.text,
				answer.retryAfter,
				Date.now(),
			);
			if (verdict.kind === 'accepted') {
				const parsed = parseJsonText(answer.text) as Record<string, unknown>;
				return { kind: 'done', value: { kind: 'ok', body: parsed, checkedAt: sentAt } };
			}
			if (verdict.kind === 'rejected') {
				const codeText = verdict.code !== undefined ? ` (status ${verdict.code})` : '';
				const message = `Picky Assist refused ${endpoint}: ${verdict.apiMessage}${codeText}`;
				return {
					kind: 'done',
					value: {
						kind: 'failed',
						code: verdict.code,
						httpStatus: verdict.httpStatus,
						message,
						hint: verdict.hint,
					},
				};
			}
			return verdict.kind === 'retry'
				? { kind: 'again', why: verdict.apiMessage, retryAfterMs: verdict.retryAfterMs }
				: { kind: 'again', why: verdict.reason };
		},
		(why, { attempt }) => ({
			kind: 'failed',
			message: `Could not read ${endpoint} from Picky Assist: ${why} — ${attemptsText(attempt)}`,
			hint: 'Nothing was sent or changed; run the node again later.',
		}),
	);
}
