/* eslint-disable no-console, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * End-to-end: n8n's AI Agent uses the Picky Assist node as a tool, in real n8n 2.41.1 (line 2, Node 24), with the
 * packed package installed as a community package, the chat model played by a scripted OpenAI-compatible fake
 * (test/e2e/fakeOpenAi.ts) and Picky Assist by the sandbox — both on 127.0.0.1.
 *
 * The workflow (test/e2e/workflows/e2e-agent-tool.json):
 *
 *   Start (manualTrigger) ─main─> Chat input (set: chatInput) ─main─> AI Agent (@n8n/n8n-nodes-langchain.agent 3.1)
 *   OpenAI Chat Model (@n8n/n8n-nodes-langchain.lmChatOpenAi 1.3, Chat Completions) ─ai_languageModel─> AI Agent
 *   Send WhatsApp (n8n-nodes-pickyassist.pickyAssistTool 1)                          ─ai_tool─────────> AI Agent
 *
 * "Send WhatsApp" is the tool version n8n makes of a `usableAsTool` node (type name + "Tool"): Send Dynamic
 * Messages with Number = $fromAI("number") and Message = $fromAI("message"), Max Recipients 1 and Allowed Prefixes
 * 44,353. Its credential points at the sandbox; the OpenAI credential's Base URL at the fake model.
 *
 * How n8n 2.41.1 runs it (n8n-core's workflow-execute.js / requests-response.js): the agent answers the model's
 * tool call with an engine request, the engine runs the tool node as a node of its own with ONE input item
 * ({...the agent's input item, ...the tool call's arguments, toolCallId}), then resumes the agent with the node's
 * output — or, when the node throws, with `{ error: <the error's message> }` (a tool's error does not stop the
 * workflow unless its On Error is "Stop Workflow").
 *
 * One tool call is therefore always one row. Max Recipients counts every row the node sends in the execution,
 * all runs together: a second tool call past the cap sends nothing and the model gets the error. A number outside
 * Allowed Prefixes is refused the same way.
 *
 * The same tool under the Tools Agent 2.2 (e2e-agent-tool-v2.json, Minimum Balance set as well) runs differently:
 * the agent invokes the tool itself, in-process, and LangChain's executor turns any thrown error into an empty
 * result — so the node answers a refusal there as the tool's result — and several calls of one model turn run at
 * the same time, which is what the cap's reservation before the first await is for.
 *
 * Only line 2: n8n 1.123.81 has no AI Agent 3.1 (its newest is 3), so this workflow does not run there; it still
 * imports there (n8n.e2e.test.ts imports every test workflow into both lines).
 *
 * Run: `PICKY_E2E_LINES=2 npx jest test/e2e/agent -t "as an AI Agent tool"`. Skipped, with the reason, when line 2 is not installed.
 */
import { startSandbox, type Sandbox, type RecordedRequest } from '../sandbox';
import {
	CliResult,
	NodeRun,
	RunItem,
	RunJson,
	lineInfo,
	importCredentialsAndWorkflows,
	runCli,
} from '../tooling/n8n-cli';
import {
	contentText,
	startFakeOpenAi,
	toolResults,
	toolThenText,
	type FakeOpenAi,
	type FakeScript,
	type RecordedChatRequest,
} from './fakeOpenAi';
import { e2eState, type LineState } from './lines';
import * as setup from './setup';

const TOKEN = 'e2eAgentTok-R4m9Wq2Lx-SECRET';
const OPENAI_KEY = 'sk-e2e-fake-model-key-0001';
const AGENT = 'AI Agent';
const TOOL = 'Send WhatsApp';
/** What n8n names the tool for the model: the node's name with every run of other characters made "_". */
const TOOL_NAME = 'Send_WhatsApp';
const TOOL_TYPE = 'n8n-nodes-pickyassist.pickyAssistTool';

const state = e2eState();

const { workflows, workflow } = setup.suiteWorkflows((file) => file.startsWith('e2e-agent-'));
const AGENT_WF = workflow('e2e-agent-tool.json');
/** The same tool under the Tools Agent 2.2 (the agent runs its tools itself), with Minimum Balance set too. */
const AGENT_V2_WF = workflow('e2e-agent-tool-v2.json');

const line = lineInfo(2);
const st: LineState = state.lines['2'] ?? { status: 'not-requested' };
const TITLE = `Picky Assist as an AI Agent tool in n8n ${line.n8nVersion} (line 2)`;

if (st.status !== 'installed') {
	// not-requested (PICKY_E2E_LINES without 2), impossible (not linux-x64) or install-failed: nothing to run it on.
	const why = `n8n ${line.n8nVersion} is not available to this run (${st.status}: ${st.reason ?? 'no reason given'})`;
	console.log(`[e2e agent] SKIPPING ${TITLE}: ${why}`);
	describe.skip(`${TITLE} — skipped: ${why}`, () => {
		test('not run', () => undefined);
	});
} else {
	describe(TITLE, agentSuite);
}

/** The last run of a node (the agent is resumed after each tool call; a tool node runs once per call). */
function lastRun(run: RunJson, node: string): NodeRun {
	const runs = run.data.resultData.runData[node];
	if (!runs?.length)
		throw new Error(
			`node "${node}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
	return runs[runs.length - 1];
}
/** The items a run put out on a connection type: main for the agent, ai_tool for a tool node. */
function runItems(r: NodeRun, type: string): RunItem[] {
	return ((r.data as Record<string, Array<RunItem[] | null>> | undefined)?.[type]?.[0] ??
		[]) as RunItem[];
}

function agentSuite(): void {
	let sandbox: Sandbox;
	let fake: FakeOpenAi;
	let userFolder: string;
	let env: NodeJS.ProcessEnv;
	const timings: string[] = [];

	const cli = async (args: string[]): Promise<CliResult> => {
		const r = await runCli(line, env, args);
		timings.push(`${args[0]}${args[1]?.startsWith('--id') ? ` (${currentCase})` : ''}: ${r.ms} ms`);
		return r;
	};
	const explain = (r: CliResult): string =>
		`exit ${r.code} after ${r.ms} ms\n--- stdout (tail) ---\n${r.stdout.slice(-4000)}\n--- stderr (tail) ---\n${r.stderr.slice(-3000)}` +
		`\n--- fake model requests ---\n${JSON.stringify(
			fake.requests.map((q) => ({ seq: q.seq, path: q.path, error: q.error, answer: q.answer })),
			null,
			2,
		)}`;

	let currentCase = '';
	/** Resets the sandbox and the fake model, gives the model its script, runs the agent workflow once. */
	const runAgent = async (
		name: string,
		script: FakeScript,
		workflowId = AGENT_WF.id!,
	): Promise<{
		r: CliResult;
		run: RunJson;
		pushes: RecordedRequest[];
		chats: RecordedChatRequest[];
	}> => {
		currentCase = name;
		sandbox.reset();
		fake.reset();
		fake.setScript(script);
		const { r, run } = await setup.executeForRun(cli, workflowId, explain);
		const unanswered = fake.requests.filter((q) => q.error);
		if (unanswered.length) throw new Error(`the fake model refused requests: ${explain(r)}`);
		return { r, run, pushes: sandbox.pushes(), chats: fake.chats() };
	};

	/** The tool n8n offered the model, from a request's `tools`. */
	const offeredTool = (chat: RecordedChatRequest) => {
		const tools = chat.body?.tools ?? [];
		expect(tools.map((t) => t.function.name)).toEqual([TOOL_NAME]);
		return tools[0].function;
	};

	beforeAll(
		async () => {
			const started = Date.now();
			console.log(
				`[e2e agent] n8n ${line.n8nVersion} (${line.n8nBin}) on Node ${setup.nodeVersionOf(line)}`,
			);

			sandbox = await startSandbox({ tokens: [TOKEN] });
			fake = await startFakeOpenAi();
			({ userFolder, env } = await setup.freshUserFolder(line, state, 'agent'));
			// What the README (and n8n's docs) ask for before a community node may be an agent's tool. n8n 2.41.1
			// itself no longer reads it (the name occurs nowhere in the install) and runs the tool without it too.
			env.N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE = 'true';
			timings.push(
				`setup (sandbox, fake model, community package install): ${Date.now() - started} ms`,
			);

			// Credentials are written here, not kept as files: they hold the ports of this run and a token.
			const creds = [
				setup.pickyCredential(
					'e2eAgentPicky001',
					'Picky Assist sandbox (agent)',
					TOKEN,
					sandbox.baseUrl(),
				),
				{
					id: 'e2eAgentOpenAi01',
					name: 'OpenAI (e2e fake model)',
					type: 'openAiApi',
					data: { apiKey: OPENAI_KEY, organizationId: '', url: fake.baseUrl, header: false },
				},
			];
			// Every credential the agent workflows reference must be among them.
			for (const { wf } of workflows)
				for (const nd of wf.nodes)
					for (const ref of Object.values(nd.credentials ?? {}))
						if (!creds.some((c) => c.id === ref.id))
							throw new Error(`${wf.name}: credential ${ref.id} is not created by this test`);
			await importCredentialsAndWorkflows(
				cli,
				creds,
				workflows.map((w) => w.wf),
			);
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await sandbox?.close();
		await fake?.close();
		setup.removeUserFolder(userFolder, 'e2e agent');
		console.log(`[e2e agent] n8n CLI timings:\n  ${timings.join('\n  ')}`);
	});

	test('the workflow wires the community node as a tool: type …pickyAssistTool, ai_tool into the agent, $fromAI parameters', () => {
		const tool = AGENT_WF!.nodes.find((nd) => nd.name === TOOL)!;
		expect(tool.type).toBe(TOOL_TYPE);
		expect(tool.parameters).toMatchObject({
			resource: 'message',
			operation: 'sendDynamic',
			number: expect.stringContaining('$fromAI("number"'),
			message: expect.stringContaining('$fromAI("message"'),
			options: { maxRecipients: 1, allowedPrefixes: '44,353' },
		});
		expect(AGENT_WF!.connections[TOOL]).toEqual({
			ai_tool: [[{ node: AGENT, type: 'ai_tool', index: 0 }]],
		});
		expect(AGENT_WF!.connections['OpenAI Chat Model']).toEqual({
			ai_languageModel: [[{ node: AGENT, type: 'ai_languageModel', index: 0 }]],
		});
	});

	test('one allowed recipient: exactly one push with that number and message; the model gets the msg_id back', async () => {
		const number = '447700900123';
		const message = 'Hi Ana, order 1042 has shipped 📦 — track it at https://example.com/t/1042';
		const { r, run, pushes, chats } = await runAgent(
			'allowed recipient',
			toolThenText(
				[{ name: TOOL_NAME, arguments: { number, message } }],
				(results) => `Done. The tool said: ${contentText(results[0])}`,
			),
		);
		if (r.code !== 0) throw new Error(`the workflow failed: ${explain(r)}`);

		// The sandbox got exactly one push: that number, that message, the credential's token.
		expect(pushes).toHaveLength(1);
		expect(sandbox.requests.map((q) => q.endpoint)).toEqual(['push']);
		const body = pushes[0].body as {
			token: string;
			application: unknown;
			data: Array<Record<string, unknown>>;
		};
		expect(body.token).toBe(TOKEN);
		expect(String(body.application)).toBe('8');
		expect(body.data).toEqual([{ number, message }]);
		const accepted = sandbox.acceptedPushes[0].response as {
			push_id: string;
			data: Array<{ msg_id: string; number: string }>;
		};
		const msgId = accepted.data[0].msg_id;
		expect(msgId).toMatch(/^\d+$/);

		// The model was asked twice: the tool call, then the answer with the tool's result.
		expect(chats).toHaveLength(2);
		expect(chats.every((c) => c.authorization === `Bearer ${OPENAI_KEY}`)).toBe(true);
		const first = chats[0].body!;
		expect(
			first.messages.some(
				(m) => m.role === 'user' && contentText(m).includes('order 1042 has shipped'),
			),
		).toBe(true);
		const fn = offeredTool(chats[0]);
		expect(fn.description).toContain('Sends one WhatsApp message through Picky Assist');
		// The tool's arguments are exactly the node's $fromAI keys, both strings, both required.
		expect(fn.parameters).toMatchObject({
			type: 'object',
			properties: { number: { type: 'string' }, message: { type: 'string' } },
			required: expect.arrayContaining(['number', 'message']),
		});
		expect(Object.keys((fn.parameters as { properties: object }).properties).sort()).toEqual([
			'message',
			'number',
		]);

		const results = toolResults(chats[1].body!);
		expect(results).toHaveLength(1);
		expect(results[0].tool_call_id).toBe(chats[0].answer!.tool_calls![0].id);
		const resultText = contentText(results[0]);
		const resultItems = JSON.parse(resultText) as Array<Record<string, unknown>>;
		expect(resultItems).toHaveLength(1);
		expect(resultItems[0]).toMatchObject({
			state: 'accepted',
			msg_id: msgId,
			push_id: accepted.push_id,
			number,
		});
		expect(resultText).not.toContain(TOKEN);

		// The tool node ran once, with the call's arguments; the agent finished with the model's answer.
		const toolRun = lastRun(run, TOOL);
		expect(run.data.resultData.runData[TOOL]).toHaveLength(1);
		expect(toolRun.error).toBeUndefined();
		expect(runItems(toolRun, 'ai_tool')[0].json).toMatchObject({
			state: 'accepted',
			msg_id: msgId,
		});
		const output = String(runItems(lastRun(run, AGENT), 'main')[0]?.json.output);
		expect(output).toContain('Done. The tool said:');
		expect(output).toContain(msgId);
		console.log(
			`[e2e agent] allowed recipient: streaming requested by the model node: ${chats.map((c) => c.stream).join(', ')}; tool result: ${resultText}`,
		);
	});

	test("a number outside Allowed Prefixes: nothing reaches the sandbox; the model gets the node's error", async () => {
		// A tool call is one input item, so it can never carry more rows than Max Recipients (1): the way an agent
		// "asks for more than allowed" is a recipient the node is not allowed to message.
		const number = '5511987654321';
		const { r, run, pushes, chats } = await runAgent(
			'outside Allowed Prefixes',
			toolThenText(
				[{ name: TOOL_NAME, arguments: { number, message: 'Your order 1042 has shipped' } }],
				(results) => `I could not send it: ${contentText(results[0])}`,
			),
		);
		// The tool's error goes back to the model; the workflow itself succeeds with the model's answer.
		if (r.code !== 0) throw new Error(`the workflow failed: ${explain(r)}`);

		expect(pushes).toHaveLength(0);
		expect(sandbox.requests).toHaveLength(0); // not even a balance check

		expect(chats).toHaveLength(2);
		const results = toolResults(chats[1].body!);
		expect(results).toHaveLength(1);
		const resultText = contentText(results[0]);
		const parsed = JSON.parse(resultText) as unknown;
		const errorText = JSON.stringify(parsed);
		expect(errorText).toContain('error');
		expect(errorText).toContain(
			'In item 0, \\"Number\\" is outside the allowed prefixes (44, 353); nothing was sent',
		);

		const toolRun = lastRun(run, TOOL);
		expect(run.data.resultData.runData[TOOL]).toHaveLength(1);
		expect(toolRun.error?.message).toBe(
			'In item 0, "Number" is outside the allowed prefixes (44, 353); nothing was sent',
		);
		expect(String(toolRun.error?.description)).toContain('Nothing was sent');
		const output = String(runItems(lastRun(run, AGENT), 'main')[0]?.json.output);
		expect(output).toContain('outside the allowed prefixes');
		console.log(`[e2e agent] outside Allowed Prefixes: tool result the model got: ${resultText}`);
	});

	test('Max Recipients counts the whole execution: of two calls in one model turn, the second sends nothing', async () => {
		const calls = [
			{ name: TOOL_NAME, arguments: { number: '447700900001', message: 'Order 1042 has shipped' } },
			{ name: TOOL_NAME, arguments: { number: '353861234567', message: 'Order 1043 has shipped' } },
		];
		const { r, run, pushes, chats } = await runAgent(
			'two calls in one turn',
			toolThenText(calls, (results) => `Sent ${results.length}.`),
		);
		if (r.code !== 0) throw new Error(`the workflow failed: ${explain(r)}`);
		expect(pushes.map((p) => (p.body as { data: unknown[] }).data)).toEqual([
			[{ number: calls[0].arguments.number, message: calls[0].arguments.message }],
		]);
		expect(run.data.resultData.runData[TOOL]).toHaveLength(2);
		const results = toolResults(chats[chats.length - 1].body!).map((m) => contentText(m));
		expect((JSON.parse(results[0]) as Array<{ state: string }>)[0].state).toBe('accepted');
		expect(results[1]).toContain(
			'more than Max Recipients (1) allows (1 already sent by this node in this execution); nothing was sent',
		);
	});

	test('Agent 2.2, three calls in one model turn, Max Recipients 1 with Minimum Balance: one push; the other calls answer the model with the reason in words', async () => {
		const calls = ['447700900001', '447700900002', '353861234567'].map((number, i) => ({
			name: TOOL_NAME,
			arguments: { number, message: `Order ${1042 + i} has shipped` },
		}));
		const { r, chats, pushes } = await runAgent(
			'agent 2.2, three calls in one turn',
			toolThenText(calls, (results) => `Sent ${results.length}.`),
			AGENT_V2_WF!.id,
		);
		if (r.code !== 0) throw new Error(`the workflow failed: ${explain(r)}`);
		expect(pushes).toHaveLength(1);
		expect(sandbox.acceptedPushes.flatMap((p) => p.response.data)).toHaveLength(1);
		const results = toolResults(chats[chats.length - 1].body!).map((m) => contentText(m));
		expect(results).toHaveLength(3);
		const accepted = results.filter((text) => text.includes('"state":"accepted"'));
		const refused = results.filter((text) =>
			text.includes(
				'more than Max Recipients (1) allows (1 already sent by this node in this execution); nothing was sent',
			),
		);
		expect({ accepted: accepted.length, refused: refused.length, results }).toMatchObject({
			accepted: 1,
			refused: 2,
		});
		console.log(
			`[e2e agent] agent 2.2, three calls: tool results the model got: ${JSON.stringify(results)}`,
		);
	});
}
