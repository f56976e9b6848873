/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code: runs in Node.js and never ships */
/**
 * One n8n line in queue mode on 127.0.0.1: a main process (`n8n start`: editor, REST API, activation), workers
 * (`n8n worker`: they run the executions) and a webhook processor (`n8n webhook`: production webhooks), sharing one
 * Redis (Bull's queue) and one PostgreSQL database, with the same encryption key — as n8n's queue-mode docs set it
 * up. Redis and PostgreSQL come from test/tooling/queue-services.js.
 *
 * - Every process has its own user folder with the packed package installed in `~/.n8n/nodes`, as a separate
 *   container would have: n8n's docs require a community package on every process, since each loads nodes itself.
 * - Each line gets its own database and its own Bull prefix and Redis DB, so lines can run one after another or
 *   side by side on the same servers.
 * - Production webhooks are served by the webhook processor only (N8N_DISABLE_PRODUCTION_MAIN_PROCESS on main), so
 *   a test that posts to it proves the path webhook processor → Redis → worker.
 * - Ports: main and webhook processor N8N_PORT; each worker its health server (QUEUE_HEALTH_CHECK_PORT, bound to
 *   127.0.0.1); on 2.x every process opens a task broker (N8N_RUNNERS_BROKER_PORT). All are free ports picked here.
 */
import * as path from 'path';

import { freePort, runCli, userFolderWithPackage, type LineInfo } from './n8n-cli';
import { N8nServer, type Command } from './n8n-server';

export interface QueueServices {
	redis: { port: number };
	postgres: { port: number; user: string; createDatabase(name: string): void };
}

export interface QueueStackOptions {
	line: LineInfo;
	/** The packed package (test/tooling/community-package.js packPackage). */
	tarball: string;
	services: QueueServices;
	workers?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`; n8n warns below 5). */
	concurrency?: number;
	/** Called with each log line of each process, e.g. `worker-1`. */
	onLog?: (process: string, line: string) => void;
	/** Run before any process starts, with main's environment: `n8n import:*` calls. */
	beforeStart?: (cli: (args: string[]) => ReturnType<typeof runCli>) => Promise<void>;
}

const READY_MS = 240_000;

export class QueueStack {
	private constructor(
		readonly line: LineInfo,
		readonly main: N8nServer,
		readonly workers: N8nServer[],
		readonly webhook: N8nServer,
		readonly database: string,
		readonly userFolders: string[],
	) {}

	/** The production URL of a webhook, on the webhook processor. */
	webhookUrl(webhookPath: string): string {
		return this.webhook.webhookUrl(webhookPath);
	}

	/** Every process with its name, main first. */
	get processes(): Array<{ name: string; server: N8nServer }> {
		return [
			{ name: 'main', server: this.main },
			...this.workers.map((server, i) => ({ name: `worker-${i + 1}`, server })),
			{ name: 'webhook', server: this.webhook },
		];
	}

	/** Which processes logged that they ran this execution ("Worker started execution <id>"). */
	ranBy(executionId: string): string[] {
		const started = new RegExp(`Worker started execution ${executionId} \\(job`);
		return this.processes.filter((p) => started.test(p.server.logs())).map((p) => p.name);
	}

	/** Starts main (which migrates the database), then the workers and the webhook processor at once. */
	static async start(options: QueueStackOptions): Promise<QueueStack> {
		const { line } = options;
		const database = `picky_queue_line${line.line}_${Date.now().toString(36)}`;
		options.services.postgres.createDatabase(database);
		const envs = await processEnvs(options, database);
		const userFolders = [envs.main, ...envs.workers, envs.webhook].map((e) => e.N8N_USER_FOLDER!);
		if (options.beforeStart) await options.beforeStart((args) => runCli(line, envs.main, args));

		const started: N8nServer[] = [];
		const startOne = async (name: string, env: NodeJS.ProcessEnv, command: Command) => {
			const args = command === 'worker' ? [`--concurrency=${options.concurrency ?? 5}`] : [];
			const onLog = options.onLog ? (l: string) => options.onLog!(name, l) : undefined;
			const server = N8nServer.start({ line, env, command, args, onLog, readyTimeoutMs: READY_MS });
			started.push(await server);
			return server;
		};
		try {
			const main = await startOne('main', envs.main, 'start');
			const [webhook, ...workers] = await Promise.all([
				startOne('webhook', envs.webhook, 'webhook'),
				...envs.workers.map((env, i) => startOne(`worker-${i + 1}`, env, 'worker')),
			]);
			return new QueueStack(line, main, workers, webhook, database, userFolders);
		} catch (e) {
			await Promise.all(started.map((s) => s.stop()));
			throw e;
		}
	}

	/** Stops every process (webhook processor and workers first, main last); nothing of theirs is left running. */
	async stop(): Promise<void> {
		await Promise.all([this.webhook.stop(), ...this.workers.map((w) => w.stop())]);
		await this.main.stop();
		const alive = this.processes.filter((p) => p.server.groupAlive()).map((p) => p.name);
		if (alive.length) throw new Error(`still running after stop(): ${alive.join(', ')}`);
	}
}

/** What every process of a line shares besides n8nEnv's encryption key: queue mode on one Redis and one database. */
function sharedEnv({ line, services }: QueueStackOptions, database: string): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(services.redis.port),
		QUEUE_BULL_REDIS_DB: String(line.line),
		QUEUE_BULL_PREFIX: `picky-line${line.line}`,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(services.postgres.port),
		DB_POSTGRESDB_DATABASE: database,
		DB_POSTGRESDB_USER: services.postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		// 2.x: its MCP-server registry would try to reach api.n8n.io at start-up; nothing here needs it.
		...(line.line === 2 ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
	};
}

/** Each process's environment, with its own user folder (the package installed in it) and its own ports. */
async function processEnvs(options: QueueStackOptions, database: string) {
	const { line } = options;
	const envFor = async (name: string, extra: NodeJS.ProcessEnv = {}) => {
		const prefix = `picky-queue-n8n${line.line}-${name}-`;
		const { env } = await userFolderWithPackage(line, options.tarball, prefix);
		// SQLite's pool setting means nothing with PostgreSQL.
		delete env.DB_SQLITE_POOL_SIZE;
		return { ...env, ...sharedEnv(options, database), ...extra };
	};
	const main = await envFor('main', { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
	const workers = [];
	for (let i = 1; i <= (options.workers ?? 2); i++)
		workers.push(
			await envFor(`worker-${i}`, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
		);
	return { main, workers, webhook: await envFor('webhook') };
}

/** Where a process of the stack keeps its nodes (for checks that the package is installed on every process). */
export const nodesFolder = (userFolder: string): string =>
	path.join(userFolder, '.n8n', 'nodes', 'node_modules');
