/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * End-to-end, the whole loop through a RUNNING n8n: the packed package installed as a community package into real
 * n8n (1.123.81 on Node 20, 2.41.1 on Node 24), started with `n8n start` on 127.0.0.1, workflows whose first node is
 * the Picky Assist Trigger active on their production URLs, and the sandbox playing Picky Assist's two webhooks:
 *
 *   POST /webhook/e2e-trigger-send-rows ──> [Webhook → Split Out → Picky Assist: Send]  ──push──> sandbox
 *   sandbox ──Event Webhook: submitted, delivered/failed, read──> /webhook/<webhookId>/pickyassist?secret=…
 *                                                                 └─> [Picky Assist Trigger] → executions
 *   sandbox ──incoming message──> /webhook/<webhookId>/pickyassist?secret=… → [Trigger → Respond to Webhook] ──reply──> sandbox
 *   POST /webhook/e2e-trigger-check-numbers ──> [Webhook → Split Out → Check WhatsApp Numbers] ──lookup push──> sandbox
 *   sandbox ──Event Webhook: WhatsApp Filter Report (event 2)──> [Picky Assist Trigger, WhatsApp Filter] → executions
 *
 * How (the same on both lines; see test/tooling/n8n-server.ts):
 * - `n8n import:credentials` + `n8n import:workflow --separate` (test/e2e/workflows/e2e-trigger-*.json) before the
 *   start; then the owner account (POST /rest/owner/setup, as scripts/dev.js does) and activation through the REST
 *   API (POST /rest/workflows/:id/activate with the workflow's versionId: 1.x activates, 2.x publishes);
 * - executions are read through the REST API as the owner: GET /rest/executions?filter={"workflowId":…} and
 *   GET /rest/executions/:id, whose run data (n8n's "flatted" text) is parsed with that n8n's own `flatted`.
 * The installs, the build and `npm pack` happen in global-setup.js. PICKY_E2E_N8N_LOG=1 prints n8n's log.
 */
import {
	formEncode,
	incomingPayload,
	startSandbox,
	type Sandbox,
	type WebhookDelivery,
} from '../sandbox';
import { LineInfo, WorkflowJson, runCli, type RunItem } from '../tooling/n8n-cli';
import { N8nServer, httpRequest, type Execution } from '../tooling/n8n-server';
import { describeEachLine, e2eState, type LineState } from './lines';
import * as setup from './setup';

const TOKEN = 'e2eLoopTok-Vb8n2Qx7-SECRET';
const TRIGGER_TYPE = 'n8n-nodes-pickyassist.pickyAssistTrigger';
const TRIGGER = 'Picky Assist Trigger';

const state = e2eState();

const { workflows, workflow: wf } = setup.suiteWorkflows((file) => file.startsWith('e2e-trigger-'));
/** The workflows of this file, and what their Picky Assist Trigger is set to. */
const EVENTS = wf('e2e-trigger-events.json'); // every event, all statuses, default options (Drop Repeated Events on)
const NO_DEDUP = wf('e2e-trigger-no-dedup.json'); // every event, all statuses, Drop Repeated Events off
const DELIVERED = wf('e2e-trigger-delivered.json'); // Events: Delivery Report; Statuses: delivered
const REPLY = wf('e2e-trigger-reply.json'); // Incoming Message, Respond: When Last Node Finishes (a Code node builds the reply)
const REPLY_V1 = wf('e2e-trigger-reply-v1.json'); // the same with Respond to Webhook typeVersion 1
const SEND = wf('e2e-trigger-send.json'); // Webhook (POST /webhook/e2e-trigger-send-rows) → Split Out → Send
const SECRET_NUMBER = wf('e2e-trigger-secret-number.json'); // Secret ={{ 12345 }}
const SECRET_NULL = wf('e2e-trigger-secret-null.json'); // Secret ={{ null }}
const FAILS = wf('e2e-trigger-fails.json'); // Respond: When Last Node Finishes, then a Code node that throws
const READS = wf('e2e-trigger-reads.json'); // Trigger → Edit Fields reading reference_number, also from raw
const MEDIA = wf('e2e-trigger-media.json'); // Incoming Message, Download Media (private hosts allowed, 1 MB cap)
const CHECK = wf('e2e-trigger-check-numbers.json'); // Webhook (POST /webhook/e2e-trigger-check-numbers) → Split Out → Check WhatsApp Numbers, Max Recipients 3
const FILTER = wf('e2e-trigger-whatsapp-filter.json'); // Events: WhatsApp Filter only
const webhookPathOf = (w: WorkflowJson) =>
	String(w.nodes.find((nd) => nd.type === 'n8n-nodes-base.webhook')?.parameters?.path);
const SEND_PATH = webhookPathOf(SEND);

const triggerOf = (w: WorkflowJson) => {
	const node = w.nodes.find((nd) => nd.type === TRIGGER_TYPE);
	if (!node || typeof node.webhookId !== 'string')
		throw new Error(`${w.name}: no Picky Assist Trigger with a webhookId`);
	return node as typeof node & { webhookId: string; parameters: { secret?: string } };
};
const secretOf = (w: WorkflowJson): string => {
	const s = triggerOf(w).parameters.secret;
	if (!s) throw new Error(`${w.name}: the trigger has no secret`);
	return s;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long to keep watching for an execution that must not come. */
const QUIET_MS = 1500;

const tested: string[] = [];
afterAll(() => {
	console.log(`[e2e loop] n8n versions tested: ${tested.length ? tested.join('; ') : 'none'}`);
});

describeEachLine(
	state,
	(line) => `Picky Assist Trigger loop in running n8n ${line.n8nVersion}`,
	loopSuite,
);

function loopSuite(line: LineInfo, st: LineState): void {
	let sandbox: Sandbox;
	let userFolder: string;
	let server: N8nServer | undefined;
	const timings: Record<string, number> = {};
	let t0 = 0;
	const mark = (what: string, since: number) => (timings[what] = Date.now() - since);

	/** The production URL of a workflow's trigger, with `?secret=` when given. */
	const hookUrl = (w: WorkflowJson, secret?: string): string =>
		server!.webhookUrl(`${triggerOf(w).webhookId}/pickyassist`) +
		(secret === undefined ? '' : `?secret=${encodeURIComponent(secret)}`);
	const itemsOf = (e: Execution): Array<Record<string, unknown>> =>
		(e.run.data.resultData.runData[TRIGGER]?.[0]?.data?.main?.[0] ?? []).map(
			(i: RunItem) => i.json,
		);
	const count = async (w: WorkflowJson) => (await server!.executions(w.id!)).length;

	/** Runs the Send workflow through its production webhook; returns the Picky Assist node's output items. */
	const send = async (rows: Array<{ number: string; message: string }>) => {
		const r = await httpRequest(server!.webhookUrl(SEND_PATH), { body: { rows } });
		expect({ status: r.status, text: r.status === 200 ? '' : r.text }).toEqual({
			status: 200,
			text: '',
		});
		const items = r.json as Array<{
			state: string;
			msg_id: string;
			push_id: string;
			number: string;
		}>;
		expect(items.map((i) => [i.state, i.number])).toEqual(
			rows.map((row) => ['accepted', row.number]),
		);
		return items;
	};

	/** Waits until the sandbox has no event left to post for now (every step of every push attempted). */
	const webhooksSettled = async (timeoutMs = 20_000) => {
		const deadline = Date.now() + timeoutMs;
		while (sandbox.pendingWebhooks > 0 && Date.now() < deadline) await sleep(100);
		expect(sandbox.pendingWebhooks).toBe(0);
	};

	/** What the trigger must emit for one Event Webhook entry the sandbox posted. */
	const STATUS: Record<string, [string, number]> = {
		'1': ['delivered', 1],
		'2': ['failed', 2],
		'3': ['read', 3],
		'4': ['submitted', 4],
	};
	const expectedItem = (entry: Record<string, string>) => ({
		event: 'deliveryReport',
		project_id: '1001',
		push_id: entry.push_id,
		msg_id: entry.msg_id,
		number: entry.number,
		status: STATUS[entry.status][0],
		status_code: STATUS[entry.status][1],
		error_message: entry.error_message,
		reference_number: entry.reference_number,
		channel_id: entry.channel_id,
		message: entry.message,
		message_type: entry.message_type,
	});

	/** The event posts the sandbox made for one push, in order (first attempts). */
	const eventPosts = (pushId: string): WebhookDelivery[] =>
		sandbox.webhookDeliveries.filter(
			(d) => d.kind === 'event' && d.source === 'push' && d.push_id === pushId && d.attempt === 1,
		);

	// Shared by the tests after the first: the event posts of the Send run and their answers.
	let sendRunPosts: WebhookDelivery[] = [];

	beforeAll(
		async () => {
			setup.requireInstalled(line, st);
			const nodeVersion = setup.nodeVersionOf(line);
			tested.push(`n8n ${line.n8nVersion} on Node ${nodeVersion}`);

			t0 = Date.now();
			let t = t0;
			sandbox = await startSandbox({ tokens: [TOKEN] });
			let env: NodeJS.ProcessEnv;
			({ userFolder, env } = await setup.freshUserFolder(line, state, 'loop', { running: true }));
			mark('install', t);

			t = Date.now();
			await setup.importWithPickyCredentials(
				(args) => runCli(line, env, args),
				workflows,
				() => ({ apiToken: TOKEN, customUrl: sandbox.baseUrl() }),
			);
			mark('import (2 CLI calls)', t);

			t = Date.now();
			server = await setup.startN8n(line, env);
			mark('n8n start', t);
			t = Date.now();
			await setup.activateAll(server, workflows);
			mark('owner + activation', t);
			console.log(
				`[e2e loop] line ${line.line}: n8n ${line.n8nVersion} on Node ${nodeVersion} serving ${server.baseUrl} (pid ${server.pid}), ${workflows.length} workflows active`,
			);
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		const t = Date.now();
		await setup.stopN8n(server);
		await sandbox?.close();
		mark('stop', t);
		timings.total = Date.now() - t0;
		console.log(`[e2e loop] line ${line.line} timings (ms): ${JSON.stringify(timings)}`);
		setup.removeUserFolder(userFolder, 'e2e loop');
	}, 60_000);

	test("a Send run's delivery events reach the active workflow's production URL: one execution per event, the push's msg_ids, statuses in order", async () => {
		const t = Date.now();
		// submitted → delivered → read, or submitted → failed for the msg_ids divisible by 3.
		// The steps come seconds apart, as Picky Assist's do. The re-send test below posts these three again.
		sandbox.configure({
			eventWebhookUrl: hookUrl(EVENTS, secretOf(EVENTS)),
			readAfterMs: 0,
			failureShare: 1 / 3,
			eventDelaysMs: { submitted: 20, delivered: 1500, read: 3000 },
		});
		const rows = [
			{ number: '5511987654321', message: 'Hi Ana, your bill is 12.40' },
			{ number: '919876543210', message: 'Hi Raj, your bill is 8.00' },
			{ number: '14155550123', message: 'Hi Lee, your bill is 3.10 ☕' },
		];
		const sent = await send(rows);
		const pushId = sent[0].push_id;
		// The real Send node made the push: one push with the rows, the token in its body.
		const push = sandbox.acceptedPushes.find((a) => a.push_id === pushId)!;
		expect(push.request.body.token).toBe(TOKEN);
		expect(
			(push.request.body.data as Array<{ number: string; message: string }>).map((d) => ({
				number: d.number,
				message: d.message,
			})),
		).toEqual(rows);
		await webhooksSettled();
		sendRunPosts = eventPosts(pushId);
		expect(sendRunPosts.map((d) => [d.step, d.status])).toEqual([
			['submitted', 200],
			['delivered', 200],
			['read', 200],
		]);
		expect(sandbox.webhookDeliveries.filter((d) => d.attempt > 1)).toEqual([]); // every post answered 200 at once

		const executions = await server!.waitForExecutions(EVENTS.id!, 3);
		for (const e of executions)
			expect({ mode: e.mode, status: e.status }).toEqual({ mode: 'webhook', status: 'success' });
		// Execution i holds exactly the entries of post i, as the trigger's items.
		executions.forEach((e, i) => {
			const entries = (sendRunPosts[i].body as { data: Array<Record<string, string>> }).data;
			expect(itemsOf(e)).toEqual(entries.map(expectedItem));
		});
		// The push's msg_ids, each with its statuses in the order they happened.
		const history = new Map<string, string[]>();
		for (const e of executions)
			for (const item of itemsOf(e))
				history.set(String(item.msg_id), [
					...(history.get(String(item.msg_id)) ?? []),
					String(item.status),
				]);
		expect([...history.keys()].sort()).toEqual(sent.map((s) => s.msg_id).sort());
		const failed = [...push.delivery.failed];
		expect(failed).toHaveLength(1); // one of the three consecutive msg_ids is divisible by 3
		for (const s of sent) {
			expect({ msg_id: s.msg_id, statuses: history.get(s.msg_id) }).toEqual({
				msg_id: s.msg_id,
				statuses: failed.includes(s.msg_id)
					? ['submitted', 'failed']
					: ['submitted', 'delivered', 'read'],
			});
		}
		for (const e of executions) for (const item of itemsOf(e)) expect(item.push_id).toBe(pushId);
		// The secret in the URL is not in the stored run data.
		for (const e of executions) expect(JSON.stringify(e.run)).not.toContain(secretOf(EVENTS));
		mark('test: delivery events', t);
	});

	test('Statuses = delivered: only the delivered messages start an execution; an event not in Events is answered 200 and dropped', async () => {
		const t = Date.now();
		sandbox.configure({
			eventWebhookUrl: hookUrl(DELIVERED, secretOf(DELIVERED)),
			readAfterMs: 0,
			failureShare: 1 / 3,
		});
		const sent = await send([
			{ number: '447700900101', message: 'Order 1 shipped' },
			{ number: '447700900102', message: 'Order 2 shipped' },
			{ number: '447700900103', message: 'Order 3 shipped' },
		]);
		const pushId = sent[0].push_id;
		await webhooksSettled();
		const posts = eventPosts(pushId);
		// Every step answered 200 (a filtered event is received, not refused: Picky Assist must not re-send it).
		expect(posts.map((d) => [d.step, d.status])).toEqual([
			['submitted', 200],
			['delivered', 200],
			['read', 200],
		]);
		const failed = sandbox.acceptedPushes.find((a) => a.push_id === pushId)!.delivery.failed;
		const deliveredEntries = (posts[1].body as { data: Array<Record<string, string>> }).data.filter(
			(d) => d.status === '1',
		);
		expect(deliveredEntries).toHaveLength(sent.length - failed.size);

		// An incoming message to a trigger that listens to delivery reports only.
		const incoming = await sandbox.sendIncomingMessage(
			{ number: '447700900199', name: 'Sam', text: 'Where is my order?' },
			hookUrl(DELIVERED, secretOf(DELIVERED)),
		);
		expect(incoming.status).toBe(200);

		const [e] = await server!.waitForExecutions(DELIVERED.id!, 1, { settleMs: QUIET_MS });
		expect(itemsOf(e)).toEqual(deliveredEntries.map(expectedItem));
		expect(itemsOf(e).map((i) => i.status)).toEqual(deliveredEntries.map(() => 'delivered'));
		mark('test: statuses filter', t);
	});

	test('a missing or wrong ?secret= gets HTTP 401 and starts nothing; the right one starts the workflow', async () => {
		const t = Date.now();
		const before = await count(EVENTS);
		const beforeReply = await count(REPLY_V1);
		const fromLog = server!.logLength;
		const event = {
			project_id: '1001',
			event_id: '1',
			data: [{ push_id: '8100001', msg_id: '9100001', number: '447700900201', status: '1' }],
		};
		const wrong = 'not-the-secret-Zq81';
		const attempts = {
			missing: await sandbox.postEvent(event, hookUrl(EVENTS)),
			empty: await sandbox.postEvent(event, hookUrl(EVENTS, '')),
			wrong: await sandbox.postEvent(event, hookUrl(EVENTS, wrong)),
			"another workflow's": await sandbox.postEvent(event, hookUrl(EVENTS, secretOf(DELIVERED))),
			'right one with a suffix': await sandbox.postEvent(
				event,
				hookUrl(EVENTS, `${secretOf(EVENTS)}x`),
			),
			'incoming message, missing': await sandbox.sendIncomingMessage(
				{ number: '447700900202', text: 'hi' },
				hookUrl(REPLY_V1),
			),
		};
		for (const [name, a] of Object.entries(attempts)) {
			expect({ name, status: a.status, body: a.body }).toEqual({
				name,
				status: 401,
				body: { error: expect.stringMatching(/secret/) },
			});
		}
		await sleep(QUIET_MS);
		expect(await count(EVENTS)).toBe(before);
		expect(await count(REPLY_V1)).toBe(beforeReply);
		const log = server!.logs(fromLog);
		// Refusals are logged at most once a minute per workflow: one line for EVENTS' five, one for REPLY_V1's.
		expect(log.match(/Picky Assist Trigger: answered 401 and started nothing/g)).toHaveLength(2);
		expect(log).not.toContain(wrong);
		expect(log).not.toContain(secretOf(EVENTS));

		// The same event with the right secret is taken: the 401s were about the secret only.
		const ok = await sandbox.postEvent(event, hookUrl(EVENTS, secretOf(EVENTS)));
		expect(ok.status).toBe(200);
		const all = await server!.waitForExecutions(EVENTS.id!, before + 1);
		expect(itemsOf(all[all.length - 1])).toEqual([
			expect.objectContaining({ msg_id: '9100001', status: 'delivered' }),
		]);
		mark('test: secret', t);
	});

	test('a body that is not JSON (form-encoded, Picky Assist\'s "Standard POST") gets HTTP 415 and starts nothing', async () => {
		const t = Date.now();
		const before = await count(EVENTS);
		const fromLog = server!.logLength;
		const fields = incomingPayload({ number: '447700900301', name: 'Ana', text: 'Hello there' });
		const form = Object.entries(fields)
			.map(([k, v]) => `${formEncode(k)}=${formEncode(String(v))}`)
			.join('&');
		const r = await httpRequest(hookUrl(EVENTS, secretOf(EVENTS)), {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form,
		});
		expect({ status: r.status, body: r.json }).toEqual({
			status: 415,
			body: { error: expect.stringMatching(/not JSON/) },
		});
		await sleep(QUIET_MS);
		expect(await count(EVENTS)).toBe(before);
		expect(server!.logs(fromLog)).toMatch(/Picky Assist Trigger: answered 415 and started nothing/);
		mark('test: 415', t);
	});

	test('Respond "Immediately" answers HTTP 200 with {} (as the README says), whether or not the event starts an execution', async () => {
		const before = await count(EVENTS);
		const event = (msgId: string, status: string) => ({
			project_id: '1001',
			event_id: '1',
			data: [{ push_id: '8100003', msg_id: msgId, number: '447700900351', status }],
		});
		const started = await sandbox.postEvent(
			event('9100003', '1'),
			hookUrl(EVENTS, secretOf(EVENTS)),
		);
		const filtered = await sandbox.postEvent(
			event('9100004', '4'),
			hookUrl(DELIVERED, secretOf(DELIVERED)),
		); // submitted: not in Statuses
		await server!.waitForExecutions(EVENTS.id!, before + 1);
		expect({
			'an event that starts an execution': { status: started.status, body: started.text },
			'an event filtered out': { status: filtered.status, body: filtered.text },
		}).toEqual({
			'an event that starts an execution': { status: 200, body: '{}' },
			'an event filtered out': { status: 200, body: '{}' },
		});
	});

	test('with Drop Repeated Events off, n8n answers {} (n8n 2.x only once the execution exists), and a repeat starts another execution', async () => {
		const before = await count(NO_DEDUP);
		const event = {
			project_id: '1001',
			event_id: '1',
			data: [{ push_id: '8100005', msg_id: '9100005', number: '447700900361', status: '1' }],
		};
		const first = await sandbox.postEvent(event, hookUrl(NO_DEDUP, secretOf(NO_DEDUP)));
		const listedAtFirstAnswer = await count(NO_DEDUP);
		const again = await sandbox.postEvent(event, hookUrl(NO_DEDUP, secretOf(NO_DEDUP)));
		const all = await server!.waitForExecutions(NO_DEDUP.id!, before + 2, { settleMs: QUIET_MS });
		expect({
			answers: [first, again].map((a) => ({ status: a.status, body: a.text })),
			items: all.slice(0, 2).map((e) => itemsOf(e).map((i) => `${i.msg_id} ${i.status}`)),
		}).toEqual({
			answers: [
				{ status: 200, body: '{}' },
				{ status: 200, body: '{}' },
			],
			items: [['9100005 delivered'], ['9100005 delivered']],
		});
		// n8n 2.x creates the execution before it answers; n8n 1.x answers first, as for its own Webhook node.
		if (line.line === 2) expect(listedAtFirstAnswer).toBe(before + 1);
	});

	test('Drop Repeated Events: the same event posted twice (identical body) starts one execution', async () => {
		const t = Date.now();
		const before = await count(EVENTS);
		const event = {
			project_id: '1001',
			event_id: '1',
			data: [{ push_id: '8100002', msg_id: '9100002', number: '447700900401', status: '3' }],
		};
		const first = await sandbox.postEvent(event, hookUrl(EVENTS, secretOf(EVENTS)));
		// Sent at once after the first answer, before n8n has saved the static data: the memory in the process drops it.
		const again = await sandbox.postEvent(event, hookUrl(EVENTS, secretOf(EVENTS)));
		expect([first.status, again.status]).toEqual([200, 200]); // a dropped repeat is still received: no re-send
		const after = await server!.waitForExecutions(EVENTS.id!, before + 1, { settleMs: QUIET_MS });
		expect(itemsOf(after[after.length - 1])).toEqual([
			expect.objectContaining({ msg_id: '9100002', status: 'read' }),
		]);
		mark('test: dedup', t);
	});

	test("Drop Repeated Events: the Send run's three events, re-sent as Picky Assist re-sends them, start nothing", async () => {
		expect(sendRunPosts).toHaveLength(3); // from the first test
		const before = await count(EVENTS);
		for (const post of sendRunPosts)
			expect((await sandbox.postEvent(post.body, hookUrl(EVENTS, secretOf(EVENTS)))).status).toBe(
				200,
			);
		await sleep(QUIET_MS);
		const after = await server!.executions(EVENTS.id!);
		const started = await Promise.all(
			after.slice(0, after.length - before).map((e) => server!.execution(e.id)),
		);
		expect(started.map((e) => itemsOf(e).map((i) => `${i.msg_id} ${i.status}`))).toEqual([]);
	});

	const replyTest = (w: WorkflowJson) => async () => {
		const t = Date.now();
		const before = await count(w);
		const text = 'Hello there ☕ 50% off? Ünïcødé + "quotes" & more';
		const reply = await sandbox.sendIncomingMessage(
			{ number: '447700900501', name: 'Ana', text },
			hookUrl(w, secretOf(w)),
		);
		const all = await server!.waitForExecutions(w.id!, before + 1);
		const e = all[all.length - 1];
		// What the sandbox (Picky Assist) received — the JSON the Respond to Webhook node answered, its instant reply —
		// and how the execution ended.
		expect({
			reply: { status: reply.status, contentType: reply.headers['content-type'], body: reply.body },
			execution: { mode: e.mode, status: e.status, error: e.run.data.resultData.error?.message },
		}).toEqual({
			reply: {
				status: 200,
				contentType: expect.stringMatching(/^application\/json/),
				body: { 'message-out': `Thanks Ana, you wrote: ${text}`, delay: 0, from: '447700900501' },
			},
			execution: { mode: 'webhook', status: 'success', error: undefined },
		});
		const recorded = sandbox.webhookDeliveries.filter(
			(d) => d.kind === 'incoming' && d.url.startsWith(hookUrl(w)),
		);
		expect(recorded[recorded.length - 1]).toEqual(
			expect.objectContaining({ status: 200, responseText: reply.text }),
		);
		expect(itemsOf(e)).toEqual([
			expect.objectContaining({
				event: 'incomingMessage',
				number: '447700900501',
				name: 'Ana',
				message: text,
				application: '8',
				direction: '0',
			}),
		]);
		mark(`test: reply ${w.id}`, t);
	};

	test(
		"an incoming message gets the JSON of n8n's Respond to Webhook node (typeVersion 1) back as its instant reply",
		replyTest(REPLY_V1),
	);

	test(
		"with Respond 'When Last Node Finishes', an incoming message gets the last node's JSON back as its instant reply",
		replyTest(REPLY),
	);

	test("Download Media: an incoming photo's file reaches the workflow as binary 'data'; a tapped button as reply", async () => {
		const t = Date.now();
		const url = hookUrl(MEDIA, secretOf(MEDIA));
		const photo = await sandbox.sendIncomingMessage(
			{
				number: '447700900601',
				text: 'my receipt',
				mediaUrl: `${sandbox.url}/media/receipt.jpg?bytes=250000`,
			},
			url,
		);
		const big = await sandbox.sendIncomingMessage(
			{
				number: '447700900601',
				text: 'a video',
				mediaUrl: `${sandbox.url}/media/clip.mp4?bytes=2000000`,
			},
			url,
		);
		const button = await sandbox.sendIncomingMessage(
			{
				number: '447700900601',
				text: 'Not Sure',
				contextMsgId: '30486936',
				extra: { type: '9', payload: 'confirmbutton' },
			},
			url,
		);
		expect([photo.status, big.status, button.status]).toEqual([200, 200, 200]);
		const all = await server!.waitForExecutions(MEDIA.id!, 3, { settleMs: QUIET_MS });
		const items = all.map((e) => e.run.data.resultData.runData[TRIGGER]?.[0]?.data?.main?.[0]?.[0]);
		const byText = new Map(items.map((i) => [String(i?.json.message), i]));
		const received = byText.get('my receipt');
		expect(received?.binary?.data).toMatchObject({
			fileName: 'receipt.jpg',
			mimeType: 'image/jpeg',
		});
		// n8n keeps the size as text ("244 kB") on some lines and stores the bytes apart: the name, type and the
		// absence of an error are what the item shows on both.
		expect(received?.json).not.toHaveProperty('media_error');
		expect(byText.get('a video')?.binary).toBeUndefined();
		expect(byText.get('a video')?.json.media_error).toMatch(
			/larger than the Max Media Size of 1 MB/,
		);
		expect(byText.get('Not Sure')?.json).toMatchObject({
			type: '9',
			context_msg_id: '30486936',
			reply: { type: 'quickReply', title: 'Not Sure', payload: 'confirmbutton' },
		});
		expect(sandbox.mediaRequests.filter((p) => p.startsWith('/media/receipt.jpg'))).toHaveLength(1);
		mark('test: media', t);
	});

	const postText = (url: string, body: string) =>
		httpRequest(url, { headers: { 'content-type': 'application/json' }, body });
	/** An Event Webhook call with one delivery-report entry. */
	const oneEvent = (pushId: string, msgId: string, number: string, status = '1') => ({
		project_id: '1001',
		event_id: '1',
		data: [{ push_id: pushId, msg_id: msgId, number, status }],
	});

	test('a Secret from an expression that gives a number is compared as text; one that gives null refuses every call', async () => {
		const event = oneEvent('8100011', '9100011', '447700900611');
		const fromLog = server!.logLength;
		const numberAnswers = {
			missing: (await sandbox.postEvent(event, hookUrl(SECRET_NUMBER))).status,
			wrong: (await sandbox.postEvent(event, hookUrl(SECRET_NUMBER, '1234'))).status,
			right: (await sandbox.postEvent(event, hookUrl(SECRET_NUMBER, '12345'))).status,
		};
		const nullAnswers = {
			missing: (await sandbox.postEvent(event, hookUrl(SECRET_NULL))).status,
			empty: (await sandbox.postEvent(event, hookUrl(SECRET_NULL, ''))).status,
			'the text null': (await sandbox.postEvent(event, hookUrl(SECRET_NULL, 'null'))).status,
		};
		expect({ numberAnswers, nullAnswers }).toEqual({
			numberAnswers: { missing: 401, wrong: 401, right: 200 },
			nullAnswers: { missing: 401, empty: 401, 'the text null': 401 },
		});
		const [e] = await server!.waitForExecutions(SECRET_NUMBER.id!, 1, { settleMs: QUIET_MS });
		expect(itemsOf(e)).toEqual([expect.objectContaining({ msg_id: '9100011' })]);
		expect(await count(SECRET_NULL)).toBe(0);
		expect(
			server!
				.logs(fromLog)
				.match(
					/Picky Assist Trigger: answered 401 and started nothing: the Secret is set but it gives null, so every call is refused until the Secret is fixed/g,
				),
		).toHaveLength(1);
	});

	test("with Respond 'When Last Node Finishes', a failed run is answered 500 and the re-sent event runs again", async () => {
		const event = oneEvent('8100012', '9100012', '447700900612');
		const first = await sandbox.postEvent(event, hookUrl(FAILS, secretOf(FAILS)));
		const again = await sandbox.postEvent(event, hookUrl(FAILS, secretOf(FAILS)));
		const all = await server!.waitForExecutions(FAILS.id!, 2, { settleMs: QUIET_MS });
		expect({
			answers: [first.status, again.status],
			executions: all.map((e) => ({
				status: e.status,
				items: itemsOf(e).map((i) => `${i.msg_id} ${i.status}`),
			})),
		}).toEqual({
			answers: [500, 500],
			executions: [
				{ status: 'error', items: ['9100012 delivered'] },
				{ status: 'error', items: ['9100012 delivered'] },
			],
		});
	});

	test('Drop Repeated Events under load: calls sent back to back, then all re-sent, start no second execution', async () => {
		const before = await count(EVENTS);
		const calls = Array.from({ length: 30 }, (_, call) => ({
			project_id: '1001',
			event_id: '1',
			data: Array.from({ length: 5 }, (_, i) => ({
				push_id: '8100013',
				msg_id: `9113${String(call).padStart(2, '0')}${i}`,
				number: '447700900613',
				status: '1',
			})),
		}));
		const url = hookUrl(EVENTS, secretOf(EVENTS));
		for (const body of calls) expect((await sandbox.postEvent(body, url)).status).toBe(200);
		await server!.waitForExecutions(EVENTS.id!, before + calls.length);
		for (const body of calls) expect((await sandbox.postEvent(body, url)).status).toBe(200);
		await sleep(QUIET_MS);
		expect((await count(EVENTS)) - before).toBe(calls.length);
	});

	test('a __proto__ key in a forged body changes nothing the next node reads', async () => {
		const url = hookUrl(READS, secretOf(READS));
		const event = await postText(
			url,
			'{"project_id":"1001","event_id":"1","data":[{"push_id":"8100014","msg_id":"9100014","number":"447700900614","status":"1","__proto__":{"reference_number":"FORGED-REF"}}]}',
		);
		const message = await postText(
			url,
			'{"number":"447700900615","message_in_raw":"hi","unique-id":"forged-1","__proto__":{"reference_number":"FORGED-REF","raw":{"reference_number":"FORGED-REF"}}}',
		);
		expect([event.status, message.status]).toEqual([200, 200]);
		const all = await server!.waitForExecutions(READS.id!, 2, { settleMs: QUIET_MS });
		const read = all.map((e) =>
			(e.run.data.resultData.runData.Read?.[0]?.data?.main?.[0] ?? []).map((i: RunItem) => i.json),
		);
		expect(read).toEqual([
			[{ reference_number: 'none', raw_reference_number: 'none', msg: '9100014' }],
			[{ reference_number: 'none', raw_reference_number: 'none', msg: '447700900615' }],
		]);
	});

	test('a body nested 20,000 levels deep gets 400 with one log line; n8n keeps serving', async () => {
		const before = await count(EVENTS);
		const fromLog = server!.logLength;
		const deep = '['.repeat(20_000) + ']'.repeat(20_000);
		const answer = await postText(
			hookUrl(EVENTS, secretOf(EVENTS)),
			`{"event_id":"1","data":[{"msg_id":"9100016","status":"1","x":${deep}}]}`,
		);
		expect({ status: answer.status, body: answer.json }).toEqual({
			status: 400,
			body: { error: 'the body is nested deeper than 64 levels, which no Picky Assist payload is' },
		});
		const event = oneEvent('8100016', '9100017', '447700900616');
		expect((await sandbox.postEvent(event, hookUrl(EVENTS, secretOf(EVENTS)))).status).toBe(200);
		await server!.waitForExecutions(EVENTS.id!, before + 1, { settleMs: QUIET_MS });
		const log = server!.logs(fromLog);
		expect(
			log.match(/Picky Assist Trigger: answered 400 and started nothing: the body is nested/g),
		).toHaveLength(1);
		expect(log).not.toMatch(/RangeError|Maximum call stack/);
	});

	test('Check WhatsApp Numbers: one lookup push (action "1", numbers only), one accepted item per number; the WhatsApp Filter Report starts the active trigger once, one item per number with its status as given', async () => {
		const t = Date.now();
		sandbox.configure({
			eventWebhookUrl: hookUrl(FILTER, secretOf(FILTER)),
			eventDelaysMs: { submitted: 20 },
		});
		const fromRequest = sandbox.requests.length;
		const rows = [
			{ number: '+55 11 98765-4321' },
			{ number: '447700900110' },
			{ number: '1 415 555 0123' },
		];
		const numbers = ['5511987654321', '447700900110', '14155550123'];
		const r = await httpRequest(server!.webhookUrl(webhookPathOf(CHECK)), { body: { rows } });
		expect({ status: r.status, text: r.status === 200 ? '' : r.text }).toEqual({
			status: 200,
			text: '',
		});

		// What reached Picky Assist: one push, a lookup of the numbers and nothing else (no message, no media).
		const requests = sandbox.requests.slice(fromRequest);
		expect(requests.map((q) => q.endpoint)).toEqual(['push']);
		expect(requests[0].body).toEqual({
			token: TOKEN,
			application: '8',
			action: '1',
			data: numbers.map((number) => ({ number })),
		});
		const lookup = sandbox.acceptedPushes[sandbox.acceptedPushes.length - 1];
		expect(lookup.request.body).toEqual(requests[0].body);
		// The node's output: one item per number, in input order, each the lookup's ids (queued, not yet answered).
		const items = r.json as Array<Record<string, unknown>>;
		expect(items).toEqual(
			lookup.response.data.map((entry) => ({
				state: 'accepted',
				number: entry.number,
				push_id: lookup.push_id,
				msg_id: entry.msg_id,
			})),
		);
		expect(items.map((i) => i.number)).toEqual(numbers);

		// The sandbox's WhatsApp Filter Report (event 2), posted once to the trigger's production URL.
		await webhooksSettled();
		const posts = eventPosts(lookup.push_id);
		expect(posts.map((d) => [d.status, (d.body as { event_id: string }).event_id])).toEqual([
			[200, '2'],
		]);
		const entries = (posts[0].body as { data: Array<Record<string, string>> }).data;
		const [e] = await server!.waitForExecutions(FILTER.id!, 1, { settleMs: QUIET_MS });
		expect({ mode: e.mode, status: e.status }).toEqual({ mode: 'webhook', status: 'success' });
		expect(itemsOf(e)).toEqual(
			entries.map((entry) => ({
				event: 'whatsappFilter',
				project_id: '1001',
				push_id: lookup.push_id,
				msg_id: entry.msg_id,
				number: entry.number,
				status: entry.status,
				application: '8',
			})),
		);
		// Joined to the lookup's output by msg_id; the sandbox's statuses ("1" on WhatsApp, "0" not) as they came.
		expect(itemsOf(e).map((i) => [i.msg_id, i.number, i.status])).toEqual(
			items.map((i, n) => [i.msg_id, i.number, n === 1 ? '0' : '1']),
		);
		mark('test: check numbers', t);
	});

	test('Check WhatsApp Numbers honours Max Recipients: four numbers over a cap of 3 fail the run and nothing reaches Picky Assist', async () => {
		const fromRequest = sandbox.requests.length;
		const before = await count(CHECK);
		const rows = ['447700900701', '447700900702', '447700900703', '447700900704'].map((number) => ({
			number,
		}));
		const r = await httpRequest(server!.webhookUrl(webhookPathOf(CHECK)), { body: { rows } });
		expect(r.status).not.toBe(200);
		const all = await server!.waitForExecutions(CHECK.id!, before + 1);
		const e = all[all.length - 1];
		expect({
			status: e.status,
			node: e.run.data.resultData.lastNodeExecuted,
			error: e.run.data.resultData.error?.message,
		}).toEqual({
			status: 'error',
			node: 'Check WhatsApp Numbers',
			error: expect.stringMatching(
				/^4 rows would be sent, more than Max Recipients \(3\) allows.*; nothing was sent$/,
			),
		});
		expect(sandbox.requests.slice(fromRequest)).toEqual([]);
		expect(e.run.data.resultData.runData['Check WhatsApp Numbers']?.[0]?.data).toBeUndefined();
	});
}
