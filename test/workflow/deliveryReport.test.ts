/**
 * Get Delivery Report, Get Balance and Send's Minimum Balance, through the real engine against the sandbox.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import type { RunResult } from '../../tooling/harness';
import { runWorkflow } from '../../tooling/harness';
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
		expect(result.output[0].json.status).toBeDefined();
	});
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
