/**
 * Where the token enters: the one place an operation reads its Picky Assist credential. The token itself stays
 * in transport; what an operation gets is where requests go, the policy its calls follow (with the credential in
 * the form n8n's request helper takes, and the account's share of the process-wide pacing window) and a redactor
 * that removes the token from any text.
 */
import type { ICredentialsDecrypted, IExecuteFunctions, INode } from 'n8n-workflow';

import type { Checked } from '../helpers/checked';
import { Redactor } from '../helpers/redaction';
import type { CallPolicy } from './attempts';
import type { PickyAssistCredentials } from './credentials';
import { apiBaseUrl, CREDENTIAL_TYPE } from './credentials';
import { accountPacing } from './pacing';

/** The limits of one operation's calls, as its options give them. */
export interface CallLimitSettings {
	maxPerMinute: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	timeoutMs: number;
}

export interface Account {
	/** The base URL every endpoint is appended to, or why the credential cannot be used (already redacted). */
	baseUrl: Checked<string>;
	/** Removes this account's token from a text: every text the operation shows, stores or logs passes it. */
	redactor: Redactor;
	/** The policy of calls of one kind; only for an account whose base URL is valid. */
	policy(kind: 'push' | 'read', limits: CallLimitSettings): CallPolicy;
}

/** The credential as n8n's request helper takes it, built from what getCredentials returned. */
function credentialForRequests(node: INode, data: PickyAssistCredentials): ICredentialsDecrypted {
	const reference = node.credentials?.[CREDENTIAL_TYPE];
	return {
		id: reference?.id ?? '',
		name: reference?.name ?? '',
		type: CREDENTIAL_TYPE,
		data: {
			apiToken: data.apiToken,
			apiHost: data.apiHost ?? 'v4',
			customUrl: data.customUrl ?? '',
		},
	};
}

/** Reads the node's credential once for this run. */
export async function openAccount(context: IExecuteFunctions): Promise<Account> {
	const credentials = await context.getCredentials<PickyAssistCredentials>(CREDENTIAL_TYPE);
	const token = String(credentials.apiToken ?? '');
	const redactor = new Redactor(token);
	const base = apiBaseUrl(credentials);
	const baseUrl: Checked<string> = base.ok
		? base
		: { ok: false, reason: redactor.clean(base.reason) };
	const forRequests = credentialForRequests(context.getNode(), credentials);
	return {
		baseUrl,
		redactor,
		policy: (kind, limits) => ({
			baseUrl: base.ok ? base.value : '',
			credentials: forRequests,
			redactor,
			timeoutMs: limits.timeoutMs,
			maxRetries: limits.maxRetries,
			maxRetryWaitMs: limits.maxRetryWaitMs,
			pacer: accountPacing.forAccount(token, kind, limits.maxPerMinute),
		}),
	};
}
