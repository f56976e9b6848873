/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * Drives a real, installed n8n through its CLI: environment, `n8n …` runs, the run JSON of `execute --rawOutput`,
 * and the community-package install. Used by the end-to-end tests (test/e2e) and the benchmark (test/bench).
 * Nothing here talks to the internet: n8n runs from the cache folder filled by scripts/e2e/install-n8n.js and
 * every workflow points at the sandbox on 127.0.0.1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { INodeExecutionData, IRunExecutionData, ITaskData } from 'n8n-workflow';

import { runProcess } from './child';
import * as communityPackage from './community-package';
import * as lines from './n8n-lines';
import { freePort } from './ports';

export { credentialRefs, PACKAGE_NAME, resolveFromPackage } from './community-package';
export { freePort };

export interface LineInfo {
	line: 1 | 2;
	n8nVersion: string;
	dir: string;
	nodeBinary: string;
	n8nBin: string;
	installed: boolean;
	env: Record<string, string>;
	pathPrefix?: string;
}

export const REPO_ROOT = communityPackage.PACKAGE_DIR;
export const ENCRYPTION_KEY = 'e2e-fixed-encryption-key-0123456789abcdef';

export const lineInfo = (n: 1 | 2): LineInfo => lines.line(n) as LineInfo;

/** Environment for one n8n CLI process of the given line. */
export function n8nEnv(
	line: LineInfo,
	userFolder: string,
	ports: { n8n: number; broker: number },
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	// Only pass through what a process needs; drop the parent's npm_* and N8N_* settings.
	for (const k of ['HOME', 'TMPDIR', 'LANG', 'TERM', 'USER', 'SHELL'])
		if (process.env[k] !== undefined) env[k] = process.env[k];
	return Object.assign(env, {
		PATH: `${path.dirname(line.nodeBinary)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
		...lines.quietN8nEnv({ userFolder, encryptionKey: ENCRYPTION_KEY }),
		N8N_PORT: String(ports.n8n),
		N8N_RUNNERS_BROKER_PORT: String(ports.broker),
		N8N_HOST: '127.0.0.1',
		NODE_ENV: 'production',
		...line.env,
	});
}

/**
 * A fresh user folder (`prefix…` in the temp folder) with the packed package installed as a community package, and
 * the environment that runs this line's n8n on it with ports of its own.
 */
export async function userFolderWithPackage(
	line: LineInfo,
	tarball: string,
	prefix: string,
): Promise<{ userFolder: string; env: NodeJS.ProcessEnv }> {
	const userFolder = mkTemp(prefix);
	communityPackage.installCommunityPackage({ nodeBinary: line.nodeBinary, userFolder, tarball });
	const env = n8nEnv(line, userFolder, { n8n: await freePort(), broker: await freePort() });
	return { userFolder, env };
}

export interface CliResult {
	args: string[];
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	ms: number;
}

export async function runCli(
	line: LineInfo,
	env: NodeJS.ProcessEnv,
	args: string[],
	timeoutMs = 180_000,
): Promise<CliResult> {
	const r = await runProcess(line.nodeBinary, [line.n8nBin, ...args], {
		env,
		cwd: env.N8N_USER_FOLDER,
		timeoutMs,
	});
	if (r.error) throw r.error;
	return { args, code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: r.ms };
}

/** A failed CLI call, for an error message: its exit, and the tails of what it printed. */
export function explainCli(r: CliResult): string {
	return `exit ${r.code} after ${r.ms} ms\n--- stdout (tail) ---\n${r.stdout.slice(-3000)}\n--- stderr (tail) ---\n${r.stderr.slice(-3000)}`;
}

/**
 * `n8n execute --rawOutput` prints the run JSON, possibly after log lines (2.x always logs first): the text from the
 * first line that is exactly `{` up to the last line starting with `}` that makes it valid JSON, found without
 * splitting the text (it can hold 100k rows). Undefined when there is no JSON (e.g. an unknown id).
 */
export function parseRunJson(stdout: string): RunJson | undefined {
	const start = stdout.startsWith('{\n') ? 0 : stdout.indexOf('\n{\n') + 1 || -1;
	for (let end = stdout.lastIndexOf('\n}'); start >= 0 && end > start; ) {
		try {
			return JSON.parse(stdout.slice(start, end + 2)) as RunJson;
		} catch {
			end = stdout.lastIndexOf('\n}', end - 1); // try an earlier closing brace
		}
	}
	return undefined;
}

/** An item, a node's run and a whole run as `n8n execute --rawOutput` prints them (and n8n stores them). */
export type RunItem = INodeExecutionData;
export type NodeRun = ITaskData;
export type RunJson = {
	data: IRunExecutionData & { resultData: { error?: { node?: { name?: string } } } };
};

/** Items on output `output` of the first run of node `name`. */
export function nodeItems(run: RunJson, name: string, output = 0): RunItem[] {
	const r = run.data.resultData.runData[name];
	if (!r?.[0])
		throw new Error(
			`node "${name}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
	return r[0].data?.main?.[output] ?? [];
}

export function pairedIndex(item: RunItem): number | undefined {
	const p = item.pairedItem;
	if (typeof p === 'number') return p;
	if (Array.isArray(p)) return p.length === 1 ? p[0].item : undefined;
	return p?.item;
}

/**
 * Imports credentials and workflows through n8n's CLI: `import:credentials` (n8n encrypts the plain `data` on
 * import), then `import:workflow --separate`. The credentials file holds tokens in clear text, so it is written to
 * a temp folder that is removed whatever happens. Throws with n8n's output when an import fails.
 */
export async function importCredentialsAndWorkflows(
	cli: (args: string[]) => Promise<CliResult>,
	credentials: unknown[],
	workflows: WorkflowJson[],
): Promise<void> {
	const dir = mkTemp('picky-n8n-import-');
	const imported = async (args: string[]) => {
		const r = await cli(args);
		if (r.code !== 0) throw new Error(`${args[0]} failed: ${explainCli(r)}`);
	};
	try {
		const credFile = path.join(dir, 'credentials.json');
		fs.writeFileSync(credFile, JSON.stringify(credentials));
		await imported(['import:credentials', `--input=${credFile}`]);
		const wfDir = path.join(dir, 'workflows');
		fs.mkdirSync(wfDir);
		workflows.forEach((w, i) =>
			fs.writeFileSync(path.join(wfDir, `${i}-${w.id ?? 'workflow'}.json`), JSON.stringify(w)),
		);
		await imported(['import:workflow', '--separate', `--input=${wfDir}`]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

export function mkTemp(prefix: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every workflow JSON file in a folder (sorted), parsed. */
export const readWorkflows = communityPackage.readWorkflows as (
	dir: string,
) => Array<{ file: string; wf: WorkflowJson }>;

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		typeVersion?: number;
		parameters?: Record<string, unknown>;
		credentials?: Record<string, { id?: string; name?: string }>;
		onError?: string;
		[k: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	[k: string]: unknown;
}
