/**
 * WhatsApp Number Filter: the same `push` with `"action": "1"`, numbers only, on applications 1, 2, 8 or 10. The
 * answer has the shape of a push's, each entry with `status` "0"; the result comes later as event 2 on the Event
 * Webhook. What a filter status means is not documented: the sandbox reports "1" for a number on WhatsApp and "0"
 * for one that is not, and treats a number ending in 0 as not on WhatsApp, so tests can tell the two apart.
 * Lookups cost no credit here (whether they do at Picky Assist is not documented either).
 */
import type { AcceptedPush, PushSuccess } from './api';
import { PROJECT_ID } from './delivery';
import { isPlainObject } from './util';

export const LOOKUP_APPLICATIONS = ['1', '2', '8', '10'];

export function isLookup(body: Record<string, unknown>): boolean {
	return body.action === '1' || body.action === 1;
}

/** Why the lookup cannot run, or undefined when it can. */
export function lookupRefusal(body: Record<string, unknown>): string | undefined {
	if (!LOOKUP_APPLICATIONS.includes(String(body.application)))
		return `the WhatsApp Number Filter runs on applications ${LOOKUP_APPLICATIONS.join(', ')}, not ${JSON.stringify(body.application)}`;
	return undefined;
}

/** The answer's entries: each number with its msg_id and status "0" (the lookup is queued). */
export function lookupAnswer(pushId: string, numbers: string[], firstMsgId: number): PushSuccess {
	const data = numbers.map((number, i) => ({
		msg_id: String(firstMsgId + i),
		number,
		status: '0',
	}));
	return { status: 100, push_id: pushId, message: 'Success', data } as unknown as PushSuccess;
}

export function onWhatsApp(number: string): boolean {
	return !number.endsWith('0');
}

/** The event 2 a lookup causes: one entry per number, with the sandbox's filter status. */
export function lookupEvent(acc: AcceptedPush): {
	project_id: string;
	event_id: '2';
	data: unknown[];
} {
	const body = isPlainObject(acc.request.body) ? acc.request.body : {};
	return {
		project_id: PROJECT_ID,
		event_id: '2',
		data: acc.response.data.map((entry) => ({
			push_id: acc.push_id,
			msg_id: entry.msg_id,
			number: entry.number,
			status: onWhatsApp(entry.number) ? '1' : '0',
			application: String(body.application),
		})),
	};
}
