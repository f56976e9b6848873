/**
 * The fast path for Number and Message must give exactly what n8n's own evaluation gives. A probe node evaluates
 * generated templates over generated rows both ways, inside n8n-core's engine, and every row the fast path
 * answers must equal getNodeParameter's result — value and type.
 */
import fc from 'fast-check';
import type { IDataObject, IExecuteFunctions, INodeType, IWorkflowBase } from 'n8n-workflow';

import { compileItemTemplate } from '../../nodes/PickyAssist/helpers/itemTemplate';
import { runWorkflow } from '../tooling/harness';

const PROBE_TYPE = 'test.templateProbe';

const probe: INodeType = {
	description: {
		displayName: 'Template probe',
		name: 'templateProbe',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	},
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		const template = compileItemTemplate(
			this.getNodeParameter('value', 0, '', { rawExpressions: true }),
		);
		return [
			items.map((item, index) => {
				let n8n: IDataObject;
				try {
					n8n = { value: this.getNodeParameter('value', index) as IDataObject[string] };
				} catch (error) {
					n8n = { error: (error as Error).message };
				}
				const fast = template?.(item.json);
				return {
					json: {
						n8n,
						fast: fast ? { value: fast.value } : 'fallback',
						compiled: template !== undefined,
					},
					pairedItem: { item: index },
				};
			}),
		];
	},
};

function workflowFor(template: string): IWorkflowBase {
	return {
		id: 'probe',
		name: 'probe',
		active: false,
		nodes: [
			{
				id: '1',
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '2',
				name: 'Rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: 'return [];' },
			},
			{
				id: '3',
				name: 'Probe',
				type: PROBE_TYPE,
				typeVersion: 1,
				position: [400, 0],
				parameters: { value: template },
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Probe', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
}

const KEYS = ['name', 'phone', 'amount', 'first name', 'Ünïcödé', 'x_1', 'nested'];

const reference = fc
	.constantFrom(...KEYS)
	.chain((key) =>
		fc.constantFrom(
			/^[A-Za-z_]\w*$/.test(key) ? `$json.${key}` : `$json["${key}"]`,
			`$json['${key}']`,
			`$json.nested.inner`,
			`$json["nested"]["inner"]`,
		),
	);

const expression = fc.oneof(
	{
		weight: 8,
		arbitrary: reference.chain((path) =>
			fc.constantFrom(`{{ ${path} }}`, `{{${path}}}`, `{{  ${path}\t}}`),
		),
	},
	// Expressions the fast path must leave to n8n.
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'{{ $json.name.toUpperCase() }}',
			'{{ $json.amount + 1 }}',
			'{{ $json["phone"] ?? "none" }}',
			"{{ 'lit' }}",
		),
	},
);

const literal = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.constantFrom('', ' ', 'Hi ', ', your bill is ', ' 🎉\n', 'مرحبا ', '您好 '),
	},
	fc.constantFrom(
		'',
		' ',
		'Hi ',
		', your bill is ',
		' 🎉\n',
		'مرحبا ',
		'您好 ',
		'€ ',
		'50%',
		'a{b',
		'x}y',
		'back\\slash',
		'$json',
	),
	fc.string({ maxLength: 12 }),
);

const template = fc
	.array(fc.tuple(literal, expression), { minLength: 1, maxLength: 4 })
	.chain((parts) =>
		literal.map((tail) => `=${parts.map(([text, expr]) => text + expr).join('')}${tail}`),
	);

const value = fc.oneof(
	{ weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
	{ weight: 3, arbitrary: fc.integer() },
	{ weight: 2, arbitrary: fc.double({ noNaN: true }) },
	{
		weight: 2,
		arbitrary: fc.constantFrom(
			0,
			-0,
			1e21,
			1e-7,
			447700900123,
			0.1,
			-5,
			true,
			false,
			'',
			' ',
			null,
			'0',
			'null',
			'undefined',
		),
	},
	{ weight: 1, arbitrary: fc.array(fc.integer(), { maxLength: 3 }) },
	{ weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'b'), fc.integer(), { maxKeys: 2 }) },
);

// Rows mostly hold the referenced fields; sometimes one is missing, as in real sheets.
const row = fc
	.record(
		{
			name: value,
			phone: value,
			amount: value,
			'first name': value,
			Ünïcödé: value,
			x_1: value,
			nested: fc.oneof(
				{ weight: 4, arbitrary: fc.record({ inner: value }) },
				{ weight: 1, arbitrary: value },
			),
		},
		{ requiredKeys: ['name', 'phone', 'amount', 'first name', 'Ünïcödé', 'x_1', 'nested'] },
	)
	.chain((full) =>
		fc.subarray(Object.keys(full), { maxLength: 1 }).map((drop) => {
			const copy: Record<string, unknown> = { ...full };
			for (const key of drop) delete copy[key];
			return copy;
		}),
	);

test('for generated templates and rows, every fast-path answer equals n8n getNodeParameter (value and type)', async () => {
	let answered = 0;
	let total = 0;
	await fc.assert(
		fc.asyncProperty(
			template,
			fc.array(row, { minLength: 1, maxLength: 8 }),
			async (text, rows) => {
				const result = await runWorkflow(workflowFor(text), {
					pinData: {
						Rows: rows.map((json) => ({ json: JSON.parse(JSON.stringify(json)) as IDataObject })),
					},
					extraNodeTypes: { [PROBE_TYPE]: probe },
				});
				expect(result.error).toBeUndefined();
				const out = result.run.data.resultData.runData.Probe[0].data!.main[0]!;
				expect(out).toHaveLength(rows.length);
				for (const item of out) {
					total++;
					if (item.json.fast === 'fallback') continue;
					answered++;
					const fast = (item.json.fast as IDataObject).value;
					expect(item.json.n8n).toEqual({ value: fast });
					expect(typeof (item.json.n8n as IDataObject).value).toBe(typeof fast);
				}
			},
		),
		{ numRuns: 250 },
	);
	// The property is only worth something if the fast path actually answers a good share of the rows.
	expect(answered / total).toBeGreaterThan(0.2);
});

test('typical mappings compile; anything else falls back to n8n', () => {
	expect(compileItemTemplate('={{ $json.phone }}')).toBeDefined();
	expect(
		compileItemTemplate('=Hi {{ $json.name }}, you owe {{ $json["amount due"] }} €'),
	).toBeDefined();
	expect(compileItemTemplate('447700900123')?.({})).toEqual({ value: '447700900123' });
	expect(compileItemTemplate('={{ $json.name.toUpperCase() }}')).toBeUndefined();
	expect(compileItemTemplate("={{ $('Sheet').item.json.phone }}")).toBeUndefined();
	expect(compileItemTemplate('={{ $json.__proto__ }}')).toBeUndefined();
	expect(compileItemTemplate('=Hi {name}')).toBeUndefined();
	expect(compileItemTemplate(42)).toBeUndefined();
	const phone = compileItemTemplate('={{ $json.phone }}')!;
	expect(phone({ phone: 447700900123 })).toEqual({ value: 447700900123 });
	expect(phone({ phone: null })).toBeUndefined();
	expect(phone({})).toBeUndefined();
	expect(phone({ phone: { a: 1 } })).toBeUndefined();
});
