/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * The token travels in every push body, so every error n8n's request helper builds carries it. Run every failure
 * mode and search the whole serialised run (output items, node error, its description and causes) for it.
 */
import { ErrorReporter } from 'n8n-core';

import { FAULT_KINDS, startSandbox, type Fault, type FaultKind, type Sandbox } from '../sandbox';
import { rowsOf, send, stateOf, TOKEN } from './helpers';

let sandbox: Sandbox;
let echo: Sandbox;

// Everything written to the console (n8n's logger and error reporter included) during the runs.
const logged: string[] = [];
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** n8n-core's own dependency container (its copy of @n8n/di), where its error reporter lives. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require(
	require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
) as typeof import('@n8n/di');

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN] });
	// n8n hands every node error to its error reporter, which logs it (and sends it to Sentry where set up):
	// keep what it is given, on top of what reaches the console.
	const reporter = Container.get(ErrorReporter);
	jest
		.spyOn(reporter, 'error')
		.mockImplementation((error: unknown, options?: Parameters<ErrorReporter['error']>[1]) => {
			const record = error as { message?: unknown; stack?: unknown };
			logged.push(
				`${String(record?.message)} ${String(record?.stack)} ${JSON.stringify(options ?? {})}`,
			);
		});
	for (const method of consoleMethods) {
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			logged.push(
				args
					.map((arg) =>
						typeof arg === 'string'
							? arg
							: JSON.stringify(arg, Object.getOwnPropertyNames(arg ?? {})),
					)
					.join(' '),
			);
		});
	}
});
afterEach(() => sandbox.reset());
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox.close();
});

/** What was logged since `start` (an index into `logged`), as one text. */
const loggedSince = (start: number) => logged.slice(start).join('\n');

/**
 * One fault of every kind the sandbox has, and whether the rows can all end accepted under it. The list is
 * checked against the sandbox's FAULT_KINDS, so a new kind of fault is not left out of this test.
 */
const FAULTS: Record<FaultKind, { fault: Fault; allAccepted: boolean }> = {
	http500: { fault: { kind: 'http500' }, allAccepted: false },
	'http502-html': { fault: { kind: 'http502-html' }, allAccepted: false },
	html200: { fault: { kind: 'html200' }, allAccepted: false },
	http429: { fault: { kind: 'http429' }, allAccepted: false },
	http401: { fault: { kind: 'http401' }, allAccepted: false },
	status: { fault: { kind: 'status', status: 403 }, allAccepted: false },
	'reset-before': { fault: { kind: 'reset-before' }, allAccepted: false },
	timeout: { fault: { kind: 'timeout' }, allAccepted: false },
	delay: { fault: { kind: 'delay', ms: 5 }, allAccepted: true },
	reset: { fault: { kind: 'reset' }, allAccepted: false },
	malformed: { fault: { kind: 'malformed' }, allAccepted: false },
	drip: { fault: { kind: 'drip', intervalMs: 400 }, allAccepted: false },
	shuffle: { fault: { kind: 'shuffle' }, allAccepted: true },
	short: { fault: { kind: 'short' }, allAccepted: false },
	extra: { fault: { kind: 'extra' }, allAccepted: true },
	'no-msg-id': { fault: { kind: 'no-msg-id' }, allAccepted: false },
	'no-data': { fault: { kind: 'no-data' }, allAccepted: false },
	'string-status': { fault: { kind: 'string-status' }, allAccepted: true },
	'duplicate-entry': { fault: { kind: 'duplicate-entry' }, allAccepted: true },
	'foreign-number': { fault: { kind: 'foreign-number' }, allAccepted: false },
	redirect: {
		fault: { kind: 'redirect', status: 307, location: 'http://127.0.0.1:9/push' },
		allAccepted: false,
	},
	raw: {
		fault: { kind: 'raw', status: 500, body: '{"status":500,"message":"no $TOKEN"}' },
		allAccepted: false,
	},
};

test('every fault kind of the sandbox is covered', () => {
	expect(Object.keys(FAULTS).sort()).toEqual([...FAULT_KINDS].sort());
});

describe.each([false, true])('continue-on-fail %s', (continueOnFail) => {
	test.each(Object.entries(FAULTS))(
		'%s: the outcome is reported, and the token appears nowhere in the run',
		async (_kind, { fault, allAccepted }) => {
			const logStart = logged.length;
			sandbox.addFault(fault);
			const result = await send(sandbox, rowsOf(3), {
				onError: continueOnFail ? 'continueRegularOutput' : undefined,
				options: { requestTimeoutSeconds: 1, maxRetries: 0 },
			});
			expect(sandbox.pushes().length).toBeGreaterThanOrEqual(1);
			expect(sandbox.pushes()[0].body.token).toBe(TOKEN);
			if (continueOnFail || allAccepted) {
				expect(result.error).toBeUndefined();
				expect(result.output).toHaveLength(3);
				const accepted = result.output.filter((item) => stateOf(item) === 'accepted').length;
				if (allAccepted) expect(accepted).toBe(3);
				else expect(accepted).toBeLessThan(3);
			} else {
				expect(result.error).toBeDefined();
			}
			expect(result.serialized).not.toContain(TOKEN);
			expect(loggedSince(logStart)).not.toContain(TOKEN);
		},
	);
});

test("n8n's error reporter and the console get the node's errors, and never the token", async () => {
	// Asserted inside a test, where a failure fails the file (an assertion in afterAll does not fail a test).
	const logStart = logged.length;
	sandbox.addFault({ kind: 'status', status: 410, message: `Invalid Request: token ${TOKEN}` });
	const refused = await send(sandbox, rowsOf(2), { options: { maxRetries: 0 } });
	expect(refused.error).toBeDefined();
	const invalid = await send(sandbox, [{ number: `call ${TOKEN}`, message: 'x' }]);
	expect(invalid.error).toBeDefined();
	// Lines n8n writes a moment after the run count too.
	await new Promise((resolve) => setImmediate(resolve));
	// n8n logs the node errors provoked here, so the log cannot be empty: the check is never looking at nothing.
	expect(loggedSince(logStart)).toMatch(/NodeApiError|NodeOperationError/);
	expect(loggedSince(logStart)).not.toContain(TOKEN);
});

test('a token echoed back by a broken proxy or server is redacted from errors', async () => {
	sandbox.addFault({
		kind: 'status',
		status: 410,
		message: `Invalid Request: token ${TOKEN} is not valid here`,
	});
	const failed = await send(sandbox, rowsOf(2));
	expect(String(failed.error?.message)).toContain('token [redacted] is not valid here');
	expect(failed.serialized).not.toContain(TOKEN);

	sandbox.addFault({ kind: 'status', status: 410, message: `echo ${TOKEN}` });
	const continued = await send(sandbox, rowsOf(2), { onError: 'continueRegularOutput' });
	expect(continued.output).toHaveLength(2);
	expect(continued.serialized).not.toContain(TOKEN);
});

test('a row whose number or message contains the token does not echo it in the error', async () => {
	const result = await send(sandbox, [{ number: `call ${TOKEN}`, message: 'x' }]);
	expect(result.error).toBeDefined();
	expect(String(result.error?.message)).not.toContain(TOKEN);
	expect(String((result.error as unknown as { description: string }).description)).not.toContain(
		TOKEN,
	);
});

test('connection refused (an error built by n8n from the request it sent) does not leak the token', async () => {
	echo = await startSandbox();
	const url = echo.baseUrl();
	await echo.close();
	for (const onError of [undefined, 'continueRegularOutput'] as const) {
		const result = await send(sandbox, rowsOf(2), {
			credentials: { apiToken: TOKEN, apiHost: 'custom', customUrl: url },
			options: { maxRetries: 0 },
			onError,
		});
		expect(result.error !== undefined || result.output.length === 2).toBe(true);
		expect(result.serialized).not.toContain(TOKEN);
	}
});

test('a token split by an HTML tag in an error page shows in no message, item or stored run', async () => {
	// The part after the tag is long enough to be redacted on its own; the part before it is not, and used to
	// be left in front of "[redacted]" once the tags were stripped for the message.
	const split = `${TOKEN.slice(0, 11)}<b>${TOKEN.slice(11)}</b>`;
	const page = `<html><body><h1>Bad Request</h1><p>token ${split} refused</p></body></html>`;
	for (const onError of [undefined, 'continueRegularOutput'] as const) {
		sandbox.addFault({ kind: 'raw', status: 400, body: page, contentType: 'text/html' });
		const result = await send(sandbox, rowsOf(1), { onError });
		expect(result.error !== undefined || result.output.length === 1).toBe(true);
		expect(result.serialized).toContain('token [redacted] refused');
		expect(result.serialized).not.toContain(TOKEN.slice(0, 8));
		expect(result.serialized).not.toContain(TOKEN.slice(-8));
	}
});
