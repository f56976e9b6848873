/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * End-to-end: the packed package installed as a community package into real n8n instances,
 * workflows imported and executed with the n8n CLI, every Picky Assist call answered by the
 * local sandbox on 127.0.0.1. Runs once per n8n line:
 *   line 1: n8n 1.123.81 on the system Node 20 (legacy expression engine, no task runners)
 *   line 2: n8n 2.41.1 on Node 24.21.0 (from the cache)
 * The installs, the build and `npm pack` happen in global-setup.js.
 */
import * as fs from 'fs';
import * as path from 'path';
import { startSandbox, type Sandbox, type RecordedRequest } from '../sandbox';
import { describeEachLine, e2eState, type LineState } from './lines';
import {
	CliResult,
	LineInfo,
	PACKAGE_NAME,
	REPO_ROOT,
	RunItem,
	RunJson,
	WorkflowJson,
	credentialRefs,
	explainCli,
	nodeItems,
	pairedIndex,
	parseRunJson,
	readWorkflows,
	resolveFromPackage,
	runCli,
} from '../tooling/n8n-cli';
import * as setup from './setup';

const TOKEN = 'e2eTok-7Hq2Zp9WxY4v-SECRET';
const WRONG_TOKEN = 'e2eTok-WRONG-k3Jd8sLq';
const NODE_TYPE = `${PACKAGE_NAME}.pickyAssist`;
const TRIGGER_TYPE = `${PACKAGE_NAME}.pickyAssistTrigger`;
const WAIT_TYPE = 'n8n-nodes-base.wait';

const state = e2eState();

const examples = readWorkflows(path.join(REPO_ROOT, 'examples'));
const { workflows: testWorkflows, workflow } = setup.suiteWorkflows(() => true);
const wfId = (name: string): string => workflow(name).id!;

const ID_RE = /^[A-Za-z0-9]{16}$/;

/** Trigger workflows wait for Picky Assist's webhooks: `n8n execute` cannot start them (they are checked on import). */
const isTriggerWorkflow = (wf: WorkflowJson): boolean =>
	wf.nodes.some((nd) => nd.type === TRIGGER_TYPE);
/** The Picky Assist nodes of a workflow doing the given operation (Send Dynamic Messages is the default). */
const pickyNodesDoing = (wf: WorkflowJson, operation: string): string[] =>
	wf.nodes
		.filter(
			(nd) => nd.type === NODE_TYPE && (nd.parameters?.operation ?? 'sendDynamic') === operation,
		)
		.map((nd) => nd.name);

/**
 * A copy of an example whose Wait nodes wait 1 second instead of their minute(s): the example itself
 * (Send → Wait 1 minute → Get Delivery Report) would spend a minute per line doing nothing, and the sandbox
 * has the report ready at once. The unchanged example is imported too, and checked on import.
 * Returns undefined when the example has no Wait node.
 */
function withShortWaits(wf: WorkflowJson): WorkflowJson | undefined {
	if (!wf.nodes.some((nd) => nd.type === WAIT_TYPE)) return undefined;
	const copy = JSON.parse(JSON.stringify(wf)) as WorkflowJson;
	for (const nd of copy.nodes)
		if (nd.type === WAIT_TYPE)
			nd.parameters = { ...nd.parameters, resume: 'timeInterval', amount: 1, unit: 'seconds' };
	// Same id but for "Wt1s" before its last character (e.g. PickyAssistExmp2 → PickyAssistWt1s2), so copies stay distinct.
	copy.id = `${String(wf.id).slice(0, 11)}Wt1s${String(wf.id).slice(-1)}`;
	if (!ID_RE.test(copy.id))
		throw new Error(
			`cannot derive a 16-character id for the short-Wait copy of "${wf.name}" from ${wf.id}`,
		);
	copy.name = `${wf.name} (e2e copy: Wait 1 second)`;
	return copy;
}

const tested: string[] = [];

afterAll(() => {
	console.log(`[e2e] n8n versions tested: ${tested.length ? tested.join('; ') : 'none'}`);
});

test('the packed tarball holds only the built package, its README, LICENSE and package.json', () => {
	expect(state.packedFiles).toEqual(
		expect.arrayContaining([
			'package.json',
			'README.md',
			'LICENSE',
			'dist/credentials/PickyAssistApi.credentials.js',
			'dist/nodes/PickyAssist/PickyAssist.node.js',
			'dist/nodes/PickyAssist/PickyAssistTrigger.node.js',
			// carries the licences of the numbering-plan data in its header
			'dist/nodes/PickyAssist/helpers/numberingPlans.generated.js',
		]),
	);
	for (const f of state.packedFiles)
		expect(f).toMatch(/^(package\.json|README\.md|LICENSE|dist\/.*)$/);
	expect(examples.length).toBeGreaterThan(0);
});

describeEachLine(state, (line) => `n8n ${line.n8nVersion}`, lineSuite);

function lineSuite(line: LineInfo, st: LineState): void {
	let sandbox: Sandbox;
	let userFolder: string;
	let env: NodeJS.ProcessEnv;
	const outputs: CliResult[] = [];
	const exampleIds = new Map<string, string>();
	/** example file → the id of its copy with shortened Wait nodes (see withShortWaits). */
	const shortCopyIds = new Map<string, string>();

	const cli = async (args: string[]): Promise<CliResult> => {
		const r = await runCli(line, env, args);
		outputs.push(r);
		return r;
	};

	/** Resets the sandbox, optionally arms a fault, runs one workflow. */
	const execute = async (
		id: string,
		arm?: () => void,
	): Promise<{ r: CliResult; run: RunJson | undefined; pushes: RecordedRequest[] }> => {
		sandbox.reset();
		arm?.();
		const r = await cli(['execute', `--id=${id}`, '--rawOutput']);
		return { r, run: parseRunJson(r.stdout), pushes: sandbox.pushes() };
	};

	const explain = explainCli;

	const mustRun = (r: CliResult, run: RunJson | undefined): RunJson => {
		if (!run) throw new Error(`no run JSON from n8n execute: ${explain(r)}`);
		return run;
	};

	beforeAll(
		async () => {
			setup.requireInstalled(line, st);
			const nodeVersion = setup.nodeVersionOf(line);
			tested.push(`n8n ${line.n8nVersion} on Node ${nodeVersion}`);

			console.log(
				`[e2e] line ${line.line}: n8n ${line.n8nVersion} (${line.n8nBin}) on Node ${nodeVersion} (${line.nodeBinary})`,
			);

			sandbox = await startSandbox({ tokens: [TOKEN] });
			({ userFolder, env } = await setup.freshUserFolder(line, state, 'cli'));

			// Credentials: every pickyAssistApi credential the workflows reference, all pointing at the sandbox.
			const refs = credentialRefs([...examples, ...testWorkflows].map((w) => w.wf));
			if (!refs.size) throw new Error('no workflow references a pickyAssistApi credential');
			const creds = setup.pickyCredentials(refs, (_id, name) => ({
				apiToken: /wrong token/i.test(name) ? WRONG_TOKEN : TOKEN,
				customUrl: sandbox.baseUrl(),
			}));
			const credFile = path.join(userFolder, 'e2e-credentials.json');
			fs.writeFileSync(credFile, JSON.stringify(creds, null, 2));
			const ic = await cli(['import:credentials', `--input=${credFile}`]);
			if (ic.code !== 0) throw new Error(`import:credentials failed: ${explain(ic)}`);
			fs.rmSync(credFile); // holds the token in clear text

			// Workflows: the example files unchanged plus the test workflows, imported in one call.
			const wfDir = path.join(userFolder, 'e2e-workflows');
			fs.mkdirSync(wfDir);
			for (const { file, wf } of examples) {
				fs.copyFileSync(file, path.join(wfDir, `example-${path.basename(file)}`));
				const short = withShortWaits(wf);
				if (short?.id) {
					if ([...shortCopyIds.values()].includes(short.id))
						throw new Error(`two short-Wait copies would share the id ${short.id}`);
					fs.writeFileSync(
						path.join(wfDir, `example-short-${path.basename(file)}`),
						JSON.stringify(short, null, 2),
					);
					shortCopyIds.set(file, short.id);
				}
			}
			for (const { file } of testWorkflows)
				fs.copyFileSync(file, path.join(wfDir, `test-${path.basename(file)}`));
			const iw = await cli(['import:workflow', '--separate', `--input=${wfDir}`]);
			if (iw.code !== 0) throw new Error(`import:workflow failed: ${explain(iw)}`);

			for (const { file, wf } of examples) {
				if (wf.id && ID_RE.test(wf.id)) exampleIds.set(file, wf.id);
			}
			if (exampleIds.size < examples.length) {
				// An example without a usable id got a generated one on import: look it up by name.
				const lw = await cli(['list:workflow']);
				const byName = new Map<string, string>();
				for (const l of lw.stdout.split('\n')) {
					const m = /^([A-Za-z0-9]{16})\|(.*)$/.exec(l.trim());
					if (m) byName.set(m[2], m[1]);
				}
				for (const { file, wf } of examples)
					if (!exampleIds.has(file) && byName.has(wf.name))
						exampleIds.set(file, byName.get(wf.name)!);
			}
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await sandbox?.close();
		setup.removeUserFolder(userFolder, 'e2e');
	});

	test("is installed the way n8n installs a community package; no runtime dependencies; n8n-workflow is n8n's own", () => {
		const pkgDir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
		const pj = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
		expect(pj.name).toBe(PACKAGE_NAME);
		expect(Object.keys(pj.dependencies ?? {})).toEqual([]);
		expect(pj.n8n.nodes).toEqual([
			'dist/nodes/PickyAssist/PickyAssist.node.js',
			'dist/nodes/PickyAssist/PickyAssistTrigger.node.js',
		]);
		for (const f of [...pj.n8n.nodes, ...pj.n8n.credentials])
			expect(fs.existsSync(path.join(pkgDir, f))).toBe(true);
		// `npm install` inside the package installed nothing, and no n8n-workflow copy sits next to it.
		const inner = path.join(pkgDir, 'node_modules');
		expect(
			fs.existsSync(inner) ? fs.readdirSync(inner).filter((f) => !f.startsWith('.')) : [],
		).toEqual([]);
		expect(
			fs.existsSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-workflow')),
		).toBe(false);
		// The emulation above mirrors this n8n's own installer: make sure it still installs that way.
		const installer = fs.readFileSync(
			path.join(
				line.dir,
				'node_modules',
				'n8n',
				'dist',
				'modules',
				'community-packages',
				'community-packages.service.js',
			),
			'utf8',
		);
		expect(installer).toMatch(/devDependencies,\s*peerDependencies,\s*optionalDependencies/);
		for (const flag of [
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		])
			expect(installer).toContain(`'${flag}'`);
		const wfPath = resolveFromPackage(line, pkgDir, 'n8n-workflow');
		expect(wfPath.startsWith(path.join(line.dir, 'node_modules') + path.sep)).toBe(true);
	});

	test('happy path: one push with the token, application, numbers and messages; one output item per msg_id, paired', async () => {
		const { r, run: maybe, pushes } = await execute(wfId('e2e-happy-path.json'));
		const run = mustRun(r, maybe);
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});

		expect(pushes).toHaveLength(1);
		const req = pushes[0];
		expect(req.method).toBe('POST');
		expect(req.apiHost).toBe('v4');
		expect(req.body.token).toBe(TOKEN);
		expect(String(req.body.application)).toBe('8');
		expect(String(req.body.priority)).toBe('1');
		expect(req.body.globalmedia).toBe('https://example.com/bill.jpg');
		expect(req.body.globalmessage ?? '').toBe('');
		expect(req.body.data).toEqual([
			expect.objectContaining({ number: '5511987654321', message: 'Hi Ana, your bill is 12.40' }),
			expect.objectContaining({ number: '919876543210', message: 'Hi Raj, your bill is 8.00' }),
			expect.objectContaining({ number: '14155550123', message: 'Hi Lee, your bill is 3.10' }),
		]);
		expect(req.headers.authorization).toBeUndefined();

		expect(sandbox.acceptedPushes).toHaveLength(1);
		const answer = sandbox.acceptedPushes[0].response;
		const items = nodeItems(run, 'Picky Assist');
		expect(items).toHaveLength(3);
		items.forEach((item, i) => {
			expect(pairedIndex(item)).toBe(i);
			expect(item.json).toEqual(
				expect.objectContaining({
					msg_id: answer.data[i].msg_id,
					number: req.body.data[i].number,
					credit: answer.data[i].credit,
					push_id: answer.push_id,
				}),
			);
			expect(item.json.error).toBeUndefined();
		});
		expect(new Set(items.map((i) => i.json.msg_id)).size).toBe(3);
	});

	test('batching: 250 rows with batchSize 100 are exactly 3 pushes (100, 100, 50), 250 paired output items', async () => {
		const { r, run: maybe, pushes } = await execute(wfId('e2e-batching.json'));
		const run = mustRun(r, maybe);
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});

		expect(pushes.map((p) => p.body.data.length)).toEqual([100, 100, 50]);
		const sent = pushes.flatMap((p) => p.body.data as Array<{ number: string; message: string }>);
		const expected = Array.from({ length: 250 }, (_, i) => ({
			number: `5511${900000000 + i}`,
			message: `Row ${i} of 250`,
		}));
		expect(sent.map((d) => ({ number: d.number, message: d.message }))).toEqual(expected);
		for (const p of pushes) expect(p.body.token).toBe(TOKEN);

		const byNumber = new Map<string, { msg_id: string; push_id: string }>();
		for (const a of sandbox.acceptedPushes)
			for (const d of a.response.data)
				byNumber.set(d.number, { msg_id: d.msg_id, push_id: a.push_id });
		const items = nodeItems(run, 'Picky Assist');
		expect(items).toHaveLength(250);
		items.forEach((item, i) => {
			expect(pairedIndex(item)).toBe(i);
			expect(item.json.number).toBe(expected[i].number);
			expect(item.json).toEqual(expect.objectContaining(byNumber.get(expected[i].number)!));
		});
		expect(new Set(items.map((i) => i.json.msg_id)).size).toBe(250);
		expect(new Set(items.map((i) => i.json.push_id)).size).toBe(3);
	});

	test('an invalid row without continue-on-fail fails the execution before anything is sent', async () => {
		const { r, run: maybe, pushes } = await execute(wfId('e2e-invalid-row-stops.json'));
		const run = mustRun(r, maybe);
		expect(r.code).not.toBe(0);
		expect(r.stdout + r.stderr).toMatch(/Execution was NOT successful/);
		const err = run.data.resultData.error;
		expect(err).toBeDefined();
		const text = `${err?.message ?? ''} ${err?.description ?? ''}`;
		expect(text).toMatch(/number/i); // names the field
		expect(text).toMatch(/\bitem 1\b|\brow 2\b/i); // and the item (index 1, the second row)
		expect(err?.node?.name).toBe('Picky Assist');
		expect(pushes).toHaveLength(0);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('invalid rows with continue-on-fail: error items for them, the valid rows are still sent (regular and error output)', async () => {
		const { r, run: maybe, pushes } = await execute(wfId('e2e-invalid-row-continue.json'));
		const run = mustRun(r, maybe);
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});

		// Both nodes sent only the two valid rows.
		expect(pushes).toHaveLength(2);
		for (const p of pushes) {
			expect(p.body.token).toBe(TOKEN);
			expect((p.body.data as Array<{ number: string }>).map((d) => d.number)).toEqual([
				'5511987654321',
				'919876543210',
			]);
		}
		expect(pushes.map((p) => String(p.body.application)).sort()).toEqual(['101', '8']);

		// Per output: which input row each item pairs to, and whether it is a sent message or an error.
		const summary = (items: RunItem[]) =>
			items
				.map((i) => ({
					row: pairedIndex(i),
					sent: typeof i.json.msg_id === 'string',
					error: i.json.error !== undefined,
				}))
				.sort((x, y) => (x.row ?? -1) - (y.row ?? -1));
		const sent = (row: number) => ({ row, sent: true, error: false });
		const failed = (row: number) => ({ row, sent: false, error: true });

		// onError: continueRegularOutput → everything on output 0, in any order.
		expect({
			'Continue Regular, output 0': summary(nodeItems(run, 'Continue Regular', 0)),
		}).toEqual({
			'Continue Regular, output 0': [sent(0), failed(1), sent(2), failed(3)],
		});
		// onError: continueErrorOutput → successes on output 0, the invalid rows on the error output (1).
		// n8n decides that itself (WorkflowExecute.handleNodeErrorOutput): an item goes to the error output when
		// `item.error` is set, or when its json keys are only `error` (+ `message`) — 2.x also allows `details`,
		// 1.123.81 does not.
		expect({
			'Continue Error Output, output 0': summary(nodeItems(run, 'Continue Error Output', 0)),
			'Continue Error Output, output 1 (error)': summary(
				nodeItems(run, 'Continue Error Output', 1),
			),
		}).toEqual({
			'Continue Error Output, output 0': [sent(0), sent(2)],
			'Continue Error Output, output 1 (error)': [failed(1), failed(3)],
		});

		// The error items say what is wrong with which field.
		for (const name of ['Continue Regular', 'Continue Error Output']) {
			const items = [
				...nodeItems(run, name, 0),
				...(name === 'Continue Regular' ? [] : nodeItems(run, name, 1)),
			];
			const errorOf = (row: number) =>
				JSON.stringify(
					items.find((i) => pairedIndex(i) === row && i.json.error !== undefined)?.json.error,
				);
			expect(errorOf(1)).toMatch(/number/i);
			expect(errorOf(3)).toMatch(/message/i);
		}
	});

	test("a Picky Assist API error (HTTP 200, {status: 401}) fails the execution with Picky Assist's message", async () => {
		const {
			r,
			run: maybe,
			pushes,
		} = await execute(wfId('e2e-happy-path.json'), () =>
			sandbox.setFault({ kind: 'status', status: 401 }),
		);
		const run = mustRun(r, maybe);
		expect(r.code).not.toBe(0);
		const err = run.data.resultData.error;
		expect(`${err?.message ?? ''} ${err?.description ?? ''}`).toMatch(/Authentication Failed/);
		expect(err?.node?.name).toBe('Picky Assist');
		expect(pushes).toHaveLength(1);
		expect(sandbox.acceptedPushes).toHaveLength(0);
		const runs = run.data.resultData.runData['Picky Assist'];
		expect(runs?.[0]?.data).toBeUndefined();
	});

	test("a wrong token with continue-on-fail gives error items carrying Picky Assist's message, nothing accepted", async () => {
		const { r, run: maybe, pushes } = await execute(wfId('e2e-wrong-token-continue.json'));
		const run = mustRun(r, maybe);
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});
		expect(pushes).toHaveLength(1);
		expect(pushes[0].body.token).toBe(WRONG_TOKEN);
		expect(sandbox.acceptedPushes).toHaveLength(0);
		const items = nodeItems(run, 'Picky Assist');
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) {
			expect(item.json.msg_id).toBeUndefined();
			expect(JSON.stringify(item.json.error)).toMatch(/Authentication Failed/);
		}
		const all = r.stdout + r.stderr + JSON.stringify(run);
		expect(all).not.toContain(WRONG_TOKEN);
	});

	// What n8n's own request helper does with HTTP errors differs between lines; the node must classify them the
	// same way in both: a 5xx or a dropped connection is "unknown" and never resent, a 429 is retried.
	test.each([
		['HTTP 500', { kind: 'http500' } as const],
		['a connection dropped after the push was accepted', { kind: 'reset' } as const],
	])('%s: every row is reported unknown, the push is not resent', async (_name, fault) => {
		const {
			r,
			run: maybe,
			pushes,
		} = await execute(wfId('e2e-faults-continue.json'), () => sandbox.addFault(fault));
		const run = mustRun(r, maybe);
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});
		expect(pushes).toHaveLength(1);
		const items = nodeItems(run, 'Picky Assist');
		expect(items.map((i) => pairedIndex(i))).toEqual([0, 1, 2]);
		for (const item of items) {
			const error = item.json.error as { state?: string; message?: string };
			expect(error.state).toBe('unknown');
			expect(error.message).toMatch(/may or may not have been queued/);
		}
		expect(r.stdout + r.stderr).not.toContain(TOKEN);
	});

	test('HTTP 429 with Retry-After is retried and then accepted', async () => {
		const {
			r,
			run: maybe,
			pushes,
		} = await execute(wfId('e2e-faults-continue.json'), () =>
			sandbox.addFault({ kind: 'http429', retryAfter: 1 }),
		);
		const run = mustRun(r, maybe);
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});
		expect(pushes).toHaveLength(2);
		expect(pushes[1].receivedAt - pushes[0].receivedAt).toBeGreaterThanOrEqual(1000);
		expect(sandbox.acceptedPushes).toHaveLength(1);
		const items = nodeItems(run, 'Picky Assist');
		expect(items.map((i) => i.json.state)).toEqual(['accepted', 'accepted', 'accepted']);
	});

	/**
	 * What this n8n stored on import (`export:workflow --all`) and which node types it loads
	 * (`export:nodes`: n8n's own loader requires every node file of the installed package and
	 * lists its description). Two CLI calls per line, made once, on first use.
	 */
	let exportedOnce: Promise<{ workflows: WorkflowJson[]; nodeTypes: LoadedNodeType[] }> | undefined;
	const exported = () =>
		(exportedOnce ??= (async () => {
			const dir = path.join(userFolder, 'e2e-export');
			fs.mkdirSync(dir, { recursive: true });
			const wfFile = path.join(dir, 'workflows.json');
			const ew = await cli(['export:workflow', '--all', `--output=${wfFile}`]);
			if (ew.code !== 0 || !fs.existsSync(wfFile))
				throw new Error(`export:workflow failed: ${explain(ew)}`);
			const nodesFile = path.join(dir, 'nodes.json');
			const en = await cli(['export:nodes', `--output=${nodesFile}`]);
			if (en.code !== 0 || !fs.existsSync(nodesFile))
				throw new Error(`export:nodes failed: ${explain(en)}`);
			return {
				workflows: JSON.parse(fs.readFileSync(wfFile, 'utf8')) as WorkflowJson[],
				nodeTypes: JSON.parse(fs.readFileSync(nodesFile, 'utf8')) as LoadedNodeType[],
			};
		})());

	describe('example workflows from examples/: imported unchanged; run unless they start from a trigger', () => {
		if (!examples.length) {
			test('examples/ holds at least one workflow', () => {
				throw new Error(`no *.json in ${path.join(REPO_ROOT, 'examples')}`);
			});
			return;
		}
		const triggered = examples.filter((e) => isTriggerWorkflow(e.wf));
		const runnable = examples.filter((e) => !isTriggerWorkflow(e.wf));

		if (triggered.length)
			test.each(triggered.map((e) => [path.basename(e.file), e] as const))(
				'%s (starts from the Picky Assist Trigger): imported as is, and this n8n loads every node type it uses',
				async (_name, { file, wf }) => {
					const id = exampleIds.get(file);
					if (!id)
						throw new Error(`could not find the imported id of ${file} (workflow "${wf.name}")`);
					const { workflows, nodeTypes } = await exported();

					// Stored under its id and name, with every node of the file, types and versions unchanged.
					const stored = workflows.find((w) => w.id === id);
					expect({ id: stored?.id, name: stored?.name }).toEqual({ id, name: wf.name });
					const shape = (w: WorkflowJson) =>
						w.nodes
							.map((nd) => ({ name: nd.name, type: nd.type, typeVersion: nd.typeVersion }))
							.sort((a, b) => a.name.localeCompare(b.name));
					expect(shape(stored!)).toEqual(shape(wf));

					// Every node type the example uses is one this n8n loaded, in that version (a versioned node such as
					// Google Sheets is listed once per group of versions).
					const loaded = (type: string, version: number | undefined) =>
						nodeTypes.find((t) => t.name === type && [t.version].flat().includes(version ?? 1));
					for (const nd of wf.nodes)
						expect({
							node: nd.name,
							type: nd.type,
							version: nd.typeVersion,
							loaded: loaded(nd.type, nd.typeVersion) !== undefined,
						}).toEqual({
							node: nd.name,
							type: nd.type,
							version: nd.typeVersion,
							loaded: true,
						});

					// The trigger is loaded as a webhook trigger, and the example's settings are values it offers.
					const triggerNodes = wf.nodes.filter((nd) => nd.type === TRIGGER_TYPE);
					expect(triggerNodes).toHaveLength(1);
					const trigger = loaded(TRIGGER_TYPE, triggerNodes[0].typeVersion)!;
					expect(trigger).toMatchObject({
						group: ['trigger'],
						inputs: [],
						webhooks: [expect.objectContaining({ httpMethod: 'POST' })],
					});
					for (const [key, value] of Object.entries(triggerNodes[0].parameters ?? {})) {
						const props = trigger.properties.filter((p) => p.name === key);
						expect({ parameter: key, known: props.length > 0 }).toEqual({
							parameter: key,
							known: true,
						});
						const offered = props.flatMap((p) =>
							p.type === 'options' || p.type === 'multiOptions'
								? (p.options ?? []).map((o) => o.value)
								: p.type === 'collection'
									? (p.options ?? []).map((o) => o.name)
									: [],
						);
						const given =
							props[0].type === 'collection' ? Object.keys(value as object) : [value].flat();
						if (offered.length)
							for (const v of given)
								expect({
									parameter: key,
									value: v,
									offered: offered.includes(v as string),
								}).toEqual({ parameter: key, value: v, offered: true });
					}
				},
			);

		test.each(runnable.map((e) => [path.basename(e.file), e] as const))(
			'%s runs',
			async (_name, { file, wf }) => {
				const id = exampleIds.get(file);
				if (!id)
					throw new Error(`could not find the imported id of ${file} (workflow "${wf.name}")`);
				const sendNodes = pickyNodesDoing(wf, 'sendDynamic');
				const reportNodes = pickyNodesDoing(wf, 'getDeliveryReport');
				expect(sendNodes.length).toBeGreaterThan(0);

				// Examples with a Wait node run as their copy with 1-second waits (see withShortWaits).
				const runId = shortCopyIds.get(file) ?? id;
				const { r, run: maybe, pushes } = await execute(runId);
				const run = mustRun(r, maybe);
				expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
					code: 0,
					error: undefined,
				});
				expect(pushes.length).toBeGreaterThan(0);
				for (const p of pushes) expect(p.body.token).toBe(TOKEN);

				// Every Send item accepted, and the msg_ids they show are exactly the ones the sandbox handed out.
				const sendItems = sendNodes.flatMap((name) =>
					(run.data.resultData.runData[name]?.[0]?.data?.main ?? []).flatMap((o) => o ?? []),
				);
				expect(sendItems.length).toBeGreaterThan(0);
				expect(sendItems.map((i) => i.json.state)).toEqual(sendItems.map(() => 'accepted'));
				const accepted = sandbox.acceptedPushes
					.flatMap((a) => a.response.data.map((d) => d.msg_id))
					.sort();
				expect(accepted.length).toBeGreaterThan(0);
				const produced = sendItems
					.map((item) => item.json.msg_id)
					.filter((m): m is string => typeof m === 'string')
					.sort();
				expect(produced).toEqual(accepted);

				// Files from binary data: every row carries the bytes of the file its item had in that run.
				const fileNodes = sendNodes.filter((name) => {
					const node = wf.nodes.find((nd) => nd.name === name);
					return Boolean(
						(node?.parameters?.options as Record<string, unknown>)?.mediaBinaryProperty,
					);
				});
				if (fileNodes.length) {
					const rows = pushes.flatMap((p) => p.body.data as Array<Record<string, unknown>>);
					expect(rows).toHaveLength(sendItems.length);
					for (const row of rows) {
						const bytes = Buffer.from(String(row.media_code), 'base64');
						expect(bytes.toString('base64')).toBe(row.media_code);
						expect(bytes.toString('latin1')).toMatch(/^%PDF-1\.4\n[\s\S]*%%EOF\n$/);
						expect(row.media_name).toMatch(/^INV-\d{4}\.pdf$/);
						expect(bytes.toString('latin1')).toContain(String(row.media_name).slice(0, 8));
					}
				}

				// Get Delivery Report: one call per push_id, each report item paired to the Send item it asks about.
				const reportCalls = sandbox.requests.filter((q) => q.endpoint === 'delivery-report');
				if (!reportNodes.length) expect(reportCalls).toHaveLength(0);
				for (const name of reportNodes) {
					expect(sendNodes).toHaveLength(1); // the report's items are the Send items, passed on by Wait
					const reportItems = nodeItems(run, name);
					expect(reportCalls.map((q) => q.body.push_id).sort()).toEqual(
						[...new Set(sendItems.map((i) => i.json.push_id))].sort(),
					);
					for (const q of reportCalls) expect(q.body.token).toBe(TOKEN);
					expect(reportItems).toHaveLength(sendItems.length);
					reportItems.forEach((item, i) => {
						expect(pairedIndex(item)).toBe(i);
						expect(item.json).toEqual(
							expect.objectContaining({
								push_id: sendItems[i].json.push_id,
								msg_id: sendItems[i].json.msg_id,
								number: sendItems[i].json.number,
							}),
						);
						// The sandbox keeps its default plan: every message delivered at once, none read, none failed.
						expect(item.json).toMatchObject({ status: 'delivered', status_code: 1 });
						expect(item.json.error).toBeUndefined();
					});
				}
			},
		);
	});

	test('the API token appears nowhere in the CLI output or the run data', () => {
		expect(outputs.length).toBeGreaterThan(3);
		for (const o of outputs) {
			expect({
				args: o.args,
				leaked: o.stdout.includes(TOKEN) || o.stderr.includes(TOKEN),
			}).toEqual({
				args: o.args,
				leaked: false,
			});
		}
		// The stored credential is encrypted: the token is not in the database file in clear text.
		const db = path.join(userFolder, '.n8n', 'database.sqlite');
		expect(fs.existsSync(db)).toBe(true);
		expect(fs.readFileSync(db).includes(Buffer.from(TOKEN))).toBe(false);
	});
}

/** The parts of a node type description (as `n8n export:nodes` writes it) these tests read. */
interface LoadedNodeType {
	name: string;
	version: number | number[];
	group?: string[];
	inputs?: unknown;
	webhooks?: Array<Record<string, unknown>>;
	properties: Array<{
		name: string;
		type: string;
		options?: Array<{ name: string; value?: unknown }>;
	}>;
}

export type { WorkflowJson };
