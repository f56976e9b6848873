/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * Pacing belongs to the Picky Assist account: every run of the node in one process (a loop's runs, executions at
 * once) shares one window per token, and a wait — for pacing or for a retry — ends at once when the execution is
 * cancelled. The sandbox drops pushes over its per-token limit while answering them as accepted, as Picky Assist
 * does, so a run that went past the limit shows up as dropped pushes, not in the node's output.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { runWorkflow } from '../tooling/harness';
import { credentialsFor, FIXTURE, rowsOf, stateOf } from './helpers';

// The node's log lines are what this file checks: n8n-core's logger must be on (it reads the level when first used).
process.env.N8N_LOG_LEVEL = 'info';

/** n8n-core's own dependency container (its copy of @n8n/di) and logger class. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { Container } = require(
	require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
) as typeof import('@n8n/di');
const { Logger } = require(
	require.resolve('@n8n/backend-common', { paths: [require.resolve('n8n-core')] }),
) as { Logger: new () => LoggerLike };

interface LoggerLike {
	error(message: string): void;
	warn(message: string): void;
	info(message: string): void;
}
/* eslint-enable @typescript-eslint/no-require-imports */

const LIMIT = 3;
// One token per test: the node's windows live as long as the process (this test file), like the sandbox's.
const TOKENS = ['pace-loop-tok-1111', 'pace-parallel-tok-2222', 'pace-retry-tok-3333'];

let sandbox: Sandbox;
const logged: Array<{ level: keyof LoggerLike; message: string; at: number }> = [];

beforeAll(async () => {
	const logger: LoggerLike = Container.get(Logger);
	// Kept, not printed: a green run stays quiet.
	for (const level of ['error', 'warn', 'info'] as const) {
		jest.spyOn(logger, level).mockImplementation((message: string) => {
			logged.push({ level, message, at: Date.now() });
		});
	}
	sandbox = await startSandbox({ tokens: TOKENS, pushLimit: { pushes: LIMIT, windowMs: 60_000 } });
});
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox?.close();
});

const pacingLines = () => logged.filter((l) => /in the last 60 seconds/.test(l.message));
const cancelLines = () =>
	logged.filter((l) => l.level === 'warn' && /execution was cancelled/.test(l.message));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(token: string, rows: IDataObject[], cancelAfterMs?: number) {
	return await runWorkflow(FIXTURE, {
		credentials: credentialsFor(sandbox, 'v4', token),
		pinData: { Rows: rows.map((json) => ({ json })) },
		pickyParameters: { options: { batchSize: 1, maxPushesPerMinute: LIMIT } },
		cancelAfterMs,
	});
}

/** Waits until the node's cancel line is logged (the node stopped), at most `ms`. */
async function nodeStopped(from: number, ms: number): Promise<number | undefined> {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		const line = cancelLines().find((l) => l.at >= from);
		if (line) return line.at;
		await sleep(20);
	}
	return undefined;
}

test('the runs of a loop share the account window: after 3 runs filled it, a 4th run waits instead of sending a push the account would drop; cancelled, it stops at once and says what it did not send', async () => {
	const [token] = TOKENS;
	for (let i = 0; i < LIMIT; i++) {
		const result = await run(token, rowsOf(1, i));
		expect(result.error).toBeUndefined();
		expect(result.output.map(stateOf)).toEqual(['accepted']);
	}
	expect(pacingLines()).toEqual([]); // no wait, no line

	const cancelledAt = Date.now() + 500;
	const fourth = await run(token, rowsOf(2, 10), 500);
	expect(fourth.run.status).toBe('canceled');
	const stoppedAt = await nodeStopped(cancelledAt, 3000);
	expect(stoppedAt).toBeDefined();
	expect(stoppedAt! - cancelledAt).toBeLessThan(1000);

	await sleep(300);
	expect(sandbox.pushes().filter((p) => p.body.token === token)).toHaveLength(LIMIT);
	expect(sandbox.droppedCount(token)).toBe(0);
	// One line for the wait (not one per row), one for the cancel, naming the rows that were not sent.
	expect(pacingLines().map((l) => l.message)).toEqual([
		expect.stringMatching(
			/3 requests went out with this account in the last 60 seconds \(limit 3\); the next one waits \d+ s/,
		),
	]);
	expect(cancelLines().map((l) => [l.level, l.message])).toEqual([
		['warn', expect.stringMatching(/No push of this run was queued.*Not sent: items 0–1\./)],
	]);
});

test('two executions at once with one account send no more than its limit together (each alone would have room for its own pushes)', async () => {
	const token = TOKENS[1];
	logged.length = 0;
	const both = await Promise.all([run(token, rowsOf(2, 0), 1500), run(token, rowsOf(2, 2), 1500)]);
	await nodeStopped(0, 3000);
	await sleep(300);
	expect(sandbox.pushes().filter((p) => p.body.token === token)).toHaveLength(LIMIT);
	expect(sandbox.droppedCount(token)).toBe(0);
	// One execution got both its pushes out; the other got one, and its second waited until the cancel.
	expect(both.map((r) => r.run.status).sort()).toEqual(['canceled', 'success']);
	// Exactly one push waited, and it was not sent.
	expect(pacingLines()).toHaveLength(1);
	expect(cancelLines().map((l) => l.message)).toEqual([
		expect.stringMatching(/Not sent: item 1\./),
	]);
});

test('a wait before a retry ends at once on cancel: nothing more is sent', async () => {
	const token = TOKENS[2];
	logged.length = 0;
	// Picky Assist refuses the push with HTTP 429 and asks for a minute: the node would wait before retrying.
	sandbox.addFault({ endpoint: 'push', kind: 'http429', retryAfter: 60 });
	const cancelledAt = Date.now() + 700;
	const result = await runWorkflow(FIXTURE, {
		credentials: credentialsFor(sandbox, 'v4', token),
		pinData: { Rows: rowsOf(1).map((json) => ({ json })) },
		pickyParameters: { options: { maxRetryWaitSeconds: 120 } },
		cancelAfterMs: 700,
	});
	expect(result.run.status).toBe('canceled');
	const stoppedAt = await nodeStopped(cancelledAt, 3000);
	expect(stoppedAt).toBeDefined();
	expect(stoppedAt! - cancelledAt).toBeLessThan(1000);
	await sleep(300);
	expect(sandbox.pushes().filter((p) => p.body.token === token)).toHaveLength(1);
	expect(cancelLines().map((l) => l.message)).toEqual([
		expect.stringMatching(/Not sent: item 0\./),
	]);
});
