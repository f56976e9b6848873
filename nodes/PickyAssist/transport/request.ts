/**
 * The only call that sends a request with the token. It goes through n8n's own request helper, so the
 * instance's proxy, SSL and SSRF settings apply, and:
 * - never follows a redirect: the token is in the body, and a redirect would carry it to another address;
 * - reads the answer as text, so the token is removed from it before anything is parsed, and ids keep every
 *   digit (see helpers/jsonText.ts);
 * - waits at most one deadline for the whole answer (see deadline.ts).
 *
 * n8n's request helper builds its errors from the request it sent, which carries the token. Such an error is
 * never rethrown or stored: only its low-level code and a redacted message leave this file.
 */
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { errorMessage, networkErrorCode, notSentMessage } from '../helpers/apiResponse';
import { excerpt } from '../helpers/redaction';
import type { CallPolicy } from './attempts';
import { CREDENTIAL_TYPE } from './credentials';
import { answerWithin, timedOutMessage } from './deadline';

export type ApiAnswer =
	| { kind: 'answered'; httpStatus: number; text: string; retryAfter: unknown }
	| { kind: 'no-answer'; code: string | undefined; timedOut: boolean; message: string };

/**
 * n8n's helper replaces a request's abort signal with the execution's cancel signal. The request is made on a
 * view of the context whose cancel signal is the deadline's, so the deadline really ends the request; if a
 * future n8n ignores it, the deadline still ends the wait.
 */
function contextWithSignal(context: IExecuteFunctions, signal: AbortSignal): IExecuteFunctions {
	return Object.create(context, {
		getExecutionCancelSignal: { value: () => signal },
	}) as IExecuteFunctions;
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return JSON.stringify(body) ?? '';
}

export async function postWithCredential(
	context: IExecuteFunctions,
	url: string,
	body: IDataObject,
	{ timeoutMs, credentials, redactor }: Pick<CallPolicy, 'timeoutMs' | 'credentials' | 'redactor'>,
): Promise<ApiAnswer> {
	try {
		const answer = await answerWithin(
			timeoutMs,
			context.getExecutionCancelSignal?.(),
			async (signal) => {
				const requestContext = contextWithSignal(context, signal);
				return (await requestContext.helpers.httpRequestWithAuthentication.call(
					requestContext,
					CREDENTIAL_TYPE,
					{
						method: 'POST',
						url,
						body,
						json: true,
						encoding: 'text',
						timeout: timeoutMs,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
						disableFollowRedirect: true,
						abortSignal: signal,
					},
					// The credential read once for this execution: n8n would otherwise load and decrypt it for every push.
					{ credentialsDecrypted: credentials },
				)) as IN8nHttpFullResponse;
			},
		);
		if (answer.kind === 'timeout') {
			return {
				kind: 'no-answer',
				code: undefined,
				timedOut: true,
				message: timedOutMessage(timeoutMs),
			};
		}
		const response = answer.value;
		return {
			kind: 'answered',
			httpStatus: response.statusCode,
			text: redactor.clean(bodyText(response.body)),
			retryAfter: response.headers?.['retry-after'],
		};
	} catch (error) {
		const code = networkErrorCode(error);
		const message = excerpt(errorMessage(error), redactor, 300);
		const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message);
		// A failure before any connection is named by its cause: n8n's own text for it differs between lines.
		const notSent = code === undefined ? undefined : notSentMessage(code, url);
		return {
			kind: 'no-answer',
			code,
			timedOut,
			message: notSent ?? (code && !message.includes(code) ? `${code}: ${message}` : message),
		};
	}
}
