/**
 * Misbehaving servers, messy cells and n8n's own retries, through the real engine against the sandbox: what an
 * attacker on the network path, a broken proxy or a careless CSV export presents. Each test names the promise it
 * keeps: the token never follows a redirect, no row is sent twice, no number is changed.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { runWorkflow } from '../tooling/harness';
import {
	acceptedNumbers,
	CONTINUE,
	credentialsFor,
	detailsOf,
	errorMessageOf,
	expectedNumber,
	FIXTURE,
	rowsOf,
	runError,
	send,
	stateOf,
	TOKEN,
} from './helpers';

let sandbox: Sandbox;
/** Another origin, standing for wherever a redirect points. */
let elsewhere: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 100000 });
	elsewhere = await startSandbox({ balance: 100000 });
});
afterEach(() => {
	sandbox.reset();
	elsewhere.reset();
});
afterAll(async () => {
	await sandbox.close();
	await elsewhere.close();
});

describe('redirects: the token never follows one, and a redirect is not a push result', () => {
	test.each([307, 308] as const)(
		'HTTP %i from /push → rejected with the redirect hint; nothing reaches the other origin; sent once',
		async (status) => {
			sandbox.setFault({ kind: 'redirect', status, location: `${elsewhere.baseUrl()}/push` });
			const result = await send(sandbox, rowsOf(3), { onError: CONTINUE });
			expect(result.error).toBeUndefined();
			expect(sandbox.pushes()).toHaveLength(1);
			expect(elsewhere.requests).toHaveLength(0);
			expect(result.output.map(stateOf)).toEqual(['rejected', 'rejected', 'rejected']);
			expect(String(detailsOf(result.output[0]).hint)).toMatch(/redirects.*Custom URL/);
		},
	);

	test.each([301, 302, 303] as const)(
		'HTTP %i after the server processed the push → unknown, sent exactly once',
		async (status) => {
			// The other origin is a closed port: following the redirect used to fail there and report "nothing queued".
			sandbox.setFault({
				kind: 'redirect',
				status,
				location: 'http://127.0.0.1:9/push',
				process: true,
			});
			const result = await send(sandbox, rowsOf(2), {
				onError: CONTINUE,
				options: { maxRetries: 3 },
			});
			expect(sandbox.pushes()).toHaveLength(1);
			expect(sandbox.acceptedPushes).toHaveLength(1);
			expect(result.output.map(stateOf)).toEqual(['unknown', 'unknown']);
			expect(errorMessageOf(result.output[0])).toMatch(
				new RegExp(`redirect \\(HTTP ${status}\\).*may or may not have been queued`),
			);
		},
	);

	test('without Continue the node error says the rows were not queued and names the redirect', async () => {
		sandbox.setFault({ kind: 'redirect', status: 307, location: `${elsewhere.baseUrl()}/push` });
		const result = await send(sandbox, rowsOf(2));
		const error = runError(result);
		expect(error.message).toMatch(/rejected push 1 of 1.*HTTP 307/);
		expect(error.description).toMatch(/redirects/);
		expect(elsewhere.requests).toHaveLength(0);
	});
});

describe("n8n's Retry On Fail never sends a row twice", () => {
	const RETRY: Partial<INode> = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };

	test('push 2 refused (nothing queued) → the retry sends push 2 and 3 only; every row accepted once, msg_ids kept', async () => {
		// Push 1 is accepted; push 2 gets "Service Unavailable" once; the retry must not resend push 1.
		sandbox.addFault({ kind: 'delay', ms: 1 });
		sandbox.addFault({ kind: 'status', status: 101 });
		const rows = rowsOf(6);
		const result = await send(sandbox, rows, { settings: RETRY, options: { batchSize: 2 } });
		expect(result.error).toBeUndefined();
		expect(result.output.map(stateOf)).toEqual(Array(6).fill('accepted'));
		expect(result.output.map((item) => item.json.number)).toEqual(
			rows.map((_, i) => expectedNumber(i)),
		);
		expect(acceptedNumbers(sandbox).sort()).toEqual(rows.map((_, i) => expectedNumber(i)).sort());
		// Push 1 once, push 2 refused then sent again, push 3 once.
		expect(
			sandbox
				.pushes()
				.map((push) => push.body.data.map((entry: { number: string }) => entry.number)),
		).toEqual([
			[expectedNumber(0), expectedNumber(1)],
			[expectedNumber(2), expectedNumber(3)],
			[expectedNumber(2), expectedNumber(3)],
			[expectedNumber(4), expectedNumber(5)],
		]);
		const firstPush = sandbox.acceptedPushes[0];
		expect(result.output[0].json).toMatchObject({
			msg_id: firstPush.response.data[0].msg_id,
			push_id: firstPush.push_id,
		});
		expect(new Set(result.output.map((item) => item.json.msg_id)).size).toBe(6);
	});

	test('push 2 without a clear answer → later tries send nothing more; the error names every row once', async () => {
		sandbox.addFault({ kind: 'delay', ms: 1 });
		sandbox.addFault({ kind: 'reset' }); // processed, then the connection drops: may or may not be queued
		const result = await send(sandbox, rowsOf(6), { settings: RETRY, options: { batchSize: 2 } });
		const error = runError(result);
		expect(sandbox.pushes()).toHaveLength(2);
		expect(acceptedNumbers(sandbox)).toEqual([
			expectedNumber(0),
			expectedNumber(1),
			expectedNumber(2),
			expectedNumber(3),
		]);
		expect(error.message).toMatch(/items 2–3.*earlier try.*may or may not have been queued/);
		expect(error.description).toMatch(/do not send these rows again: push_id \d+ \(items 0–1\)/);
		expect(error.description).toMatch(/May or may not have been queued: items 2–3/);
		expect(error.description).toMatch(/Not sent: items 4–5/);
	});

	test('with Continue, an error item first makes n8n retry the node: the valid rows still go out once', async () => {
		const rows = [{ number: 'not a number', message: 'x' }, ...rowsOf(3)];
		const result = await send(sandbox, rows, { settings: { ...RETRY, onError: CONTINUE } });
		expect(result.output.map(stateOf)).toEqual(['rejected', 'accepted', 'accepted', 'accepted']);
		expect(sandbox.pushes()).toHaveLength(1);
		expect(acceptedNumbers(sandbox)).toHaveLength(3);
	});
});

describe('numbers written as decimals or two to a cell', () => {
	test('zeros after the point are dropped, other fractions and joined numbers refused; nothing else sent', async () => {
		const rows = [
			{ number: '447700900001.0', message: 'a' },
			{ number: '447700900002.00', message: 'b' },
			{ number: '07700 900003.0', message: 'c' },
			{ number: '447700900004.5', message: 'd' },
			{ number: '447700900005/6', message: 'e' },
			{ number: '447700900007 ext 12', message: 'f' },
		];
		const result = await send(sandbox, rows, {
			onError: CONTINUE,
			options: { defaultCountryCode: '44' },
		});
		expect(sandbox.pushes()[0].body.data.map((entry: { number: string }) => entry.number)).toEqual([
			'447700900001',
			'447700900002',
			'447700900003',
		]);
		expect(result.output.map(stateOf)).toEqual([
			'accepted',
			'accepted',
			'accepted',
			'rejected',
			'rejected',
			'rejected',
		]);
		expect(errorMessageOf(result.output[3])).toMatch(
			/^In item 3, "Number" ends in the decimal part ".5"/,
		);
	});
});

describe('message values', () => {
	test('true, false, NaN and Infinity are refused with the reason; strings and finite numbers are sent', async () => {
		const rows: IDataObject[] = [
			{ number: '447700900001', message: true },
			{ number: '447700900002', message: false },
			{ number: '447700900003', message: NaN },
			{ number: '447700900004', message: Infinity },
			{ number: '447700900005', message: 12.5 },
		];
		const result = await send(sandbox, rows, { onError: CONTINUE });
		expect(result.output.map(stateOf)).toEqual([
			'rejected',
			'rejected',
			'rejected',
			'rejected',
			'accepted',
		]);
		expect(sandbox.pushes()[0].body.data).toEqual([{ number: '447700900005', message: '12.5' }]);
		expect(errorMessageOf(result.output[0])).toMatch(/"Message" is true \(a yes\/no value\)/);
		expect(errorMessageOf(result.output[2])).toMatch(/"Message" is the number NaN/);
	});
});

describe('Request Timeout bounds the whole answer', () => {
	test('a server that sends its headers and then one byte a second → unknown after the timeout, sent once', async () => {
		sandbox.setFault({ kind: 'drip', intervalMs: 1000, process: true });
		const started = Date.now();
		const result = await send(sandbox, rowsOf(2), {
			onError: CONTINUE,
			options: { requestTimeoutSeconds: 2 },
		});
		const elapsed = Date.now() - started;
		expect(result.output.map(stateOf)).toEqual(['unknown', 'unknown']);
		expect(errorMessageOf(result.output[0])).toMatch(
			/No complete answer from Picky Assist within 2 s/,
		);
		expect(sandbox.pushes()).toHaveLength(1);
		// The drip would take minutes; the node stops waiting at its deadline.
		expect(elapsed).toBeLessThan(20_000);
	}, 30_000);

	test.each([0, -1, 1e9, 4000])(
		'Request Timeout %p is refused before anything is sent',
		async (seconds) => {
			const result = await send(sandbox, rowsOf(1), {
				options: { requestTimeoutSeconds: seconds },
			});
			expect(runError(result).message).toMatch(/"Request Timeout \(Seconds\)"/);
			expect(sandbox.requests).toHaveLength(0);
		},
	);
});

describe('a server that echoes the token', () => {
	const echoes: Array<
		[string, (numbers: string[]) => { status: number; body: string; contentType?: string }]
	> = [
		[
			'as push_id, msg_id and credit',
			(numbers) => ({
				status: 200,
				body: JSON.stringify({
					status: 100,
					push_id: '$TOKEN',
					message: 'Success $TOKEN',
					data: numbers.map((number, i) => ({
						msg_id: i === 0 ? '$TOKEN' : `x$TOKEN${i}`,
						number,
						credit: '$TOKEN',
					})),
				}),
			}),
		],
		[
			'in an error message',
			() => ({ status: 200, body: '{"status":401,"message":"Authentication Failed for $TOKEN"}' }),
		],
		[
			'JSON-escaped in a 500',
			() => ({ status: 500, body: '{"status":500,"message":"token \\"$TOKEN_JSON\\" rejected"}' }),
		],
		[
			'cut at the excerpt boundary of an HTML page',
			() => ({
				status: 400,
				body: `<html><body>${'x'.repeat(178)} $TOKEN</body></html>`,
				contentType: 'text/html',
			}),
		],
		[
			'cut at the excerpt boundary of a page that is not JSON',
			() => ({ status: 200, body: `${'x'.repeat(178)} $TOKEN`, contentType: 'text/plain' }),
		],
		[
			'split by tags',
			() => ({
				status: 400,
				body: '<p>bad <i>pa-tok_9f8e7d6c</i>5b4a3210-SECRET</p>',
				contentType: 'text/html',
			}),
		],
		[
			'in unexpected entries',
			(numbers) => ({
				status: 200,
				body: JSON.stringify({
					status: 100,
					push_id: '1',
					data: [
						{ msg_id: '2', number: numbers[0] },
						{ msg_id: '$TOKEN', number: '$TOKEN' },
					],
				}),
			}),
		],
		[
			"in unexpected entries, across the warning's cut",
			(numbers) => ({
				status: 200,
				body: JSON.stringify({
					status: 100,
					push_id: '1',
					data: [
						{ msg_id: '2', number: numbers[0] },
						{ note: 'y'.repeat(460), msg_id: '$TOKEN' },
					],
				}),
			}),
		],
	];

	test.each(echoes)('%s: nowhere in items, errors or the stored run', async (_label, answer) => {
		for (const onError of [CONTINUE, undefined]) {
			sandbox.reset();
			const rows = rowsOf(2);
			sandbox.setFault({
				kind: 'raw',
				process: true,
				...answer(rows.map((_, i) => expectedNumber(i))),
			});
			const result = await send(sandbox, rows, { onError });
			expect(result.serialized).not.toContain(TOKEN);
			expect(result.serialized).not.toContain(TOKEN.slice(0, 15));
			expect(result.serialized).not.toContain(TOKEN.slice(-15));
			expect(sandbox.pushes()).toHaveLength(1);
		}
	});

	test('a token with quotes and backslashes, echoed JSON-escaped in a page that is not JSON', async () => {
		const odd = 'pa"tok\\9f8e7d6c5b4a3210"SECRET';
		const escaped = JSON.stringify(odd).slice(1, -1);
		sandbox.setFault({
			kind: 'raw',
			status: 400,
			body: 'Token "$TOKEN_JSON" is not valid here',
			contentType: 'text/plain',
		});
		const result = await send(sandbox, rowsOf(1), { token: odd, onError: CONTINUE });
		expect(stateOf(result.output[0])).toBe('rejected');
		expect(result.serialized).not.toContain(escaped);
		expect(result.serialized).not.toContain(JSON.stringify(escaped).slice(1, -1));
		expect(result.serialized).not.toContain('9f8e7d6c5b4a3210');
	});

	test('two rows never show the same msg_id, even when the server gives one twice', async () => {
		const rows = rowsOf(2);
		sandbox.setFault({
			kind: 'raw',
			status: 200,
			process: true,
			body: JSON.stringify({
				status: 100,
				push_id: '5',
				data: rows.map((_, i) => ({ msg_id: '77', number: expectedNumber(i) })),
			}),
		});
		const result = await send(sandbox, rows, { onError: CONTINUE });
		expect(result.output.map(stateOf)).toEqual(['accepted', 'unknown']);
	});
});

describe('ids exactly as sent, and contradictory answers', () => {
	test('push_id and msg_id given as JSON numbers beyond 2^53 keep every digit, as strings', async () => {
		const rows = rowsOf(2);
		sandbox.setFault({
			kind: 'raw',
			status: 200,
			process: true,
			body: `{"status":100,"push_id":98765432109876543210,"data":[{"msg_id":12345678901234567890,"number":"${expectedNumber(0)}","credit":0.005},{"msg_id":12345678901234567891,"number":"${expectedNumber(1)}","credit":0.005}]}`,
		});
		const result = await send(sandbox, rows);
		expect(result.output.map((item) => [item.json.push_id, item.json.msg_id])).toEqual([
			['98765432109876543210', '12345678901234567890'],
			['98765432109876543210', '12345678901234567891'],
		]);
	});

	test('HTTP 500 with a body that says status 100 → unknown, not "rejected: Success"', async () => {
		sandbox.setFault({
			kind: 'raw',
			status: 500,
			process: true,
			body: '{"status":100,"message":"Success","push_id":"1","data":[]}',
		});
		const result = await send(sandbox, rowsOf(1), { onError: CONTINUE });
		expect(stateOf(result.output[0])).toBe('unknown');
		expect(errorMessageOf(result.output[0])).toMatch(/contradicts itself/);
	});

	// A generous bound: a backtracking tag pattern took seconds on 100,000 characters and blocked n8n meanwhile.
	test.each([
		[200, 100_000, 'unknown'],
		[400, 100_000, 'rejected'],
		[200, 1_000_000, 'unknown'],
		[400, 1_000_000, 'rejected'],
		[502, 1_000_000, 'unknown'],
	])(
		'HTTP %i with %i characters of "<": little node time, a bounded message',
		async (status, size, state) => {
			sandbox.setFault({ kind: 'raw', status, body: '<'.repeat(size), contentType: 'text/html' });
			const started = Date.now();
			const result = await send(sandbox, rowsOf(1), { onError: CONTINUE });
			expect(Date.now() - started).toBeLessThan(5000);
			expect(stateOf(result.output[0])).toBe(state);
			expect(errorMessageOf(result.output[0]).length).toBeLessThan(600);
		},
	);
});

describe("the credential's Custom URL", () => {
	test.each([
		['a query string', (url: string) => `${url}?key=1`, /query string/],
		['a fragment', (url: string) => `${url}#x`, /fragment/],
		['an invalid port', () => 'http://127.0.0.1:99999/api/v2', /not a valid URL/],
		['a space', (url: string) => url.replace('/api', '/a pi'), /space/],
	])(
		'%s is refused before any push, and no row is reported unknown',
		async (_label, change, reason) => {
			const credentials = { ...credentialsFor(sandbox), customUrl: change(sandbox.baseUrl()) };
			const stopped = await send(sandbox, rowsOf(2), { credentials });
			expect(runError(stopped).message).toMatch(reason);
			const continued = await send(sandbox, rowsOf(2), { credentials, onError: CONTINUE });
			expect(continued.output.map(stateOf)).toEqual(['rejected', 'rejected']);
			expect(errorMessageOf(continued.output[1])).toMatch(reason);
			expect(sandbox.requests).toHaveLength(0);
		},
	);
});

describe('the credential test never follows a redirect either', () => {
	test.each([301, 302, 303, 307, 308] as const)(
		'HTTP %i from check-balance → fails with a clear message; nothing reaches the other origin',
		async (status) => {
			const { CredentialTestContext } = await import('n8n-core');
			const { loadPackage } = await import('../tooling/harness');
			const node = (await loadPackage()).nodeTypes.pickyAssist
				.type as import('n8n-workflow').INodeType;
			sandbox.setFault({
				kind: 'redirect',
				status,
				endpoint: 'check-balance',
				location: `${elsewhere.baseUrl()}/check-balance`,
			});
			const context =
				new CredentialTestContext() as unknown as import('n8n-workflow').ICredentialTestFunctions;
			const result = await node.methods!.credentialTest!.pickyAssistApiTest.call(context, {
				id: '1',
				name: 'Picky Assist sandbox',
				type: 'pickyAssistApi',
				data: credentialsFor(sandbox),
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(new RegExp(`HTTP ${status}|redirect`));
			expect(result.message).not.toContain(TOKEN);
			expect(sandbox.requests).toHaveLength(1);
			expect(elsewhere.requests).toHaveLength(0);
		},
	);
});

/** An address where nothing listens: a sandbox started and closed again. */
async function closedPortUrl(): Promise<string> {
	const closed = await startSandbox();
	const url = closed.baseUrl();
	await closed.close();
	return url;
}

describe('a host that cannot be reached: nothing left the machine, so the rows are rejected and retried', () => {
	test.each([
		[
			'a closed port',
			closedPortUrl,
			/Could not connect to host 127\.0\.0\.1:\d+: connection refused \(ECONNREFUSED\)/,
		],
		[
			'a host name that does not resolve',
			async () => 'http://pickyassist-sandbox.invalid/api/v2',
			/Could not connect to host pickyassist-sandbox\.invalid: (host name not found \(ENOTFOUND\)|host name could not be looked up .*\(EAI_AGAIN\))/,
		],
	])(
		'%s → rejected after the retries, the cause in words; the error shows no made-up code',
		async (_name, urlOf, reason) => {
			const credentials = { apiToken: TOKEN, apiHost: 'custom', customUrl: await urlOf() };
			const continued = await send(sandbox, rowsOf(2), {
				credentials,
				options: { maxRetries: 1, maxRetryWaitSeconds: 1 },
				onError: 'continueRegularOutput',
			});
			expect(continued.output.map(stateOf)).toEqual(['rejected', 'rejected']);
			expect(errorMessageOf(continued.output[0])).toMatch(reason);
			expect(errorMessageOf(continued.output[0])).toContain('gave up after 2 attempts');

			const stopped = await send(sandbox, rowsOf(2), {
				credentials,
				options: { maxRetries: 0 },
			});
			expect(runError(stopped).message).toMatch(reason);
			// No HTTP status came back, so n8n's "Error code" has nothing to show.
			expect((stopped.error as { httpCode?: unknown }).httpCode ?? null).toBeNull();
			expect(stopped.serialized).not.toContain('Error code unknown');
		},
	);
});

describe('error codes under their own names', () => {
	test('Picky Assist\'s 401 in an HTTP 200 answer: no "Error code 200"; both numbers named in the error data', async () => {
		sandbox.addFault({ kind: 'status', status: 401 });
		const stopped = await send(sandbox, rowsOf(1));
		const error = stopped.error as { httpCode?: unknown; context?: { data?: unknown } };
		expect(runError(stopped).message).toMatch(/\(status 401\)/);
		expect(error.httpCode ?? null).toBeNull();
		expect(error.context?.data).toEqual({ http_status: 200, picky_assist_status: 401 });
	});

	test("a real HTTP 401 is the error code, and Picky Assist's status in its body is named beside it", async () => {
		sandbox.addFault({ kind: 'http401' });
		const stopped = await send(sandbox, rowsOf(1));
		const error = stopped.error as { httpCode?: unknown; context?: { data?: unknown } };
		expect(error.httpCode).toBe('401');
		expect(error.context?.data).toEqual({ http_status: 401, picky_assist_status: 401 });
	});

	test('Get Delivery Report refused by Picky Assist: the same names', async () => {
		sandbox.addFault({ kind: 'status', status: 409, endpoint: 'delivery-report' });
		const stopped = await runWorkflow(FIXTURE, {
			credentials: credentialsFor(sandbox),
			pinData: { Rows: [{ json: { push_id: '7478630', msg_id: '1' } }] },
			pickyParameters: { resource: 'message', operation: 'getDeliveryReport' },
		});
		const error = stopped.error as { httpCode?: unknown; context?: { data?: unknown } };
		expect(error.httpCode ?? null).toBeNull();
		expect(error.context?.data).toEqual({ http_status: 200, picky_assist_status: 409 });
	});
});
