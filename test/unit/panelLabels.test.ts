/**
 * What the node panel, the node search and the canvas show, read from the nodes' descriptions: labels a user reads,
 * not the values saved workflows hold. The canvas subtitle is evaluated by n8n's own expression code of both lines.
 */
import type { INode, INodeProperties, INodePropertyOptions, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { Workflow as WorkflowV1 } from 'n8n-workflow-v1';

import { PickyAssist } from '../../nodes/PickyAssist/PickyAssist.node';
import { PickyAssistTrigger } from '../../nodes/PickyAssist/PickyAssistTrigger.node';

const trigger = new PickyAssistTrigger().description;
const send = new PickyAssist().description;
const property = (properties: INodeProperties[], name: string) =>
	properties.find((p) => p.name === name)!;
const events = property(trigger.properties, 'events').options as INodePropertyOptions[];

describe('the Trigger', () => {
	test('the node search lists each event by its own words (n8n lower-cases a name without an action)', () => {
		expect(events.map((option) => [option.value, option.action])).toEqual([
			['deliveryReport', 'On delivery report'],
			['groupMembership', 'On group membership'],
			['incomingMessage', 'On incoming message'],
			['newSubscriber', 'On new subscriber'],
			['whatsappFilter', 'On WhatsApp filter'],
		]);
	});

	const node: INode = {
		id: '1',
		name: 'Picky Assist Trigger',
		type: 'n8n-nodes-pickyassist.pickyAssistTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { events: ['incomingMessage', 'deliveryReport', 'whatsappFilter'] },
	};
	const nodeTypes = {
		getByName: () => new PickyAssistTrigger(),
		getByNameAndVersion: () => new PickyAssistTrigger(),
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;

	test.each([
		['n8n 2.x', Workflow],
		['n8n 1.x', WorkflowV1 as unknown as typeof Workflow],
	])(
		'the canvas subtitle names the selected events, not their stored values (%s)',
		(_line, Line) => {
			const workflow = new Line({ nodes: [node], connections: {}, active: false, nodeTypes });
			const subtitle = workflow.expression.getSimpleParameterValue(
				node,
				String(trigger.subtitle),
				'internal',
				{},
			);
			expect(subtitle).toBe('Incoming Message, Delivery Report, WhatsApp Filter');
		},
	);
});

describe('Send Dynamic Messages', () => {
	test('each template variable says which {{n}} it fills: top to bottom, from {{1}}', () => {
		const variables = property(send.properties, 'templateVariables');
		const [entry] = (variables.options as Array<{ values: INodeProperties[] }>)[0].values;
		expect(entry.displayName).not.toBe('Value');
		expect(entry.displayName).toContain('{{1}}');
		expect(entry.description).toMatch(/first entry fills \{\{1\}\}, the second \{\{2\}\}/);
		expect(variables.description).toMatch(/first entry fills \{\{1\}\}, the second \{\{2\}\}/);
	});

	test('Template Header is offered only with Content: WhatsApp Template', () => {
		const options = property(send.properties, 'options').options as INodeProperties[];
		const header = property(options, 'templateHeader');
		expect(header.displayOptions).toEqual({ show: { '/content': ['template'] } });
	});
});

describe('Options collections', () => {
	// Their head is one shared literal, through which n8n's lint no longer sees the options to check their order.
	const collections = [...trigger.properties, ...send.properties].filter(
		(p) => p.type === 'collection',
	);
	const operationsOf = (p: INodeProperties) => p.displayOptions?.show?.operation ?? ['(trigger)'];

	test('there is one per operation and one for the Trigger', () => {
		expect(collections.map(operationsOf).flat().sort()).toEqual([
			'(trigger)',
			'checkWhatsApp',
			'getBalance',
			'getDeliveryReport',
			'sendAndWait',
			'sendDynamic',
		]);
	});

	test("each lists its options alphabetically, as n8n's lint asks (Send and Wait: Send's shared ones first)", () => {
		for (const collection of collections) {
			if (operationsOf(collection).includes('sendAndWait')) continue;
			const names = (collection.options as INodeProperties[]).map((option) => option.displayName);
			const sorted = [...names].sort((a, b) => a.localeCompare(b));
			expect({ operations: operationsOf(collection), names }).toEqual({
				operations: operationsOf(collection),
				names: sorted,
			});
		}
	});
});
