/**
 * The options that guard money or recipients, set by expressions, through the real engine and its expression
 * evaluator against the sandbox: a value the node cannot read as what the option means stops the run before any
 * request, naming the option and the value; "true" from a sheet cell counts as true; rows that disagree on a guard
 * stop the run too, because one run cannot both send and not send.
 */
import type { IDataObject } from 'n8n-workflow';

import type { RunResult } from '../tooling/harness';
import { CONTINUE, rowsOf, runError, sandboxForFile, send, stateOf } from './helpers';

const fileSandbox = sandboxForFile();

/** The node error's message; with Continue, n8n turns a thrown node error into one item with `error`. */
function failure(result: RunResult): string {
	if (result.error) return runError(result).message;
	const error = result.output[0]?.json.error;
	if (result.output.length !== 1 || error === undefined)
		throw new Error(`Expected the node to fail, it gave ${JSON.stringify(result.output)}`);
	return String(error);
}

function withColumn(rows: IDataObject[], name: string, values: unknown[]): IDataObject[] {
	return rows.map(
		(row, index) => ({ ...row, [name]: values[index % values.length] }) as IDataObject,
	);
}

describe('Validate Only set by an expression', () => {
	test.each([
		['a sheet cell "true"', '={{ $json.dry_run }}', 'true'],
		['a sheet cell "TRUE"', '={{ $json.dry_run }}', 'TRUE'],
		['the literal string "true"', '={{ "true" }}', undefined],
		['a boolean true', '={{ $json.dry_run }}', true],
	])('%s: nothing is sent, every row is shown as valid', async (_name, expression, cell) => {
		const rows = withColumn(rowsOf(3), 'dry_run', [cell]);
		const result = await send(fileSandbox.current, rows, { options: { dryRun: expression } });
		expect(result.error).toBeUndefined();
		expect(fileSandbox.current.requests).toHaveLength(0);
		expect(result.output.map((item) => item.json.state)).toEqual(['valid', 'valid', 'valid']);
	});

	test('a cell "false" (any case) sends', async () => {
		const rows = withColumn(rowsOf(2), 'dry_run', ['False']);
		const result = await send(fileSandbox.current, rows, {
			options: { dryRun: '={{ $json.dry_run }}' },
		});
		expect(result.output.map(stateOf)).toEqual(['accepted', 'accepted']);
	});

	test.each([
		['"yes"', 'yes', /"Validate Only \(Send Nothing\)" must be true or false, got "yes"/],
		['1', 1, /"Validate Only \(Send Nothing\)" must be true or false, got 1/],
		['an empty cell', '', /"Validate Only \(Send Nothing\)" must be true or false, got ""/],
		[
			'a missing column',
			undefined,
			/"Validate Only \(Send Nothing\)" must be true or false, got nothing/,
		],
	])(
		'%s: a node error naming the option and the value, nothing sent, even with Continue',
		async (_name, cell, reason) => {
			const rows = rowsOf(2).map((row) => (cell === undefined ? row : { ...row, dry_run: cell }));
			for (const onError of [undefined, CONTINUE]) {
				const result = await send(fileSandbox.current, rows, {
					onError,
					options: { dryRun: '={{ $json.dry_run }}' },
				});
				expect(failure(result)).toMatch(reason);
				expect(fileSandbox.current.requests).toHaveLength(0);
			}
		},
	);

	test('rows that disagree: the run is refused before any request, naming both items and values', async () => {
		const rows = withColumn(rowsOf(4), 'dry_run', ['true', 'true', 'false', 'true']);
		const result = await send(fileSandbox.current, rows, {
			options: { dryRun: '={{ $json.dry_run }}' },
		});
		const error = runError(result);
		expect(error.message).toMatch(
			/"Validate Only \(Send Nothing\)" is true for item 0 but false for item 2/,
		);
		expect(error.message).toMatch(/nothing was sent/);
		expect(fileSandbox.current.requests).toHaveLength(0);
	});
});

describe('the other guard options', () => {
	test('Skip Duplicate Rows "true" from an expression skips the duplicate', async () => {
		const rows = [
			{ number: '447700900001', message: 'hi' },
			{ number: '447700900001', message: 'hi' },
		];
		const result = await send(fileSandbox.current, rows, {
			onError: CONTINUE,
			options: { skipDuplicateRows: '={{ "true" }}' },
		});
		expect(result.output.map(stateOf)).toEqual(['accepted', 'rejected']);
		expect(fileSandbox.current.pushes()).toHaveLength(1);
		expect(fileSandbox.current.pushes()[0].body.data).toHaveLength(1);
	});

	test.each([
		[{ skipDuplicateRows: '={{ "on" }}' }, /"Skip Duplicate Rows" must be true or false, got "on"/],
		[{ maxRecipients: 0.5 }, /"Max Recipients" must be a whole number from 0 \(no cap\).*got 0\.5/],
		[{ maxRecipients: '={{ 0.5 }}' }, /"Max Recipients" must be a whole number.*got 0\.5/],
		[{ maxRecipients: '={{ "many" }}' }, /"Max Recipients" must be a whole number.*got "many"/],
		[
			{ maxRecipients: '={{ $json.nothing }}' },
			/"Max Recipients" must be a whole number.*got nothing/,
		],
		[{ maxPushesPerMinute: 0.5 }, /"Max Pushes per Minute" must be a whole number.*got 0\.5/],
		[
			{ maxPushesPerMinute: '={{ Infinity }}' },
			/"Max Pushes per Minute" must be a whole number.*got Infinity/,
		],
		[
			{ minBalance: '={{ "plenty" }}' },
			/"Minimum Balance" must be a number from 0 \(no check\).*got "plenty"/,
		],
		[{ minBalance: -1 }, /"Minimum Balance" must be a number from 0.*got -1/],
		[{ minBalance: '={{ NaN }}' }, /"Minimum Balance" must be a number.*got NaN/],
		[{ allowedPrefixes: '={{ $json.nothing }}' }, /"Allowed Prefixes" .*got nothing/],
		[{ allowedPrefixes: '={{ true }}' }, /"Allowed Prefixes" .*got true/],
		[
			{ requestTimeoutSeconds: 0.0004 },
			/"Request Timeout \(Seconds\)" must be a number from 1 to 3600 seconds.*got 0\.0004/,
		],
		[{ maxRetries: 2.5 }, /"Max Retries" must be a whole number from 0 to 10.*got 2\.5/],
		[{ maxRetries: '={{ "true" }}' }, /"Max Retries" must be a whole number.*got "true"/],
		[
			{ maxRetryWaitSeconds: '={{ "long" }}' },
			/"Max Retry Wait \(Seconds\)" must be a number from 0 to 3600 seconds.*got "long"/,
		],
		[
			{ requestTimeoutSeconds: '={{ "fast" }}' },
			/"Request Timeout \(Seconds\)" must be a number from 1 to 3600 seconds.*got "fast"/,
		],
	])('%j: a node error naming the option and the value; nothing sent', async (options, reason) => {
		const result = await send(fileSandbox.current, rowsOf(2), { onError: CONTINUE, options });
		expect(failure(result)).toMatch(reason);
		expect(fileSandbox.current.requests).toHaveLength(0);
	});

	test('numbers from sheet cells are read as numbers: Max Recipients "1" caps, Allowed Prefixes 44 filters', async () => {
		const rows = withColumn(rowsOf(2), 'cap', ['1']);
		const capped = await send(fileSandbox.current, rows, {
			options: { maxRecipients: '={{ $json.cap }}' },
		});
		expect(runError(capped).message).toMatch(/more than Max Recipients \(1\) allows/);
		expect(fileSandbox.current.requests).toHaveLength(0);

		const prefixed = await send(fileSandbox.current, [{ number: '15555550100', message: 'hi' }], {
			onError: CONTINUE,
			options: { allowedPrefixes: '={{ 44 }}' },
		});
		expect(prefixed.output.map(stateOf)).toEqual(['rejected']);
		expect(fileSandbox.current.pushes()).toHaveLength(0);
	});

	test('Max Recipients per row: rows that disagree refuse the run', async () => {
		const rows = withColumn(rowsOf(2), 'cap', [5, 50]);
		const result = await send(fileSandbox.current, rows, {
			options: { maxRecipients: '={{ $json.cap }}' },
		});
		expect(runError(result).message).toMatch(/"Max Recipients" is 5 for item 0 but 50 for item 1/);
		expect(fileSandbox.current.requests).toHaveLength(0);
	});
});
