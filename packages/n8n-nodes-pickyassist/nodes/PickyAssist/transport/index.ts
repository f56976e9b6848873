/**
 * The only place that talks HTTP. Every call goes through n8n's own request helpers, so the instance's proxy,
 * SSL and SSRF settings apply.
 *
 * n8n's request helper builds its errors from the request it sent — and that request carries the token in its
 * body. Such an error is therefore never rethrown or stored: only its low-level code and a redacted message leave
 * this file.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { PushVerdict } from '../helpers/apiResponse';
import {
	classifyPushResponse,
	errorMessage,
	isCertainlyNotSent,
	networkErrorCode,
	PICKY_ASSIST_ERRORS,
	redact,
} from '../helpers/apiResponse';
import type { SlidingWindowPacer } from '../helpers/pacing';
import { backoffDelay } from '../helpers/pacing';

export const CREDENTIAL_TYPE = 'pickyAssistApi';

export const API_HOSTS = {
	v4: 'https://app.pickyassist.com/api/v2',
	legacy: 'https://pickyassist.com/app/api/v2',
} as const;

export interface PickyAssistCredentials {
	apiToken: string;
	apiHost?: 'v4' | 'legacy' | 'custom';
	customUrl?: string;
}

export function apiBaseUrl(credentials: PickyAssistCredentials): { ok: true; url: string } | { ok: false; reason: string } {
	const host = credentials.apiHost ?? 'v4';
	if (host === 'v4' || host === 'legacy') return { ok: true, url: API_HOSTS[host] };
	const custom = String(credentials.customUrl ?? '').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^\s/]+/i.test(custom)) {
		return { ok: false, reason: `The credential's Custom URL must start with http:// or https://, got "${custom}"` };
	}
	return { ok: true, url: custom.replace(/\/push$/, '') };
}

type ApiAnswer =
	| { kind: 'answered'; httpStatus: number; body: unknown; retryAfter: unknown }
	| { kind: 'no-answer'; code: string | undefined; message: string };

async function postWithCredential(
	context: IExecuteFunctions,
	url: string,
	body: IDataObject,
	timeoutMs: number,
	credentials: ICredentialsDecrypted,
): Promise<ApiAnswer> {
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_TYPE,
			{ method: 'POST', url, body, json: true, timeout: timeoutMs, returnFullResponse: true, ignoreHttpStatusErrors: true },
			// The credential read once for this execution: n8n would otherwise load and decrypt it for every push.
			{ credentialsDecrypted: credentials },
		)) as IN8nHttpFullResponse;
		return {
			kind: 'answered',
			httpStatus: response.statusCode,
			body: response.body,
			retryAfter: response.headers?.['retry-after'],
		};
	} catch (error) {
		const code = networkErrorCode(error);
		const message = redact(errorMessage(error), String(credentials.data?.apiToken ?? ''));
		return { kind: 'no-answer', code, message: code && !message.includes(code) ? `${code}: ${message}` : message };
	}
}

export interface PushPolicy {
	baseUrl: string;
	/** The node's credential, read once per execution (its data holds the token). */
	credentials: ICredentialsDecrypted;
	timeoutMs: number;
	/** Retries for pushes Picky Assist certainly did not take (429, connection refused). */
	maxRetries: number;
	/** Upper bound of the time spent waiting between retries of one push. */
	maxRetryWaitMs: number;
	pacer: SlidingWindowPacer;
}

/** Retries are resolved inside sendPush, so a result is accepted, rejected or unknown. */
export type PushResult = Exclude<PushVerdict, { kind: 'retry' }> & { attempts: number; sentAt: Date };

/**
 * Sends one push. Retries only what certainly did not reach Picky Assist (HTTP 429, connection refused, DNS
 * failure); everything that may have been queued is returned as "unknown" and never sent again from here.
 */
export async function sendPush(context: IExecuteFunctions, body: IDataObject, policy: PushPolicy): Promise<PushResult> {
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const paceMs = policy.pacer.delayBeforeNext(Date.now());
		if (paceMs > 0) await sleep(paceMs);
		const sentAt = new Date();
		policy.pacer.record(sentAt.getTime());

		const answer = await postWithCredential(context, `${policy.baseUrl}/push`, body, policy.timeoutMs, policy.credentials);
		let verdict: PushVerdict;
		if (answer.kind === 'answered') {
			verdict = classifyPushResponse(answer.httpStatus, answer.body, answer.retryAfter, Date.now());
		} else if (isCertainlyNotSent(answer.code)) {
			verdict = { kind: 'retry', httpStatus: 0, apiMessage: `Could not connect to Picky Assist (${answer.message})` };
		} else {
			const timedOut = answer.code === 'ECONNABORTED' || answer.code === 'ETIMEDOUT' || /timeout/i.test(answer.message);
			verdict = {
				kind: 'unknown',
				reason: timedOut
					? `No answer from Picky Assist within ${Math.round(policy.timeoutMs / 1000)} s (${answer.message})`
					: `The connection failed after the push was sent (${answer.message})`,
			};
		}
		if (verdict.kind === 'unknown') {
			return { ...verdict, reason: `${verdict.reason}; the push may or may not have been queued`, attempts: attempt, sentAt };
		}
		if (verdict.kind !== 'retry') return { ...verdict, attempts: attempt, sentAt };

		const delayMs = backoffDelay(attempt, verdict.retryAfterMs, Math.random());
		if (attempt > policy.maxRetries || waitedMs + delayMs > policy.maxRetryWaitMs) {
			// Every attempt was certainly refused or dropped, so nothing was queued: the rows are rejected, not unknown.
			const rateLimited = verdict.httpStatus === 429;
			return {
				kind: 'rejected',
				code: rateLimited ? 429 : undefined,
				httpStatus: verdict.httpStatus,
				apiMessage: `${verdict.apiMessage} — gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`,
				hint: rateLimited
					? PICKY_ASSIST_ERRORS[429].hint
					: "Picky Assist could not be reached, so nothing was queued. Check the credential's API Host / Custom URL and the network of your n8n.",
				attempts: attempt,
				sentAt,
			};
		}
		waitedMs += delayMs;
		await sleep(delayMs);
	}
}

/**
 * The credential test: `check-balance` costs nothing and sends no message. Only `status: 100` passes — Picky
 * Assist answers a wrong token with HTTP 200 and `status: 401`.
 */
export async function checkBalance(
	context: ICredentialTestFunctions,
	credentials: PickyAssistCredentials,
): Promise<{ ok: true; balance: string } | { ok: false; message: string }> {
	const base = apiBaseUrl(credentials);
	if (!base.ok) return { ok: false, message: base.reason };
	const token = String(credentials.apiToken ?? '');
	if (token.trim() === '') return { ok: false, message: 'The API Token is empty' };
	let response: { statusCode: number; body: unknown };
	try {
		// ICredentialTestFunctions offers only this helper; it runs through n8n's axios adapter like httpRequest.
		response = (await context.helpers.request({
			method: 'POST',
			uri: `${base.url}/check-balance`,
			body: { token },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: 30_000,
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		return { ok: false, message: `Could not reach ${base.url}: ${redact(errorMessage(error), token)}` };
	}
	const verdict = classifyPushResponse(response.statusCode, response.body, undefined, Date.now());
	if (verdict.kind === 'accepted') {
		const body = response.body as { balance?: unknown };
		return { ok: true, balance: body.balance === undefined ? 'unknown' : String(body.balance) };
	}
	const reason =
		verdict.kind === 'rejected'
			? `Picky Assist: ${verdict.apiMessage}${verdict.code !== undefined ? ` (status ${verdict.code})` : ''}. ${verdict.hint}`
			: verdict.kind === 'retry'
				? `Picky Assist: ${verdict.apiMessage} (rate limited). Try again in a minute.`
				: `${verdict.reason}; this does not look like the Picky Assist API`;
	return { ok: false, message: redact(reason, token) };
}
