/**
 * Send and Wait for Response, the parts that need no run: which panels offer it (not the AI-tool variant), the
 * answer pages and how a POST's answer is read, and how the wait limit is read.
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { PickyAssist } from '../../nodes/PickyAssist/PickyAssist.node';
import { questionPage, readAnswer } from '../../nodes/PickyAssist/actions/message/responsePage';
import { WAIT_INDEFINITELY, waitUntil } from '../../nodes/PickyAssist/actions/message/waitLimit';

const description = new PickyAssist().description;

/** The operations a panel shows for resource Message: the node's, or its AI-tool variant's (n8n names it …Tool). */
function messageOperations(type: INodeTypeDescription): unknown[] {
	return type.properties
		.filter((property: INodeProperties) => property.name === 'operation')
		.filter((property) =>
			NodeHelpers.displayParameter({ resource: 'message' }, property, { typeVersion: 1 }, type),
		)
		.flatMap((property) =>
			(property.options as INodePropertyOptions[]).map((option) => option.value),
		);
}

test('the node offers Send and Wait for Response; its AI-tool variant does not', () => {
	expect(messageOperations(description)).toEqual([
		'sendDynamic',
		'sendAndWait',
		'getDeliveryReport',
	]);
	const tool = { ...description, name: `${description.name}Tool` };
	expect(messageOperations(tool)).toEqual(['sendDynamic', 'getDeliveryReport']);
});

test('n8n resumes the node through GET and POST webhooks on its own resume path', () => {
	expect(
		description.webhooks?.map((hook) => [
			hook.httpMethod,
			hook.path,
			hook.restartWebhook,
			hook.isFullPath,
		]),
	).toEqual([
		['GET', '={{ $nodeId }}', true, true],
		['POST', '={{ $nodeId }}', true, true],
	]);
});

test('the page escapes what the workflow puts on it and posts back to its own URL', () => {
	const html = questionPage(
		{ title: '<b>T</b>', message: 'Pay "Ana" & co?' },
		{ type: 'approval', buttons: { approveLabel: "O'K", declineLabel: '<No>' } },
	);
	expect(html).toContain('&lt;b&gt;T&lt;/b&gt;');
	expect(html).toContain('Pay &quot;Ana&quot; &amp; co?');
	expect(html).toContain('O&#39;K');
	expect(html).toContain('&lt;No&gt;');
	expect(html).not.toMatch(/<script|action=/);
	expect(html).toContain('<form method="post">');
});

test.each([
	['approval', { answer: 'approve' }, true, { ok: true, json: { approved: true } }],
	['approval', { answer: 'decline' }, true, { ok: true, json: { approved: false } }],
	['approval', { answer: 'decline' }, false, { ok: false }],
	['approval', { approved: 'true' }, true, { ok: false }],
	['approval', undefined, true, { ok: false }],
	['freeText', { text: 'Yes ✓' }, true, { ok: true, json: { text: 'Yes ✓' } }],
	['freeText', { text: ' \n ' }, true, { ok: false }],
	['freeText', { text: ['a', 'b'] }, true, { ok: false }],
	['freeText', { text: 'x'.repeat(10_001) }, true, { ok: false }],
] as const)('%s answer %j (decline offered: %s) reads as %j', (type, body, decline, expected) => {
	expect(readAnswer(type, body, decline)).toMatchObject(expected);
});

describe('wait limit', () => {
	const now = new Date('2026-12-01T10:00:00Z');
	test('no limit waits indefinitely, as n8n does', () => {
		expect(waitUntil(undefined, now)).toEqual({ ok: true, value: WAIT_INDEFINITELY });
	});
	test('an interval counts from now', () => {
		expect(
			waitUntil({ limitType: 'afterTimeInterval', resumeAmount: 1.5, resumeUnit: 'hours' }, now),
		).toEqual({
			ok: true,
			value: new Date('2026-12-01T11:30:00Z'),
		});
	});
	test.each([
		[{ limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'minutes' }, /"Amount" is 0/],
		[
			{ limitType: 'afterTimeInterval', resumeAmount: 'soon', resumeUnit: 'minutes' },
			/"Amount" must be/,
		],
		[{ limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'weeks' }, /"Unit" must be/],
		[{ limitType: 'atSpecifiedTime', maxDateAndTime: 'tomorrow-ish' }, /must be a date and time/],
		[{ limitType: 'atSpecifiedTime', maxDateAndTime: '2026-12-01T09:59:00Z' }, /has passed/],
		[{ limitType: 'never' }, /"Limit Type" must be/],
	])('%j is refused', (setting, reason) => {
		const result = waitUntil(setting, now);
		expect(result.ok).toBe(false);
		expect(result.ok ? '' : result.reason).toMatch(reason);
	});
});
