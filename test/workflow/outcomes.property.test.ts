/**
 * The outcome model as a property: for generated rows (valid and invalid) and generated answers from Picky Assist
 * (success, errors, broken or doctored responses, dropped connections), run the real workflow with "Continue" on and
 * check that every input row ends in exactly one state, that nothing is invented or dropped, and that no row is ever
 * sent twice.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Fault, type Sandbox } from '../sandbox';
import { detailsOf, send, stateOf, TOKEN } from './helpers';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 1e9 });
});
afterAll(async () => await sandbox.close());

// 07700 and six digits: a UK mobile of the length its plan uses (the node refuses numbers of impossible length).
const validNumber = fc
	.integer({ min: 100000, max: 999999 })
	.map((n) => ({ kind: 'valid' as const, number: `+44 7700 ${n}`, digits: `447700${n}` }));
const repeatedNumber = fc.constant({
	kind: 'valid' as const,
	number: '447700900000',
	digits: '447700900000',
});
const invalidNumber = fc
	.constantFrom('', 'n/a', '0770 0900', '12', '4.4E+11', '+44 7700 900001; +44 7700 900002')
	.map((number) => ({ kind: 'invalid' as const, number, digits: '' }));
const row = fc.oneof(
	{ weight: 6, arbitrary: validNumber },
	{ weight: 1, arbitrary: repeatedNumber },
	{ weight: 1, arbitrary: invalidNumber },
);

const fault: fc.Arbitrary<Fault | undefined> = fc.constantFrom<Fault | undefined>(
	undefined,
	{ kind: 'http500' },
	{ kind: 'html200' },
	{ kind: 'malformed' },
	{ kind: 'reset' },
	{ kind: 'reset-before' },
	{ kind: 'status', status: 403 },
	{ kind: 'status', status: 406 },
	{ kind: 'shuffle' },
	{ kind: 'short' },
	{ kind: 'extra' },
	{ kind: 'no-msg-id' },
	{ kind: 'no-data' },
	{ kind: 'duplicate-entry' },
	{ kind: 'foreign-number' },
	{ kind: 'string-status' },
);

test('every row ends in exactly one state, nothing is invented or dropped, and no row is sent twice', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.array(row, { minLength: 1, maxLength: 30 }),
			fc.integer({ min: 1, max: 8 }),
			fc.array(fault, { maxLength: 5 }),
			async (rows, batchSize, faults) => {
				sandbox.reset();
				for (const f of faults)
					if (f) sandbox.addFault(f);
					else sandbox.addFault({ kind: 'delay', ms: 0 });

				const input: IDataObject[] = rows.map((r, i) => ({
					number: r.number,
					message: `Row ${i} ✓`,
				}));
				const result = await send(sandbox, input, {
					onError: 'continueRegularOutput',
					// Pacing is per account and this file's runs share one: together they send more pushes than an
					// account's minute allows. Pacing has its own tests (pacing.test.ts).
					options: { batchSize, maxRetries: 0, maxPushesPerMinute: 0 },
				});
				expect(result.error).toBeUndefined();

				// Exactly one output item per input row, paired to it, in input order.
				expect(result.output).toHaveLength(rows.length);
				result.output.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));

				// Each row was in at most one push request; invalid rows in none; valid rows in exactly one.
				const timesSent = new Array<number>(rows.length).fill(0);
				for (const push of sandbox.pushes()) {
					for (const entry of push.body.data as Array<{ message: string }>)
						timesSent[Number(/^Row (\d+)/.exec(entry.message)![1])]++;
				}
				rows.forEach((r, i) => expect(timesSent[i]).toBe(r.kind === 'valid' ? 1 : 0));

				const acceptedMsgIds = new Set<string>();
				const trueIds = new Map<string, string>();
				for (const accepted of sandbox.acceptedPushes) {
					for (const entry of accepted.response.data) trueIds.set(entry.msg_id, entry.number);
				}
				result.output.forEach((item, i) => {
					const state = stateOf(item);
					expect(['accepted', 'rejected', 'unknown']).toContain(state);
					if (rows[i].kind === 'invalid') {
						expect(state).toBe('rejected');
						expect(detailsOf(item).field).toBe('number');
					}
					if (state === 'accepted') {
						const msgId = String(item.json.msg_id);
						expect(acceptedMsgIds.has(msgId)).toBe(false);
						acceptedMsgIds.add(msgId);
						// The msg_id really is one Picky Assist gave for this row's number.
						expect(trueIds.get(msgId)).toBe(rows[i].digits);
					}
				});
			},
		),
		{ numRuns: 60 },
	);
});
