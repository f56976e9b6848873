import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as message from './actions/message/Message.resource';
import { router } from './actions/router';
import { pickyAssistApiTest } from './methods/credentialTest';

export class PickyAssist implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Picky Assist',
		name: 'pickyAssist',
		icon: { light: 'file:pickyassist.svg', dark: 'file:pickyassist.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "sendDynamic" ? "Send dynamic messages" : $parameter["operation"] }}',
		description: 'Send personalised WhatsApp, SMS and Messenger messages through Picky Assist',
		defaults: { name: 'Picky Assist' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pickyAssistApi', required: true, testedBy: 'pickyAssistApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Message', value: 'message' }],
				default: 'message',
			},
			...message.description,
		],
	};

	methods = { credentialTest: { pickyAssistApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
