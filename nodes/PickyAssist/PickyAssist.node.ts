import type {
	IExecuteFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as contact from './actions/contact/Contact.resource';
import * as message from './actions/message/Message.resource';
import { SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from './actions/message/sendAndWait.webhook';
import { router } from './actions/router';
import { PICKY_ASSIST_ICON } from './icon';
import { pickyAssistApiTest } from './methods/credentialTest';

export class PickyAssist implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Picky Assist',
		name: 'pickyAssist',
		icon: PICKY_ASSIST_ICON,
		group: ['output'],
		version: 1,
		subtitle:
			'={{ { sendDynamic: "Send dynamic messages", sendAndWait: "Send and wait for response", getDeliveryReport: "Get delivery report", getBalance: "Get balance", checkWhatsApp: "Check numbers" }[$parameter["operation"]] }}',
		description:
			'Send personalised WhatsApp, SMS and Messenger messages through Picky Assist and follow their delivery',
		defaults: { name: 'Picky Assist' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pickyAssistApi', required: true, testedBy: 'pickyAssistApiTest' }],
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Message', value: 'message' },
				],
				default: 'message',
			},
			...message.description,
			...account.description,
			...contact.description,
		],
	};

	methods = { credentialTest: { pickyAssistApiTest } };

	// Each returns what the function it hands over to returns; `implements INodeType` checks that it fits.
	async webhook(this: IWebhookFunctions) {
		return await sendAndWaitWebhook.call(this);
	}

	async execute(this: IExecuteFunctions) {
		return await router.call(this);
	}
}
