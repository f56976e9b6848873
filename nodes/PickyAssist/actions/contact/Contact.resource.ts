import type { INodeProperties } from 'n8n-workflow';

import * as checkWhatsApp from './checkWhatsApp.operation';

export { checkWhatsApp };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Check WhatsApp Numbers',
				value: 'checkWhatsApp',
				description:
					"Ask Picky Assist's WhatsApp Number Filter whether each item's number is on WhatsApp (results arrive on the Trigger)",
				action: 'Check numbers',
			},
		],
		default: 'checkWhatsApp',
	},
	...checkWhatsApp.description,
];
