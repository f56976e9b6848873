import type { INodeProperties } from 'n8n-workflow';

import * as getDeliveryReport from './getDeliveryReport.operation';
import * as sendDynamic from './sendDynamic.operation';

export { getDeliveryReport, sendDynamic };

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
			{
				name: 'Get Delivery Report',
				value: 'getDeliveryReport',
				description:
					'Where the messages of a push stand: submitted, delivered, read, failed (one call per push)',
				action: 'Get delivery report',
			},
		],
		default: 'sendDynamic',
	},
	...sendDynamic.description,
	...getDeliveryReport.description,
];
