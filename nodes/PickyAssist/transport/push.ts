/**
 * Sends pushes: the body Picky Assist expects, pacing, and the only retries the node makes. A push is not
 * idempotent (sent twice, every message is sent and billed twice), so only what certainly did not reach Picky
 * Assist is retried; everything that may have been queued comes back "unknown" and is never sent again.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { PushVerdict } from '../helpers/apiResponse';
import {
	classifyPushResponse,
	isCertainlyNotSent,
	PICKY_ASSIST_ERRORS,
} from '../helpers/apiResponse';
import type { CallPolicy } from './attempts';
import { attemptsText, callWithRetries } from './attempts';
import type { ApiAnswer } from './request';

export type PushPolicy = CallPolicy;

export interface PushSettings {
	application: string;
	/**
	 * A WhatsApp Number Filter lookup (`action` "1"): the numbers only, nothing is sent to them; the result comes
	 * later as an Event Webhook event 2.
	 */
	lookup?: boolean;
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
	/** The row's own file as raw base64, and the name Picky Assist shows for a document. */
	mediaCode?: string;
	mediaName?: string;
}

/** A row's own media: a URL, or a file's bytes with its name. */
function addRowMedia(entry: IDataObject, row: PushRow): void {
	if (row.media !== undefined) entry.media = row.media;
	if (row.mediaCode !== undefined) entry.media_code = row.mediaCode;
	if (row.mediaName !== undefined) entry.media_name = row.mediaName;
}

/**
 * A push body. Text: the global message empty, each row's text in its own `data[]` entry. Template: the
 * template's id and language at the top, each row's values in `data[].template_message` (and its own language
 * only where it differs). A row's own media goes in `data[].media` (a URL) or `data[].media_code` (raw base64, with `media_name`).
 */
export function buildPushBody(settings: PushSettings, rows: readonly PushRow[]): IDataObject {
	if (settings.lookup) {
		return {
			application: settings.application,
			action: '1',
			data: rows.map((row) => ({ number: row.number })),
		};
	}
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
			addRowMedia(entry, row);
			data.push(entry);
		}
	} else {
		body.globalmessage = '';
		for (const row of rows) {
			const entry: IDataObject = { number: row.number, message: row.message };
			addRowMedia(entry, row);
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

/** What a push's answer means; "retry" only for what certainly did not reach Picky Assist. */
function pushVerdict(answer: ApiAnswer, timeoutMs: number): PushVerdict {
	if (answer.kind === 'answered') {
		return classifyPushResponse(answer.httpStatus, answer.text, answer.retryAfter, Date.now());
	}
	if (isCertainlyNotSent(answer.code)) {
		return {
			kind: 'retry',
			httpStatus: 0,
			// "could not connect to host …: connection refused (ECONNREFUSED)", as a sentence.
			apiMessage: answer.message.charAt(0).toUpperCase() + answer.message.slice(1),
		};
	}
	const waited = `No complete answer from Picky Assist within ${Math.round(timeoutMs / 1000)} s`;
	return {
		kind: 'unknown',
		reason: answer.timedOut
			? `${waited}${answer.code ? ` (${answer.message})` : ''}`
			: `The connection failed after the push was sent (${answer.message})`,
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
	return await callWithRetries<PushResult, Extract<PushVerdict, { kind: 'retry' }>>(
		context,
		'push',
		body,
		policy,
		(answer, { attempt, sentAt }) => {
			const verdict = pushVerdict(answer, policy.timeoutMs);
			if (verdict.kind === 'retry') {
				return { kind: 'again', why: verdict, retryAfterMs: verdict.retryAfterMs };
			}
			const result: PushResult =
				verdict.kind === 'unknown'
					? {
							...verdict,
							reason: `${verdict.reason}; the push may or may not have been queued`,
							attempts: attempt,
							sentAt,
						}
					: { ...verdict, attempts: attempt, sentAt };
			return { kind: 'done', value: result };
		},
		(verdict, { attempt, sentAt }) => {
			// Every attempt was certainly refused or dropped, so nothing was queued: rejected, not unknown.
			const rateLimited = verdict.httpStatus === 429;
			return {
				kind: 'rejected',
				code: rateLimited ? 429 : undefined,
				httpStatus: verdict.httpStatus,
				apiMessage: `${verdict.apiMessage} — ${attemptsText(attempt)}`,
				hint: rateLimited
					? PICKY_ASSIST_ERRORS[429].hint
					: "Picky Assist could not be reached, so nothing was queued. Check the credential's API Host / Custom URL and the network of your n8n.",
				attempts: attempt,
				sentAt,
			};
		},
	);
}
