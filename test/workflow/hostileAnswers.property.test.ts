/**
 * Property: whatever a server answers — any HTTP status from 200 to 599 (redirects included), any body, with the
 * token echoed whole, JSON-escaped, cut or split by tags — every row ends in exactly one state, no push is sent
 * twice, and the token appears nowhere in the stored run. Runs the real engine against the sandbox.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { expectedNumber, rowsOf, send, stateOf, TOKEN } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 1e9 });
});
afterAll(async () => await sandbox.close());

const tokenEcho = fc.constantFrom(
	'$TOKEN',
	'$TOKEN_JSON',
	TOKEN.slice(0, 16),
	TOKEN.slice(-16),
	`${TOKEN.slice(0, 10)}<b>${TOKEN.slice(10)}</b>`,
	`${TOKEN.slice(0, 10)}</i>${TOKEN.slice(10)}`,
);

function successBody(numbers: string[], echo: string, where: number): string {
	return JSON.stringify({
		status: 100,
		push_id: where === 0 ? echo : '7478630',
		message: where === 1 ? echo : 'Success',
		data: numbers.map((number, i) => ({
			msg_id: where === 2 && i === 0 ? echo : String(9000 + i),
			number: where === 3 ? echo : number,
			credit: where === 4 ? echo : '0.005',
		})),
	});
}

const answer = fc.record({
	status: fc.oneof(
		fc.constantFrom(200, 201, 301, 302, 303, 307, 308, 400, 401, 404, 408, 429, 500, 502, 503),
		fc.integer({ min: 200, max: 599 }),
	),
	shape: fc.constantFrom('success', 'error', 'html', 'text', 'brackets'),
	echo: tokenEcho,
	where: fc.integer({ min: 0, max: 4 }),
	code: fc.constantFrom(100, 101, 401, 403, 406, 429, 500),
	noise: fc.string({ maxLength: 40 }),
	process: fc.boolean(),
	rowCount: fc.integer({ min: 1, max: 4 }),
	stopOnError: fc.boolean(),
});

test('every row ends in exactly one state, no push is sent twice, the token never shows', async () => {
	await fc.assert(
		fc.asyncProperty(
			answer,
			async ({ status, shape, echo, where, code, noise, process, rowCount, stopOnError }) => {
				sandbox.reset();
				const rows: IDataObject[] = rowsOf(rowCount);
				const numbers = rows.map((_, i) => expectedNumber(i));
				const body =
					shape === 'success'
						? successBody(numbers, echo, where)
						: shape === 'error'
							? JSON.stringify({ status: code, message: `${noise} ${echo}` })
							: shape === 'html'
								? `<html><body><h1>${noise}</h1><p>${echo}</p></body></html>`
								: shape === 'text'
									? `${noise}${echo}${noise}`
									: `${'<'.repeat(2000)}${echo}`;
				sandbox.setFault({
					kind: 'raw',
					status,
					body,
					process,
					contentType: shape === 'html' ? 'text/html' : 'application/json',
				});

				const result = await send(sandbox, rows, {
					onError: stopOnError ? undefined : 'continueRegularOutput',
					// Pacing is per account and this file's runs share one: together they send more pushes than an
					// account's minute allows. Pacing has its own tests (pacing.test.ts).
					options: { batchSize: 2, maxRetries: 0, maxPushesPerMinute: 0 },
				});

				const batches = Math.ceil(rowCount / 2);
				// No push twice: one request per batch at most (a failed batch stops the rest without Continue).
				expect(sandbox.pushes().length).toBeLessThanOrEqual(batches);
				if (!stopOnError) expect(sandbox.pushes()).toHaveLength(batches);

				if (!stopOnError || !result.error) {
					expect(result.output).toHaveLength(rowCount);
					result.output.forEach((item, i) => {
						expect(item.pairedItem).toEqual({ item: i });
						expect(['accepted', 'rejected', 'unknown']).toContain(stateOf(item));
					});
					const msgIds = result.output
						.filter((item) => stateOf(item) === 'accepted')
						.map((item) => item.json.msg_id);
					expect(new Set(msgIds).size).toBe(msgIds.length);
				}
				if (status < 200 || status >= 300) {
					expect(result.output.filter((item) => stateOf(item) === 'accepted')).toHaveLength(0);
				}

				expect(result.serialized).not.toContain(TOKEN);
				expect(result.serialized).not.toContain(TOKEN.slice(0, 15));
				expect(result.serialized).not.toContain(TOKEN.slice(-15));
				expect(result.serialized).not.toContain(JSON.stringify(TOKEN).slice(1, -1));
			},
		),
		{ numRuns: 80 },
	);
}, 120_000);
