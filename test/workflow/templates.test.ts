/**
 * WhatsApp templates per row, per-row media, Validate Only, duplicate rows, Max Recipients and Allowed
 * Prefixes, through the real engine against the sandbox.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { readWorkflow, runWorkflow } from '../tooling/harness';
import {
	credentialsFor,
	detailsOf,
	errorMessageOf,
	runError,
	send,
	stateOf,
	TOKEN,
} from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 1e9 });
});
afterEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

const TEMPLATE: IDataObject = {
	content: 'template',
	templateId: '77',
	templateLanguage: '={{ $json.lang }}',
	templateVariables: {
		variables: [{ value: '={{ $json.name }}' }, { value: '={{ $json.amount }}' }],
	},
};
const CONTINUE = 'continueRegularOutput' as const;

describe('WhatsApp templates per row', () => {
	test('one push: template id and language at the top, each row its values in order, no message', async () => {
		const rows = [
			{ number: '447700900001', name: 'Ana', amount: '12.40', lang: 'en' },
			{ number: '447700900002', name: 'Zoë 👋', amount: 8, lang: 'en' },
			{ number: '447700900003', name: 'João', amount: '5.00', lang: 'pt_BR' },
		];
		const result = await send(sandbox, rows, {
			parameters: TEMPLATE,
			options: { templateHeader: 'Invoice' },
		});
		expect(result.error).toBeUndefined();
		const [push] = sandbox.pushes();
		expect(push.body).toMatchObject({
			template_id: '77',
			language: 'en',
			template_header: 'Invoice',
			application: '8',
		});
		expect(push.body).not.toHaveProperty('globalmessage');
		expect(push.body.data).toEqual([
			{ number: '447700900001', template_message: ['Ana', '12.40'] },
			{ number: '447700900002', template_message: ['Zoë 👋', '8'] },
			{ number: '447700900003', template_message: ['João', '5.00'], language: 'pt_BR' },
		]);
		expect(result.output.map(stateOf)).toEqual(['accepted', 'accepted', 'accepted']);
	});

	test('a bad value rejects its row before anything is sent; with Continue the others go out', async () => {
		const rows = [
			{ number: '447700900001', name: 'Ana', amount: '1', lang: 'en' },
			{ number: '447700900002', name: 'two\nlines', amount: '1', lang: 'en' },
			{ number: '447700900003', name: '', amount: '1', lang: 'en' },
		];
		const stopped = await send(sandbox, rows, { parameters: TEMPLATE });
		expect(runError(stopped).message).toMatch(
			/^In item 1, "Template Variables" \{\{1\}\} holds a line break/,
		);
		expect(sandbox.pushes()).toHaveLength(0);

		const continued = await send(sandbox, rows, { parameters: TEMPLATE, onError: CONTINUE });
		expect(continued.output.map(stateOf)).toEqual(['accepted', 'rejected', 'rejected']);
		expect(errorMessageOf(continued.output[2])).toMatch(/\{\{1\}\} is empty/);
		expect(sandbox.pushes()[0].body.data).toHaveLength(1);
	});

	test('property: template values arrive byte-exact and in order', async () => {
		const value = fc
			.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
			.filter((text) => text.trim() !== '' && !/[\r\n\t]|\s{5}/.test(text));
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 8 }),
				async (pairs) => {
					sandbox.reset();
					const rows = pairs.map(([name, amount], i) => ({
						number: `4477009${String(i).padStart(5, '0')}`,
						name,
						amount,
						lang: 'en',
					}));
					const result = await send(sandbox, rows, { parameters: TEMPLATE });
					expect(result.error).toBeUndefined();
					const sent = sandbox.pushes()[0].body.data as Array<{ template_message: string[] }>;
					expect(sent.map((entry) => entry.template_message)).toEqual(
						pairs.map(([name, amount]) => [name, amount]),
					);
				},
			),
			{ numRuns: 40 },
		);
	}, 60_000);
});

test('the example "Template reminder from a sheet" sends one template push with three values per row', async () => {
	const result = await runWorkflow(readWorkflow('examples/template-reminder-from-a-sheet.json'), {
		credentials: credentialsFor(sandbox),
	});
	expect(result.error).toBeUndefined();
	const [push] = sandbox.pushes();
	expect(push.body).toMatchObject({ template_id: 'bill_reminder', language: 'pt_BR' });
	expect(push.body.data).toEqual([
		{ number: '5511987654321', template_message: ['Ana', '12.40', '1 Dec'] },
		{ number: '919876543210', template_message: ['Raj', '8.00', '3 Dec'], language: 'en' },
		{ number: '447700900123', template_message: ['Oliver', '5.75', '7 Dec'], language: 'en' },
	]);
	expect(result.output.map(stateOf)).toEqual(['accepted', 'accepted', 'accepted']);
});

describe('per-row media', () => {
	test("a row's own media wins over Global Media; a bad URL rejects its row", async () => {
		const rows = [
			{ number: '447700900001', message: 'Your invoice', file: 'https://files.example/1.pdf' },
			{ number: '447700900002', message: 'Your invoice', file: '' },
			{ number: '447700900003', message: 'Your invoice', file: 'javascript:alert(1)' },
		];
		const result = await send(sandbox, rows, {
			onError: CONTINUE,
			options: { mediaUrl: '={{ $json.file }}', globalMedia: 'https://files.example/brochure.jpg' },
		});
		expect(sandbox.pushes()[0].body.globalmedia).toBe('https://files.example/brochure.jpg');
		expect(sandbox.pushes()[0].body.data).toEqual([
			{ number: '447700900001', message: 'Your invoice', media: 'https://files.example/1.pdf' },
			{ number: '447700900002', message: 'Your invoice' },
		]);
		expect(result.output.map(stateOf)).toEqual(['accepted', 'accepted', 'rejected']);
		expect(detailsOf(result.output[2]).field).toBe('media url');
	});
});

describe('Validate Only (Send Nothing)', () => {
	test('no request is made; each valid row shows its push and the exact entry; invalid rows as usual', async () => {
		const rows = [
			{ number: '+44 7700 900001', message: 'a' },
			{ number: 'nope', message: 'b' },
			{ number: '447700900003', message: 'c' },
			{ number: '447700900004', message: 'd' },
		];
		const result = await send(sandbox, rows, {
			onError: CONTINUE,
			options: { dryRun: true, batchSize: 2 },
			credentials: { apiToken: '', apiHost: 'custom', customUrl: 'not a url' },
		});
		expect(sandbox.requests).toHaveLength(0);
		expect(result.output.map((item) => item.json)).toEqual([
			{ state: 'valid', push: 1, entry: { number: '447700900001', message: 'a' } },
			expect.objectContaining({
				error: expect.objectContaining({ state: 'rejected', item_index: 1 }),
			}),
			{ state: 'valid', push: 1, entry: { number: '447700900003', message: 'c' } },
			{ state: 'valid', push: 2, entry: { number: '447700900004', message: 'd' } },
		]);
	});
});

describe('duplicate rows, Max Recipients and Allowed Prefixes', () => {
	test('Skip Duplicate Rows: the same number and content again is rejected as a duplicate of the first', async () => {
		const rows = [
			{ number: '447700900001', message: 'hi' },
			{ number: '+44 7700 900001', message: 'hi' },
			{ number: '447700900001', message: 'hello' },
		];
		const result = await send(sandbox, rows, {
			onError: CONTINUE,
			options: { skipDuplicateRows: true },
		});
		expect(result.output.map(stateOf)).toEqual(['accepted', 'rejected', 'accepted']);
		expect(errorMessageOf(result.output[1])).toMatch(/duplicate of item 0/);
		// Items 0 and 2 share a number: never in one push (Picky Assist's answer could not tell them apart).
		expect(sandbox.pushes().map((push) => push.body.data.length)).toEqual([1, 1]);

		sandbox.reset();
		const off = await send(sandbox, rows, { onError: CONTINUE });
		expect(off.output.map(stateOf)).toEqual(['accepted', 'accepted', 'accepted']);
	});

	test('more valid rows than Max Recipients: a node error before any push, even with Continue', async () => {
		const rows = [1, 2, 3].map((i) => ({ number: `44770090000${i}`, message: 'hi' }));
		for (const onError of [undefined, CONTINUE]) {
			const result = await send(sandbox, rows, { onError, options: { maxRecipients: 2 } });
			expect(sandbox.requests).toHaveLength(0);
			const message = result.error
				? String(result.error.message)
				: String(result.output[0]?.json.error);
			expect(message).toMatch(
				/3 rows would be sent, more than Max Recipients \(2\) allows; nothing was sent/,
			);
		}
		const within = await send(sandbox, rows, { options: { maxRecipients: 3 } });
		expect(within.output.map(stateOf)).toEqual(['accepted', 'accepted', 'accepted']);
	});

	test('a number outside the Allowed Prefixes is rejected; the others are sent', async () => {
		const rows = [
			{ number: '447700900001', message: 'hi' },
			{ number: '15555550100', message: 'hi' },
		];
		const result = await send(sandbox, rows, {
			onError: CONTINUE,
			options: { allowedPrefixes: '44,353' },
		});
		expect(result.output.map(stateOf)).toEqual(['accepted', 'rejected']);
		expect(errorMessageOf(result.output[1])).toMatch(/outside the allowed prefixes \(44, 353\)/);
	});
});
