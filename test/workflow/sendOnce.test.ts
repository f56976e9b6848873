/**
 * One message, one send per execution: a node that runs again in the same execution — a loop, a second input
 * branch, an AI agent's next tool call, n8n's Retry On Fail — shows the earlier outcome of a message it already
 * sent instead of sending it again, and Max Recipients counts only what was sent or may have been.
 *
 * The workflow here feeds the Picky Assist node from two branches, so that n8n runs it twice in one execution
 * (run 0 with the rows of "Rows", run 1 with those of "Again") — the way a loop or a second tool call does.
 */
import type { IDataObject, INode, INodeExecutionData, IWorkflowBase } from 'n8n-workflow';

import type { RunResult } from '../tooling/harness';
import { runWorkflow } from '../tooling/harness';
import {
	acceptedNumbers,
	credentialsFor,
	detailsOf,
	errorMessageOf,
	expectedNumber,
	FIXTURE,
	rowsOf,
	runError,
	stateOf,
	sandboxForFile,
	send,
	CONTINUE,
} from './helpers';

const fileSandbox = sandboxForFile();

/** The fixture with a second branch, "Again", into the Picky Assist node. */
const TWO_BRANCHES: IWorkflowBase = (() => {
	const workflow = JSON.parse(JSON.stringify(FIXTURE)) as IWorkflowBase;
	const rows = workflow.nodes.find((node) => node.name === 'Rows')!;
	workflow.nodes.push({ ...rows, id: `${rows.id}-again`, name: 'Again', position: [220, 200] });
	const trigger = workflow.connections['Manual Trigger'].main[0]!;
	trigger.push({ node: 'Again', type: 'main', index: 0 });
	workflow.connections.Again = { main: [[{ node: 'Picky Assist', type: 'main', index: 0 }]] };
	return workflow;
})();

interface TwoRuns {
	result: RunResult;
	runs: INodeExecutionData[][];
	/** The node error of each run (with Continue, n8n passes the input on and keeps the error here). */
	errors: Array<string | undefined>;
}

async function sendTwice(
	first: IDataObject[],
	second: IDataObject[],
	options: IDataObject = {},
	settings: Partial<INode> = {},
): Promise<TwoRuns> {
	const result = await send(fileSandbox.current, first, {
		workflow: TWO_BRANCHES,
		pinned: { Again: second },
		options,
		settings,
	});
	const tasks = result.run.data.resultData.runData['Picky Assist'] ?? [];
	const runs = tasks.map((task) => task.data?.main?.[0] ?? []);
	return { result, runs, errors: tasks.map((task) => task.error?.message) };
}

describe('the same message twice in one execution is sent once', () => {
	test('a second run on the same row shows the first msg_id and sends nothing', async () => {
		const { result, runs } = await sendTwice(rowsOf(2), rowsOf(2));
		expect(result.error).toBeUndefined();
		expect(runs).toHaveLength(2);
		expect(fileSandbox.current.pushes()).toHaveLength(1);
		expect(acceptedNumbers(fileSandbox.current)).toEqual([expectedNumber(0), expectedNumber(1)]);
		expect(runs[1].map(stateOf)).toEqual(['accepted', 'accepted']);
		expect(runs[1].map((item) => item.json.msg_id)).toEqual(
			runs[0].map((item) => item.json.msg_id),
		);
		expect(runs[1].map((item) => item.json.push_id)).toEqual(
			runs[0].map((item) => item.json.push_id),
		);
		expect(runs[1][0].json.number).toBe(expectedNumber(0));
	});

	test('different rows are always sent: another text, another number, another order', async () => {
		const first = rowsOf(2);
		const second = [
			{ ...first[1] },
			{ ...first[0], message: `${String(first[0].message)}!` },
			...rowsOf(1, 5),
		];
		const { runs } = await sendTwice(first, second);
		expect(fileSandbox.current.pushes()).toHaveLength(2);
		expect(fileSandbox.current.pushes()[1].body.data).toEqual([
			{ number: expectedNumber(0), message: second[1].message },
			{ number: expectedNumber(5), message: second[2].message },
		]);
		expect(runs[1].map(stateOf)).toEqual(['accepted', 'accepted', 'accepted']);
		// The repeated row shows its own earlier msg_id, found by its number and content, not by its position.
		expect(runs[1][0].json.msg_id).toBe(runs[0][1].json.msg_id);
	});

	test('an unknown outcome stays unknown: the second run does not send it and says when it was sent', async () => {
		fileSandbox.current.addFault({ kind: 'timeout', process: true });
		const { runs } = await sendTwice(
			rowsOf(1),
			rowsOf(1),
			{ requestTimeoutSeconds: 1 },
			{ onError: CONTINUE },
		);
		expect(fileSandbox.current.pushes()).toHaveLength(1);
		expect(runs[1].map(stateOf)).toEqual(['unknown']);
		expect(errorMessageOf(runs[1][0])).toMatch(
			/already sent earlier in this execution .*without a clear answer; it may or may not have been queued/,
		);
		expect(detailsOf(runs[1][0]).sent_at).toBe(detailsOf(runs[0][0]).sent_at);
	});

	test('a rejected push is not remembered: the second run sends the row again', async () => {
		fileSandbox.current.addFault({ kind: 'status', status: 101 });
		const { runs } = await sendTwice(
			rowsOf(1),
			rowsOf(1),
			{ maxRetries: 0 },
			{ onError: CONTINUE },
		);
		expect(runs.map((run) => run.map(stateOf))).toEqual([['rejected'], ['accepted']]);
		expect(fileSandbox.current.pushes()).toHaveLength(2);
	});

	test('"Send Repeats in One Execution" on: the same row is sent again', async () => {
		const { runs } = await sendTwice(rowsOf(1), rowsOf(1), { sendRepeats: true });
		expect(fileSandbox.current.pushes()).toHaveLength(2);
		expect(runs[1][0].json.msg_id).not.toBe(runs[0][0].json.msg_id);
	});

	test('templates: the same values in another language are another message', async () => {
		const template = (language: string) => ({ number: '447700900001', name: 'Ana', language });
		const result = await runWorkflow(TWO_BRANCHES, {
			credentials: credentialsFor(fileSandbox.current),
			pinData: {
				Rows: [{ json: template('en') }],
				Again: [{ json: template('en') }, { json: template('pt_BR') }],
			},
			pickyParameters: {
				content: 'template',
				templateId: '77',
				templateLanguage: '={{ $json.language }}',
				templateVariables: { variables: [{ value: '={{ $json.name }}' }] },
			},
		});
		expect(result.error).toBeUndefined();
		expect(fileSandbox.current.pushes().map((push) => push.body.data.length)).toEqual([1, 1]);
		expect(fileSandbox.current.pushes()[1].body.language).toBe('pt_BR');
	});
});

describe('Max Recipients counts what was sent, or may have been', () => {
	test('a refused push gives its rows back: a second run within the cap sends', async () => {
		fileSandbox.current.addFault({ kind: 'status', status: 101 });
		const { runs } = await sendTwice(
			rowsOf(1),
			rowsOf(1, 1),
			{ maxRecipients: 1, maxRetries: 0 },
			{ onError: CONTINUE },
		);
		expect(runs.map((run) => run.map(stateOf))).toEqual([['rejected'], ['accepted']]);
		expect(acceptedNumbers(fileSandbox.current)).toEqual([expectedNumber(1)]);
	});

	test('a repeated row is not counted again; a new row past the cap is refused', async () => {
		const { errors } = await sendTwice(
			rowsOf(1),
			rowsOf(2),
			{ maxRecipients: 1 },
			{ onError: CONTINUE },
		);
		expect(fileSandbox.current.pushes()).toHaveLength(1);
		expect(errors[1]).toMatch(
			/1 row would be sent, more than Max Recipients \(1\) allows \(1 already sent by this node in this execution\); nothing was sent/,
		);
	});

	test("with n8n's Retry On Fail, a retry counts only the rows it sends", async () => {
		// Push 1 accepted, push 2 refused once: the retry sends push 2 again, within the cap of 10.
		fileSandbox.current.addFault({ kind: 'delay', ms: 1 });
		fileSandbox.current.addFault({ kind: 'status', status: 101 });
		const result = await runWorkflow(FIXTURE, {
			credentials: credentialsFor(fileSandbox.current),
			pinData: { Rows: rowsOf(10).map((json) => ({ json })) },
			pickyParameters: { options: { batchSize: 5, maxRecipients: 10, maxRetries: 0 } },
			pickySettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 },
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map(stateOf)).toEqual(Array(10).fill('accepted'));
		expect(acceptedNumbers(fileSandbox.current).sort()).toEqual(
			rowsOf(10)
				.map((_, i) => expectedNumber(i))
				.sort(),
		);
	});

	test('without Retry On Fail the cap error still names what was sent before', async () => {
		const { result } = await sendTwice(rowsOf(1), rowsOf(1, 1), { maxRecipients: 1 });
		expect(runError(result).message).toMatch(/\(1 already sent by this node in this execution\)/);
	});
});
