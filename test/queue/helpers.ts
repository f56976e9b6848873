/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * What the queue-mode tests need around a QueueStack: the credentials and workflows they import, and the figures
 * of a paced send read from the sandbox (pushes, drops, the busiest 60 s).
 */
import * as fs from 'fs';
import * as path from 'path';

import type { Sandbox } from '../sandbox';
import type { QueueStack } from '../tooling/n8n-queue';
import { e2eState } from '../e2e/lines';
import {
	REPO_ROOT,
	importCredentialsAndWorkflows,
	readWorkflows,
	type CliResult,
	type WorkflowJson,
} from '../tooling/n8n-cli';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createDatabase } = require('../tooling/queue-services') as {
	createDatabase(pg: { port: number; bin: string; user: string }, name: string): void;
};

/**
 * What the global setup left for the test files: the n8n lines and the packed tarball ($PICKY_E2E_STATE), and the
 * Redis and PostgreSQL it started ($PICKY_QUEUE_SERVICES).
 */
export function suiteState() {
	const statePath = process.env.PICKY_E2E_STATE;
	const servicesJson = process.env.PICKY_QUEUE_SERVICES;
	if (!statePath || !servicesJson)
		throw new Error('run through jest (npm run test:queue), whose queue project sets PICKY_E2E_STATE and PICKY_QUEUE_SERVICES');
	const state = e2eState();
	const svc = JSON.parse(servicesJson) as {
		redis: { port: number };
		postgres: { port: number; bin: string; user: string };
	};
	const postgres = {
		...svc.postgres,
		createDatabase: (n: string) => createDatabase(svc.postgres, n),
	};
	return { state, services: { redis: svc.redis, postgres } };
}

export const GATE_EXAMPLE = path.join(
	REPO_ROOT,
	'examples',
	'queue-mode',
	'send-paced-across-workers-redis-gate.json',
);
export const TOKENS = {
	main: 'queueMainTok-Qm4r8Vz1-SECRET',
	node: 'queueNodeTok-Np2x7Kd5-SECRET',
	fallback: 'queueFallTok-Fb9w3Hc6-SECRET',
	gate: 'queueGateTok-Gt6y1Ls8-SECRET',
};
const CRED_IDS: Record<keyof typeof TOKENS, string> = {
	main: 'queuePickyMain01',
	node: 'queuePickyNode01',
	fallback: 'queuePickyFall01',
	gate: 'queuePickyGate01',
};
const REDIS_CRED_ID = 'RedisQueueGate01';
/** Worker processes of the stack: each keeps its own pacing window per account. */
export const WORKERS = 2;
/** Max Pushes per Minute for the workers sharing one account without the gate: the README's ⌊90 ÷ processes⌋. */
export const FALLBACK_PER_PROCESS = Math.floor(90 / WORKERS);

const byFile = (dir: string) => {
	const all = readWorkflows(dir);
	return (file: string): WorkflowJson => {
		const w = all.find((t) => path.basename(t.file) === file);
		if (!w?.wf.id) throw new Error(`workflow ${file} missing or without id`);
		return JSON.parse(JSON.stringify(w.wf)) as WorkflowJson;
	};
};
const testWorkflow = byFile(path.join(__dirname, 'workflows'));

function useCredential(wf: WorkflowJson, which: keyof typeof TOKENS): void {
	for (const nd of wf.nodes)
		if (nd.credentials?.pickyAssistApi)
			nd.credentials.pickyAssistApi = { id: CRED_IDS[which], name: `Picky Assist (${which})` };
}
const nodeNamed = (wf: WorkflowJson, name: string) => {
	const nd = wf.nodes.find((n) => n.name === name);
	if (!nd) throw new Error(`${wf.name}: no node "${name}"`);
	return nd as typeof nd & { parameters: Record<string, unknown> };
};

/** The workflows of the suite, each with its own account (token) so their pushes can be told apart. */
export function queueWorkflows(batchSize: number) {
	const send = testWorkflow('queue-send.json');
	const events = testWorkflow('queue-events.json');
	const node = testWorkflow('queue-pace-node.json');
	// The fallback is the same workflow with the node's pacing at 90 ÷ the workers. Executions on one worker share its
	// window; the node counts a push from its answer, which comes after Picky Assist counted its arrival, so each
	// worker's share holds in arrival times too.
	const fallback = testWorkflow('queue-pace-node.json');
	fallback.id = 'queuePaceFallbk1';
	fallback.name = "Queue: send rows, the node's pacing at 90 ÷ the workers";
	nodeNamed(fallback, 'Rows in').parameters.path = 'queue-pace-fallback';
	nodeNamed(fallback, 'Rows in').webhookId = 'd1c00000-0000-4000-8000-0000000000d2';
	useCredential(fallback, 'fallback');
	Object.assign(nodeNamed(fallback, 'Send').parameters.options as object, {
		maxPushesPerMinute: FALLBACK_PER_PROCESS,
	});
	// The shipped example as users import it; only its batch size is small, so 50 pushes take 100 rows.
	const gate = JSON.parse(fs.readFileSync(GATE_EXAMPLE, 'utf8')) as WorkflowJson;
	useCredential(gate, 'gate');
	nodeNamed(gate, 'One push at a time').parameters.batchSize = batchSize;
	Object.assign(nodeNamed(gate, 'Send').parameters.options as object, { batchSize });
	for (const w of [node, fallback])
		Object.assign(nodeNamed(w, 'Send').parameters.options as object, { batchSize });
	return { send, events, node, fallback, gate };
}

/** Credentials for `n8n import:credentials`: one Picky Assist account per token, and the gate's Redis. */
function queueCredentials(sandboxUrl: string, redis: { port: number; database: number }) {
	return [
		...Object.entries(TOKENS).map(([which, token]) => ({
			id: CRED_IDS[which as keyof typeof TOKENS],
			name: `Picky Assist (${which})`,
			type: 'pickyAssistApi',
			data: { apiToken: token, apiHost: 'custom', customUrl: sandboxUrl },
		})),
		{
			id: REDIS_CRED_ID,
			name: 'Redis (queue mode)',
			type: 'redis',
			data: { host: '127.0.0.1', port: redis.port, database: redis.database, password: '' },
		},
	];
}

/** Imports the credentials and the workflows with `n8n import:*` (main's environment, before the start). */
export async function importInto(
	cli: (args: string[]) => Promise<CliResult>,
	workflows: WorkflowJson[],
	sandboxUrl: string,
	redis: { port: number; database: number },
): Promise<void> {
	await importCredentialsAndWorkflows(cli, queueCredentials(sandboxUrl, redis), workflows);
}

/** Where an execution ran, from the logs: the process that ran it, and whether the webhook processor queued it. */
export function whereItRan(stack: QueueStack, id: string) {
	return {
		id,
		ranBy: stack.ranBy(id),
		enqueuedByWebhookProcessor: stack.webhook.logs().includes(`Enqueued execution ${id} (job`),
		inMainLog: new RegExp(`execution ${id}\\b`).test(stack.main.logs()),
	};
}

export const webhookPathOf = (wf: WorkflowJson): string =>
	String(wf.nodes.find((nd) => nd.type === 'n8n-nodes-base.webhook')?.parameters?.path);

export interface PaceFigures {
	/** Push requests the sandbox received with this token. */
	received: number;
	accepted: number;
	dropped: number;
	/** The most accepted pushes in any 60 s window. */
	busiestMinute: number;
	/** The most pushes received (accepted or dropped) in any 60 s window: what the senders let out. */
	busiestMinuteReceived: number;
	/** Accepted pushes per minute from the first push to the last. */
	perMinute: number;
	seconds: number;
	/** Every number of every accepted push, in arrival order. */
	numbers: string[];
}

/** The most of these moments that fall in any 60 s window. */
function busiestMinute(moments: readonly number[]): number {
	const times = [...moments].sort((a, b) => a - b);
	let busiest = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= 60_000) j++;
		busiest = Math.max(busiest, i - j + 1);
	}
	return busiest;
}

/** What one account's pushes did at the sandbox. */
export function paceFigures(sandbox: Sandbox, token: string): PaceFigures {
	const received = sandbox.pushes().filter((r) => r.body?.token === token);
	const accepted = sandbox.acceptedPushes.filter((a) => a.request.body?.token === token);
	const all = received.map((r) => r.receivedAt);
	const span = all.length > 1 ? Math.max(...all) - Math.min(...all) : 0;
	return {
		received: received.length,
		accepted: accepted.length,
		dropped: sandbox.droppedCount(token),
		busiestMinute: busiestMinute(accepted.map((a) => a.request.receivedAt)),
		busiestMinuteReceived: busiestMinute(all),
		perMinute: span > 0 ? Math.round(((accepted.length - 1) * 60_000 * 10) / span) / 10 : 0,
		seconds: Math.round(span / 100) / 10,
		numbers: accepted.flatMap((a) =>
			(a.request.body.data as Array<{ number: string }>).map((d) => d.number),
		),
	};
}

/** `count` rows with numbers no other row of the run has. */
export function rows(prefix: string, count: number): Array<{ number: string; message: string }> {
	return Array.from({ length: count }, (_, i) => ({
		number: `${prefix}${String(i).padStart(4, '0')}`,
		message: `Hello ${prefix}-${i} ☕`,
	}));
}
