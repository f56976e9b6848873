/**
 * Calls that only read (delivery-report, check-balance). Unlike a push, reading twice costs nothing and sends
 * nothing, so every answer that is not a result — no answer, HTTP 5xx, 429, an unreadable body — is retried
 * with backoff, within the same limits as pushes; only Picky Assist's own refusal (a status other than 100)
 * ends the call at once.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { classifyReadResponse } from '../helpers/apiResponse';
import type { CallPolicy } from './attempts';
import { attemptsText, callWithRetries } from './attempts';

export type ReadPolicy = CallPolicy;

export type ReadResult =
	| { kind: 'ok'; body: Record<string, unknown>; checkedAt: Date }
	| { kind: 'failed'; code?: number; httpStatus?: number; message: string; hint: string };

type ReadEndpoint = 'delivery-report' | 'check-balance';

/**
 * What each answer looks like when it is a result. The delivery report's documented sample is its `data` list
 * with no `status`; check-balance's known answer carries `status` 100.
 */
const IS_RESULT: Record<ReadEndpoint, (body: Record<string, unknown>) => boolean> = {
	'delivery-report': (body) => Array.isArray(body.data),
	'check-balance': (body) => body.status !== undefined,
};

export async function readEndpoint(
	context: IExecuteFunctions,
	endpoint: ReadEndpoint,
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
			const verdict = classifyReadResponse(
				answer.httpStatus,
				answer.text,
				answer.retryAfter,
				Date.now(),
				IS_RESULT[endpoint],
			);
			if (verdict.kind === 'result') {
				return { kind: 'done', value: { kind: 'ok', body: verdict.body, checkedAt: sentAt } };
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
			return { kind: 'again', why: verdict.why, retryAfterMs: verdict.retryAfterMs };
		},
		(why, { attempt }) => ({
			kind: 'failed',
			message: `Could not read ${endpoint} from Picky Assist: ${why} — ${attemptsText(attempt)}`,
			hint: 'Nothing was sent or changed; run the node again later.',
		}),
	);
}
