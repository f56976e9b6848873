/**
 * The Picky Assist Trigger, in-process: n8n-core's WebhookContext behind a loopback HTTP server
 * (tooling/trigger-harness.ts), fed by the sandbox's Event Webhook and incoming messages. The same behaviour in a
 * running n8n with an active workflow is test/e2e/loop.e2e.test.ts.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import type { TriggerServer } from '../../tooling/trigger-harness';
import { startTriggerServer } from '../../tooling/trigger-harness';
import { rowsOf, send, TOKEN } from './helpers';

const SECRET = 'trig-secret-Zq81';
const ALL_EVENTS = [
	'incomingMessage',
	'deliveryReport',
	'whatsappFilter',
	'groupMembership',
	'newSubscriber',
];
const ALL_STATUSES = ['submitted', 'delivered', 'read', 'failed', 'refunded', 'unknown'];

let sandbox: Sandbox;
let trigger: TriggerServer | undefined;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 1e6 });
});
afterEach(async () => {
	sandbox.reset();
	sandbox.configure({ eventWebhookUrl: undefined });
	await trigger?.close();
	trigger = undefined;
});
afterAll(async () => await sandbox.close());

async function listen(parameters: Record<string, unknown> = {}): Promise<TriggerServer> {
	trigger = await startTriggerServer({
		events: ALL_EVENTS,
		statuses: ALL_STATUSES,
		secret: SECRET,
		responseMode: 'onReceived',
		options: {},
		...parameters,
	});
	return trigger;
}

const withSecret = (url: string, secret = SECRET) => `${url}?secret=${encodeURIComponent(secret)}`;

async function until(check: () => boolean, ms = 5000): Promise<void> {
	const end = Date.now() + ms;
	while (!check()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('delivery events', () => {
	test("a Send run's events: one call per status step, one item per message, statuses in order", async () => {
		const server = await listen();
		sandbox.configure({
			eventWebhookUrl: withSecret(server.url),
			readAfterMs: 0,
			failureShare: 1 / 3,
		});
		const sent = await send(sandbox, rowsOf(3));
		await until(() => server.calls.length >= 3);
		await until(() => sandbox.pendingWebhooks === 0);
		expect(server.calls.map((call) => call.status)).toEqual([200, 200, 200]);
		const byMessage = new Map<unknown, unknown[]>();
		for (const call of server.calls) {
			for (const item of call.items ?? []) {
				expect(item.json).toMatchObject({
					event: 'deliveryReport',
					push_id: sent.output[0].json.push_id,
				});
				byMessage.set(item.json.msg_id, [
					...(byMessage.get(item.json.msg_id) ?? []),
					item.json.status,
				]);
			}
		}
		expect([...byMessage.keys()].sort()).toEqual(
			sent.output.map((item) => item.json.msg_id).sort(),
		);
		for (const statuses of byMessage.values()) {
			expect([
				['submitted', 'delivered', 'read'],
				['submitted', 'failed'],
			]).toContainEqual(statuses);
		}
	});

	test('Statuses and Events filters: what is not selected is answered 200 and starts nothing', async () => {
		const server = await listen({ events: ['deliveryReport'], statuses: ['delivered'] });
		const event = (status: string) => ({
			project_id: '1',
			event_id: '1',
			data: [{ push_id: '7', msg_id: `m${status}`, number: '447700900001', status }],
		});
		expect((await sandbox.postEvent(event('4'), withSecret(server.url))).status).toBe(200);
		expect((await sandbox.postEvent(event('1'), withSecret(server.url))).status).toBe(200);
		const incoming = await sandbox.sendIncomingMessage(
			{ number: '447700900001', text: 'hi' },
			withSecret(server.url),
		);
		expect(incoming.status).toBe(200);
		expect(server.calls.map((call) => call.items?.map((item) => item.json.status))).toEqual([
			undefined,
			['delivered'],
			undefined,
		]);
	});

	test('an event already emitted for the same msg_id and status is dropped; another status is not', async () => {
		const server = await listen();
		const body = {
			event_id: '1',
			data: [{ push_id: '7', msg_id: '11', number: '447700900001', status: '1' }],
		};
		await sandbox.postEvent(body, withSecret(server.url));
		await sandbox.postEvent(body, withSecret(server.url));
		await sandbox.postEvent(
			{ ...body, data: [{ ...body.data[0], status: '3' }] },
			withSecret(server.url),
		);
		expect(server.calls.map((call) => call.items?.length)).toEqual([1, undefined, 1]);

		await trigger!.close();
		const off = await listen({ options: { deduplicate: false } });
		await sandbox.postEvent(body, withSecret(off.url));
		await sandbox.postEvent(body, withSecret(off.url));
		expect(off.calls.map((call) => call.items?.length)).toEqual([1, 1]);
	});

	test('10,000 entries in one call become 10,000 items', async () => {
		const server = await listen();
		const data = Array.from({ length: 10_000 }, (_, i) => ({
			push_id: '7',
			msg_id: String(i),
			number: '447700900001',
			status: '1',
		}));
		expect((await sandbox.postEvent({ event_id: '1', data }, withSecret(server.url))).status).toBe(
			200,
		);
		expect(server.calls[0].items).toHaveLength(10_000);
	});
});

describe('incoming messages', () => {
	test('one item with the decoded text and the raw payload', async () => {
		const server = await listen();
		await sandbox.sendIncomingMessage(
			{ number: '447700900001', name: 'Ana', text: 'Olá + 100% 👋' },
			withSecret(server.url),
		);
		expect(server.calls[0].items).toHaveLength(1);
		expect(server.calls[0].items![0].json).toMatchObject({
			event: 'incomingMessage',
			number: '447700900001',
			name: 'Ana',
			message: 'Olá + 100% 👋',
			raw: expect.objectContaining({ number: '447700900001' }),
		});
	});
});

describe('what is refused, never emitted', () => {
	test('a wrong or missing secret gets 401; a form body 415; a JSON body that is no Picky Assist payload 400', async () => {
		const server = await listen();
		const event = { event_id: '1', data: [{ msg_id: '1', status: '1' }] };
		expect((await sandbox.postEvent(event, server.url)).status).toBe(401);
		expect((await sandbox.postEvent(event, withSecret(server.url, 'nope'))).status).toBe(401);
		expect((await sandbox.postEvent(event, withSecret(server.url, `${SECRET}x`))).status).toBe(401);
		const form = await fetch(withSecret(server.url), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'number=447700900001&message-in=hi',
		});
		expect(form.status).toBe(415);
		for (const body of [{ hello: 'world' }, { event_id: '9', data: [] }, [1, 2], 'text']) {
			const answer = await fetch(withSecret(server.url), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			expect(answer.status).toBe(400);
		}
		expect(server.calls.every((call) => call.items === undefined)).toBe(true);
	});

	test('a 5 MB body of one event list is read without a crash', async () => {
		const server = await listen();
		const data = Array.from({ length: 40_000 }, (_, i) => ({
			push_id: '7',
			msg_id: `m${i}`,
			number: '447700900001',
			status: '1',
			message: 'x'.repeat(80),
		}));
		const body = JSON.stringify({ event_id: '1', data });
		expect(body.length).toBeGreaterThan(5_000_000);
		const answer = await fetch(withSecret(server.url), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
		});
		expect(answer.status).toBe(200);
		expect(server.calls[0].items).toHaveLength(40_000);
	});
});
