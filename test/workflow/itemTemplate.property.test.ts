/**
 * The fast path for Number and Message must give exactly what n8n's own evaluation gives. A probe node evaluates
 * generated templates over generated rows both ways, inside n8n-core's engine, and every row the fast path
 * answers must equal getNodeParameter's result — value and type. The same inputs go through n8n 1.x's and 2.x's
 * evaluators directly in test/unit/itemTemplate.lines.property.test.ts.
 */
import fc from 'fast-check';
import type { IDataObject, IExecuteFunctions, INodeType, IWorkflowBase } from 'n8n-workflow';

import { compileItemTemplate } from '../../nodes/PickyAssist/helpers/itemTemplate';
import { runWorkflow } from '../tooling/harness';
import { generatedRows, generatedTemplate } from '../unit/itemTemplate.inputs';

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

test('for generated templates and rows, every fast-path answer equals n8n getNodeParameter (value and type)', async () => {
	let answered = 0;
	let total = 0;
	await fc.assert(
		fc.asyncProperty(generatedTemplate, generatedRows, async (text, rows) => {
			const result = await runWorkflow(workflowFor(text), {
				pinData: {
					Rows: rows.map((json) => ({
						json: JSON.parse(JSON.stringify(json)) as IDataObject,
					})),
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
		}),
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
	// n8n refuses any expression with ".constructor" in it, field names and text included.
	expect(compileItemTemplate('={{ $json.constructorName }}')).toBeUndefined();
	expect(compileItemTemplate('=Mr.constructor {{ $json.name }}')).toBeUndefined();
	expect(compileItemTemplate(42)).toBeUndefined();
	const phone = compileItemTemplate('={{ $json.phone }}')!;
	expect(phone({ phone: 447700900123 })).toEqual({ value: 447700900123 });
	expect(phone({ phone: null })).toBeUndefined();
	expect(phone({})).toBeUndefined();
	expect(phone({ phone: { a: 1 } })).toBeUndefined();
});
