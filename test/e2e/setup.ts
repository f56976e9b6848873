/**
 * The set-up the e2e suites share, per n8n line: a user folder of the suite's own with the packed package installed
 * the way n8n installs a community package, Picky Assist credentials pointing at the sandbox, and — for the suites
 * that need a RUNNING n8n (`n8n start`, tooling/n8n-server.ts) — the owner account and every workflow active. One
 * place, so that every suite installs, imports, starts and cleans up the same way.
 */
import * as fs from 'fs';
import { spawnSync } from 'child_process';

import {
	LineInfo,
	WorkflowJson,
	freePort,
	installCommunityPackage,
	mkTemp,
	n8nEnv,
} from '../../tooling/n8n-cli';
import { N8nServer } from '../../tooling/n8n-server';
import type { LineState } from './lines';

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
 * A fresh n8n user folder (named `<prefix>…` in the temp folder) with the packed package installed as a community
 * package, and the environment that runs this line's n8n on it with ports of its own.
 */
export async function installedUserFolder(
	line: LineInfo,
	tarball: string,
	prefix: string,
): Promise<{ userFolder: string; env: NodeJS.ProcessEnv }> {
	const userFolder = mkTemp(prefix);
	installCommunityPackage(line, userFolder, tarball);
	const env = n8nEnv(line, userFolder, { n8n: await freePort(), broker: await freePort() });
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

/** Set on the env before the imports and `n8n start`, for a RUNNING n8n. */
export function forRunningN8n(line: LineInfo, env: NodeJS.ProcessEnv): void {
	// 2.x only: its MCP-server registry would try to reach api.n8n.io at start-up; nothing here needs it.
	if (line.line === 2) env.N8N_DISABLED_MODULES = 'mcp-registry';
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
