/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * End-to-end, numbers that must fit their country's numbering plan, inside real n8n: the packed package (with its
 * build-generated numbering plans) installed as a community package into n8n 1.123.81 and 2.41.1, the e2e-numbers-*
 * workflows run with `n8n execute` against the sandbox on 127.0.0.1. The in-process equivalents are
 * test/unit/phoneNumber.test.ts and numberingPlan.test.ts; this file proves that what n8n installs carries the plans
 * and that a refused cell is shown and never sent, on both lines.
 *
 *   npx jest test/e2e/numbers        (this file only; PICKY_E2E_LINES=1 or 2 for one line)
 */
import * as path from 'path';
import { startSandbox, type Sandbox, type RecordedRequest } from '../sandbox';
import { describeEachLine, e2eState, type LineState } from './lines';
import { CliResult, LineInfo, RunItem, nodeItems, pairedIndex, runCli } from '../tooling/n8n-cli';
import * as setup from './setup';

const TOKEN = 'e2eTok-Nmb5Pq8Zc3Wd6-SECRET';

const state = e2eState();

const { workflows, workflow } = setup.suiteWorkflows((file) => /^e2e-numbers-.*\.json$/.test(file));

const numbersOf = (push: RecordedRequest): string[] =>
	(push.body.data as Array<{ number: string }>).map((d) => d.number);
const errorOf = (item: RunItem): { message?: string; state?: string } =>
	(item.json.error ?? {}) as { message?: string; state?: string };

test('this file has its workflows', () => {
	expect(workflows.map((w) => path.basename(w.file)).sort()).toEqual([
		'e2e-numbers-possible.json',
		'e2e-numbers-strict.json',
	]);
});

describeEachLine(state, (line) => `numbering plans: n8n ${line.n8nVersion}`, lineSuite);

function lineSuite(line: LineInfo, st: LineState): void {
	let sandbox: Sandbox;
	let userFolder: string;
	let env: NodeJS.ProcessEnv;
	const cli = (args: string[]): Promise<CliResult> => runCli(line, env, args);

	beforeAll(
		async () => {
			setup.requireInstalled(line, st);
			sandbox = await startSandbox({ tokens: [TOKEN], balance: 1000 });
			({ userFolder, env } = await setup.freshUserFolder(line, state, 'numbers'));
			await setup.importWithPickyCredentials(cli, workflows, () => ({
				apiToken: TOKEN,
				customUrl: sandbox.baseUrl(),
			}));
		},
		5 * 60 * 1000,
	);

	afterAll(async () => {
		await sandbox?.close();
		setup.removeUserFolder(userFolder);
	});

	const execute = async (name: string) => {
		sandbox.reset();
		const { r, run } = await setup.executeForRun(cli, workflow(name).id!);
		return { r, run, pushes: sandbox.pushes() };
	};

	test('two numbers in one cell, a "(0)" after the number and a number too long are refused with their reason; only the possible rows are sent', async () => {
		const { r, run, pushes } = await execute('e2e-numbers-possible.json');
		expect({ code: r.code, error: run.data.resultData.error?.message }).toEqual({
			code: 0,
			error: undefined,
		});
		// The fiction number 07700 900xxx is possible, so the default check sends it; "(0)" after +44 is dropped.
		expect(pushes.map(numbersOf)).toEqual([['447700900001', '447700900003']]);
		const items = nodeItems(run, 'Picky Assist');
		expect(
			items.map((item) => [pairedIndex(item), item.json.state ?? errorOf(item).state]),
		).toEqual([
			[0, 'accepted'],
			[1, 'rejected'],
			[2, 'rejected'],
			[3, 'accepted'],
			[4, 'rejected'],
		]);
		expect(errorOf(items[1]).message).toBe(
			'In item 1, "Number" holds more than one number; put one number per item',
		);
		expect(errorOf(items[2]).message).toContain(
			'"Number" has "(0)" somewhere other than right after the country code',
		);
		expect(errorOf(items[4]).message).toContain(
			'"Number" is too long for country code 44 (11 digits after it; its numbers have 7, 9 or 10) — two numbers in one cell?',
		);
	});

	test('Number Check "Valid for Its Country" refuses a fiction number and stops before anything is sent', async () => {
		const { r, run, pushes } = await execute('e2e-numbers-strict.json');
		expect(r.code).not.toBe(0);
		const error = run.data.resultData.error;
		expect(error?.message).toBe(
			'In item 1, "Number" is not a valid number for country code 44: it is in no range its numbering plan assigns (ranges kept for drama and fiction are not valid); nothing was sent',
		);
		expect(pushes).toHaveLength(0);
		expect(sandbox.requests).toHaveLength(0);
	});
}
