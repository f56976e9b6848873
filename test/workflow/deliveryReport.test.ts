/**
 * Get Delivery Report, Get Balance and Send's Minimum Balance, through the real engine against the sandbox.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import type { RunResult } from '../tooling/harness';
import { runWorkflow } from '../tooling/harness';
import {
	credentialsFor,
	detailsOf,
	FIXTURE,
	rowsOf,
	runError,
	send,
	stateOf,
	TOKEN,
} from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 1000 });
});
afterEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

async function run(
	rows: IDataObject[],
	parameters: IDataObject,
	settings: Partial<INode> = {},
): Promise<RunResult> {
	return await runWorkflow(FIXTURE, {
		credentials: credentialsFor(sandbox),
		pinData: { Rows: rows.map((json) => ({ json })) },
		pickyParameters: {
			...parameters,
			options: { maxRetryWaitSeconds: 5, ...(parameters.options as IDataObject) },
		},
		pickySettings: settings,
	});
}

const report = (rows: IDataObject[], settings: Partial<INode> = {}) =>
	run(rows, { resource: 'message', operation: 'getDeliveryReport' }, settings);

describe('Get Delivery Report', () => {
	test('items from two pushes → exactly two report calls; each item gets its status, paired', async () => {
		const sent = await send(sandbox, rowsOf(5), { options: { batchSize: 3 } });
		expect(sent.error).toBeUndefined();
		sandbox.requests.length = 0;

		const result = await report(sent.output.map((item) => item.json));
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((request) => [request.endpoint, request.body.push_id])).toEqual([
			['delivery-report', sent.output[0].json.push_id],
			['delivery-report', sent.output[3].json.push_id],
		]);
		expect(sandbox.requests.every((request) => request.body.token === TOKEN)).toBe(true);
		expect(result.output).toHaveLength(5);
		result.output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({
				push_id: sent.output[i].json.push_id,
				msg_id: sent.output[i].json.msg_id,
				number: sent.output[i].json.number,
				status: expect.stringMatching(/^(submitted|delivered|read|failed|refunded|unknown)$/),
				status_code: expect.any(Number),
			});
			expect(Date.parse(String(item.json.checked_at))).not.toBeNaN();
		});
	});

	test('a msg_id the report does not list is pending; without a msg_id every message of the push', async () => {
		const sent = await send(sandbox, rowsOf(3));
		const pushId = sent.output[0].json.push_id;
		const result = await report([
			{ push_id: pushId, msg_id: '1' },
			{ push_id: pushId, msg_id: '' },
		]);
		expect(result.output.map((item) => [item.pairedItem, item.json.status])).toEqual([
			[{ item: 0 }, 'pending'],
			[{ item: 1 }, expect.any(String)],
			[{ item: 1 }, expect.any(String)],
			[{ item: 1 }, expect.any(String)],
		]);
		expect(result.output.slice(1).map((item) => item.json.msg_id)).toEqual(
			sent.output.map((item) => item.json.msg_id),
		);
	});

	test('Picky Assist refuses → the rows are rejected with its code; with Continue, error items paired', async () => {
		sandbox.addFault({ kind: 'status', status: 401, endpoint: 'delivery-report' });
		const stopped = await report([{ push_id: '7478630', msg_id: '1' }]);
		expect(runError(stopped).message).toMatch(/refused delivery-report: .*\(status 401\)/);

		sandbox.addFault({ kind: 'status', status: 401, endpoint: 'delivery-report' });
		const continued = await report(
			[
				{ push_id: '7478630', msg_id: '1' },
				{ push_id: 'bad id!', msg_id: '1' },
			],
			{
				onError: 'continueRegularOutput',
			},
		);
		expect(continued.output.map(stateOf)).toEqual(['rejected', 'rejected']);
		expect(detailsOf(continued.output[0])).toMatchObject({ code: 401, push_id: '7478630' });
		expect(String(detailsOf(continued.output[1]).message)).toMatch(
			/^In item 1, "Push ID" must be an id/,
		);
	});

	test('no answer is retried (reading twice sends nothing), then reported', async () => {
		sandbox.addFault({ kind: 'http500', endpoint: 'delivery-report' });
		const sent = await send(sandbox, rowsOf(1));
		const result = await report(sent.output.map((item) => item.json));
		expect(result.error).toBeUndefined();
		expect(
			sandbox.requests.filter((request) => request.endpoint === 'delivery-report'),
		).toHaveLength(2);
		expect(result.output[0].json.status).toBe('delivered');
	});
});

/** The sample of Picky Assist's "Delivery Reports" page, with the push_id and entries a test needs. */
function documentedReport(pushId: number | string, data: IDataObject[]): string {
	return JSON.stringify({
		project_id: '3526',
		push_id: pushId,
		application: '1',
		message_type: '3',
		time: '06-08-2019 06:46 AM',
		data,
	});
}
const ENTRY = { number: '3491934317', msg_id: '1745955', status: '1', error_code: '' };

describe('Get Delivery Report reads the answers Picky Assist documents', () => {
	test('the documented sample (no status, push_id a number) is a report', async () => {
		sandbox.addFault({
			kind: 'raw',
			endpoint: 'delivery-report',
			status: 200,
			body: documentedReport(590915, [
				ENTRY,
				{ ...ENTRY, msg_id: '1745956', status: '2', error_code: '131026' },
			]),
		});
		const result = await report([{ push_id: '590915', msg_id: '' }]);
		expect(result.error).toBeUndefined();
		expect(
			result.output.map((item) => [item.pairedItem, item.json.msg_id, item.json.status]),
		).toEqual([
			[{ item: 0 }, '1745955', 'delivered'],
			[{ item: 0 }, '1745956', 'failed'],
		]);
		expect(result.output[1].json).toMatchObject({ push_id: '590915', error_message: '131026' });
	});

	test("a report with status 100 and push_id as text (the push answer's form) is read too", async () => {
		sandbox.addFault({
			kind: 'raw',
			endpoint: 'delivery-report',
			status: 200,
			body: JSON.stringify({ status: 100, ...JSON.parse(documentedReport('590915', [ENTRY])) }),
		});
		const result = await report([{ push_id: '590915', msg_id: '1745955' }]);
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.status)).toEqual(['delivered']);
	});

	test('the sandbox report of a real push is read, whatever shape the sandbox gives it', async () => {
		const sent = await send(sandbox, rowsOf(2));
		const result = await report(sent.output.map((item) => item.json));
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.json.status)).toEqual(['delivered', 'delivered']);
	});

	test("with Message ID empty, a push's report is emitted once, paired to the first item that asked", async () => {
		const sent = await send(sandbox, rowsOf(4));
		const pushId = sent.output[0].json.push_id;
		const asking = sent.output.map(() => ({ push_id: pushId, msg_id: '' }));
		const result = await report(asking);
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(4);
		expect(result.output.every((item) => JSON.stringify(item.pairedItem) === '{"item":0}')).toBe(
			true,
		);
		expect(result.output.map((item) => item.json.msg_id)).toEqual(
			sent.output.map((item) => item.json.msg_id),
		);
		// One call for the push, however many items asked.
		expect(sandbox.requests.filter((r) => r.endpoint === 'delivery-report')).toHaveLength(1);
	});

	test('an empty report gives the item that asked one "pending" item saying so', async () => {
		sandbox.addFault({
			kind: 'raw',
			endpoint: 'delivery-report',
			status: 200,
			body: documentedReport(590915, []),
		});
		const result = await report([{ push_id: '590915', msg_id: '' }]);
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(1);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		expect(result.output[0].json).toMatchObject({ push_id: '590915', status: 'pending' });
		expect(String(result.output[0].json.note)).toMatch(/no entries yet/);
	});

	test.each([
		['the report names another push_id', documentedReport(590916, [ENTRY]), /push_id 590916/],
		[
			'an entry carries another push_id',
			documentedReport(590915, [{ ...ENTRY, push_id: '590916' }]),
			/push_id 590916/,
		],
		['the report names no push_id', JSON.stringify({ data: [ENTRY] }), /names no push_id/],
	])(
		"%s → rejected with the reason, never shown as this push's statuses",
		async (_name, body, reason) => {
			sandbox.addFault({ kind: 'raw', endpoint: 'delivery-report', status: 200, body });
			const continued = await report([{ push_id: '590915', msg_id: '' }], {
				onError: 'continueRegularOutput',
			});
			expect(continued.output.map(stateOf)).toEqual(['rejected']);
			expect(String(detailsOf(continued.output[0]).message)).toMatch(reason);
			expect(continued.output[0].json.status).toBeUndefined();

			sandbox.addFault({ kind: 'raw', endpoint: 'delivery-report', status: 200, body });
			const stopped = await report([{ push_id: '590915', msg_id: '1745955' }]);
			expect(runError(stopped).message).toMatch(reason);
		},
	);
});

describe('Get Balance', () => {
	test('one call, one item: balance as a number and exactly as sent', async () => {
		const result = await run([{}, {}], { resource: 'account', operation: 'getBalance' });
		expect(result.error).toBeUndefined();
		expect(sandbox.requests.map((request) => request.endpoint)).toEqual(['check-balance']);
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json).toMatchObject({ balance: 1000, balance_raw: expect.anything() });
		expect(String(result.output[0].json.balance_raw)).toMatch(/^1000(\.0+)?$/);
	});
});

describe("Send's Minimum Balance", () => {
	test('at or above it the rows go out; below it nothing is sent and every row says why', async () => {
		const enough = await send(sandbox, rowsOf(2), { options: { minBalance: 1000 } });
		expect(enough.output.map(stateOf)).toEqual(['accepted', 'accepted']);
		expect(sandbox.requests.map((request) => request.endpoint)).toEqual(['check-balance', 'push']);

		sandbox.reset();
		const below = await send(sandbox, rowsOf(2), {
			options: { minBalance: 5000 },
			onError: 'continueRegularOutput',
		});
		expect(below.output.map(stateOf)).toEqual(['rejected', 'rejected']);
		expect(String(detailsOf(below.output[0]).message)).toMatch(
			/balance is 1000, below the Minimum Balance of 5000/,
		);
		expect(sandbox.pushes()).toHaveLength(0);

		sandbox.reset();
		const stopped = await send(sandbox, rowsOf(2), { options: { minBalance: 5000 } });
		expect(runError(stopped).message).toMatch(/below the Minimum Balance/);
		expect(sandbox.pushes()).toHaveLength(0);
	});
});
