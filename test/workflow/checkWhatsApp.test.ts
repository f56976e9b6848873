/**
 * Check WhatsApp Numbers through n8n-core's engine against the sandbox: a lookup push (action "1", numbers only)
 * with the same row checks, guards and outcomes as Send Dynamic Messages.
 */
import { CONTINUE, rowsOf, runError, sandboxForFile, send, stateOf } from './helpers';
import type { SendOptions } from './helpers';

const fileSandbox = sandboxForFile();
const LOOKUP = { resource: 'contact', operation: 'checkWhatsApp', application: 8 };

const lookup = (rows: ReturnType<typeof rowsOf>, opts: SendOptions = {}) =>
	send(fileSandbox.current, rows, { ...opts, parameters: { ...LOOKUP, ...opts.parameters } });

test('one lookup push of the numbers only; one item per number: accepted, with push_id and msg_id; no credit spent', async () => {
	const before = fileSandbox.current.balance;
	const result = await lookup(rowsOf(3));
	const pushes = fileSandbox.current.pushes();
	expect(pushes).toHaveLength(1);
	expect(pushes[0].body).toEqual({
		token: expect.any(String),
		application: '8',
		action: '1',
		data: [{ number: '447700900000' }, { number: '447700900001' }, { number: '447700900002' }],
	});
	const answer = fileSandbox.current.acceptedPushes[0].response;
	expect(result.output.map((item) => item.json)).toEqual(
		answer.data.map((entry) => ({
			state: 'accepted',
			number: entry.number,
			push_id: answer.push_id,
			msg_id: entry.msg_id,
		})),
	);
	expect(result.output.map((item) => item.pairedItem)).toEqual([0, 1, 2].map((item) => ({ item })));
	expect(fileSandbox.current.balance).toBe(before);
});

test('a channel the WhatsApp Number Filter does not run on is refused before any request, naming the field', async () => {
	const result = await lookup(rowsOf(2), { parameters: { application: 3 } });
	expect(runError(result).message).toMatch(
		/"Application" must be 1, 2, 8, 10 for a WhatsApp number check.*got "3"/,
	);
	expect(fileSandbox.current.requests).toHaveLength(0);
});

test('a bad number is rejected naming its item and field; the others are looked up', async () => {
	const rows = [...rowsOf(2), { number: '12' }];
	const result = await lookup(rows, { onError: CONTINUE });
	expect(result.output.map(stateOf)).toEqual(['accepted', 'accepted', 'rejected']);
	expect(JSON.stringify(result.output[2].json)).toMatch(/Number/);
	expect(fileSandbox.current.pushes()[0].body.data).toHaveLength(2);
});

test('Max Recipients holds for lookups: over the cap, nothing is looked up', async () => {
	const result = await lookup(rowsOf(3), { options: { maxRecipients: 2 } });
	expect(runError(result).message).toMatch(/Max Recipients/);
	expect(fileSandbox.current.requests).toHaveLength(0);
});

test('Validate Only shows each lookup entry and sends nothing', async () => {
	const result = await lookup(rowsOf(2), { options: { dryRun: true } });
	expect(result.output.map((item) => item.json.entry)).toEqual([
		{ number: '447700900000' },
		{ number: '447700900001' },
	]);
	expect(fileSandbox.current.requests).toHaveLength(0);
});
