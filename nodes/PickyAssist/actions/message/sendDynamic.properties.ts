/** The parameters of Send Dynamic Messages, as the node panel shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { numberField } from '../../helpers/panelFields';
import { sendOptions } from '../bulk/sendOptions';

export const sendDynamicProperties: INodeProperties[] = [
	{
		displayName: 'Application',
		name: 'application',
		type: 'options',
		default: 8,
		description:
			'The Picky Assist channel to send through. Choose Custom Channel ID or Shared Number for a channel ID shown under Settings → Channels (e.g. a WhatsApp Cloud API channel) or a shared number such as 919737001155.',
		options: [
			{ name: 'Call (4)', value: 4 },
			{ name: 'Custom Channel ID or Shared Number', value: 'custom' },
			{ name: 'Facebook Messenger (5)', value: 5 },
			{ name: 'SMS (3)', value: 3 },
			{ name: 'WhatsApp Business (2)', value: 2 },
			{ name: 'WhatsApp Official (8)', value: 8 },
			{ name: 'WhatsApp Personal (1)', value: 1 },
			{ name: 'WhatsApp Web Automation (10)', value: 10 },
		],
	},
	{
		displayName: 'Custom Application',
		name: 'customApplication',
		type: 'string',
		default: '',
		required: true,
		placeholder: '101',
		description: 'The channel ID from Settings → Channels, or a shared number such as 919737001155',
		displayOptions: { show: { application: ['custom'] } },
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		default: 'text',
		options: [
			{ name: 'Text', value: 'text', description: "Each row's own text (Message)" },
			{
				name: 'WhatsApp Template',
				value: 'template',
				description:
					"An approved template with each row's own values: the way to start a conversation on WhatsApp Official",
			},
		],
		description: 'What each row sends',
	},
	{
		displayName:
			'On WhatsApp Official, free text reaches only people who wrote to you in the last 24 hours. To start a conversation (a reminder to a customer list), choose Content: WhatsApp Template.',
		name: 'freeTextNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { content: ['text'], application: [8] } },
	},
	{
		displayName: 'Template ID',
		name: 'templateId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '1234',
		description: 'The ID of an approved WhatsApp template in Picky Assist',
		displayOptions: { show: { content: ['template'] } },
	},
	{
		displayName: 'Template Language',
		name: 'templateLanguage',
		type: 'string',
		default: 'en',
		placeholder: 'en',
		description:
			'The language the template was approved in (e.g. en, pt_BR). An expression gives each row its own.',
		displayOptions: { show: { content: ['template'] } },
	},
	{
		displayName: 'Template Variables',
		name: 'templateVariables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add variable',
		description:
			"One entry per variable of the template, top to bottom: the first entry fills {{1}}, the second {{2}}, and so on. Usually expressions over the row such as the customer's name. Only the values, never the whole text.",
		displayOptions: { show: { content: ['template'] } },
		options: [
			{
				displayName: 'Variables',
				name: 'variables',
				values: [
					{
						// n8n cannot number the entries of a list in their labels: the label says how they are counted.
						displayName: 'Value (Top to Bottom: {{1}}, {{2}}, …)',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'The value this row gives the variable: the first entry fills {{1}}, the second {{2}}, and so on',
					},
				],
			},
		],
	},
	{
		...numberField,
		description:
			'The recipient of this item, with country code (e.g. +55 11 98765-4321 or 5511987654321). Spaces, dashes, brackets, "+" and "00" are removed; a number starting with a single 0 needs Default Country Code.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '={{ $json.message }}',
		displayOptions: { show: { content: ['text'] } },
		description:
			"The text for this item, usually an expression built from the item's fields (e.g. a greeting with the customer's name and amount). Sent exactly as written; with Global Media it is the media's caption.",
	},
	sendOptions,
];
