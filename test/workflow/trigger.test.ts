/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * The Picky Assist Trigger, in-process: n8n-core's WebhookContext behind a loopback HTTP server
 * (test/tooling/trigger-harness.ts), fed by the sandbox's Event Webhook and incoming messages. The same behaviour in a
 * running n8n with an active workflow is test/e2e/loop.e2e.test.ts.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import type { TriggerServer } from '../tooling/trigger-harness';
import { startTriggerServer } from '../tooling/trigger-harness';
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

	test.each(['onReceived', 'lastNode'])(
		"an outgoing message (direction 1: the account's own, the trigger's reply included) is answered 200 and starts nothing (%s)",
		async (responseMode) => {
			const server = await listen({ responseMode });
			const incoming = { number: '447700900001', name: 'Ana', text: 'Where is my order?' };
			await sandbox.sendIncomingMessage(incoming, withSecret(server.url));
			// What Picky Assist posts after sending the workflow's instant reply: the same chat, direction 1.
			const reply = await sandbox.sendIncomingMessage(
				{ ...incoming, text: 'It ships today.', direction: '1' },
				withSecret(server.url),
			);
			// A number, as some channels send it, is outgoing too.
			await sandbox.postEvent(
				{ number: '447700900001', message_in_raw: 'It ships today.', direction: 1 },
				withSecret(server.url),
			);
			expect(server.calls.map((call) => call.status)).toEqual([200, 200, 200]);
			expect(server.calls.map((call) => call.items?.length)).toEqual([1, undefined, undefined]);
			expect(reply.body).toEqual({});
		},
	);
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

/** Posts a JSON text as it is (a body JSON.stringify could not make, such as one with a `__proto__` key). */
const postText = (url: string, body: string) =>
	fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the Secret fails closed', () => {
	test('a Secret from an expression that gives a number is compared as its text', async () => {
		const server = await listen({ secret: '={{ 12345 }}' });
		const event = { event_id: '1', data: [{ msg_id: '1', status: '1' }] };
		expect((await sandbox.postEvent(event, server.url)).status).toBe(401);
		expect((await sandbox.postEvent(event, withSecret(server.url, '1234'))).status).toBe(401);
		expect((await sandbox.postEvent(event, withSecret(server.url, '12345'))).status).toBe(200);
		expect(server.calls.map((call) => call.items?.length)).toEqual([undefined, undefined, 1]);
	});

	test.each([
		['empty text', '={{ "" }}'],
		['null', '={{ null }}'],
		['an object', '={{ {} }}'],
	])(
		'a Secret that is set but gives %s refuses every call with 401 and says why',
		async (what, secret) => {
			const server = await listen({ secret });
			const event = { event_id: '1', data: [{ msg_id: '1', status: '1' }] };
			for (const url of [server.url, withSecret(server.url, ''), withSecret(server.url, 'x')])
				expect((await sandbox.postEvent(event, url)).status).toBe(401);
			expect(server.calls.every((call) => call.items === undefined)).toBe(true);
			expect(server.warnings).toEqual([
				`Picky Assist Trigger: answered 401 and started nothing: the Secret is set but it gives ${what}, so every call is refused until the Secret is fixed`,
			]);
		},
	);

	test('1,000 refused calls write one line; the next refusal after a minute writes the count', async () => {
		const server = await listen();
		const event = { event_id: '1', data: [{ msg_id: '1', status: '1' }] };
		const realNow = Date.now;
		try {
			for (let i = 0; i < 1000; i++)
				expect((await sandbox.postEvent(event, withSecret(server.url, `wrong${i}`))).status).toBe(
					401,
				);
			expect(server.warnings).toHaveLength(1);
			const later = realNow() + 61_000;
			Date.now = () => later;
			await sandbox.postEvent(event, server.url);
		} finally {
			Date.now = realNow;
		}
		expect(server.warnings).toEqual([
			'Picky Assist Trigger: answered 401 and started nothing: the request does not carry the right ?secret=',
			'Picky Assist Trigger: answered 401 and started nothing: the request does not carry the right ?secret= (1000 calls refused like this since the last such line; these lines are written at most once a minute)',
		]);
	});
});

describe('Drop Repeated Events', () => {
	test.each(['lastNode', 'responseNode'])(
		'with Respond = %s nothing is remembered: a re-sent event starts the workflow again (at least once)',
		async (responseMode) => {
			const server = await listen({ responseMode });
			const body = {
				event_id: '1',
				data: [{ push_id: '7', msg_id: '11', number: '447700900001', status: '1' }],
			};
			await sandbox.postEvent(body, withSecret(server.url));
			await sandbox.postEvent(body, withSecret(server.url));
			const message = { number: '447700900001', text: 'hi', uniqueId: 'u-1' };
			await sandbox.sendIncomingMessage(message, withSecret(server.url));
			await sandbox.sendIncomingMessage(message, withSecret(server.url));
			expect(server.calls.map((call) => call.items?.length)).toEqual([1, 1, 1, 1]);
			expect(await server.staticData()).toEqual({});
		},
	);

	test('calls sent all at once, then re-sent all at once: every re-sent event is dropped', async () => {
		const server = await listen();
		const bodies = Array.from({ length: 40 }, (_, call) => ({
			event_id: '1',
			data: Array.from({ length: 5 }, (_, i) => ({
				push_id: '7',
				msg_id: `${call}-${i}`,
				number: '447700900001',
				status: '1',
			})),
		}));
		const post = (body: unknown) => sandbox.postEvent(body, withSecret(server.url));
		await Promise.all(bodies.map(post));
		await Promise.all(bodies.map(post));
		const started = server.calls.flatMap((call) => call.items ?? []);
		expect(started).toHaveLength(200);
		expect(new Set(started.map((item) => item.json.msg_id)).size).toBe(200);
	});

	test('an incoming message re-sent with the same unique-id starts nothing; one without unique-id is not dropped', async () => {
		const server = await listen();
		const message = { number: '447700900001', text: 'Where is my order?', uniqueId: 'wamid-77' };
		await sandbox.sendIncomingMessage(message, withSecret(server.url));
		await sandbox.sendIncomingMessage(message, withSecret(server.url));
		await sandbox.sendIncomingMessage({ ...message, uniqueId: 'wamid-78' }, withSecret(server.url));
		const bare = { number: '447700900001', 'message-in': 'hi', message_in_raw: 'hi' };
		await sandbox.postEvent(bare, withSecret(server.url));
		await sandbox.postEvent(bare, withSecret(server.url));
		expect(server.calls.map((call) => call.items?.map((item) => item.json.unique_id))).toEqual([
			['wamid-77'],
			undefined,
			['wamid-78'],
			[undefined],
			[undefined],
		]);
	});

	test('events without a msg_id (a new subscriber, a group member) are dropped when re-sent, whatever the key order', async () => {
		const server = await listen();
		const subscriber = { number: '447700900001', name: 'Ana', note: 'x'.repeat(1000) };
		await sandbox.postEvent({ event_id: '4', data: [subscriber] }, withSecret(server.url));
		await postText(
			withSecret(server.url),
			`{"data":[{"note":"${'x'.repeat(1000)}","name":"Ana","number":"447700900001"}],"event_id":"4"}`,
		);
		await sandbox.postEvent(
			{ event_id: '3', data: [{ group_id: 'g1', number: '447700900001', action: 'join' }] },
			withSecret(server.url),
		);
		await sandbox.postEvent(
			{ event_id: '3', data: [{ group_id: 'g1', number: '447700900001', action: 'join' }] },
			withSecret(server.url),
		);
		expect(server.calls.map((call) => call.items?.length)).toEqual([1, undefined, 1, undefined]);
	});

	test('2,000 forged 1 KB events keep the static data small: fixed-size digests, no sender text', async () => {
		const server = await listen();
		for (let call = 0; call < 20; call++) {
			const data = Array.from({ length: 100 }, (_, i) => ({
				number: '447700900001',
				msg_id: `${'m'.repeat(1000)}${call}-${i}`,
				status: '1',
			}));
			expect(
				(await sandbox.postEvent({ event_id: '1', data }, withSecret(server.url))).status,
			).toBe(200);
		}
		const saved = JSON.stringify(await server.staticData());
		expect(saved).not.toContain('mmmm');
		// 2,000 digests of 22 characters and a separator each, and a little structure.
		expect(saved.length).toBeLessThan(2000 * 24 + 200);
	});
});

describe('forged bodies', () => {
	test('a __proto__ key in an entry or a message changes nothing the next node reads; raw stays plain data', async () => {
		const server = await listen();
		await postText(
			withSecret(server.url),
			'{"event_id":"1","data":[{"push_id":"7","msg_id":"91","status":"1","__proto__":{"reference_number":"FORGED-REF"},"constructor":{"x":1}}]}',
		);
		await postText(
			withSecret(server.url),
			'{"number":"447700900001","message_in_raw":"hi","unique-id":"p1","__proto__":{"reference_number":"FORGED-REF","media_url":"FORGED"},"nested":{"__proto__":{"forged":true}}}',
		);
		const [event, message] = server.calls.map((call) => call.items![0].json);
		for (const json of [
			event,
			message,
			message.raw as object,
			(message.raw as { nested: object }).nested,
		]) {
			expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
			expect((json as Record<string, unknown>).reference_number).toBeUndefined();
			expect((json as Record<string, unknown>).forged).toBeUndefined();
			expect(Object.keys(json)).not.toEqual(expect.arrayContaining(['__proto__']));
		}
		expect(message.media_url).toBeUndefined();
		expect(event).not.toHaveProperty('constructor.x');
		// Written once: a line of this kind is written at most once a minute per trigger.
		expect(server.warnings).toEqual([
			'Picky Assist Trigger: left out 2 keys named __proto__, constructor or prototype, which no Picky Assist payload has',
		]);
	});

	test('a body nested 20,000 levels deep gets 400 and one log line, never an exception', async () => {
		const server = await listen();
		const deep = '['.repeat(20_000) + ']'.repeat(20_000);
		const answers = [
			await postText(
				withSecret(server.url),
				`{"event_id":"1","data":[{"msg_id":"1","status":"1","x":${deep}}]}`,
			),
			await postText(
				withSecret(server.url),
				`{"number":"447700900001","message_in_raw":"hi","x":${deep}}`,
			),
		];
		expect(answers.map((answer) => answer.status)).toEqual([400, 400]);
		expect(await answers[0].json()).toEqual({
			error: 'the body is nested deeper than 64 levels, which no Picky Assist payload is',
		});
		expect(server.calls.every((call) => call.items === undefined)).toBe(true);
		expect(server.warnings).toHaveLength(1);
	});
});
