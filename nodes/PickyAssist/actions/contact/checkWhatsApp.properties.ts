/** The panel of Check WhatsApp Numbers: the channel, the warning, each item's number, and Send's own options. */
import type { INodeProperties } from 'n8n-workflow';

import { numberField } from '../../helpers/panelFields';
import { sendOptions } from '../bulk/sendOptions';
import { LOOKUP_TIMEOUT_SECONDS } from '../bulk/sendSettings';

/** Send's options that mean the same for a lookup; the rest (text, media, templates, balance) do not apply. */
const SHARED_OPTIONS = new Set([
	'allowedPrefixes',
	'batchSize',
	'defaultCountryCode',
	'dryRun',
	'maxPushesPerMinute',
	'maxRecipients',
	'maxRetries',
	'maxRetryWaitSeconds',
	'numberCheck',
	'requestTimeoutSeconds',
	'skipDuplicateRows',
]);

const lookupOptions: INodeProperties = {
	...sendOptions,
	options: (sendOptions.options as INodeProperties[])
		.filter((option) => SHARED_OPTIONS.has(option.name))
		.map((option) =>
			option.name === 'requestTimeoutSeconds'
				? {
						...option,
						default: LOOKUP_TIMEOUT_SECONDS,
						description:
							'How long to wait for each answer. A lookup on phone automation can take up to 120 s before Picky Assist answers; a push without an answer in time is reported as unknown.',
					}
				: option,
		),
};

export const checkWhatsAppProperties: INodeProperties[] = [
	{
		displayName:
			'Many lookups without sending messages can get a WhatsApp Official account suspended (Picky Assist warns of this). Check only numbers you mean to message. Results arrive later on the Picky Assist Trigger as WhatsApp Filter events.',
		name: 'lookupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Application',
		name: 'application',
		type: 'options',
		options: [
			{ name: 'WhatsApp Business (2)', value: 2 },
			{ name: 'WhatsApp Official (8)', value: 8 },
			{ name: 'WhatsApp Personal (1)', value: 1 },
			{ name: 'WhatsApp Web Automation (10)', value: 10 },
		],
		default: 8,
		description: 'The channel whose WhatsApp Number Filter checks the numbers',
	},
	{
		...numberField,
		description:
			'The number to check for this item, with country code (e.g. +55 11 98765-4321 or 5511987654321). A number starting with a single 0 needs Default Country Code.',
	},
	lookupOptions,
];
