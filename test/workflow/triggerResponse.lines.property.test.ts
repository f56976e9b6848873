/**
 * The Trigger's response fields are built two ways: for n8n 1.x as `={{…}}` templates that inline the source of a
 * function, and for n8n 2.41+ with n8n-workflow's `webhookDescriptionFields`, whose native resolver reads static
 * parameters without the expression engine. Over generated parameter sets, n8n 1.x's evaluator on its templates,
 * 2.x's native resolver and 2.x's evaluator on its templates must all give the same answer, and the native resolver
 * must step aside whenever a parameter holds an expression.
 *
 * The node is loaded from dist/ (the compiled function source is what n8n evaluates), once against n8n-workflow 2.x
 * and once with `n8n-workflow` resolving to the 1.x alias, as n8n 1.x loads it. Each line reads the fields the way
 * its webhook code does: getSimpleParameterValue for responseMode, getComplexParameterValue for responseData.
 */
import fc from 'fast-check';
import type {
	INode,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWebhookDescription,
} from 'n8n-workflow';
import { Expression as ExpressionV2, resolveWebhookDescriptionField, Workflow } from 'n8n-workflow';
import { Expression as ExpressionV1, Workflow as WorkflowV1 } from 'n8n-workflow-v1';

const BUILT_TRIGGER =
	'../../dist/nodes/PickyAssist/PickyAssistTrigger.node';

type TriggerModule = { PickyAssistTrigger: new () => INodeType };

/** The built Trigger as n8n 2.x loads it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const triggerOnV2 = new (require(BUILT_TRIGGER) as TriggerModule).PickyAssistTrigger();

/** The built Trigger as n8n 1.x loads it: `n8n-workflow` is 1.x's, which has no native helpers. */
function loadTriggerOnV1(): INodeType {
	let module: TriggerModule | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => jest.requireActual('n8n-workflow-v1'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		module = require(BUILT_TRIGGER) as TriggerModule;
		jest.dontMock('n8n-workflow');
	});
	return new module!.PickyAssistTrigger();
}

const LINES = { v1: loadTriggerOnV1(), v2: triggerOnV2 };

const MODES = ['onReceived', 'lastNode', 'responseNode'];

/** A stored Respond value and the mode it stands for: left unset (the default), a plain value, or an expression. */
const responseMode = fc.oneof(
	fc.constant({ stored: undefined, mode: 'onReceived' }),
	fc.constantFrom(...MODES).map((mode) => ({ stored: mode, mode })),
	fc
		.constantFrom(...MODES)
		.chain((mode) =>
			fc.constantFrom(
				{ stored: `={{ "${mode}" }}`, mode },
				{ stored: `=${mode}`, mode },
				{ stored: `={{ ["${mode}"][0] }}`, mode },
			),
		),
);

/** The other parameters, plain or expressions (which the response fields never read). */
const plainOrExpression = <T>(plain: fc.Arbitrary<T>) =>
	fc.oneof(
		{ weight: 3, arbitrary: plain },
		{ weight: 1, arbitrary: fc.constantFrom('={{ $json.secret }}', '={{ "x" }}', '=text') },
	);
const otherParameters = fc.record(
	{
		events: fc.subarray(['deliveryReport', 'incomingMessage', 'groupMembership']),
		secret: plainOrExpression(fc.string({ maxLength: 12 })),
		options: fc.record({ deduplicate: plainOrExpression(fc.boolean()) }, { requiredKeys: [] }),
	},
	{ requiredKeys: [] },
);

function nodeTypesOf(type: INodeType): INodeTypes {
	return {
		getByName: () => type,
		getByNameAndVersion: () => type,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

/** The node as the Workflow holds it: the stored parameters plus the defaults n8n applies. */
function workflowWith(
	Constructor: typeof Workflow,
	type: INodeType,
	parameters: INodeParameters,
): { workflow: Workflow; node: INode } {
	const stored: INode = {
		id: '1',
		name: 'Trigger',
		type: 'n8n-nodes-pickyassist.pickyAssistTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const nodeTypes = nodeTypesOf(type);
	const workflow = new Constructor({ nodes: [stored], connections: {}, active: false, nodeTypes });
	return { workflow, node: workflow.nodes.Trigger };
}

/** What a line's webhook code reads from the fields through its expression engine. */
function evaluate(workflow: Workflow, node: INode, webhook: IWebhookDescription) {
	return {
		responseMode: workflow.expression.getSimpleParameterValue(
			node,
			webhook.responseMode,
			'webhook',
			{},
			undefined,
			'onReceived',
		),
		responseData: workflow.expression.getComplexParameterValue(
			node,
			webhook.responseData,
			'webhook',
			{},
			undefined,
			'firstEntryJson',
		),
	};
}

/** Whether any stored value is an expression (a string starting with "="), at any depth. */
const holdsExpression = (value: unknown): boolean =>
	typeof value === 'string'
		? value.startsWith('=')
		: value !== null && typeof value === 'object' && Object.values(value).some(holdsExpression);

const webhookOf = (type: INodeType) => type.description.webhooks![0];

it('runs n8n 1.x with its legacy expression engine, and loads the 1.x node without the native helpers', () => {
	expect(ExpressionV1.getActiveImplementation()).toBe('legacy');
	expect(ExpressionV2.getActiveImplementation()).toBe('legacy');
	expect(Object.getOwnPropertySymbols(webhookOf(LINES.v1))).toHaveLength(0);
	expect(Object.getOwnPropertySymbols(webhookOf(LINES.v2))).toHaveLength(1);
});

it("gives the same response on n8n 1.x, natively on 2.x and through 2.x's engine, for generated parameters", () => {
	let native = 0;
	let engine = 0;
	fc.assert(
		fc.property(responseMode, otherParameters, ({ stored, mode }, others) => {
			const parameters = {
				...others,
				...(stored === undefined ? {} : { responseMode: stored }),
			} as INodeParameters;
			const expected = {
				responseMode: mode,
				responseData: mode === 'lastNode' ? 'firstEntryJson' : {},
			};
			const v1 = workflowWith(WorkflowV1 as unknown as typeof Workflow, LINES.v1, parameters);
			expect(evaluate(v1.workflow, v1.node, webhookOf(LINES.v1))).toEqual(expected);

			const v2 = workflowWith(Workflow, LINES.v2, parameters);
			expect(evaluate(v2.workflow, v2.node, webhookOf(LINES.v2))).toEqual(expected);
			const hasExpression = holdsExpression(v2.node.parameters);
			for (const field of ['responseMode', 'responseData'] as const) {
				const resolved = resolveWebhookDescriptionField(v2.node, webhookOf(LINES.v2), field);
				expect(resolved).toEqual(
					hasExpression ? { resolved: false } : { resolved: true, value: expected[field] },
				);
			}
			if (hasExpression) engine++;
			else native++;
		}),
		{ numRuns: 400 },
	);
	// Both ways of answering were exercised.
	expect(Math.min(native, engine)).toBeGreaterThan(40);
});
