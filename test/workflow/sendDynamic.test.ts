/**
 * Send Dynamic Messages, run as real workflows through n8n-core's engine against the sandbox on 127.0.0.1.
 */
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { readWorkflow, runWorkflow } from '../tooling/harness';
import {
	credentialsFor,
	detailsOf,
	errorMessageOf,
	expectedNumber,
	rowsOf,
	runError,
	send,
	stateOf,
	TOKEN,
} from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 100000 });
});
afterEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

describe('happy path', () => {
	test('the example workflow sends one push with the token, application and normalised numbers, and pairs one item per msg_id', async () => {
		const result = await runWorkflow(
			readWorkflow('examples/spreadsheet-rows-to-picky-assist.json'),
			{
				credentials: credentialsFor(sandbox),
			},
		);
		expect(result.error).toBeUndefined();

		const pushes = sandbox.pushes();
		expect(pushes).toHaveLength(1);
		expect(pushes[0].path).toBe('/api/v2/push');
		expect(pushes[0].headers['content-type']).toMatch(/application\/json/);
		const body = pushes[0].body;
		expect(body.token).toBe(TOKEN);
		// In the JSON body only: never in a header or the URL.
		expect(JSON.stringify(pushes[0].headers)).not.toContain(TOKEN);
		expect(pushes[0].path).not.toContain(TOKEN);
		expect(body.application).toBe('8');
		expect(body.priority).toBe('0');
		expect(body.globalmessage).toBe('');
		expect(body).not.toHaveProperty('globalmedia');
		expect(body.data).toEqual([
			{
				number: '5511987654321',
				message: 'Hi Ana, your bill of 12.40 is due on 1 Dec. Reply STOP to opt out.',
			},
			{
				number: '919876543210',
				message: 'Hi Raj, your bill of 8.00 is due on 3 Dec. Reply STOP to opt out.',
			},
			{
				number: '33612345678',
				message: 'Hi Chloé, your bill of 23.10 is due on 5 Dec. Reply STOP to opt out.',
			},
			{
				number: '447700900123',
				message: 'Hi Oliver, your bill of 5.75 is due on 7 Dec. Reply STOP to opt out.',
			},
			{
				number: '971501234567',
				message: 'Hi Fatima, your bill of 41.00 is due on 9 Dec. Reply STOP to opt out.',
			},
		]);

		const response = sandbox.acceptedPushes[0].response;
		expect(result.output).toHaveLength(5);
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toEqual({
				state: 'accepted',
				msg_id: response.data[i].msg_id,
				push_id: response.push_id,
				number: body.data[i].number,
				credit: '0.005',
			});
			expect(typeof item.json.msg_id).toBe('string');
			expect(typeof item.json.push_id).toBe('string');
		});
	});

	test('the legacy host path prefix is used when the credential points there', async () => {
		const result = await send(sandbox, rowsOf(2), { host: 'legacy' });
		expect(result.error).toBeUndefined();
		expect(sandbox.pushes().map((r) => r.path)).toEqual(['/app/api/v2/push']);
		expect(result.output.map((item) => stateOf(item))).toEqual(['accepted', 'accepted']);
	});

	test('250 rows with batch size 100 go out as exactly 3 pushes in input order, 250 paired items', async () => {
		const result = await send(sandbox, rowsOf(250), { options: { batchSize: 100 } });
		expect(result.error).toBeUndefined();
		const pushes = sandbox.pushes();
		expect(pushes.map((p) => p.body.data.length)).toEqual([100, 100, 50]);
		const sentNumbers = pushes.flatMap((p) =>
			p.body.data.map((entry: { number: string }) => entry.number),
		);
		expect(sentNumbers).toEqual(rowsOf(250).map((_, i) => expectedNumber(i)));

		expect(result.output).toHaveLength(250);
		const msgIds = new Set<string>();
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.number).toBe(expectedNumber(i));
			msgIds.add(String(item.json.msg_id));
		});
		expect(msgIds.size).toBe(250);
		const pushIds = result.output.map((item) => item.json.push_id);
		expect(new Set(pushIds).size).toBe(3);
		expect(pushIds[99]).not.toBe(pushIds[100]);
	});

	test('global media, high priority and a custom channel id reach the push body; an empty caption is allowed with media', async () => {
		const rows = [
			{ number: '919876543210', message: '' },
			{ number: '5511987654321', message: 'Your brochure' },
		];
		const result = await send(sandbox, rows, {
			parameters: { application: 'custom', customApplication: '101' },
			options: { globalMedia: 'https://example.com/brochure.jpg', priority: 'high' },
		});
		expect(result.error).toBeUndefined();
		const body = sandbox.pushes()[0].body;
		expect(body.application).toBe('101');
		expect(body.priority).toBe('1');
		expect(body.globalmedia).toBe('https://example.com/brochure.jpg');
		expect(body.globalmessage).toBe('');
		expect(body.data).toEqual(rows);
		expect(result.output).toHaveLength(2);
	});

	test('emoji, right-to-left, CJK and very long texts arrive byte-exact; input items are not mutated', async () => {
		const long = 'Lorem ipsum dolor sit amet 🎉 '.repeat(400);
		const rows = [
			{ number: '971501234567', message: 'مرحبا أحمد، فاتورتك جاهزة ✅' },
			{ number: '972501234567', message: 'שלום דנה!\nהחשבון שלך מוכן' },
			{ number: '8613812345678', message: '您好，李先生：您的账单已出 🧾' },
			{ number: '819012345678', message: '  こんにちは 👨‍👩‍👧‍👦  ' },
			{ number: '447700900999', message: long },
		];
		const pinned = JSON.parse(JSON.stringify(rows));
		const result = await send(sandbox, rows);
		expect(result.error).toBeUndefined();
		const received = JSON.parse(sandbox.pushes()[0].rawBody);
		expect(received.data.map((entry: { message: string }) => entry.message)).toEqual(
			rows.map((row) => row.message),
		);
		expect(Buffer.from(received.data[4].message, 'utf8').equals(Buffer.from(long, 'utf8'))).toBe(
			true,
		);
		expect(rows).toEqual(pinned);
		const inputOfNode = result.run.data.resultData.runData.Rows[0].data!.main[0]!.map(
			(item) => item.json,
		);
		expect(inputOfNode).toEqual(pinned);
	});

	test('numbers given as JS integers are sent as their digits; national numbers use the default country code', async () => {
		const rows = [
			{ number: 447700900123, message: 'a' },
			{ number: '07700 900124', message: 'b' },
			{ number: '\u200E+44\u00A07700\u200B900125', message: 'c' },
		];
		const result = await send(sandbox, rows, { options: { defaultCountryCode: '+44' } });
		expect(result.error).toBeUndefined();
		expect(sandbox.pushes()[0].body.data.map((entry: { number: string }) => entry.number)).toEqual([
			'447700900123',
			'447700900124',
			'447700900125',
		]);
	});
});

describe('invalid rows', () => {
	const rows = [
		{ number: '+44 7700 900001', message: 'ok 0' },
		{ number: '+44 7700 900002', message: 'ok 1' },
		{ number: '07700 900003', message: 'national without country code' },
		{ number: '+44 7700 900004', message: 'ok 3' },
	];

	test('without continue-on-fail the node fails before sending anything, naming the item, the field and the value', async () => {
		const result = await send(sandbox, rows);
		const error = runError(result);
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toMatch(/^In item 2, /);
		expect(error.message).toContain('"Number"');
		expect(error.message).toContain('starts with 0');
		expect(error.description).toContain('"07700 900003"');
		expect(error.description).toContain('Nothing was sent');
		expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(
			2,
		);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('without continue-on-fail every invalid row is named in the description, up to 20, then how many more', async () => {
		// Items 0 and 1 are valid; items 2–41 are not: an even item's number, an odd item's message.
		const sheet = rowsOf(42).map((row, i) => {
			if (i < 2) return row;
			return i % 2 === 0 ? { ...row, number: `0${i}` } : { ...row, message: '' };
		});
		const result = await send(sandbox, sheet);
		const error = runError(result);
		// The message still names the first invalid item (n8n's editor reads "item N" in it), and says there are more.
		expect(error.message).toMatch(/^In item 2, "Number" /);
		expect(error.message).toContain('39 more items are invalid');
		expect(error.message).toMatch(/nothing was sent$/);
		const listed = [...error.description.matchAll(/^item (\d+), "(Number|Message)" /gm)].map(
			(match) => [Number(match[1]), match[2]],
		);
		expect(listed).toEqual(
			Array.from({ length: 20 }, (_, k) => [k + 2, k % 2 === 0 ? 'Number' : 'Message']),
		);
		// Each line gives the reason and the value found.
		expect(error.description).toMatch(/^item 2, "Number" starts with 0 .*, got "02"/m);
		expect(error.description).toMatch(/^item 3, "Message" .*, got ""/m);
		expect(error.description).toContain('and 20 more invalid items');
		expect(error.description).toContain('Nothing was sent');
		expect(sandbox.requests).toHaveLength(0);
	});

	test('with continue-on-fail the invalid row becomes a paired error item and the valid rows are still sent', async () => {
		const result = await send(sandbox, rows, { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		expect(sandbox.pushes()).toHaveLength(1);
		expect(sandbox.pushes()[0].body.data.map((entry: { number: string }) => entry.number)).toEqual([
			'447700900001',
			'447700900002',
			'447700900004',
		]);
		expect(result.output).toHaveLength(4);
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(result.output.map((item) => stateOf(item))).toEqual([
			'accepted',
			'accepted',
			'rejected',
			'accepted',
		]);
		expect(Object.keys(result.output[2].json)).toEqual(['error']);
		expect(detailsOf(result.output[2])).toEqual({
			message:
				'In item 2, "Number" starts with 0 (national format) and no Default Country Code is set; write it with the country code or set the option',
			state: 'rejected',
			field: 'number',
			item_index: 2,
			value: '"07700 900003"',
		});
		expect(errorMessageOf(result.output[2])).toMatch(/^In item 2, "Number" starts with 0/);
	});

	test('with the error output, rejected rows go to the error branch and accepted rows to the success branch', async () => {
		const result = await send(sandbox, rows, { onError: 'continueErrorOutput' });
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => stateOf(item))).toEqual([
			'accepted',
			'accepted',
			'accepted',
		]);
		expect(result.errorOutput).toHaveLength(1);
		// n8n merges the input row into the error item, so the error branch can write back to the same sheet row.
		expect(result.errorOutput[0].json).toMatchObject({
			...rows[2],
			error: { state: 'rejected', item_index: 2 },
		});
		expect(result.errorOutput[0].pairedItem).toEqual({ item: 2 });
	});

	test.each([
		[
			'an object as message',
			{ number: '447700900001', message: { text: 'hi' } },
			'"Message" is an object',
		],
		[
			'an empty message without media',
			{ number: '447700900001', message: '   ' },
			'"Message" is empty',
		],
		['letters in the number', { number: 'call me', message: 'x' }, '"Number" contains'],
		[
			'two numbers in one cell',
			{ number: '+447700900001, +447700900002', message: 'x' },
			'more than one number',
		],
		['a CSV float', { number: 447700900001.5, message: 'x' }, 'lost digits'],
		['an exponent string', { number: '4.477009E+11', message: 'x' }, 'exponent'],
		['a missing number', { message: 'x' }, '"Number" is empty'],
	])('%s is rejected with a clear reason and nothing is sent', async (_name, row, reason) => {
		const result = await send(sandbox, [row]);
		expect(runError(result).message).toContain(reason);
		expect(runError(result).message).toMatch(/^In item 0, /);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('an expression that throws for one row fails that row only under continue-on-fail', async () => {
		const result = await send(
			sandbox,
			[
				{ number: '447700900001' },
				{ number: '447700900002', lookup: true },
				{ number: '447700900003' },
			],
			{
				parameters: {
					number:
						"={{ $json.lookup ? $('A node that does not exist').item.json.phone : $json.number }}",
					message: 'Hello',
				},
				onError: 'continueRegularOutput',
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => stateOf(item))).toEqual([
			'accepted',
			'rejected',
			'accepted',
		]);
		expect(errorMessageOf(result.output[1])).toMatch(/^In item 1, "Number" could not be evaluated/);
		expect(sandbox.pushes()[0].body.data).toHaveLength(2);
	});

	test.each([
		['batch size 0', { batchSize: 0 }, 'Batch Size'],
		['a negative batch size', { batchSize: -5 }, 'Batch Size'],
		['a huge batch size', { batchSize: 1e9 }, 'Batch Size'],
		['a non-http global media', { globalMedia: 'ftp://example.com/a.jpg' }, 'Global Media URL'],
		['a bad default country code', { defaultCountryCode: 'UK' }, 'Default Country Code'],
	])('%s is refused before anything is sent', async (_name, options, field) => {
		const result = await send(sandbox, rowsOf(3), { options });
		expect(runError(result).message).toContain(field);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('Picky Assist errors', () => {
	test.each([
		[401, 'Authentication', /API token.*API Host/],
		[403, 'Insufficient Balance', /Top up/],
		[406, 'Invalid Mobile Number', /country code/],
		[101, 'Service Unavailable', /temporarily unavailable/],
		[405, 'API Is Not Active', /plan/],
	])(
		'status %i in an HTTP 200 body fails the node with the code, message and a hint',
		async (status, text, hint) => {
			sandbox.addFault({ kind: 'status', status });
			const result = await send(sandbox, rowsOf(3));
			const error = runError(result);
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toContain(`(status ${status})`);
			expect(error.message.toLowerCase()).toContain(text.toLowerCase());
			expect(error.description).toMatch(hint);
			expect(error.description).toContain('No push of this run was queued');
			expect(sandbox.pushes()).toHaveLength(1);
		},
	);

	test('a wrong token is refused by the sandbox and reported with the host hint', async () => {
		const result = await send(sandbox, rowsOf(2), { token: 'wrong-token-value' });
		const error = runError(result);
		expect(error.message).toContain('Authentication Failed (status 401)');
		expect(error.description).toContain("credential's API Host");
	});

	test('with continue-on-fail every row of a rejected push becomes a paired error item with the code', async () => {
		sandbox.addFault({ kind: 'status', status: 403 });
		const result = await send(sandbox, rowsOf(3), { onError: 'continueRegularOutput' });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(3);
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(detailsOf(item)).toMatchObject({
				state: 'rejected',
				code: 403,
				item_index: i,
				number: expectedNumber(i),
			});
			expect(errorMessageOf(item)).toContain('Insufficient Balance');
		});
	});

	test('a failure after accepted pushes lists what was already queued and what was not sent', async () => {
		sandbox.addFault({ kind: 'delay', ms: 0 });
		sandbox.addFault({ kind: 'status', status: 403 });
		const result = await send(sandbox, rowsOf(250), { options: { batchSize: 100 } });
		const error = runError(result);
		const firstPushId = sandbox.acceptedPushes[0].push_id;
		expect(sandbox.pushes()).toHaveLength(2);
		expect(error.message).toContain('push 2 of 3 (items 100–199)');
		expect(error.description).toContain(`push_id ${firstPushId} (items 0–99)`);
		expect(error.description).toContain('do not send these rows again');
		expect(error.description).toContain('(100 messages)');
		expect(error.description).toContain('Not sent: items 200–249');
	});
});

describe('responses Picky Assist does not promise', () => {
	test('a shuffled data[] is matched back by number, not by position', async () => {
		sandbox.addFault({ kind: 'shuffle' });
		const result = await send(sandbox, rowsOf(5));
		expect(result.error).toBeUndefined();
		const truth = new Map(
			sandbox.acceptedPushes[0].response.data.map((entry) => [entry.number, entry.msg_id]),
		);
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.number).toBe(expectedNumber(i));
			expect(item.json.msg_id).toBe(truth.get(expectedNumber(i)));
		});
	});

	test('the same number twice never shares a push: each msg_id belongs to the row that carried it', async () => {
		// Picky Assist does not document the order of its answer: a shuffled answer must not matter.
		sandbox.addFault({ kind: 'shuffle', order: [1, 0] });
		const rows = [
			{ number: '447700900001', message: 'first' },
			{ number: '+44 7700 900001', message: 'second' },
			{ number: '447700900002', message: 'third' },
		];
		const result = await send(sandbox, rows);
		expect(result.error).toBeUndefined();
		const pushes = sandbox.acceptedPushes;
		expect(
			pushes.map((push) => push.request.body.data.map((row: IDataObject) => row.message)),
		).toEqual([['first', 'third'], ['second']]);
		// The true answer lists data[] in request order: msg_id i belongs to the i-th row sent.
		const msgIdOf = new Map<string, string>();
		for (const push of pushes) {
			push.request.body.data.forEach((row: IDataObject, i: number) =>
				msgIdOf.set(String(row.message), push.response.data[i].msg_id),
			);
		}
		expect(result.output.map((item) => item.json.msg_id)).toEqual(
			rows.map((row) => msgIdOf.get(row.message)),
		);
		expect(new Set(result.output.map((item) => item.json.msg_id)).size).toBe(3);
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	test('"100" as a string is accepted', async () => {
		sandbox.addFault({ kind: 'string-status' });
		const result = await send(sandbox, rowsOf(2));
		expect(result.output.map((item) => stateOf(item))).toEqual(['accepted', 'accepted']);
	});

	test('a row missing from data[] is reported as unknown with the push_id, never dropped', async () => {
		sandbox.addFault({ kind: 'short' });
		const result = await send(sandbox, rowsOf(3), { onError: 'continueRegularOutput' });
		expect(result.output).toHaveLength(3);
		expect(result.output.map((item) => stateOf(item))).toEqual(['accepted', 'accepted', 'unknown']);
		expect(detailsOf(result.output[2])).toMatchObject({
			push_id: sandbox.acceptedPushes[0].push_id,
			number: expectedNumber(2),
			item_index: 2,
		});
		expect(result.output[2].pairedItem).toEqual({ item: 2 });
	});

	test('without continue-on-fail a missing entry fails the node and says the push was queued', async () => {
		sandbox.addFault({ kind: 'no-msg-id', index: 1 });
		const result = await send(sandbox, rowsOf(3));
		const error = runError(result);
		expect(error.message).toContain('item 1');
		expect(error.message).toContain('no msg_id');
		expect(error.description).toContain(`push_id ${sandbox.acceptedPushes[0].push_id}`);
	});

	test('a success without data[] leaves every row unknown, paired, with the push_id', async () => {
		sandbox.addFault({ kind: 'no-data' });
		const result = await send(sandbox, rowsOf(3), { onError: 'continueRegularOutput' });
		expect(result.output.map((item) => stateOf(item))).toEqual(['unknown', 'unknown', 'unknown']);
		expect(result.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	test.each(['extra', 'duplicate-entry'] as const)(
		'%s entries are reported as a warning, not invented as rows',
		async (kind) => {
			sandbox.addFault({ kind });
			const result = await send(sandbox, rowsOf(3));
			expect(result.error).toBeUndefined();
			expect(result.output).toHaveLength(3);
			expect(result.output.every((item) => stateOf(item) === 'accepted')).toBe(true);
			expect(String(result.output[0].json.push_warning)).toContain('match no row sent');
		},
	);

	test('an entry for a number that was not sent leaves the real row unknown', async () => {
		sandbox.addFault({ kind: 'foreign-number' });
		const result = await send(sandbox, rowsOf(3), { onError: 'continueRegularOutput' });
		expect(result.output.map((item) => stateOf(item))).toEqual(['unknown', 'accepted', 'accepted']);
		expect(String(result.output[1].json.push_warning)).toContain('match no row sent');
	});
});

describe('unknown outcomes are reported, never resent', () => {
	test.each([
		['HTTP 500', { kind: 'http500' as const }, /HTTP 500/],
		['an HTML 502 from a proxy', { kind: 'http502-html' as const }, /HTTP 502/],
		['an HTML page with HTTP 200', { kind: 'html200' as const }, /could not be read/],
		['a truncated JSON body', { kind: 'malformed' as const }, /could not be read/],
		[
			'a connection reset after the push was accepted',
			{ kind: 'reset' as const },
			/connection failed after the push was sent/,
		],
	])('%s → every row unknown, one push only', async (_name, fault, reason) => {
		sandbox.addFault(fault);
		const result = await send(sandbox, rowsOf(3), { onError: 'continueRegularOutput' });
		expect(sandbox.pushes()).toHaveLength(1);
		expect(result.output).toHaveLength(3);
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(stateOf(item)).toBe('unknown');
			expect(errorMessageOf(item)).toMatch(reason);
			expect(errorMessageOf(item)).toContain('may or may not have been queued');
			expect(String(detailsOf(item).hint)).toContain('before sending these rows again');
			expect(Date.parse(String(detailsOf(item).sent_at))).not.toBeNaN();
		});
	});

	test('a timeout is unknown, not rejected, and the node error says to check before resending', async () => {
		sandbox.addFault({ kind: 'timeout', process: true });
		const result = await send(sandbox, rowsOf(2), { options: { requestTimeoutSeconds: 1 } });
		const error = runError(result);
		expect(error.message).toContain('No clear answer');
		expect(error.message).toContain('within 1 s');
		expect(error.description).toContain('Check the delivery report');
		expect(sandbox.pushes()).toHaveLength(1);
		expect(sandbox.acceptedPushes).toHaveLength(1);
	});
});

describe('retries only what certainly was not taken', () => {
	test('HTTP 429 with Retry-After is retried after the wait and then accepted', async () => {
		sandbox.addFault({ kind: 'http429', retryAfter: 1 });
		const started = Date.now();
		const result = await send(sandbox, rowsOf(2));
		expect(result.error).toBeUndefined();
		const pushes = sandbox.pushes();
		expect(pushes).toHaveLength(2);
		expect(pushes[1].receivedAt - pushes[0].receivedAt).toBeGreaterThanOrEqual(1000);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sandbox.acceptedPushes).toHaveLength(1);
		expect(result.output.map((item) => stateOf(item))).toEqual(['accepted', 'accepted']);
	});

	test('429 on every attempt ends rejected after Max Retries, with the rate-limit hint', async () => {
		sandbox.setFault({ kind: 'http429' });
		const result = await send(sandbox, rowsOf(2), { options: { maxRetries: 1 } });
		const error = runError(result);
		expect(sandbox.pushes()).toHaveLength(2);
		expect(error.message).toContain('gave up after 2 attempts');
		expect(error.description).toContain('90 pushes a minute');
		expect(sandbox.acceptedPushes).toHaveLength(0);
	});

	test('connection refused is retried and then rejected as not sent', async () => {
		const closed = await startSandbox();
		const url = closed.baseUrl();
		await closed.close();
		const result = await send(sandbox, rowsOf(2), {
			credentials: { apiToken: TOKEN, apiHost: 'custom', customUrl: url },
			options: { maxRetries: 1 },
			onError: 'continueRegularOutput',
		});
		expect(result.output.map((item) => stateOf(item))).toEqual(['rejected', 'rejected']);
		expect(errorMessageOf(result.output[0])).toContain('ECONNREFUSED');
		expect(errorMessageOf(result.output[0])).toContain('gave up after 2 attempts');
	});
});
