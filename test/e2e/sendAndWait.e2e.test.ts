/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * End-to-end, Send and Wait for Response in a RUNNING n8n (1.123.81 on Node 20, 2.41.1 on Node 24), started with
 * `n8n start` and a reachable WEBHOOK_URL (`n8n execute` just exits on a waiting run):
 *
 *   POST /webhook/e2e-wait-… ──> [Webhook → Picky Assist: Send and Wait] ──push with the link──> sandbox
 *   the test reads the link from that push ──GET──> the page (the execution keeps waiting)
 *                                          ──POST the answer──> the execution finishes with it
 *
 * The link is n8n's own signed resume URL: a changed one is refused by n8n itself.
 *
 * Past Limit Wait Time n8n's wait tracker, not the node, resumes the run: it looks for runs past their limit once a
 * minute, so that test waits up to about a minute of real time per line (n8n's clock is left alone).
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { runCli, type LineInfo, type RunItem } from '../tooling/n8n-cli';
import { httpRequest, N8nServer, type Execution } from '../tooling/n8n-server';
import { describeEachLine, e2eState, type LineState } from './lines';
import * as setup from './setup';

const TOKEN = 'e2eWaitTok-4Hq9Zr2m-SECRET';
const state = e2eState();
const { workflows, workflow: wf } = setup.suiteWorkflows((file) => file.startsWith('e2e-wait-'));
const APPROVAL = wf('e2e-wait-approval.json');
const FREE_TEXT = wf('e2e-wait-free-text.json');
// Approval with Limit Wait Time 0.05 minutes, then If "Answered?". Not shorter: the run must be seen waiting before
// the limit passes (a limit already past could be resumed by n8n before the test sees it wait).
const TIMEOUT = wf('e2e-wait-timeout.json');
const pathOf = (w: typeof APPROVAL) =>
	String(w.nodes.find((nd) => nd.type === 'n8n-nodes-base.webhook')?.parameters?.path);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachLine(
	state,
	(line) => `Send and Wait for Response in running n8n ${line.n8nVersion}`,
	waitSuite,
);

function waitSuite(line: LineInfo, st: LineState): void {
	let sandbox: Sandbox;
	let userFolder: string;
	let server: N8nServer | undefined;

	beforeAll(
		async () => {
			setup.requireInstalled(line, st);
			sandbox = await startSandbox({ tokens: [TOKEN] });
			let env: NodeJS.ProcessEnv;
			({ userFolder, env } = await setup.freshUserFolder(line, state, 'wait', { running: true }));
			// The links the node sends must reach this n8n: its public address, as a real set-up gives it.
			env.WEBHOOK_URL = `http://127.0.0.1:${env.N8N_PORT}/`;
			await setup.importWithPickyCredentials(
				(args) => runCli(line, env, args),
				workflows,
				() => ({ apiToken: TOKEN, customUrl: sandbox.baseUrl() }),
			);
			server = await setup.startN8n(line, env);
			await setup.activateAll(server, workflows);
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await setup.stopN8n(server);
		await sandbox?.close();
		setup.removeUserFolder(userFolder, 'e2e wait');
	}, 60_000);

	afterEach(() => sandbox.reset());

	/** Starts the workflow; returns the link of the one message it sent, once its execution waits. */
	const askAndWait = async (w: typeof APPROVAL, body: object) => {
		const started = await httpRequest(server!.webhookUrl(pathOf(w)), { body });
		expect(started.status).toBe(200);
		const deadline = Date.now() + 30_000;
		let list = await server!.executions(w.id!);
		while (!(list.length === 1 && list[0].status === 'waiting') && Date.now() < deadline) {
			await sleep(250);
			list = await server!.executions(w.id!);
		}
		expect(list.map((e) => e.status)).toEqual(['waiting']);
		const pushes = sandbox.requests.filter((r) => r.endpoint === 'push');
		expect(pushes).toHaveLength(1);
		expect(pushes[0].body.token).toBe(TOKEN);
		return { execution: list[0], push: pushes[0].body as { data: Array<Record<string, unknown>> } };
	};
	const lastLine = (text: unknown) => String(text).split('\n').pop()!;
	/** The items a node of the run put out on one of its outputs (the If's second one is its false branch). */
	const itemsOf = (e: Execution, node: string, branch = 0) =>
		(e.run.data.resultData.runData[node]?.[0]?.data?.main?.[branch] ?? []).map(
			(i: RunItem) => i.json,
		);
	const output = (e: Execution) => itemsOf(e, 'Ask');
	const form = (fields: Record<string, string>) => ({
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
	});
	const statusOf = async (id: string) => (await server!.execution(id)).status;

	test('Approval: the link opens the page with GET and the run keeps waiting; a changed link is refused; Approve finishes the run with approved: true', async () => {
		const { execution, push } = await askAndWait(APPROVAL, {
			number: '+44 7700 900123',
			question: 'Ship order 42?',
		});
		expect(push.data).toHaveLength(1);
		expect(push.data[0].number).toBe('447700900123');
		const link = lastLine(push.data[0].message);
		expect(link).toMatch(
			new RegExp(
				`^${server!.baseUrl}/webhook-waiting/${execution.id}/[^?]+\\?signature=[0-9a-f]{64}$`,
			),
		);

		const page = await httpRequest(link);
		expect(page.status).toBe(200);
		expect(page.text).toContain('Ship order 42?');
		expect(page.text).toContain('value="approve"');
		expect(page.text).not.toContain(TOKEN);
		await sleep(500);
		expect(await statusOf(execution.id)).toBe('waiting');

		// n8n's own check: an answer in the query, or no signature, never reaches the node.
		const tampered = new URL(link);
		tampered.searchParams.set('approved', 'true');
		expect((await httpRequest(tampered.toString(), form({ answer: 'approve' }))).status).toBe(401);
		expect((await httpRequest(link.split('?')[0], form({ answer: 'approve' }))).status).toBe(401);
		expect(await statusOf(execution.id)).toBe('waiting');

		const answer = await httpRequest(link, form({ answer: 'approve' }));
		expect(answer.status).toBe(200);
		const [done] = await server!.waitForExecutions(APPROVAL.id!, 1);
		expect(done.status).toBe('success');
		const accepted = sandbox.acceptedPushes[0].response;
		expect(output(done)).toEqual([
			{
				approved: true,
				number: '447700900123',
				msg_id: accepted.data[0].msg_id,
				push_id: accepted.push_id,
				responded_at: expect.any(String),
			},
		]);
		expect(JSON.stringify(done.run)).not.toContain(TOKEN);
	});

	test('Free Text: GET shows the form; the POSTed text finishes the run with { text }', async () => {
		const { execution, push } = await askAndWait(FREE_TEXT, {
			number: '+44 7700 900456',
			question: 'When can we call you?',
		});
		const link = lastLine(push.data[0].message);
		const page = await httpRequest(link);
		expect(page.status).toBe(200);
		expect(page.text).toContain('<textarea name="text"');
		await sleep(500);
		expect(await statusOf(execution.id)).toBe('waiting');

		expect((await httpRequest(link, form({ text: 'After 5 pm ☎' }))).status).toBe(200);
		const [done] = await server!.waitForExecutions(FREE_TEXT.id!, 1);
		expect(done.status).toBe('success');
		expect(output(done)).toEqual([
			expect.objectContaining({ text: 'After 5 pm ☎', number: '447700900456' }),
		]);
		expect(output(done)[0].msg_id).toBe(sandbox.acceptedPushes[0].response.data[0].msg_id);
	});

	test("Limit Wait Time: an answer past the limit is refused while the run still waits; n8n then goes on without an answer, the output is the input item (no approved, no text) and the README's If sends it to false; a POST to the link afterwards answers nothing", async () => {
		const { execution, push } = await askAndWait(TIMEOUT, {
			number: '+44 7700 900789',
			question: 'Still interested?',
		});
		const askedAt = Date.now();
		const link = lastLine(push.data[0].message);
		// Past the limit but before n8n's wait tracker looks again, the run still waits and n8n still serves the link:
		// the node itself refuses the late answer.
		await sleep(Math.max(0, askedAt + 4000 - Date.now()));
		const tooLate = await httpRequest(link, form({ answer: 'approve' }));
		expect({
			status: tooLate.status,
			closed: tooLate.text.includes('time to answer has passed'),
		}).toEqual({
			status: 410,
			closed: true,
		});
		// n8n's wait tracker looks for runs past their limit once a minute: the run goes on within about a minute.
		const [done] = await server!.waitForExecutions(TIMEOUT.id!, 1, { timeoutMs: 90_000 });
		const resumedAfterMs = Date.now() - askedAt;
		console.log(
			`[e2e wait] line ${line.line}: a 3 s limit ended the wait ${resumedAfterMs} ms after the question`,
		);
		expect(resumedAfterMs).toBeGreaterThanOrEqual(3000); // not before the limit
		expect(done.id).toBe(execution.id);
		expect(done.status).toBe('success');
		const input = itemsOf(done, 'Question in');
		expect(input).toEqual([
			expect.objectContaining({ body: expect.objectContaining({ question: 'Still interested?' }) }),
		]);
		expect(output(done)).toEqual(input);
		expect(output(done)[0]).not.toHaveProperty('approved');
		expect(output(done)[0]).not.toHaveProperty('text');
		const routed = [itemsOf(done, 'Answered?', 0), itemsOf(done, 'Answered?', 1)];
		expect(routed).toEqual([[], input]);

		// The signed link after the run went on: n8n itself answers it; no second resume, nothing changes.
		const late = await httpRequest(link, form({ answer: 'approve' }));
		expect({ status: late.status, title: /<title>([^<]*)<\/title>/.exec(late.text)?.[1] }).toEqual({
			status: 200,
			title: 'No action required',
		});
		await sleep(1500);
		const after = await server!.executions(TIMEOUT.id!);
		expect(after.map((e) => [e.id, e.status])).toEqual([[execution.id, 'success']]);
		const again = await server!.execution(execution.id);
		expect(output(again)).toEqual(input);
		expect(again.run.data.resultData.runData.Ask).toHaveLength(1);
		expect(sandbox.pushes()).toHaveLength(1);
	});
}
