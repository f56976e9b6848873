/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * Pacing per Picky Assist account in a RUNNING n8n (`n8n start`, one process for every execution, as a real
 * instance runs): Loop Over Items runs the node once per row, and executions started at the same time run side by
 * side — every one of those node runs must share the account's window. The sandbox plays Picky Assist's account
 * limit: pushes over it are answered exactly like accepted ones and dropped, so only `droppedCount` shows a
 * pacing that failed. A stopped execution must end its wait at once and send nothing more.
 *
 *   POST /webhook/e2e-pacing-loop       ──> [Webhook → Split Out → Loop Over Items (1) ⇄ Picky Assist (pacing 90)]
 *   POST /webhook/e2e-pacing-low-limit  ──> [Webhook → Split Out → Loop Over Items (1) ⇄ Picky Assist (pacing 5)]
 *
 * Each workflow has its own credential and token, so the two tests do not share a window (the node's or the
 * sandbox's). The node's window is Picky Assist's minute, so the loop over 150 rows takes a little over a minute.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { LineInfo, WorkflowJson, runCli, type RunItem } from '../tooling/n8n-cli';
import { N8nServer, httpRequest } from '../tooling/n8n-server';
import { describeEachLine, e2eState, type LineState } from './lines';
import * as setup from './setup';

const state = e2eState();

const { workflows, workflow: wf } = setup.suiteWorkflows((file) => file.startsWith('e2e-pacing-'));
const LOOP = wf('e2e-pacing-loop.json');
const LOW_LIMIT = wf('e2e-pacing-low-limit.json');
const webhookPath = (w: WorkflowJson) =>
	String(w.nodes.find((nd) => nd.type === 'n8n-nodes-base.webhook')?.parameters?.path);
const credentialIdOf = (w: WorkflowJson): string => {
	const node = w.nodes.find((nd) => nd.type === 'n8n-nodes-pickyassist.pickyAssist');
	const id = node?.credentials?.pickyAssistApi?.id;
	if (!id) throw new Error(`${w.name}: the Picky Assist node has no credential`);
	return id;
};
/** One token per credential: each test has its own account. */
const TOKENS: Record<string, string> = {
	[credentialIdOf(LOOP)]: 'e2ePaceLoopTok-4Qw8-SECRET',
	[credentialIdOf(LOW_LIMIT)]: 'e2ePaceLowTok-7Zr2-SECRET',
};
const tokenOf = (w: WorkflowJson) => TOKENS[credentialIdOf(w)];

const rowsOf = (count: number, offset: number) =>
	Array.from({ length: count }, (_, i) => ({
		number: `+44 7700 ${900000 + offset + i}`,
		message: `Pacing row ${offset + i}`,
	}));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WAIT_LINE = /Picky Assist: \d+ requests went out with this account in the last 60 seconds/g;
const CANCEL_LINE =
	/Picky Assist: the execution was cancelled, so the node stopped sending\. (.*)/g;

describeEachLine(
	state,
	(line) => `Pacing per account in running n8n ${line.n8nVersion}`,
	pacingSuite,
);

function pacingSuite(line: LineInfo, st: LineState): void {
	let sandbox: Sandbox;
	let userFolder: string;
	let server: N8nServer | undefined;

	const pushesOf = (w: WorkflowJson) => sandbox.pushes().filter((p) => p.body.token === tokenOf(w));
	const start = async (w: WorkflowJson, rows: Array<{ number: string; message: string }>) => {
		const r = await httpRequest(server!.webhookUrl(webhookPath(w)), { body: { rows } });
		expect(r.status).toBe(200);
	};
	const running = async (w: WorkflowJson) =>
		(await server!.executions(w.id!)).filter((e) => ['new', 'running'].includes(e.status));

	beforeAll(
		async () => {
			setup.requireInstalled(line, st);
			sandbox = await startSandbox({ tokens: Object.values(TOKENS) });
			let env: NodeJS.ProcessEnv;
			({ userFolder, env } = await setup.freshUserFolder(line, state, 'pacing', { running: true }));
			await setup.importWithPickyCredentials(
				(args) => runCli(line, env, args),
				workflows,
				(id) => ({ apiToken: TOKENS[id], customUrl: sandbox.baseUrl() }),
			);
			server = await setup.startN8n(line, env);
			await setup.activateAll(server, workflows);
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await setup.stopN8n(server);
		await sandbox?.close();
		setup.removeUserFolder(userFolder);
	}, 60_000);

	test('Loop Over Items (batch size 1) over 150 rows with the default pacing: every row accepted and 0 of 150 pushes dropped by the account limit (90 a minute); the wait is logged once, not per push', async () => {
		sandbox.configure({ pushLimit: { pushes: 90, windowMs: 60_000 } });
		const logFrom = server!.logLength;
		const startedAt = Date.now();
		await start(LOOP, rowsOf(150, 0));
		const [execution] = await server!.waitForExecutions(LOOP.id!, 1, {
			timeoutMs: 150_000,
			settleMs: 0,
		});
		expect(execution.status).toBe('success');
		const runs = execution.run.data.resultData.runData['Picky Assist'] ?? [];
		const states = runs.flatMap((r) =>
			(r.data?.main?.[0] ?? []).map((i: RunItem) => String(i.json.state)),
		);
		expect(states).toEqual(Array.from({ length: 150 }, () => 'accepted'));

		const pushes = pushesOf(LOOP);
		expect(pushes).toHaveLength(150);
		expect(sandbox.droppedCount(tokenOf(LOOP))).toBe(0);
		// The 91st push waited for the first to leave the account's minute.
		expect(pushes[90].receivedAt - pushes[0].receivedAt).toBeGreaterThanOrEqual(60_000);
		const log = server!.logs(logFrom);
		expect(log.match(WAIT_LINE)).toHaveLength(1);
		console.log(
			`[e2e pacing] line ${line.line}: 150 rows in ${Date.now() - startedAt} ms, 0 dropped`,
		);
	}, 200_000);

	test('two executions at once in one n8n process stay within Max Pushes per Minute (5) together; stopping them while they wait ends them at once, sends nothing more and logs the rows not sent', async () => {
		sandbox.configure({ pushLimit: { pushes: 5, windowMs: 60_000 } });
		const logFrom = server!.logLength;
		await Promise.all([start(LOW_LIMIT, rowsOf(6, 200)), start(LOW_LIMIT, rowsOf(6, 300))]);
		// Both run; the account's five go out, then both wait for the minute to pass.
		const deadline = Date.now() + 30_000;
		while (pushesOf(LOW_LIMIT).length < 5 && Date.now() < deadline) await sleep(100);
		await sleep(2000);
		expect(pushesOf(LOW_LIMIT)).toHaveLength(5);
		expect(sandbox.droppedCount(tokenOf(LOW_LIMIT))).toBe(0);
		const waiting = await running(LOW_LIMIT);
		expect(waiting).toHaveLength(2);

		const stoppedAt = Date.now();
		for (const e of waiting) await server!.rest('POST', `/executions/${e.id}/stop`);
		while ((await running(LOW_LIMIT)).length > 0 && Date.now() - stoppedAt < 30_000)
			await sleep(100);
		const stopMs = Date.now() - stoppedAt;
		expect(await running(LOW_LIMIT)).toEqual([]);
		expect(stopMs).toBeLessThan(10_000);
		const statuses = (await server!.executions(LOW_LIMIT.id!)).map((e) => e.status);
		expect(statuses).toEqual(['canceled', 'canceled']);

		// The node itself stopped: each run logged what it did not send, and no push came after the stop.
		const logDeadline = Date.now() + 5000;
		let cancelled: string[] = [];
		while (cancelled.length < 2 && Date.now() < logDeadline) {
			cancelled = [...server!.logs(logFrom).matchAll(CANCEL_LINE)].map((m) => m[1]);
			await sleep(100);
		}
		expect(cancelled).toHaveLength(2);
		for (const text of cancelled) expect(text).toMatch(/Not sent: item 0\./);
		await sleep(1500);
		expect(pushesOf(LOW_LIMIT)).toHaveLength(5);
		expect(sandbox.droppedCount(tokenOf(LOW_LIMIT))).toBe(0);
		console.log(`[e2e pacing] line ${line.line}: two waiting executions stopped in ${stopMs} ms`);
	}, 120_000);
}
