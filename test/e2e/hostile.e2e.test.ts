/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * End-to-end, hostile servers and the newer Send options, inside real n8n: the packed package installed as a
 * community package into n8n 1.123.81 (Node 20) and 2.41.1 (Node 24), workflows from test/e2e/workflows
 * (e2e-hostile-*, e2e-template-*, e2e-report-*) imported once per line and run with `n8n execute`, one run per
 * case, every Picky Assist call answered by the sandbox on 127.0.0.1 (armed with a fault before the run where the
 * case needs one). The in-process equivalents are test/workflow/hostileServers.test.ts, templates.test.ts and
 * deliveryReport.test.ts; this file proves the same behaviour with n8n's own engine, request helper, expression
 * engine, Retry On Fail and task runner — on both lines.
 *
 *   npx jest test/e2e/hostile        (this file only; PICKY_E2E_LINES=1 or 2 for one line)
 */
import * as fs from 'fs';
import * as path from 'path';
import { startSandbox, type Sandbox, type RecordedRequest } from '../sandbox';
import { describeEachLine, e2eState, type LineState } from './lines';
import {
	CliResult,
	LineInfo,
	RunItem,
	RunJson,
	credentialRefs,
	explainCli,
	freePort,
	nodeItems,
	pairedIndex,
	runCli,
} from '../tooling/n8n-cli';
import * as setup from './setup';

const TOKEN = 'e2eTok-Hst9Lq4Vb7Rx2Kw-SECRET';
/** Parts of the token that must not show either: a cut or partly redacted echo would leave one of them. */
const TOKEN_PARTS = [TOKEN, TOKEN.slice(0, 15), TOKEN.slice(-15), TOKEN.slice(5, 20)];

const state = e2eState();

/** The credentials of e2e-hostile-unreachable.json, and the host name that cannot resolve (.invalid is reserved). */
const CLOSED_PORT_CREDENTIAL = 'e2ePickyClosedP1';
const UNKNOWN_HOST_CREDENTIAL = 'e2ePickyNoHost01';
const UNKNOWN_HOST = 'pickyassist-e2e.invalid';

/** This file's workflows only: importing fewer workflows keeps each line's setup short. */
const OWN = /^e2e-(hostile|template|report)-.*\.json$/;
const { workflows, workflow } = setup.suiteWorkflows((file) => OWN.test(file));
const wfId = (name: string): string => workflow(name).id!;

/** What was measured, printed once at the end of the file. */
const figures: string[] = [];
afterAll(() => {
	if (figures.length) console.log(`[e2e hostile] measured:\n  ${figures.join('\n  ')}`);
});

test('this file has its workflows', () => {
	expect(workflows.map((w) => path.basename(w.file)).sort()).toEqual([
		'e2e-hostile-continue.json',
		'e2e-hostile-decimals.json',
		'e2e-hostile-drip.json',
		'e2e-hostile-retry-on-fail.json',
		'e2e-hostile-token-echo.json',
		'e2e-hostile-unreachable.json',
		'e2e-report-send-then-report.json',
		'e2e-template-rows.json',
		'e2e-template-validate-only-expression.json',
		'e2e-template-validate-only.json',
	]);
});

describeEachLine(
	state,
	(line) => `hostile servers, templates, reports: n8n ${line.n8nVersion}`,
	lineSuite,
);

/** The numbers the Code nodes' rows "+44 7700 90000i" become. */
const expectedNumber = (i: number): string => `447700${900001 + i}`;
const numbersOf = (push: RecordedRequest): string[] =>
	(push.body.data as Array<{ number: string }>).map((d) => d.number);

interface ErrorDetails {
	message?: string;
	state?: string;
	hint?: string;
	[k: string]: unknown;
}
const errorOf = (item: RunItem): ErrorDetails => (item.json.error ?? {}) as ErrorDetails;
const stateOf = (item: RunItem): unknown => item.json.state ?? errorOf(item).state;

function lineSuite(line: LineInfo, st: LineState): void {
	let sandbox: Sandbox;
	/** A second origin: where the 307 points. Nothing may ever reach it. */
	let elsewhere: Sandbox;
	let userFolder: string;
	let env: NodeJS.ProcessEnv;
	const outputs: CliResult[] = [];
	const label = `line ${line.line} (n8n ${line.n8nVersion})`;

	const cli = async (args: string[]): Promise<CliResult> => {
		const r = await runCli(line, env, args);
		outputs.push(r);
		return r;
	};

	const explain = explainCli;

	/** Resets both sandboxes, arms the faults of this case, runs one workflow; the run JSON is required. */
	const execute = async (
		id: string,
		arm?: () => void,
	): Promise<{ r: CliResult; run: RunJson; pushes: RecordedRequest[] }> => {
		sandbox.reset();
		elsewhere.reset();
		arm?.();
		const { r, run } = await setup.executeForRun(cli, id, explain);
		return { r, run, pushes: sandbox.pushes() };
	};

	const succeeded = (r: CliResult, run: RunJson) =>
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});

	/** The node's own run time as n8n recorded it (not the CLI's start-up). */
	const executionTime = (run: RunJson, node: string): number => {
		const t = run.data.resultData.runData[node]?.[0]?.executionTime;
		if (typeof t !== 'number') throw new Error(`no executionTime for node "${node}"`);
		return t;
	};

	/** Every number the sandbox accepted, over all pushes: a number twice means a person got the message twice. */
	const acceptedNumbers = (): string[] =>
		sandbox.acceptedPushes.flatMap((p) => p.response.data.map((d) => d.number));

	beforeAll(
		async () => {
			setup.requireInstalled(line, st);
			console.log(`[e2e hostile] ${label} on Node ${setup.nodeVersionOf(line)}`);

			sandbox = await startSandbox({ tokens: [TOKEN], balance: 1000 });
			elsewhere = await startSandbox({ balance: 1000 });
			({ userFolder, env } = await setup.freshUserFolder(line, state, 'hostile'));

			if (!credentialRefs(workflows.map((w) => w.wf)).size)
				throw new Error('no workflow references a pickyAssistApi credential');
			// Two credentials point where nothing can answer: a port nobody listens on, a name that cannot resolve.
			const closed = await startSandbox();
			const unreachable: Record<string, string> = {
				[CLOSED_PORT_CREDENTIAL]: closed.baseUrl(),
				[UNKNOWN_HOST_CREDENTIAL]: `http://${UNKNOWN_HOST}/api/v2`,
			};
			await closed.close();
			await setup.importWithPickyCredentials(cli, workflows, (id) => ({
				apiToken: TOKEN,
				customUrl: unreachable[id] ?? sandbox.baseUrl(),
			}));
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await sandbox?.close();
		await elsewhere?.close();
		setup.removeUserFolder(userFolder, 'e2e hostile');
	});

	describe('redirects: the token never follows one, and a redirect is not a push result', () => {
		test('307 from /push to a second sandbox → every row rejected with the redirect hint; the second sandbox gets nothing; one push', async () => {
			const { r, run, pushes } = await execute(wfId('e2e-hostile-continue.json'), () =>
				sandbox.setFault({
					kind: 'redirect',
					status: 307,
					location: `${elsewhere.baseUrl()}/push`,
				}),
			);
			succeeded(r, run);
			expect(pushes).toHaveLength(1);
			expect(pushes[0].body.token).toBe(TOKEN); // it was sent to the sandbox, and only there
			expect(elsewhere.requests).toHaveLength(0);
			expect(sandbox.acceptedPushes).toHaveLength(0);
			const items = nodeItems(run, 'Picky Assist');
			expect(items.map((i) => [pairedIndex(i), stateOf(i)])).toEqual([
				[0, 'rejected'],
				[1, 'rejected'],
				[2, 'rejected'],
			]);
			for (const item of items) {
				expect(errorOf(item).message).toMatch(/HTTP 307/);
				expect(errorOf(item).hint).toMatch(/redirects.*Custom URL/);
			}
		});

		test('303 after the server processed the push (Location: a closed port) → every row unknown; exactly one push', async () => {
			const closed = await freePort(); // nothing listens there
			const { r, run, pushes } = await execute(wfId('e2e-hostile-continue.json'), () =>
				sandbox.setFault({
					kind: 'redirect',
					status: 303,
					location: `http://127.0.0.1:${closed}/push`,
					process: true,
				}),
			);
			succeeded(r, run);
			expect(pushes).toHaveLength(1);
			expect(sandbox.acceptedPushes).toHaveLength(1); // it was queued: "rejected" would invite a resend
			const items = nodeItems(run, 'Picky Assist');
			expect(items.map((i) => [pairedIndex(i), stateOf(i)])).toEqual([
				[0, 'unknown'],
				[1, 'unknown'],
				[2, 'unknown'],
			]);
			for (const item of items)
				expect(errorOf(item).message).toMatch(
					/redirect \(HTTP 303\).*may or may not have been queued/,
				);
		});
	});

	describe("n8n's Retry On Fail (retryOnFail, maxTries 3, waitBetweenTries 1000) never sends a row twice", () => {
		test('push 2 of 3 answered status 101 once → the final run has all 6 rows accepted; each number accepted once; push 1 sent once', async () => {
			const { r, run, pushes } = await execute(wfId('e2e-hostile-retry-on-fail.json'), () => {
				sandbox.addFault({ kind: 'delay', ms: 1 }); // push 1: answered normally
				sandbox.addFault({ kind: 'status', status: 101 }); // push 2: refused, nothing queued
			});
			succeeded(r, run);
			const all = [0, 1, 2, 3, 4, 5].map(expectedNumber);
			// Try 1: push 1 accepted, push 2 refused → the node fails; n8n waits a second and runs it again.
			// Try 2: rows 0–1 come from the ledger (not sent again); push 2 goes out again, then push 3.
			expect(pushes.map(numbersOf)).toEqual([
				all.slice(0, 2),
				all.slice(2, 4),
				all.slice(2, 4),
				all.slice(4, 6),
			]);
			expect(pushes[2].receivedAt - pushes[1].receivedAt).toBeGreaterThanOrEqual(950); // n8n's own wait between tries
			expect(acceptedNumbers().sort()).toEqual(all);

			const items = nodeItems(run, 'Picky Assist');
			expect(items.map((i) => [pairedIndex(i), i.json.state, i.json.number])).toEqual(
				all.map((number, i) => [i, 'accepted', number]),
			);
			const first = sandbox.acceptedPushes[0];
			expect(items[0].json).toMatchObject({
				msg_id: first.response.data[0].msg_id,
				push_id: first.push_id,
			});
			expect(new Set(items.map((i) => i.json.msg_id)).size).toBe(6);
		});

		test('push 2 processed but the connection dropped (reset) → 2 pushes in total; the run fails and says which rows were queued, which may have been, which were not sent', async () => {
			const { r, run, pushes } = await execute(wfId('e2e-hostile-retry-on-fail.json'), () => {
				sandbox.addFault({ kind: 'delay', ms: 1 });
				sandbox.addFault({ kind: 'reset' }); // processed, then the socket is destroyed: maybe queued
			});
			expect(r.code).not.toBe(0);
			expect(r.stdout + r.stderr).toMatch(/Execution was NOT successful/);
			// Tries 2 and 3 sent nothing: rows 2–3 may be queued, and rows 4–5 must wait for a person to decide.
			expect(pushes).toHaveLength(2);
			expect(acceptedNumbers()).toEqual([0, 1, 2, 3].map(expectedNumber));
			const err = run.data.resultData.error;
			expect(err?.node?.name).toBe('Picky Assist');
			expect(err?.message).toMatch(/items 2–3.*earlier try.*may or may not have been queued/);
			expect(err?.description).toMatch(/do not send these rows again: push_id \d+ \(items 0–1\)/);
			expect(err?.description).toMatch(/May or may not have been queued: items 2–3/);
			expect(err?.description).toMatch(/Not sent: items 4–5/);
			expect(String(err?.description)).toContain(sandbox.acceptedPushes[0].push_id);
		});
	});

	test('a closed port and a host name that does not resolve → every row rejected (nothing left the machine), retried by the node, the cause in words', async () => {
		const { r, run } = await execute(wfId('e2e-hostile-unreachable.json'));
		succeeded(r, run);
		const cases = [
			[
				'Closed Port',
				/Could not connect to host 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/,
			],
			[
				'Unknown Host',
				/Could not connect to host pickyassist-e2e\.invalid: (host name not found \(ENOTFOUND\)|host name could not be looked up .*\(EAI_AGAIN\))/,
			],
		] as const;
		for (const [node, cause] of cases) {
			const items = nodeItems(run, node);
			expect(items.map((i) => [pairedIndex(i), stateOf(i)])).toEqual([
				[0, 'rejected'],
				[1, 'rejected'],
			]);
			for (const item of items) {
				expect(errorOf(item).message).toMatch(cause);
				// Max Retries 1: the node's own retry of what certainly was not sent.
				expect(errorOf(item).message).toContain('gave up after 2 attempts');
			}
		}
		expect(r.stdout).not.toMatch(/Error code unknown|may have been queued/);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('numbers written as decimals: ".0"/".00" dropped (Default Country Code 44), ".5" and "…5/6" rejected', async () => {
		const { r, run, pushes } = await execute(wfId('e2e-hostile-decimals.json'));
		succeeded(r, run);
		expect(pushes).toHaveLength(1);
		expect(numbersOf(pushes[0])).toEqual(['447700900001', '447700900002', '447700900003']);
		const items = nodeItems(run, 'Picky Assist');
		expect(items.map((i) => [pairedIndex(i), stateOf(i)])).toEqual([
			[0, 'accepted'],
			[1, 'accepted'],
			[2, 'accepted'],
			[3, 'rejected'],
			[4, 'rejected'],
		]);
		expect(items.slice(0, 3).map((i) => i.json.number)).toEqual([
			'447700900001',
			'447700900002',
			'447700900003',
		]);
		expect(errorOf(items[3]).message).toMatch(
			/^In item 3, "Number" ends in the decimal part "\.5"/,
		);
		expect(errorOf(items[4]).message).toMatch(/^In item 4, "Number" .*more than one number/);
	});

	test('a 1 MB answer of "<" (HTTP 400) → every row rejected with a short message, in little node time', async () => {
		const { r, run, pushes } = await execute(wfId('e2e-hostile-continue.json'), () =>
			sandbox.setFault({
				kind: 'raw',
				status: 400,
				body: '<'.repeat(1_000_000),
				contentType: 'text/html',
			}),
		);
		succeeded(r, run);
		expect(pushes).toHaveLength(1);
		const items = nodeItems(run, 'Picky Assist');
		expect(items.map(stateOf)).toEqual(['rejected', 'rejected', 'rejected']);
		for (const item of items) {
			expect(errorOf(item).message).toMatch(/HTTP 400/);
			expect(String(errorOf(item).message).length).toBeLessThan(600);
		}
		const ms = executionTime(run, 'Picky Assist');
		figures.push(`${label}: 1 MB "<" answer, node executionTime ${ms} ms (CLI run ${r.ms} ms)`);
		expect(ms).toBeLessThan(1000);
	});

	test('Request Timeout 2 s bounds the whole answer: a server dripping one byte a second → rows unknown, one push, the node done long before the drip', async () => {
		const { r, run, pushes } = await execute(wfId('e2e-hostile-drip.json'), () =>
			sandbox.setFault({ kind: 'drip', intervalMs: 1000, process: true }),
		);
		succeeded(r, run);
		expect(pushes).toHaveLength(1);
		expect(sandbox.acceptedPushes).toHaveLength(1);
		const answerBytes = Buffer.byteLength(JSON.stringify(sandbox.acceptedPushes[0].response));
		const items = nodeItems(run, 'Picky Assist');
		expect(items.map((i) => [pairedIndex(i), stateOf(i)])).toEqual([
			[0, 'unknown'],
			[1, 'unknown'],
		]);
		for (const item of items)
			expect(errorOf(item).message).toMatch(/No complete answer from Picky Assist within 2 s/);
		const ms = executionTime(run, 'Picky Assist');
		figures.push(
			`${label}: drip (≈${answerBytes} s to send the whole answer), Request Timeout 2 s → node executionTime ${ms} ms`,
		);
		expect(answerBytes).toBeGreaterThan(60); // the drip would take over a minute
		expect(ms).toBeGreaterThanOrEqual(1900); // it did wait for its deadline …
		expect(ms).toBeLessThan(15_000); // … and not for the drip
	});

	test('a server that echoes the token (ids and credit of a 100 answer; an HTML error page cut at 200 characters) → the token is nowhere in the CLI output or the run', async () => {
		const { r, run, pushes } = await execute(wfId('e2e-hostile-token-echo.json'), () => {
			// Node "Echo in answer": accepted, with the token as push_id, msg_id, credit and in the message.
			sandbox.addFault({
				kind: 'raw',
				status: 200,
				process: true,
				body: JSON.stringify({
					status: 100,
					push_id: '$TOKEN',
					message: 'Success $TOKEN',
					data: [0, 1].map((i) => ({
						msg_id: i === 0 ? '$TOKEN' : `x$TOKEN${i}`,
						number: expectedNumber(i),
						credit: '$TOKEN',
					})),
				}),
			});
			// Node "Echo in error page": HTTP 400, an HTML page whose text crosses the 200-character excerpt inside the token.
			sandbox.addFault({
				kind: 'raw',
				status: 400,
				contentType: 'text/html',
				body: `<html><body>${'x'.repeat(178)} $TOKEN</body></html>`,
			});
		});
		expect(r.code).not.toBe(0);
		expect(pushes).toHaveLength(2);
		for (const p of pushes) expect(p.body.token).toBe(TOKEN); // the token was sent, and came back in both answers

		const echoed = nodeItems(run, 'Echo in answer');
		expect(echoed.map((i) => [pairedIndex(i), i.json.state, i.json.number])).toEqual([
			[0, 'accepted', expectedNumber(0)],
			[1, 'accepted', expectedNumber(1)],
		]);
		for (const item of echoed)
			for (const key of ['push_id', 'msg_id', 'credit'])
				expect({ key, value: String(item.json[key]) }).toEqual({
					key,
					value: expect.stringMatching(/redacted/),
				});
		const err = run.data.resultData.error;
		expect(err?.node?.name).toBe('Echo in error page');
		expect(err?.message).toMatch(/HTTP 400: x{20}.*redacted/);

		const everything = r.stdout + r.stderr + JSON.stringify(run);
		for (const part of TOKEN_PARTS)
			expect({ part, leaked: everything.includes(part) }).toEqual({ part, leaked: false });
	});

	describe('WhatsApp templates, per-row media, Validate Only', () => {
		test('Template ID, per-row Template Language and two Template Variables from row fields; per-row Media URL → data[].media', async () => {
			const { r, run, pushes } = await execute(wfId('e2e-template-rows.json'));
			succeeded(r, run);
			expect(pushes).toHaveLength(2);
			const template = pushes.find((p) => p.body.template_id !== undefined);
			const media = pushes.find((p) => p.body.template_id === undefined);
			if (!template || !media)
				throw new Error(
					`expected one template push and one text push, got ${JSON.stringify(pushes.map((p) => p.body))}`,
				);

			expect(template.body).toMatchObject({ token: TOKEN, template_id: '77', language: 'pt_BR' });
			expect(String(template.body.application)).toBe('8');
			expect(template.body).not.toHaveProperty('globalmessage');
			expect(template.body.data).toEqual([
				{ number: '447700900001', template_message: ['Ana', '12.40'] },
				{ number: '447700900002', template_message: ['Zoë 👋', '8'] },
				{ number: '447700900003', template_message: ['João', '5.00'], language: 'en' },
			]);

			expect(media.body.globalmedia ?? '').toBe('');
			expect(media.body.data).toEqual([
				{
					number: '447700900001',
					message: 'Your invoice, Ana',
					media: 'https://files.example/1.pdf',
				},
				{ number: '447700900002', message: 'Your invoice, Zoë 👋' },
				{
					number: '447700900003',
					message: 'Your invoice, João',
					media: 'https://files.example/3.pdf',
				},
			]);

			for (const name of ['WhatsApp Template', 'Per-row Media'])
				expect({
					name,
					items: nodeItems(run, name).map((i) => [pairedIndex(i), i.json.state]),
				}).toEqual({
					name,
					items: [
						[0, 'accepted'],
						[1, 'accepted'],
						[2, 'accepted'],
					],
				});
		});

		test('Validate Only (dryRun): zero requests reach the sandbox; each row {state: "valid", push, entry}', async () => {
			const { r, run } = await execute(wfId('e2e-template-validate-only.json'));
			succeeded(r, run);
			expect(sandbox.requests).toHaveLength(0);
			const items = nodeItems(run, 'Picky Assist');
			expect(items.map((i) => pairedIndex(i))).toEqual([0, 1, 2]);
			expect(items.map((i) => i.json)).toEqual([
				{ state: 'valid', push: 1, entry: { number: '447700900001', message: 'a' } },
				{ state: 'valid', push: 1, entry: { number: '447700900002', message: 'b' } },
				{ state: 'valid', push: 2, entry: { number: '447700900003', message: 'c' } },
			]);
		});
	});

	test('Validate Only set by an expression — cells "true"/"TRUE"/"True", and ={{ "true" }} — sends nothing: zero requests, every row valid in both nodes', async () => {
		const { r, run } = await execute(wfId('e2e-template-validate-only-expression.json'));
		succeeded(r, run);
		expect(sandbox.requests).toHaveLength(0);
		for (const name of ['Validate Only from a cell', 'Validate Only from a literal'])
			expect({
				name,
				items: nodeItems(run, name).map((i) => [pairedIndex(i), i.json.state, i.json.push]),
			}).toEqual({
				name,
				items: [
					[0, 'valid', 1],
					[1, 'valid', 1],
					[2, 'valid', 2],
				],
			});
	});

	test('Send → Get Delivery Report → Get Balance: one report call per push_id, report items paired to the Send items; one balance item with a number', async () => {
		const { r, run, pushes } = await execute(wfId('e2e-report-send-then-report.json'));
		succeeded(r, run);
		expect(pushes.map((p) => p.body.data.length)).toEqual([2, 2, 1]);
		const pushIds = sandbox.acceptedPushes.map((p) => p.push_id);
		expect(new Set(pushIds).size).toBe(3);
		expect(sandbox.requests.map((q) => [q.endpoint, q.body.push_id])).toEqual([
			['push', undefined],
			['push', undefined],
			['push', undefined],
			...pushIds.map((id) => ['delivery-report', id]),
			['check-balance', undefined],
		]);
		for (const q of sandbox.requests) expect(q.body.token).toBe(TOKEN);

		const sent = nodeItems(run, 'Send');
		expect(sent.map((i) => i.json.state)).toEqual(Array(5).fill('accepted'));
		const report = nodeItems(run, 'Get Delivery Report');
		expect(report).toHaveLength(5);
		report.forEach((item, i) => {
			expect(pairedIndex(item)).toBe(i);
			expect(item.json).toMatchObject({
				push_id: sent[i].json.push_id,
				msg_id: sent[i].json.msg_id,
				number: sent[i].json.number,
				status: 'delivered', // the sandbox delivers at once
				status_code: 1,
			});
			expect(Date.parse(String(item.json.checked_at))).not.toBeNaN();
		});

		const balance = nodeItems(run, 'Get Balance');
		expect(balance).toHaveLength(1);
		expect(typeof balance[0].json.balance).toBe('number');
		expect(balance[0].json.balance).toBeCloseTo(1000 - 5 * 0.005, 9); // read after the 5 messages were billed
		expect(balance[0].json.balance).toBe(sandbox.balance);
		expect(String(balance[0].json.balance_raw)).toMatch(/^999\.975/);
	});

	test('the API token appears nowhere in any CLI output, nor in clear text in the database', () => {
		expect(outputs.length).toBeGreaterThan(10);
		for (const o of outputs)
			for (const part of TOKEN_PARTS)
				expect({
					args: o.args,
					part,
					leaked: o.stdout.includes(part) || o.stderr.includes(part),
				}).toEqual({ args: o.args, part, leaked: false });
		const dir = path.join(userFolder, '.n8n');
		const dbFiles = fs.readdirSync(dir).filter((f) => f.startsWith('database.sqlite'));
		expect(dbFiles).toContain('database.sqlite');
		for (const f of dbFiles)
			for (const part of TOKEN_PARTS)
				expect({
					file: f,
					part,
					found: fs.readFileSync(path.join(dir, f)).includes(Buffer.from(part)),
				}).toEqual({ file: f, part, found: false });
	});
}
