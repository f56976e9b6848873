/**
 * The Options collection of Send Dynamic Messages: the guards, the pacing and the limits a user adds one by one.
 * Check WhatsApp Numbers offers the part of it that means the same for a lookup, so it lives beside the run both
 * operations share, and each operation's main fields and these options read in full.
 */
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from '../../helpers/batching';
import { optionsCollection } from '../../helpers/panelFields';
import { DEFAULT_CALLS_PER_MINUTE, MAX_TIMEOUT_SECONDS, MIN_TIMEOUT_SECONDS } from '../callLimits';
import { retryOptions } from '../callOptions';
import { DEFAULT_PUSH_MEGABYTES, MAX_PUSH_MEGABYTES } from '../../helpers/mediaFile';

export const sendOptions: INodeProperties = {
	...optionsCollection,
	options: [
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
		{
			displayName: 'Max Push Size (MB)',
			name: 'maxPushMegabytes',
			type: 'number',
			default: DEFAULT_PUSH_MEGABYTES,
			typeOptions: { minValue: 1, maxValue: MAX_PUSH_MEGABYTES },
			description:
				'With Media From Binary Field: the largest push body. Files travel as base64, a third larger than the file, and a push is held in memory whole, so pushes are split to stay under this. A row whose file alone does not fit is rejected.',
		},
		{
			displayName: 'Max Pushes per Minute',
			name: 'maxPushesPerMinute',
			type: 'number',
			default: DEFAULT_CALLS_PER_MINUTE,
			typeOptions: { minValue: 0 },
			description:
				'Picky Assist drops pushes beyond 90 a minute. The node waits only when this many pushes with this account went out in the last 60 seconds, counting every run, loop and execution in this n8n process. Lower it when something outside this n8n process sends with the account; 0 turns pacing off.',
		},
		{
			displayName: 'Max Recipients',
			name: 'maxRecipients',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description:
				'The most rows this node may send in one execution — all runs together, so an AI agent calling it once per message counts every call. Above it nothing more is sent and the node fails before the push. 0: no cap. Recommended (1–5) when an AI agent uses this node.',
		},
		...retryOptions,
		{
			displayName: 'Media From Binary Field',
			name: 'mediaBinaryProperty',
			type: 'string',
			default: '',
			placeholder: 'data',
			description:
				"The name of the binary field holding the row's own file (image, video, audio or document), for example a PDF an earlier node made. A row without that field sends no file; a row with a Media URL sends the URL instead. Works on WhatsApp Official, a custom channel ID and shared numbers. Captions (the message) show with images and video only.",
		},
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
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'requestTimeoutSeconds',
			type: 'number',
			default: 60,
			typeOptions: { minValue: MIN_TIMEOUT_SECONDS, maxValue: MAX_TIMEOUT_SECONDS },
			description:
				'How long to wait for the whole answer to a push, from sending it to its last byte. A push without a complete answer in time is reported as unknown, not as failed.',
		},
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
	],
};
