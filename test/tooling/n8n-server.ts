/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * Runs an installed n8n as a server (`n8n start`, or in queue mode `n8n worker` / `n8n webhook`) on 127.0.0.1, for
 * tests that need what only a running n8n does: active workflows, production webhook URLs, executions started by
 * HTTP requests. The same on both lines:
 * - start: in its own process group (so a task runner it spawns is stopped with it), ready as READY says;
 * - sign-in: the owner account (POST /rest/owner/setup, or /rest/login when it exists); its `n8n-auth` cookie
 *   (bound to a fixed `browser-id` header) authenticates the REST calls below;
 * - activation: POST /rest/workflows/:id/activate with the workflow's versionId (1.x activates, 2.x publishes it);
 * - executions: GET /rest/executions?filter={"workflowId":…} lists them, GET /rest/executions/:id returns one whose
 *   `data` is n8n's "flatted" text, parsed here with the `flatted` module of that n8n install;
 * - stop: SIGTERM to the process group, SIGKILL after a grace period; nothing is left running.
 */
import { createRequire } from 'module';
import * as http from 'http';
import * as path from 'path';
import { text as readText } from 'stream/consumers';

import type { LineInfo, RunJson } from './n8n-cli';
import { parseJson } from '../sandbox/util';
import { startProcess } from './child';
import { sleep, waitUntil, WaitTimeout } from './wait';

type ServerProcess = ReturnType<typeof startProcess>;
export type Command = 'start' | 'worker' | 'webhook';
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
	const { body, timeoutMs = 30_000 } = options;
	const headers: Record<string, string> = { ...options.headers };
	const raw = typeof body === 'string' || Buffer.isBuffer(body);
	const payload = body === undefined ? undefined : Buffer.from(raw ? body : JSON.stringify(body));
	if (payload && !raw && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
		headers['content-type'] = 'application/json';
	if (payload) headers['content-length'] = String(payload.length);
	const method = options.method ?? (payload ? 'POST' : 'GET');
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent: false }, (res) =>
			readText(res).then((text) => {
				const json = parseJson(text, undefined);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			}, reject),
		);
		req.on('error', reject);
		req.setTimeout(timeoutMs, () =>
			req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)),
		);
		req.end(payload);
	});
}

/** An execution as n8n lists it (its other fields as n8n gives them). */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
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
	/** The n8n command: `start` (default), or in queue mode `worker` / `webhook` (n8n-queue.ts), with `args`. */
	command?: Command;
	args?: string[];
}

/**
 * Where each command is ready: the port's env variable and the paths that must answer 200. A worker serves no REST
 * API: it is ready once its health server (QUEUE_HEALTH_CHECK_PORT, which must then be active) says so.
 */
const READY: Record<Command, { portEnv: string; paths: string[]; logLine?: string }> = {
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
		private readonly command: Command,
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

	/** What n8n wrote (stdout and stderr, by line), from line `from` on (see logLength): one step's log. */
	logs(from = 0): string {
		return this.child.lines.slice(from).join('\n');
	}

	get logLength(): number {
		return this.child.lines.length;
	}

	/** The production URL of a webhook whose path is `path` (e.g. `<webhookId>/pickyassist`). */
	webhookUrl(webhookPath: string): string {
		return `${this.baseUrl}/webhook/${webhookPath}`;
	}

	/** Starts the n8n command and resolves once it is ready (see ready()). */
	static async start(options: StartOptions): Promise<N8nServer> {
		const server = N8nServer.launch(options);
		await server.ready(options.readyTimeoutMs);
		return server;
	}

	/** Starts the n8n command without waiting for it: see ready(). */
	static launch({ line, env, command = 'start', args = [], onLog }: StartOptions): N8nServer {
		const port = Number(env[READY[command].portEnv]);
		if (!Number.isInteger(port) || port <= 0)
			throw new Error(`env.${READY[command].portEnv} must be set to a port`);
		const child = startProcess(line.nodeBinary, [line.n8nBin, command, ...args], {
			env: {
				...env,
				N8N_LISTEN_ADDRESS: env.N8N_LISTEN_ADDRESS ?? '127.0.0.1',
				N8N_SECURE_COOKIE: 'false',
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: env.N8N_GRACEFUL_SHUTDOWN_TIMEOUT ?? '5',
			},
			cwd: env.N8N_USER_FOLDER,
			onLine: onLog,
		});
		return new N8nServer(line, port, child, command);
	}

	/**
	 * Resolves once n8n wrote the command's log line (when it has one) and every path of it answers 200 (see READY);
	 * fails at once when n8n exits, and stops it when it is not ready in time.
	 */
	async ready(timeoutMs = 180_000): Promise<void> {
		const { paths, logLine } = READY[this.command];
		const answers = async (p: string) =>
			(await httpRequest(`${this.baseUrl}${p}`, { timeoutMs: 5000 }).catch(() => undefined))
				?.status === 200;
		const ready = async () => {
			this.child.assertRunning('starting');
			if (logLine !== undefined && !this.child.lines.some((l) => l.includes(logLine))) return false;
			for (const p of paths) if (!(await answers(p))) return false;
			return true;
		};
		const what = `n8n to serve ${paths.join(' and ')}${logLine ? ` and log "${logLine}"` : ''}`;
		await waitUntil(ready, { what, timeoutMs, intervalMs: 500 }).catch(async (e) => {
			await this.stop();
			throw new Error(`${e.message}\n--- n8n log (tail) ---\n${this.logs().slice(-4000)}`);
		});
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
		return this.child.signalGroup(0);
	}

	/** Creates the owner account (or, in a user folder that has one, signs in) and keeps its auth cookie for rest(). */
	async setupOwner(owner = OWNER): Promise<'created' | 'signed in'> {
		const post = (p: string, body: object) =>
			httpRequest(`${this.baseUrl}/rest/${p}`, { headers: { 'browser-id': BROWSER_ID }, body });
		const setup = await post('owner/setup', owner);
		// The login field is named differently across n8n versions: both names are sent.
		const { email, password } = owner;
		const login = { email, emailOrLdapLoginId: email, password };
		const r = setup.status === 200 ? setup : await post('login', login);
		this.cookie = r.headers['set-cookie']
			?.map((c) => c.split(';')[0])
			.find((c) => c.startsWith('n8n-auth='));
		if (r.status !== 200 || !this.cookie)
			throw new Error(
				`owner setup (HTTP ${setup.status}: ${setup.text.slice(0, 300)}) and login gave no n8n-auth cookie: HTTP ${r.status} ${JSON.stringify(r.headers)} ${r.text.slice(0, 300)}`,
			);
		return r === setup ? 'created' : 'signed in';
	}

	/** A REST call as the owner, answered with any status. */
	private restCall(method: string, p: string, body?: unknown): Promise<HttpAnswer> {
		if (!this.cookie) throw new Error('call setupOwner() first');
		const headers = { cookie: this.cookie, 'browser-id': BROWSER_ID };
		return httpRequest(`${this.baseUrl}/rest${p}`, { method, headers, body });
	}

	/** A REST call as the owner; returns the `data` of n8n's `{ data }` answer, throws on a status other than 2xx. */
	async rest<T = unknown>(method: string, p: string, body?: unknown): Promise<T> {
		const r = await this.restCall(method, p, body);
		if (r.status < 200 || r.status > 299)
			throw new Error(`${method} /rest${p}: HTTP ${r.status}: ${r.text.slice(0, 500)}`);
		const j = r.json as { data?: T } | undefined;
		return (j && typeof j === 'object' && 'data' in j ? j.data : j) as T;
	}

	/** Activates (1.x) / publishes (2.x) the workflow's current version; its production webhooks work at once. */
	async activateWorkflow(id: string): Promise<void> {
		const { versionId } = await this.rest<{ versionId: string }>('GET', `/workflows/${id}`);
		const after = await this.rest<{ active?: boolean; activeVersionId?: string | null }>(
			'POST',
			`/workflows/${id}/activate`,
			{ versionId },
		);
		if (after.active !== true && !after.activeVersionId)
			throw new Error(
				`workflow ${id} is not active after activation: ${JSON.stringify(after).slice(0, 300)}`,
			);
		await this.waitPublished(id, versionId);
	}

	/**
	 * 2.x registers a published workflow's triggers asynchronously (a publication outbox): its production webhooks
	 * answer 404 for a moment after /activate has returned. Waits until GET /rest/workflows/:id/publication-status
	 * says `published` for that version. 1.x has no such route (404): it registers before /activate answers.
	 */
	private async waitPublished(id: string, versionId: string, timeoutMs = 30_000): Promise<void> {
		let last: HttpAnswer | undefined;
		const published = async () => {
			last = await this.restCall('GET', `/workflows/${id}/publication-status`);
			if (last.status === 404) return true;
			const st = (last.json as { data?: PublicationStatus } | undefined)?.data;
			if (last.status === 200 && (st?.status === 'failed' || st?.status === 'partial'))
				throw new Error(
					`workflow ${id}: publication ${st.status}: ${JSON.stringify(st.triggers).slice(0, 500)}`,
				);
			return last.status === 200 && st?.status === 'published' && st.liveVersionId === versionId;
		};
		await waitUntil(published, {
			what: `workflow ${id} to be published`,
			timeoutMs,
			intervalMs: 100,
			describe: () => `HTTP ${last?.status} ${last?.text.slice(0, 300)}`,
		});
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
