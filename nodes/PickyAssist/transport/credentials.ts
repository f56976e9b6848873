/**
 * Where the credential's requests go, and the credential test. The Custom URL is parsed as a URL and refused
 * when it holds anything a base address must not: a query or fragment would swallow the endpoint's path, a
 * user name or password would travel in every request, and a bad port would fail every push after it was
 * counted as sent.
 */
import type { ICredentialTestFunctions } from 'n8n-workflow';

import type { Checked } from '../helpers/checked';
import { invalid, valid } from '../helpers/checked';
import { classifyPushResponse, errorMessage } from '../helpers/apiResponse';
import { parseJsonText } from '../helpers/jsonText';
import { excerpt, Redactor } from '../helpers/redaction';
import { answerWithin, timedOutMessage } from './deadline';

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

/** The credential test waits this long for Picky Assist's answer, headers and body together. */
const CREDENTIAL_TEST_TIMEOUT_MS = 30_000;

function parseCustomUrl(value: unknown): Checked<string> {
	const text = String(value ?? '').trim();
	const refuse = (reason: string) =>
		invalid<string>(
			`The credential's Custom URL ${reason}, got "${text}". Example: http://127.0.0.1:8866/api/v2`,
		);
	if (text === '') return refuse('is empty');
	if (/\s/.test(text)) return refuse('contains a space or line break');
	if (!/^https?:\/\//i.test(text)) return refuse('must start with http:// or https://');
	if (text.includes('?')) return refuse('must not have a query string (?…)');
	if (text.includes('#')) return refuse('must not have a fragment (#…)');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return refuse('is not a valid URL (check the host and the port, 1–65535)');
	}
	if (url.username !== '' || url.password !== '')
		return refuse('must not hold a user name or password');
	if (url.port === '0') return refuse('has port 0; use a port from 1 to 65535');
	const path = url.pathname.replace(/\/+$/, '').replace(/\/push$/, '');
	return valid(`${url.protocol}//${url.host}${path}`);
}

/** The base URL every endpoint is appended to (`…/api/v2`), or why the credential cannot be used. */
export function apiBaseUrl(credentials: PickyAssistCredentials): Checked<string> {
	const host = credentials.apiHost ?? 'v4';
	if (host === 'v4' || host === 'legacy') return valid(API_HOSTS[host]);
	return parseCustomUrl(credentials.customUrl);
}

/**
 * The credential test: `check-balance` costs nothing and sends no message. Only `status: 100` passes — Picky
 * Assist answers a wrong token with HTTP 200 and `status: 401`. The request never follows a redirect: the
 * token is in its body.
 */
export async function checkBalance(
	context: ICredentialTestFunctions,
	credentials: PickyAssistCredentials,
): Promise<Checked<string>> {
	const base = apiBaseUrl(credentials);
	if (!base.ok) return base;
	const token = String(credentials.apiToken ?? '');
	if (token.trim() === '') return invalid('The API Token is empty');
	const redactor = new Redactor(token);
	let response: { statusCode: number; body: unknown; headers?: Record<string, unknown> };
	try {
		// ICredentialTestFunctions offers only this helper; it runs through n8n's axios adapter like httpRequest.
		const answer = await answerWithin(
			CREDENTIAL_TEST_TIMEOUT_MS,
			undefined,
			async () =>
				await context.helpers.request({
					method: 'POST',
					uri: `${base.value}/check-balance`,
					body: { token },
					json: true,
					simple: false,
					resolveWithFullResponse: true,
					followRedirect: false,
					followAllRedirects: false,
					maxRedirects: 0,
					timeout: CREDENTIAL_TEST_TIMEOUT_MS,
				}),
		);
		if (answer.kind === 'timeout') {
			return invalid(
				`Could not reach ${base.value}: ${timedOutMessage(CREDENTIAL_TEST_TIMEOUT_MS)}`,
			);
		}
		response = answer.value as { statusCode: number; body: unknown };
	} catch (error) {
		return invalid(`Could not reach ${base.value}: ${excerpt(errorMessage(error), redactor, 300)}`);
	}
	const text = redactor.clean(
		typeof response.body === 'string' ? response.body : (JSON.stringify(response.body) ?? ''),
	);
	const verdict = classifyPushResponse(response.statusCode, text, undefined, Date.now());
	if (verdict.kind === 'accepted') {
		const body = parseJsonText(text) as { balance?: unknown };
		return valid(body.balance === undefined ? 'unknown' : String(body.balance));
	}
	const reason =
		verdict.kind === 'rejected'
			? `Picky Assist: ${verdict.apiMessage}${verdict.code !== undefined ? ` (status ${verdict.code})` : ''}. ${verdict.hint}`
			: verdict.kind === 'retry'
				? `Picky Assist: ${verdict.apiMessage} (rate limited). Try again in a minute.`
				: `${verdict.reason}; this does not look like the Picky Assist API`;
	return invalid(redactor.clean(reason));
}
