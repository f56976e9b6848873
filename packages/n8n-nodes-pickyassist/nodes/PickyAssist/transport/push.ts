/**
 * Sends pushes: the body Picky Assist expects, pacing, and the only retries the node makes. A push is not
 * idempotent (sent twice, every message is sent and billed twice), so only what certainly did not reach Picky
 * Assist is retried; everything that may have been queued comes back "unknown" and is never sent again.
 */
import type { ICredentialsDecrypted, IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { PushVerdict } from '../helpers/apiResponse';
import {
	classifyPushResponse,
	isCertainlyNotSent,
	PICKY_ASSIST_ERRORS,
} from '../helpers/apiResponse';
import type { SlidingWindowPacer } from '../helpers/pacing';
import { backoffDelay } from '../helpers/pacing';
import type { PickyAssistCredentials } from './credentials';
import { CREDENTIAL_TYPE } from './credentials';
import { postWithCredential } from './request';

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

/** The credential as n8n's request helper takes it, built from what getCredentials returned. */
export function credentialForRequests(
	node: INode,
	data: PickyAssistCredentials,
): ICredentialsDecrypted {
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

export interface PushSettings {
	application: string;
	priority: '0' | '1';
	globalMedia?: string;
	template?: { id: string; header?: string };
}

/** One row of a push, as the operation checked it. */
export interface PushRow {
	number: string;
	message?: string;
	templateValues?: string[];
	language?: string;
	media?: string;
}

/**
 * A push body. Text: the global message empty, each row's text in its own `data[]` entry. Template: the
 * template's id and language at the top, each row's values in `data[].template_message` (and its own language
 * only where it differs). A row's own media goes in `data[].media`.
 */
export function buildPushBody(settings: PushSettings, rows: readonly PushRow[]): IDataObject {
	const body: IDataObject = { application: settings.application, priority: settings.priority };
	if (settings.globalMedia !== undefined) body.globalmedia = settings.globalMedia;
	const data: IDataObject[] = [];
	if (settings.template) {
		const language = rows[0]?.language;
		body.template_id = settings.template.id;
		body.language = language;
		if (settings.template.header !== undefined) body.template_header = settings.template.header;
		for (const row of rows) {
			const entry: IDataObject = { number: row.number, template_message: row.templateValues };
			if (row.language !== language) entry.language = row.language;
			if (row.media !== undefined) entry.media = row.media;
			data.push(entry);
		}
	} else {
		body.globalmessage = '';
		for (const row of rows) {
			const entry: IDataObject = { number: row.number, message: row.message };
			if (row.media !== undefined) entry.media = row.media;
			data.push(entry);
		}
	}
	body.data = data;
	return body;
}

/** Retries are resolved inside sendPush, so a result is accepted, rejected or unknown. */
export type PushResult = Exclude<PushVerdict, { kind: 'retry' }> & {
	attempts: number;
	sentAt: Date;
};

function giveUp(
	verdict: Extract<PushVerdict, { kind: 'retry' }>,
	attempt: number,
	sentAt: Date,
): PushResult {
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

/**
 * Sends one push. Retries only what certainly did not reach Picky Assist (HTTP 429, connection refused, DNS
 * failure); everything that may have been queued is returned as "unknown" and never sent again from here.
 */
export async function sendPush(
	context: IExecuteFunctions,
	body: IDataObject,
	policy: PushPolicy,
): Promise<PushResult> {
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const paceMs = policy.pacer.delayBeforeNext(Date.now());
		if (paceMs > 0) await sleep(paceMs);
		const sentAt = new Date();
		policy.pacer.record(sentAt.getTime());

		const answer = await postWithCredential(
			context,
			`${policy.baseUrl}/push`,
			body,
			policy.timeoutMs,
			policy.credentials,
		);
		let verdict: PushVerdict;
		if (answer.kind === 'answered') {
			verdict = classifyPushResponse(answer.httpStatus, answer.text, answer.retryAfter, Date.now());
		} else if (isCertainlyNotSent(answer.code)) {
			verdict = {
				kind: 'retry',
				httpStatus: 0,
				apiMessage: `Could not connect to Picky Assist (${answer.message})`,
			};
		} else {
			verdict = {
				kind: 'unknown',
				reason: answer.timedOut
					? `No complete answer from Picky Assist within ${Math.round(policy.timeoutMs / 1000)} s${answer.code ? ` (${answer.message})` : ''}`
					: `The connection failed after the push was sent (${answer.message})`,
			};
		}
		if (verdict.kind === 'unknown') {
			return {
				...verdict,
				reason: `${verdict.reason}; the push may or may not have been queued`,
				attempts: attempt,
				sentAt,
			};
		}
		if (verdict.kind !== 'retry') return { ...verdict, attempts: attempt, sentAt };

		const delayMs = backoffDelay(attempt, verdict.retryAfterMs, Math.random());
		if (attempt > policy.maxRetries || waitedMs + delayMs > policy.maxRetryWaitMs) {
			return giveUp(verdict, attempt, sentAt);
		}
		waitedMs += delayMs;
		await sleep(delayMs);
	}
}
