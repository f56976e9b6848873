/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * The Picky Assist Trigger's "Listen for test event" in the editor: the sandbox posts a delivery event for a push it
 * accepted to the trigger's test URL, and the panel shows the message's new status — what the example "Delivery
 * status back to the sheet" writes back to the sheet.
 */
import * as fs from 'fs';
import * as path from 'path';

import { Editor, PICKY_TRIGGER, waitUntil } from './editor';
import { linesUnderTest } from './state';

/**
 * The trigger of the example "Delivery status back to the sheet" alone: n8n refuses to listen while the example's
 * Google Sheets node has no credential, which a user would add first.
 */
const WORKFLOW = 'UI: delivery status';
const workflowFile = path.join(__dirname, 'workflows', 'delivery-status.json');
const webhookId = (
	JSON.parse(fs.readFileSync(workflowFile, 'utf8')) as {
		nodes: Array<{ type: string; webhookId?: string }>;
	}
).nodes.find((node) => node.type.endsWith('.pickyAssistTrigger'))?.webhookId;

describe.each(linesUnderTest())('%s: the trigger', (_label, n) => {
	let editor: Editor;
	beforeAll(async () => {
		editor = await Editor.open(n);
		await editor.signIn();
	});
	afterAll(async () => editor?.close());

	test('"Listen for test event" receives the delivery event the sandbox sends', async () => {
		expect(webhookId).toBeTruthy();
		// A real push first, so the event is about a message the sandbox knows.
		const push = await editor.sandbox<{
			status: number;
			push_id: string;
			data: Array<{ msg_id: string; number: string }>;
		}>('POST', '/api/v2/push', {
			token: editor.state.sandboxToken,
			application: '8',
			data: [{ number: '5511987654321', message: 'Hi Ana, your bill of 12.40 is due on 1 Dec.' }],
		});
		expect(push.status).toBe(100);
		const { msg_id: msgId, number } = push.data[0];

		await editor.openWorkflow(WORKFLOW);
		// The canvas subtitle names the selected event, not its stored value.
		const onCanvas = editor.page.locator(PICKY_TRIGGER);
		await onCanvas.getByText('Delivery Report', { exact: true }).first().waitFor();
		expect(await onCanvas.getByText('deliveryReport').count()).toBe(0);
		const ndv = await editor.openNode(PICKY_TRIGGER);
		await ndv.locator('[data-test-id="node-execute-button"]').click();
		const event = {
			project_id: '1001',
			event_id: '1',
			data: [
				{
					push_id: String(push.push_id),
					msg_id: String(msgId),
					number,
					status: '1',
					reference_number: '',
					error_message: '',
					message: 'Hi Ana, your bill of 12.40 is due on 1 Dec.',
					message_type: 'text',
					channel_id: '8',
				},
			],
		};
		const url = `${editor.baseUrl}/webhook-test/${webhookId}/pickyassist`;
		// n8n registers the test webhook a moment after the click: until then it answers 404.
		let answer: { status?: number } = {};
		await waitUntil(
			async () => {
				answer = await editor
					.sandbox<{ status: number }>('POST', '/__sandbox/event', { payload: event, url })
					.catch(() => ({}));
				return answer.status === 200;
			},
			'the test webhook to take the event',
			60_000,
		);
		await editor.shot('30-trigger-test-event');
		const output = ndv.locator('[data-test-id="output-panel"]');
		await output.getByText(String(msgId), { exact: true }).first().waitFor();
		await output.getByText('delivered', { exact: true }).first().waitFor();
		// The schema view lists the item's fields one under the other: every one shows, status included.
		await output.locator('[data-test-id="radio-button-schema"]').click();
		await output.getByText('delivered', { exact: true }).first().waitFor();
		await editor.shot('31-trigger-delivery-status');
		await editor.picture(
			output,
			'delivery-status.png',
			output.getByText('status_code', { exact: true }).first(),
		);
	});

	test('no browser console error names the package', () => {
		expect(editor.packageErrors()).toEqual([]);
	});
});
