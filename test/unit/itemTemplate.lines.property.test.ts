/**
 * The fast path for Number and Message against n8n's own evaluator of each line, over generated templates and rows:
 * every answer the fast path gives must equal n8n's, in value and type; anything else must be a fall-back.
 *
 * n8n-core reads a string parameter as `workflow.expression.getParameterValue(...)`; what it does afterwards
 * (turning Luxon dates into text, validating against a `validateType` the parameters do not set) leaves the value of
 * a plain string parameter unchanged. So each line's n8n-workflow is asked directly: 1.x through the `n8n-workflow-v1`
 * alias with the legacy engine n8n 1.x runs with here, 2.x through n8n-workflow 2.x. The whole getNodeParameter path
 * of 2.x is compared in a running workflow in test/workflow/itemTemplate.property.test.ts.
 */
import fc from 'fast-check';
import type { INode, INodeExecutionData, INodeTypes } from 'n8n-workflow';
import { Expression as ExpressionV2, Workflow as WorkflowV2 } from 'n8n-workflow';
import { Expression as ExpressionV1, Workflow as WorkflowV1 } from 'n8n-workflow-v1';

import { compileItemTemplate } from '../../nodes/PickyAssist/helpers/itemTemplate';
import { generatedRows, generatedTemplate } from './itemTemplate.inputs';

type Evaluate = (parameter: string, items: INodeExecutionData[], itemIndex: number) => unknown;

const probe: INode = {
	id: '1',
	name: 'Probe',
	type: 'test.probe',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const nodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/** How a line's getNodeParameter evaluates `parameter` for item `itemIndex` of the node's input. */
function evaluatorOf(Workflow: typeof WorkflowV2): Evaluate {
	const workflow = new Workflow({ nodes: [probe], connections: {}, active: false, nodeTypes });
	return (parameter, items, itemIndex) =>
		workflow.expression.getParameterValue(
			parameter,
			{ resultData: { runData: {} } } as never,
			0,
			itemIndex,
			probe.name,
			items,
			'manual',
			{},
			{ node: probe, data: { main: [items] }, source: null },
		);
}

const LINES: Array<[string, () => string, Evaluate]> = [
	[
		'n8n 1.x',
		() => ExpressionV1.getActiveImplementation(),
		evaluatorOf(WorkflowV1 as unknown as typeof WorkflowV2),
	],
	['n8n 2.x', () => ExpressionV2.getActiveImplementation(), evaluatorOf(WorkflowV2)],
];

describe.each(LINES)('the Number/Message fast path on %s', (_line, engine, evaluate) => {
	it("runs against the line's legacy expression engine", () => {
		expect(engine()).toBe('legacy');
	});

	it("gives for generated templates and rows exactly n8n's answer (value and type), or falls back", () => {
		let answered = 0;
		let total = 0;
		fc.assert(
			fc.property(generatedTemplate, generatedRows, (text, jsonRows) => {
				const fast = compileItemTemplate(text);
				const items = jsonRows.map((json) => ({ json }) as INodeExecutionData);
				items.forEach((item, index) => {
					total++;
					const answer = fast?.(item.json);
					if (answer === undefined) return;
					answered++;
					let n8n: unknown;
					try {
						n8n = evaluate(text, items, index);
					} catch (error) {
						n8n = `n8n refused: ${(error as Error).message}`;
					}
					expect({ text, row: item.json, n8n }).toEqual({
						text,
						row: item.json,
						n8n: answer.value,
					});
					expect(typeof n8n).toBe(typeof answer.value);
				});
			}),
			{ numRuns: 1000 },
		);
		// The property is only worth something if the fast path actually answers a good share of the rows.
		expect(answered / total).toBeGreaterThan(0.2);
	});
});
