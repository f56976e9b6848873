/**
 * The token travels in every push body, so every error n8n's request helper builds carries it. Run every failure
 * mode and search the whole serialised run (output items, node error, its description and causes) for it.
 */
import type { Fault } from '../../sandbox';
import { startSandbox, type Sandbox } from '../../sandbox';
import { rowsOf, send, TOKEN } from './helpers';

let sandbox: Sandbox;
let echo: Sandbox;

// Everything written to the console (n8n's logger and error reporter included) during the runs.
const logged: string[] = [];
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN] });
	for (const method of consoleMethods) {
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			logged.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg, Object.getOwnPropertyNames(arg ?? {})))).join(' '));
		});
	}
});
afterEach(() => sandbox.reset());
afterAll(async () => {
	jest.restoreAllMocks();
	await sandbox.close();
	// Checked once all the runs are done, so that late log lines count too.
	expect(logged.join('\n')).not.toContain(TOKEN);
});

const faults: Fault[] = [
	{ kind: 'http500' },
	{ kind: 'http502-html' },
	{ kind: 'html200' },
	{ kind: 'http401' },
	{ kind: 'status', status: 401 },
	{ kind: 'status', status: 403 },
	{ kind: 'reset' },
	{ kind: 'reset-before' },
	{ kind: 'malformed' },
	{ kind: 'short' },
	{ kind: 'extra' },
	{ kind: 'no-msg-id' },
	{ kind: 'no-data' },
	{ kind: 'foreign-number' },
	{ kind: 'timeout' },
];

describe.each([false, true])('continue-on-fail %s', (continueOnFail) => {
	test.each(faults.map((fault) => [fault.kind, fault] as const))('%s: the token appears nowhere in the run', async (_kind, fault) => {
		sandbox.addFault(fault);
		const result = await send(sandbox, rowsOf(3), {
			onError: continueOnFail ? 'continueRegularOutput' : undefined,
			options: { requestTimeoutSeconds: 1, maxRetries: 0 },
		});
		expect(sandbox.pushes().length).toBeGreaterThanOrEqual(1);
		expect(sandbox.pushes()[0].body.token).toBe(TOKEN);
		// The run must have reported something for the fault (an error or error items), and never the token.
		expect(result.error !== undefined || result.output.length === 3).toBe(true);
		expect(result.serialized).not.toContain(TOKEN);
	});
});

test('a token echoed back by a broken proxy or server is redacted from errors', async () => {
	sandbox.addFault({ kind: 'status', status: 410, message: `Invalid Request: token ${TOKEN} is not valid here` });
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
	expect(String((result.error as unknown as { description: string }).description)).not.toContain(TOKEN);
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
