/** The parameters of Send and Wait for Response, as the node panel shows them. */
import type { INodeProperties } from 'n8n-workflow';

import { numberField, optionsCollection } from '../../helpers/panelFields';
import { sendDynamicProperties } from './sendDynamic.properties';

/** The channel, the content type and the number's checks are set exactly as for Send Dynamic Messages. */
const SHARED_WITH_SEND = new Set([
	'application',
	'customApplication',
	'content',
	'freeTextNotice',
	'templateId',
	'templateLanguage',
]);

const SHARED_OPTIONS = new Set(['defaultCountryCode', 'numberCheck', 'requestTimeoutSeconds']);
const sendOptions = (sendDynamicProperties.find((property) => property.name === 'options')
	?.options ?? []) as INodeProperties[];

export const sendAndWaitProperties: INodeProperties[] = [
	{
		displayName:
			"Sends one message, to the first item's number, with a link to a page where the person answers; the execution waits for that answer. In a loop, each run asks one person.",
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
	},
	...sendDynamicProperties.filter((property) => SHARED_WITH_SEND.has(property.name)),
	{
		...numberField,
		description:
			'The person to ask, with country code (e.g. +55 11 98765-4321). Read from the first input item only.',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { content: ['text'] } },
		description:
			'The question. The link to the answer page is added on its own line below it. On WhatsApp Official free text reaches only people who wrote in the last 24 hours.',
	},
	{
		displayName: 'Link Variable',
		name: 'linkVariable',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: 20 },
		displayOptions: { show: { content: ['template'] } },
		description:
			'Which variable of the template carries the link to the answer page: 1 for {{1}}, 2 for {{2}}, …',
	},
	{
		displayName: 'Other Template Variables',
		name: 'templateVariables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		default: {},
		placeholder: 'Add variable',
		displayOptions: { show: { content: ['template'] } },
		description:
			"The values of the template's other variables, top to bottom, skipping the link's: with Link Variable 2, the first entry fills {{1}} and the second {{3}}",
		options: [
			{
				displayName: 'Variables',
				name: 'variables',
				values: [
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
					},
				],
			},
		],
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		options: [
			{
				name: 'Approval',
				value: 'approval',
				description: 'The person presses Approve (or Decline) on the page',
			},
			{
				name: 'Free Text',
				value: 'freeText',
				description: 'The person writes an answer in a form on the page',
			},
		],
	},
	{
		displayName: 'Type of Approval',
		name: 'approvalType',
		type: 'options',
		default: 'double',
		displayOptions: { show: { responseType: ['approval'] } },
		options: [
			{ name: 'Approve Only', value: 'single' },
			{ name: 'Approve and Decline', value: 'double' },
		],
	},
	{
		displayName: 'Approve Button Label',
		name: 'approveLabel',
		type: 'string',
		default: 'Approve',
		displayOptions: { show: { responseType: ['approval'] } },
	},
	{
		displayName: 'Decline Button Label',
		name: 'declineLabel',
		type: 'string',
		default: 'Decline',
		displayOptions: { show: { responseType: ['approval'], approvalType: ['double'] } },
	},
	{
		...optionsCollection,
		options: [
			...sendOptions.filter((option) => SHARED_OPTIONS.has(option.name)),
			{
				displayName: 'Limit Wait Time',
				name: 'limitWaitTime',
				type: 'fixedCollection',
				default: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' },
				},
				description:
					'How long to wait for the answer. Past it the execution goes on without one: the output is then the input item, without "approved" or "text".',
				options: [
					{
						displayName: 'Values',
						name: 'values',
						values: [
							{
								displayName: 'Limit Type',
								name: 'limitType',
								type: 'options',
								default: 'afterTimeInterval',
								options: [
									{ name: 'After Time Interval', value: 'afterTimeInterval' },
									{ name: 'At Specified Time', value: 'atSpecifiedTime' },
								],
							},
							{
								displayName: 'Amount',
								name: 'resumeAmount',
								type: 'number',
								default: 1,
								typeOptions: { minValue: 0, numberPrecision: 2 },
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
							},
							{
								displayName: 'Unit',
								name: 'resumeUnit',
								type: 'options',
								default: 'hours',
								displayOptions: { show: { limitType: ['afterTimeInterval'] } },
								options: [
									{ name: 'Minutes', value: 'minutes' },
									{ name: 'Hours', value: 'hours' },
									{ name: 'Days', value: 'days' },
								],
							},
							{
								displayName: 'Max Date and Time',
								name: 'maxDateAndTime',
								type: 'dateTime',
								default: '',
								displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
							},
						],
					},
				],
			},
			{
				displayName: 'Page Title',
				name: 'pageTitle',
				type: 'string',
				default: 'Your answer is requested',
				description: 'The heading of the answer page; the page also shows the message',
			},
			{
				displayName: 'Submit Button Label',
				name: 'submitLabel',
				type: 'string',
				default: 'Send',
				displayOptions: { show: { '/responseType': ['freeText'] } },
			},
		],
	},
];
