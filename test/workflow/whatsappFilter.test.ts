/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * The WhatsApp Number Filter as the sandbox plays it (a push with action "1"), and the Trigger's WhatsApp Filter
 * event for its result, in-process (tooling/trigger-harness.ts).
 */
import axios from 'axios';

import { startSandbox, type Sandbox } from '../sandbox';
import type { TriggerServer } from '../tooling/trigger-harness';
import { startTriggerServer } from '../tooling/trigger-harness';
import { TOKEN } from './helpers';

const SECRET = 'filter-secret-Pw3x';
let sandbox: Sandbox;
let trigger: TriggerServer;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 1 });
	trigger = await startTriggerServer({
		events: ['whatsappFilter'],
		secret: SECRET,
		responseMode: 'onReceived',
		options: {},
	});
	sandbox.configure({ eventWebhookUrl: `${trigger.url}?secret=${SECRET}` });
});
afterAll(async () => {
	await trigger.close();
	await sandbox.close();
});

const lookup = async (body: Record<string, unknown>) =>
	(await axios.post(`${sandbox.baseUrl()}/push`, { token: TOKEN, ...body })).data as Record<
		string,
		unknown
	>;

test('a lookup is answered like a push (status "0" per number, no credit spent), then event 2 reaches the Trigger once per number', async () => {
	const before = sandbox.balance;
	const answer = await lookup({
		action: '1',
		application: '8',
		data: [{ number: '447700900001' }, { number: '447700900010' }],
	});
	expect(answer).toMatchObject({ status: 100, message: 'Success' });
	const entries = answer.data as Array<Record<string, string>>;
	expect(entries.map((e) => [e.number, e.status])).toEqual([
		['447700900001', '0'],
		['447700900010', '0'],
	]);
	expect(sandbox.balance).toBe(before);
	const end = Date.now() + 5000;
	while (trigger.calls.length === 0 && Date.now() < end)
		await new Promise((r) => setTimeout(r, 20));
	expect(trigger.calls).toHaveLength(1);
	expect(trigger.calls[0].items!.map((item) => item.json)).toEqual(
		entries.map((e) => ({
			event: 'whatsappFilter',
			project_id: '1001',
			push_id: answer.push_id,
			msg_id: e.msg_id,
			number: e.number,
			status: e.number.endsWith('0') ? '0' : '1',
			application: '8',
		})),
	);
});

test('a lookup on a channel the filter does not run on is refused as an invalid request', async () => {
	const answer = await lookup({ action: 1, application: '3', data: [{ number: '447700900001' }] });
	expect(answer).toEqual({
		status: 410,
		message: expect.stringMatching(
			/^Invalid Request: the WhatsApp Number Filter runs on applications 1, 2, 8, 10/,
		),
	});
});
