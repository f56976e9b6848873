/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code: runs in Node.js and never ships */
/**
 * The set-up the e2e suites share, per n8n line: the suite's workflows, a user folder of its own with the packed
 * package installed the way n8n installs a community package, Picky Assist credentials pointing at the sandbox,
 * `n8n execute` of one workflow, and — for the suites that need a RUNNING n8n (`n8n start`, test/tooling/n8n-server.ts) —
 * the owner account and every workflow active. One place, so that every suite installs, imports, runs and cleans up
 * the same way.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

import {
	CliResult,
	LineInfo,
	WorkflowJson,
	RunJson,
	credentialRefs,
	explainCli,
	importCredentialsAndWorkflows,
	parseRunJson,
	readWorkflows,
	userFolderWithPackage,
} from '../tooling/n8n-cli';
import { N8nServer } from '../tooling/n8n-server';
import type { E2EState, LineState } from './lines';

/**
 * The workflows of test/e2e/workflows a suite imports (those whose file name `matches`: fewer workflows keep each
 * line's set-up short), and one of them by file name, which must be there and have an id (the tests run it by id).
 */
export function suiteWorkflows(matches: (fileName: string) => boolean): {
	workflows: Array<{ file: string; wf: WorkflowJson }>;
	workflow: (fileName: string) => WorkflowJson;
} {
	const workflows = readWorkflows(path.join(__dirname, 'workflows')).filter(({ file }) =>
		matches(path.basename(file)),
	);
	const workflow = (fileName: string): WorkflowJson => {
		const w = workflows.find((t) => path.basename(t.file) === fileName);
		if (!w?.wf.id) throw new Error(`test workflow ${fileName} missing or without id`);
		return w.wf;
	};
	return { workflows, workflow };
}

/** A line whose install failed still runs its suite (see describeEachLine): it fails here, saying why. */
export function requireInstalled(line: LineInfo, st: LineState): void {
	if (st.status !== 'installed')
		throw new Error(`n8n ${line.n8nVersion} is not installed: ${st.reason}`);
}

/** The version of the Node.js the line runs n8n on, as that binary reports it. */
export function nodeVersionOf(line: LineInfo): string {
	return spawnSync(line.nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/**
 * A fresh n8n user folder (picky-e2e-<suite>-n8n<line>-… in the temp folder) with the packed package installed as a
 * community package, and the environment that runs this line's n8n on it with ports of its own. `running`: the env
 * is also for `n8n start` (set before the imports, so that the CLI sees the same settings as the server).
 */
export async function freshUserFolder(
	line: LineInfo,
	state: Pick<E2EState, 'tarball'>,
	suite: string,
	{ running = false } = {},
): Promise<{ userFolder: string; env: NodeJS.ProcessEnv }> {
	const prefix = `picky-e2e-${suite}-n8n${line.line}-`;
	const { userFolder, env } = await userFolderWithPackage(line, state.tarball, prefix);
	// 2.x only: its MCP-server registry would try to reach api.n8n.io at start-up; nothing here needs it.
	if (running && line.line === 2) env.N8N_DISABLED_MODULES = 'mcp-registry';
	return { userFolder, env };
}

/** Removes a suite's user folder, unless PICKY_E2E_KEEP asks to keep it (then says where it is when `tag` is given). */
export function removeUserFolder(userFolder: string | undefined, tag?: string): void {
	if (userFolder && !process.env.PICKY_E2E_KEEP)
		fs.rmSync(userFolder, { recursive: true, force: true });
	else if (userFolder && tag) console.log(`[${tag}] kept user folder ${userFolder}`);
}

/** A Picky Assist credential (pickyAssistApi) whose custom host is `customUrl`: the sandbox, or a place nothing answers. */
export function pickyCredential(id: string, name: string, apiToken: string, customUrl: string) {
	return { id, name, type: 'pickyAssistApi', data: { apiToken, apiHost: 'custom', customUrl } };
}

/** One Picky Assist credential per credential the workflows reference (id → name), its token and host chosen per credential. */
export function pickyCredentials(
	refs: Map<string, string>,
	chosen: (id: string, name: string) => { apiToken: string; customUrl: string },
): Array<ReturnType<typeof pickyCredential>> {
	return [...refs].map(([id, name]) => {
		const { apiToken, customUrl } = chosen(id, name);
		return pickyCredential(id, name, apiToken, customUrl);
	});
}

/**
 * Imports the workflows, and one Picky Assist credential for each credential they reference, with n8n's CLI (`cli`:
 * the suite's own, so that it records the calls as it does its other ones).
 */
export async function importWithPickyCredentials(
	cli: (args: string[]) => Promise<CliResult>,
	workflows: Array<{ wf: WorkflowJson }>,
	chosen: (id: string, name: string) => { apiToken: string; customUrl: string },
): Promise<void> {
	const wfs = workflows.map((w) => w.wf);
	await importCredentialsAndWorkflows(cli, pickyCredentials(credentialRefs(wfs), chosen), wfs);
}

/** `n8n start` on the line's env, resolved once it serves its REST API. */
export async function startN8n(line: LineInfo, env: NodeJS.ProcessEnv): Promise<N8nServer> {
	return await N8nServer.start({
		line,
		env,
		// PICKY_E2E_N8N_LOG=1 shows what n8n logs (the trigger's refusals are warnings there).
		onLog: process.env.PICKY_E2E_N8N_LOG
			? (l) => process.stdout.write(`[n8n ${line.line}] ${l}\n`)
			: undefined,
	});
}

/** The owner account (as scripts/dev.js sets it up), then every workflow active: 1.x activates, 2.x publishes. */
export async function activateAll(
	server: N8nServer,
	workflows: Array<{ wf: WorkflowJson }>,
): Promise<void> {
	await server.setupOwner();
	for (const { wf } of workflows) await server.activateWorkflow(wf.id!);
}

/** Stops a running n8n; fails when a process of its group outlives the stop (it would hold ports and files). */
export async function stopN8n(server: N8nServer | undefined): Promise<void> {
	if (!server) return;
	await server.stop();
	if (server.groupAlive())
		throw new Error(`processes of n8n's group ${server.pid} are still running after stop()`);
}

/** `n8n execute` of one workflow by id, whose run JSON is required: without it, `explain` says what the CLI did. */
export async function executeForRun(
	cli: (args: string[]) => Promise<CliResult>,
	id: string,
	explain: (r: CliResult) => string = explainCli,
): Promise<{ r: CliResult; run: RunJson }> {
	const r = await cli(['execute', `--id=${id}`, '--rawOutput']);
	const run = parseRunJson(r.stdout);
	if (!run) throw new Error(`no run JSON from n8n execute: ${explain(r)}`);
	return { r, run };
}
