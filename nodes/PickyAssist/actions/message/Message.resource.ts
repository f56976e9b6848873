import type { INodeProperties } from 'n8n-workflow';

import * as getDeliveryReport from './getDeliveryReport.operation';
import * as sendAndWait from './sendAndWait.operation';
import * as sendDynamic from './sendDynamic.operation';

export { getDeliveryReport, sendAndWait, sendDynamic };

/** The Operation field of resource Message, written out in full so that n8n's lint reads every option in it. */
const operationField = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'], '@tool': [false] } },
	options: [
		{
			name: 'Send Dynamic Messages',
			value: 'sendDynamic',
			description: 'Send each item its own message, many items per push',
			action: 'Send dynamic messages',
		},
		{
			name: 'Send and Wait for Response',
			value: 'sendAndWait',
			description:
				'Ask one person and wait for their answer (approval or text) on a page the message links to',
			action: 'Send and wait for response',
		},
		{
			name: 'Get Delivery Report',
			value: 'getDeliveryReport',
			description:
				'Where the messages of a push stand: submitted, delivered, read, failed (one call per push)',
			action: 'Get delivery report',
		},
	],
	default: 'sendDynamic',
} satisfies INodeProperties;

/**
 * Two Operation fields: the node offers Send and Wait for Response, its AI-tool variant (whose type name n8n ends
 * in "Tool", what `@tool` tests) does not — an agent's tool call cannot wait for a person.
 */
export const description: INodeProperties[] = [
	operationField,
	{
		...operationField,
		displayOptions: { show: { resource: ['message'], '@tool': [true] } },
		options: operationField.options.filter((option) => option.value !== 'sendAndWait'),
	},
	...sendDynamic.description,
	...sendAndWait.description,
	...getDeliveryReport.description,
];
