/** The parameters of Send Dynamic Messages, as the node panel shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from '../../helpers/batching';
import { callLimitFields } from '../callLimits';
import { optionsCollection } from '../descriptions';
import { PUSHES_PER_MINUTE } from './sendSettings';

const limits = callLimitFields({
	perMinute: {
		...PUSHES_PER_MINUTE,
		description:
			'Picky Assist drops pushes beyond 90 a minute. The node waits only when this many pushes with this account went out in the last 60 seconds, counting every run, loop and execution in this n8n process. Lower it when something outside this n8n process sends with the account; 0 turns pacing off.',
	},
	retries:
		'Retries for a push Picky Assist certainly did not take (HTTP 429, connection refused). A push that may have been queued is never retried.',
	retryWait: 'The longest time spent waiting between the retries of one push',
	timeout:
		'How long to wait for the whole answer to a push, from sending it to its last byte. A push without a complete answer in time is reported as unknown, not as failed.',
});

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
		displayName: 'Number',
		name: 'number',
		type: 'string',
		default: '={{ $json.number }}',
		required: true,
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
	optionsCollection([
		{
			displayName: 'Allowed Prefixes',
			name: 'allowedPrefixes',
			type: 'string',
			default: '',
			placeholder: '44,353',
			description:
				'Comma-separated number prefixes (country codes). A row whose number starts with none of them is rejected. Recommended when an AI agent uses this node.',
		},
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			default: DEFAULT_BATCH_SIZE,
			typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
			description:
				'How many items go into one push. Picky Assist asks for many numbers per call rather than one call per number.',
		},
		{
			displayName: 'Default Country Code',
			name: 'defaultCountryCode',
			type: 'string',
			default: '',
			placeholder: '44',
			description:
				'Digits of the country code used for numbers written in national form with a leading 0 (e.g. with 44, 07700 900123 becomes 447700900123)',
		},
		{
			displayName: 'Global Media URL',
			name: 'globalMedia',
			type: 'string',
			default: '',
			placeholder: 'https://example.com/brochure.jpg',
			description:
				'Public http(s) URL of an image, video, audio or document sent with every message; each message becomes its caption (captions do not show on PDF, audio and documents)',
		},
		limits.perMinute,
		{
			displayName: 'Max Recipients',
			name: 'maxRecipients',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description:
				'The most rows this node may send in one execution — all runs together, so an AI agent calling it once per message counts every call. Above it nothing more is sent and the node fails before the push. 0: no cap. Recommended (1–5) when an AI agent uses this node.',
		},
		limits.retries,
		limits.retryWait,
		{
			displayName: 'Media URL',
			name: 'mediaUrl',
			type: 'string',
			default: '',
			placeholder: '={{ $json.invoice_url }}',
			description:
				"A public http(s) URL of this row's own media (image, document, …), usually an expression; it wins over Global Media for the row. Per-row media works on WhatsApp Official and shared numbers.",
		},
		{
			displayName: 'Minimum Balance',
			name: 'minBalance',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description:
				'Checks the balance once before the first push; below this many credits nothing is sent and every row is rejected with the reason. 0 skips the check.',
		},
		{
			displayName: 'Number Check',
			name: 'numberCheck',
			type: 'options',
			default: 'possible',
			options: [
				{
					name: 'Possible Length',
					value: 'possible',
					description:
						"The number's length fits its country's numbering plan. Numbers kept for drama and fiction (07700 900xxx) pass.",
				},
				{
					name: 'Valid for Its Country',
					value: 'valid',
					description:
						'The number is also in a range its country assigns (mobile, fixed line, …). Fiction ranges and made-up numbers are rejected.',
				},
			],
			description:
				"How strictly each number is held against its country's numbering plan (Google's libphonenumber data); a number that fails is rejected with the reason",
		},
		{
			displayName: 'Priority',
			name: 'priority',
			type: 'options',
			default: 'low',
			options: [
				{ name: 'Low', value: 'low' },
				{ name: 'High', value: 'high' },
			],
			description: 'High-priority pushes are processed first by Picky Assist',
		},
		limits.timeout,
		{
			displayName: 'Send Repeats in One Execution',
			name: 'sendRepeats',
			type: 'boolean',
			default: false,
			description:
				'Whether a message this node already sent in this execution (same number, same content) is sent again when a later run of the node meets it — a loop, an AI agent calling again. Off: the earlier outcome is shown instead. Retry On Fail never sends a message twice either way.',
		},
		{
			displayName: 'Skip Duplicate Rows',
			name: 'skipDuplicateRows',
			type: 'boolean',
			default: false,
			description:
				'Whether a row with the same number and the same content as an earlier row of this run is rejected ("duplicate of item N") instead of sent',
		},
		{
			displayName: 'Template Header',
			name: 'templateHeader',
			type: 'string',
			default: '',
			displayOptions: { show: { '/content': ['template'] } },
			description:
				'With a WhatsApp Template: the header text of a document template (at most 60 characters)',
		},
		{
			displayName: 'Validate Only (Send Nothing)',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to check and batch every row as for sending, then output what each push would carry instead of sending it. No request is made and the credential is not used.',
		},
	]),
];
