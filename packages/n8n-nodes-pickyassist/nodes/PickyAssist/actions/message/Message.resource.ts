import type { INodeProperties } from 'n8n-workflow';

import * as sendDynamic from './sendDynamic.operation';

export { sendDynamic };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send Dynamic Messages',
				value: 'sendDynamic',
				description: 'Send each item its own message, many items per push',
				action: 'Send dynamic messages',
			},
		],
		default: 'sendDynamic',
	},
	...sendDynamic.description,
];
