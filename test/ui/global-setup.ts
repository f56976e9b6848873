/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * Setup of the ui project (run by test/setup/serial-runner.js right before the project's first file): for each n8n
 * line in $PICKY_UI_LINES, else $PICKY_E2E_LINES (default 1,2), installed into the cache when missing (the e2e
 * setup's ensureLines), what `npm run dev` starts — the current build installed as a community package into a fresh user folder, a sandbox, the sandbox
 * credential and the example workflows, and a real `n8n start` with its owner account — plus the suite's own
 * workflows (test/ui/workflows, created over REST). The lines are prepared one after the other (n8n's CLI imports
 * block) but their servers start in parallel. What the tests need goes to a JSON file named by $PICKY_UI_STATE.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startSandbox, type Sandbox } from '../sandbox';
import type { LineInfo } from '../tooling/n8n-cli';
import { N8nServer, OWNER } from '../tooling/n8n-server';
import { ARTIFACTS, type UiLineState, type UiState } from './state';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lines = require('../tooling/n8n-lines.js') as { line(n: 1 | 2): LineInfo };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const e2eSetup = require('../e2e/global-setup.js') as {
	ensureLines(wanted: number[]): Record<string, { status: string; reason?: string }>;
	buildOnce(): void;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stack = require('../tooling/dev-stack.js') as {
	SANDBOX_TOKEN: string;
	CRED_NAME: string;
	freePort(): Promise<number>;
	installCurrentBuild(o: { line: LineInfo; userFolder: string }): string;
	n8nEnv(o: {
		line: LineInfo;
		userFolder: string;
		port: number;
		encryptionKey: string;
	}): Promise<NodeJS.ProcessEnv>;
	importCredentialsAndExamples(o: {
		line: LineInfo;
		env: NodeJS.ProcessEnv;
		userFolder: string;
		sandboxBaseUrl: string;
		log?: (...a: unknown[]) => void;
	}): { examples: Array<{ file: string; wf: { id: string; name: string } }> };
};

/** What the teardown stops (the setup and the teardown share this process). */
export interface Running {
	servers: N8nServer[];
	sandboxes: Sandbox[];
	folders: string[];
}
declare global {
	var __PICKY_UI__: Running | undefined;
}

const log = (...a: unknown[]) => console.log('[ui-setup]', ...a);

/** The suite's own workflows (test/ui/workflows/*.json), created through n8n's REST API: name → id. */
async function createOwnWorkflows(server: N8nServer): Promise<Record<string, string>> {
	const own = path.join(__dirname, 'workflows');
	const files = fs
		.readdirSync(own)
		.filter((x) => x.endsWith('.json'))
		.sort();
	const workflows: Record<string, string> = {};
	for (const f of files) {
		const wf = JSON.parse(fs.readFileSync(path.join(own, f), 'utf8'));
		const created = await server.rest<{ id: string }>('POST', '/workflows', wf);
		workflows[wf.name] = created.id;
	}
	return workflows;
}

async function startLine(n: 1 | 2, running: Running): Promise<() => Promise<UiLineState>> {
	const line = lines.line(n);
	if (!line.installed)
		throw new Error(
			`n8n ${line.n8nVersion} is not installed in the cache (see the setup's output)`,
		);
	const dir = path.join(ARTIFACTS, `line-${n}`);
	fs.mkdirSync(dir, { recursive: true });
	// Outside the repository: inside, the package would find the repo's own n8n-workflow (see scripts/dev.js).
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `picky-ui-n8n-${line.n8nVersion}-`));
	running.folders.push(userFolder);
	const version = stack.installCurrentBuild({ line, userFolder });
	const sandboxLog = fs.createWriteStream(path.join(dir, 'sandbox.log'));
	const sandbox = await startSandbox({
		port: 0,
		tokens: [stack.SANDBOX_TOKEN],
		log: (l: string) => sandboxLog.write(`${l}\n`),
	});
	running.sandboxes.push(sandbox);
	const env = await stack.n8nEnv({
		line,
		userFolder,
		port: await stack.freePort(),
		encryptionKey: 'picky-ui-encryption-key-not-secret',
	});
	const { examples } = stack.importCredentialsAndExamples({
		line,
		env,
		userFolder,
		sandboxBaseUrl: sandbox.baseUrl(),
		log: (...a) => log(`line ${n}:`, ...a),
	});
	log(`line ${n}: starting n8n ${line.n8nVersion} with n8n-nodes-pickyassist ${version}`);
	const n8nLog = fs.createWriteStream(path.join(dir, 'n8n.log'));
	const starting = N8nServer.start({ line, env, onLog: (l) => n8nLog.write(`${l}\n`) });
	// Returned unawaited so the next line is prepared while this one starts.
	return async () => {
		const server = await starting;
		running.servers.push(server);
		await server.setupOwner();
		const workflows: Record<string, string> = {};
		for (const e of examples) workflows[e.wf.name] = e.wf.id;
		Object.assign(workflows, await createOwnWorkflows(server));
		return {
			line: n,
			n8nVersion: line.n8nVersion,
			baseUrl: server.baseUrl,
			sandboxUrl: sandbox.url,
			sandboxBaseUrl: sandbox.baseUrl(),
			sandboxToken: stack.SANDBOX_TOKEN,
			credentialName: stack.CRED_NAME,
			owner: { email: OWNER.email, password: OWNER.password },
			workflows,
			artifacts: dir,
		};
	};
}

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	// The test files list their lines from PICKY_UI_LINES (state.ts): one variable for every real-n8n suite.
	const lineList = process.env.PICKY_UI_LINES || process.env.PICKY_E2E_LINES || '1,2';
	process.env.PICKY_UI_LINES = lineList;
	const wanted = lineList.split(',').map((s) => Number(s.trim()));
	const running: Running = { servers: [], sandboxes: [], folders: [] };
	globalThis.__PICKY_UI__ = running;
	// A line that cannot be installed fails its own tests below (startLine), with the reason printed here.
	for (const [n, line] of Object.entries(e2eSetup.ensureLines(wanted)))
		if (line.reason && wanted.includes(Number(n))) log(`line ${n}: ${line.status}: ${line.reason}`);
	e2eSetup.buildOnce();
	const state: UiState = { lines: {} };
	const pending: Array<[number, Promise<() => Promise<UiLineState>>]> = [];
	for (const n of [1, 2] as const) {
		if (!wanted.includes(n)) continue;
		fs.rmSync(path.join(ARTIFACTS, `line-${n}`), { recursive: true, force: true });
		// One at a time: a failure is recorded, so the other line's tests still run.
		const p = startLine(n, running);
		await p.catch(() => undefined);
		pending.push([n, p]);
	}
	for (const [n, p] of pending) {
		try {
			state.lines[n] = await (await p)();
		} catch (e) {
			state.lines[n] = { error: (e as Error).message };
			log(`line ${n} did not start: ${(e as Error).message}`);
		}
	}
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'picky-ui-state-')), 'state.json');
	running.folders.push(path.dirname(file));
	fs.writeFileSync(file, JSON.stringify(state, null, 2));
	process.env.PICKY_UI_STATE = file;
	log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
