/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/require-node-api-error -- test code: runs in Node.js and never ships */
/**
 * Runs an installed n8n as a server (`n8n start`) on 127.0.0.1, for end-to-end tests that need what only a running
 * n8n does: active workflows, production webhook URLs, executions started by HTTP requests. Complements n8n-cli.ts
 * (one CLI call per run). Used by test/e2e/loop.e2e.test.ts.
 *
 * Works the same on both lines (1.123.81 on Node 20, 2.41.1 on Node 24):
 * - start: `n8n start` in its own process group (so a task runner it spawns is stopped with it), ready once
 *   /healthz and /rest/settings answer 200;
 * - sign-in: the owner account is created with POST /rest/owner/setup (as scripts/dev.js does); its `n8n-auth`
 *   cookie (bound to a fixed `browser-id` header) authenticates the REST calls below;
 * - activation: POST /rest/workflows/:id/activate with the workflow's versionId (1.x activates, 2.x publishes that
 *   version), no restart needed; 1.x registers the production webhooks before it answers, 2.x a moment later (a
 *   publication outbox), so on 2.x GET /rest/workflows/:id/publication-status is polled until `published`;
 * - executions: GET /rest/executions?filter={"workflowId":…} lists them, GET /rest/executions/:id returns one whose
 *   `data` is n8n's "flatted" text, parsed here with the `flatted` module of that n8n install;
 * - stop: SIGTERM to the process group, SIGKILL after a grace period; nothing is left running.
 */
import { createRequire } from 'module';
import * as http from 'http';
import * as path from 'path';

import type { LineInfo, RunJson } from './n8n-cli';
import { startProcess } from './child';
import { sleep, waitUntil, WaitTimeout } from './wait';

type ServerProcess = ReturnType<typeof startProcess>;
type PublicationStatus = { status?: string; liveVersionId?: string | null; triggers?: unknown[] };

export interface HttpAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	/** The parsed body when it is JSON, else undefined. */
	json: unknown;
}

export interface HttpOptions {
	method?: string;
	headers?: Record<string, string>;
	/** A string or Buffer is sent as is; anything else as JSON (content-type set unless given). */
	body?: unknown;
	timeoutMs?: number;
}

/** One HTTP request on a fresh connection (no keep-alive pool left open); rejects only when there is no answer. */
export function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpAnswer> {
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	let payload: Buffer | undefined;
	if (options.body !== undefined) {
		if (typeof options.body === 'string' || Buffer.isBuffer(options.body))
			payload = Buffer.from(options.body);
		else {
			payload = Buffer.from(JSON.stringify(options.body));
			if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
				headers['content-type'] = 'application/json';
		}
		headers['content-length'] = String(payload.length);
	}
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: options.method ?? (payload ? 'POST' : 'GET'), headers, agent: false },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = text.trim() === '' ? undefined : JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('error', reject);
		req.setTimeout(options.timeoutMs ?? 30_000, () =>
			req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 30_000} ms`)),
		);
		req.end(payload);
	});
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string | null;
	[k: string]: unknown;
}

export interface Execution extends ExecutionSummary {
	/** The run data, parsed from n8n's flatted text. */
	run: RunJson;
}

export interface StartOptions {
	line: LineInfo;
	/** The environment from n8n-cli's n8nEnv(): user folder, ports, the line's settings. */
	env: NodeJS.ProcessEnv;
	readyTimeoutMs?: number;
	/** Called with each line n8n writes (stdout and stderr). */
	onLog?: (line: string) => void;
	/**
	 * The n8n command: `start` (default), or in queue mode `worker` / `webhook` (test/tooling/n8n-queue.ts), with `args`.
	 * A worker serves no REST API: it is ready once its health server (QUEUE_HEALTH_CHECK_PORT, which must then be
	 * active) says so; a webhook processor once its /healthz answers.
	 */
	command?: 'start' | 'worker' | 'webhook';
	args?: string[];
}

/** Where each command is ready: the port's env variable and the paths that must answer 200. */
const READY: Record<
	'start' | 'worker' | 'webhook',
	{ portEnv: string; paths: string[]; logLine?: string }
> = {
	// n8n serves REST before its active-workflow manager has started: a workflow activated through REST in that
	// moment is activated a second time by the manager's start-up and fails. n8n logs this line once the manager is
	// done (both lines); waiting for it in our own child's log also proves that our process, not another one on
	// the port, answered.
	start: {
		portEnv: 'N8N_PORT',
		paths: ['/healthz', '/rest/settings'],
		logLine: 'Editor is now accessible via',
	},
	webhook: { portEnv: 'N8N_PORT', paths: ['/healthz'] },
	worker: { portEnv: 'QUEUE_HEALTH_CHECK_PORT', paths: ['/healthz/readiness'] },
};

export const OWNER = {
	email: 'e2e-owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2eOwner-Passw0rd',
};
const BROWSER_ID = 'picky-e2e-browser';

export class N8nServer {
	private cookie: string | undefined;
	private readonly flatted: { parse(text: string): unknown };

	private constructor(
		readonly line: LineInfo,
		readonly port: number,
		private readonly child: ServerProcess,
		private readonly command: keyof typeof READY,
	) {
		// n8n's own copy, so the format always matches the version that wrote it.
		this.flatted = createRequire(path.join(line.dir, 'node_modules', 'n8n', 'package.json'))(
			'flatted',
		);
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/** Everything n8n wrote so far (stdout and stderr, by line). */
	logs(): string {
		return this.child.lines.join('\n');
	}

	/** Lines written from index `from` on (see logLength) — the log of one step. */
	logsSince(from: number): string {
		return this.child.lines.slice(from).join('\n');
	}

	get logLength(): number {
		return this.child.lines.length;
	}

	/** The production URL of a webhook whose path is `path` (e.g. `<webhookId>/pickyassist`). */
	webhookUrl(webhookPath: string): string {
		return `${this.baseUrl}/webhook/${webhookPath}`;
	}

	/** Starts `n8n start` and resolves once it serves its REST API; rejects (after stopping it) otherwise. */
	static async start(options: StartOptions): Promise<N8nServer> {
		const server = N8nServer.launch(options);
		await server.ready(options.readyTimeoutMs);
		return server;
	}

	/** Starts the n8n command without waiting for it: see ready(). */
	static launch(options: StartOptions): N8nServer {
		const { line, env } = options;
		const command = options.command ?? 'start';
		const port = Number(env[READY[command].portEnv]);
		if (!Number.isInteger(port) || port <= 0)
			throw new Error(`env.${READY[command].portEnv} must be set to a port`);
		const child = startProcess(line.nodeBinary, [line.n8nBin, command, ...(options.args ?? [])], {
			env: {
				...env,
				N8N_LISTEN_ADDRESS: env.N8N_LISTEN_ADDRESS ?? '127.0.0.1',
				N8N_SECURE_COOKIE: 'false',
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: env.N8N_GRACEFUL_SHUTDOWN_TIMEOUT ?? '5',
			},
			cwd: env.N8N_USER_FOLDER,
			onLine: options.onLog,
		});
		return new N8nServer(line, port, child, command);
	}

	/** Resolves once the command is ready (see READY); rejects, after stopping it, otherwise. */
	async ready(timeoutMs = 180_000): Promise<void> {
		const { paths, logLine } = READY[this.command];
		try {
			await this.waitReady(timeoutMs, paths, logLine);
		} catch (e) {
			await this.stop();
			throw new Error(
				`${(e as Error).message}\n--- n8n log (tail) ---\n${this.logs().slice(-4000)}`,
			);
		}
	}

	/** Until n8n wrote `logLine` (when given) and every path answers 200; fails at once when n8n exits. */
	private async waitReady(timeoutMs: number, paths: string[], logLine?: string): Promise<void> {
		const answers = async (p: string) =>
			(await httpRequest(`${this.baseUrl}${p}`, { timeoutMs: 5000 }).catch(() => undefined))
				?.status === 200;
		await waitUntil(
			async () => {
				this.child.assertRunning('starting');
				if (logLine !== undefined && !this.child.lines.some((l) => l.includes(logLine)))
					return false;
				for (const p of paths) if (!(await answers(p))) return false;
				return true;
			},
			{
				what: `n8n to serve ${paths.join(' and ')}${logLine ? ` and log "${logLine}"` : ''}`,
				timeoutMs,
				intervalMs: 500,
			},
		);
	}

	/** Stops n8n and every process of its group: SIGTERM, then SIGKILL after `graceMs`. Idempotent. */
	async stop(graceMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
		return (await this.child.stop(graceMs))!;
	}

	/** Resolves when n8n has exited, with how. */
	async exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
		await this.child.closed;
		return this.child.exited!;
	}

	/** Whether any process of the server's group is still alive. */
	groupAlive(): boolean {
		return this.child.groupAlive();
	}

	/** Creates the owner account and keeps its auth cookie for rest(). */
	async setupOwner(): Promise<void> {
		const r = await httpRequest(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'browser-id': BROWSER_ID },
			body: OWNER,
		});
		if (r.status !== 200) {
			// Already set up (a reused user folder): sign in instead.
			const login = await httpRequest(`${this.baseUrl}/rest/login`, {
				method: 'POST',
				headers: { 'browser-id': BROWSER_ID },
				body: { email: OWNER.email, emailOrLdapLoginId: OWNER.email, password: OWNER.password },
			});
			if (login.status !== 200)
				throw new Error(
					`owner setup failed (HTTP ${r.status}: ${r.text.slice(0, 300)}) and so did login (HTTP ${login.status}: ${login.text.slice(0, 300)})`,
				);
			this.cookie = authCookie(login);
			if (!this.cookie)
				throw new Error(`n8n set no n8n-auth cookie on login: ${JSON.stringify(login.headers)}`);
		} else {
			this.cookie = authCookie(r);
			if (!this.cookie)
				throw new Error(
					`n8n set no n8n-auth cookie on owner setup: ${JSON.stringify(r.headers)} ${r.text.slice(0, 300)}`,
				);
		}
	}

	/** A REST call as the owner; returns the `data` of n8n's `{ data }` answer, throws on a status other than 2xx. */
	async rest<T = unknown>(method: string, p: string, body?: unknown): Promise<T> {
		if (!this.cookie) throw new Error('call setupOwner() first');
		const r = await httpRequest(`${this.baseUrl}/rest${p}`, {
			method,
			headers: { cookie: this.cookie, 'browser-id': BROWSER_ID },
			body,
		});
		if (r.status < 200 || r.status > 299)
			throw new Error(`${method} /rest${p}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
		const j = r.json as { data?: T } | undefined;
		return (j && typeof j === 'object' && 'data' in j ? j.data : j) as T;
	}

	/** Activates (1.x) / publishes (2.x) the workflow's current version; its production webhooks work at once. */
	async activateWorkflow(id: string): Promise<void> {
		const wf = await this.rest<{ versionId: string; active?: boolean }>('GET', `/workflows/${id}`);
		const after = await this.rest<{ active?: boolean; activeVersionId?: string | null }>(
			'POST',
			`/workflows/${id}/activate`,
			{
				versionId: wf.versionId,
			},
		);
		if (after.active !== true && !after.activeVersionId)
			throw new Error(
				`workflow ${id} is not active after activation: ${JSON.stringify(after).slice(0, 300)}`,
			);
		await this.waitPublished(id, wf.versionId);
	}

	/**
	 * 2.x registers a published workflow's triggers asynchronously (a publication outbox): its production webhooks
	 * answer 404 for a moment after /activate has returned. Waits until GET /rest/workflows/:id/publication-status
	 * says `published` for that version. 1.x has no such route (404): it registers before /activate answers.
	 */
	private async waitPublished(id: string, versionId: string, timeoutMs = 30_000): Promise<void> {
		let last: HttpAnswer | undefined;
		await waitUntil(
			async () => {
				last = await httpRequest(`${this.baseUrl}/rest/workflows/${id}/publication-status`, {
					headers: { cookie: this.cookie!, 'browser-id': BROWSER_ID },
				});
				if (last.status === 404) return true;
				const st = (last.json as { data?: PublicationStatus } | undefined)?.data;
				if (last.status === 200 && (st?.status === 'failed' || st?.status === 'partial'))
					throw new Error(
						`workflow ${id}: publication ${st.status}: ${JSON.stringify(st.triggers).slice(0, 500)}`,
					);
				return last.status === 200 && st?.status === 'published' && st.liveVersionId === versionId;
			},
			{
				what: `workflow ${id} to be published`,
				timeoutMs,
				intervalMs: 100,
				describe: () => `HTTP ${last?.status} ${last?.text.slice(0, 300)}`,
			},
		);
	}

	/** Every execution of the workflow (newest first, as n8n lists them). */
	async executions(workflowId: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const d = await this.rest<{ results: ExecutionSummary[] }>(
			'GET',
			`/executions?filter=${filter}&limit=100`,
		);
		return d.results.map((e) => ({ ...e, id: String(e.id) }));
	}

	/** One execution with its run data parsed. */
	async execution(id: string): Promise<Execution> {
		const e = await this.rest<ExecutionSummary & { data: string | RunJson['data'] }>(
			'GET',
			`/executions/${id}`,
		);
		const data =
			typeof e.data === 'string' ? (this.flatted.parse(e.data) as RunJson['data']) : e.data;
		return { ...e, id: String(e.id), run: { data } };
	}

	/**
	 * Waits until the workflow has `count` executions, all finished, then `settleMs` more to see that no further one
	 * comes; returns them oldest first with their run data. Throws with what it found when the count is not reached
	 * in time or is exceeded.
	 */
	async waitForExecutions(
		workflowId: string,
		count: number,
		{ timeoutMs = 30_000, settleMs = 1_000 } = {},
	): Promise<Execution[]> {
		const done = (list: ExecutionSummary[]) =>
			list.length >= count && list.every((e) => !['new', 'running', 'waiting'].includes(e.status));
		let list = await this.executions(workflowId);
		await waitUntil(async () => done((list = await this.executions(workflowId))), {
			what: `${count} finished execution(s)`,
			timeoutMs,
		}).catch((e) => {
			if (!(e instanceof WaitTimeout)) throw e; // a timeout is reported below with what was found
		});
		if (done(list) && settleMs > 0) {
			await sleep(settleMs);
			list = await this.executions(workflowId);
		}
		if (list.length !== count || !done(list)) {
			throw new Error(
				`workflow ${workflowId}: expected ${count} finished execution(s), found ${list.length}: ${JSON.stringify(list.map((e) => ({ id: e.id, status: e.status, mode: e.mode })))}`,
			);
		}
		const sorted = [...list].sort((a, b) => Number(a.id) - Number(b.id));
		return Promise.all(sorted.map((e) => this.execution(e.id)));
	}
}

function authCookie(r: HttpAnswer): string | undefined {
	const set = r.headers['set-cookie'] ?? [];
	const c = set.map((s) => s.split(';')[0]).find((s) => s.startsWith('n8n-auth='));
	return c;
}
