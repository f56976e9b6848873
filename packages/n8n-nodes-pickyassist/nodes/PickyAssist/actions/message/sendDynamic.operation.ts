/**
 * Send Dynamic Messages: every incoming item becomes one `{number, message}` entry of a push's `data` array; the
 * rows go out in as few pushes as the batch size allows, and every item ends in exactly one visible state:
 * accepted (its msg_id), rejected (nothing was queued for it, with the reason) or unknown (the push may or may not
 * have been queued — check Picky Assist before resending; the node never resends such a push by itself, and with
 * n8n's Retry On Fail a later try never sends a row an earlier try sent).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { chunk, DEFAULT_BATCH_SIZE, describeItems, MAX_BATCH_SIZE } from '../../helpers/batching';
import { compileItemTemplate } from '../../helpers/itemTemplate';
import { SlidingWindowPacer } from '../../helpers/pacing';
import { redact } from '../../helpers/redaction';
import { SendLedger } from '../../helpers/sendLedger';
import type { PickyAssistCredentials, PushPolicy } from '../../transport';
import { apiBaseUrl, buildPushBody, credentialForRequests, CREDENTIAL_TYPE, sendPush } from '../../transport';
import { balanceShortfall } from './minimumBalance';
import { invalidRowError, pushError, rowProblemMessage } from './nodeErrors';
import { describeValue, resendAdvice, RowOutcomes, SendLog } from './outcomes';
import { recordPushResult } from './pushResults';
import { replayEarlierTries } from './earlierTries';
import type { FieldReader } from './rowCollection';
import { collectRows } from './rowCollection';
import type { SendSettings } from './sendSettings';
import {
	DEFAULT_PUSHES_PER_MINUTE,
	MAX_RETRIES,
	MAX_RETRY_WAIT_SECONDS,
	MAX_TIMEOUT_SECONDS,
	parseSendSettings,
} from './sendSettings';

const properties: INodeProperties[] = [
	{
		displayName: 'Application',
		name: 'application',
		type: 'options',
		default: 8,
		description:
			"The Picky Assist channel to send through. Choose Custom for a channel ID shown under Settings → Channels (e.g. a WhatsApp Cloud API channel) or a shared number such as 919737001155.",
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
		description:
			"The text for this item, usually an expression built from the item's fields (e.g. a greeting with the customer's name and amount). Sent exactly as written; with Global Media it is the media's caption.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: DEFAULT_BATCH_SIZE,
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				description: 'How many items go into one push. Picky Assist asks for many numbers per call rather than one call per number.',
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
				displayName: 'Max Pushes per Minute',
				name: 'maxPushesPerMinute',
				type: 'number',
				default: DEFAULT_PUSHES_PER_MINUTE,
				typeOptions: { minValue: 0 },
				description:
					'Picky Assist drops pushes beyond 90 a minute. The node waits only when this many pushes went out in the last 60 seconds. Lower it when other workflows share the account; 0 turns pacing off.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: 3,
				typeOptions: { minValue: 0, maxValue: MAX_RETRIES },
				description:
					'Retries for a push Picky Assist certainly did not take (HTTP 429, connection refused). A push that may have been queued is never retried.',
			},
			{
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWaitSeconds',
				type: 'number',
				default: 120,
				typeOptions: { minValue: 0, maxValue: MAX_RETRY_WAIT_SECONDS },
				description: 'The longest time spent waiting between the retries of one push',
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
				typeOptions: { minValue: 1, maxValue: MAX_TIMEOUT_SECONDS },
				description:
					'How long to wait for the whole answer to a push, from sending it to its last byte. A push without a complete answer in time is reported as unknown, not as failed.',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendDynamic'] } },
	properties,
);

/** Node-level settings are the same for every row of a push, so they are read once, from the first item. */
function readSettings(context: IExecuteFunctions): SendSettings {
	const settings = parseSendSettings({
		application: context.getNodeParameter('application', 0),
		customApplication: context.getNodeParameter('customApplication', 0, ''),
		options: context.getNodeParameter('options', 0, {}) as IDataObject,
	});
	if (!settings.ok) throw new NodeOperationError(context.getNode(), settings.reason, { itemIndex: 0 });
	return settings.value;
}

/**
 * Reads Number and Message per item. Plain templates over the row's fields are evaluated directly
 * (helpers/itemTemplate.ts gives exactly n8n's result); everything else goes through n8n.
 */
function fieldReader(context: IExecuteFunctions, items: INodeExecutionData[]): FieldReader {
	const parameter = { Number: 'number', Message: 'message' } as const;
	const templates = {
		Number: compileItemTemplate(context.getNodeParameter('number', 0, '', { rawExpressions: true })),
		Message: compileItemTemplate(context.getNodeParameter('message', 0, '', { rawExpressions: true })),
	};
	return (field, itemIndex) => {
		const fast = templates[field]?.(items[itemIndex].json);
		return fast ? fast.value : context.getNodeParameter(parameter[field], itemIndex, '');
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const settings = readSettings(this);

	const credentials = await this.getCredentials<PickyAssistCredentials>(CREDENTIAL_TYPE);
	const token = String(credentials.apiToken ?? '');
	const outcomes = new RowOutcomes(items.length, token);
	const log = new SendLog();

	const base = apiBaseUrl(credentials);
	if (!base.ok) {
		// Nothing can be sent anywhere: every row is refused, none is left unknown.
		if (!continueOnFail) throw new NodeOperationError(node, redact(base.reason, token));
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			outcomes.failed(itemIndex, 'rejected', base.reason, { field: 'credential' });
		}
		return outcomes.items();
	}

	// 1. Read and check every row before anything is sent.
	const { rows, problems } = collectRows(items.length, fieldReader(this, items), {
		defaultCountryCode: settings.defaultCountryCode,
		hasGlobalMedia: settings.globalMedia !== undefined,
	});
	for (const problem of problems) {
		if (!continueOnFail) throw invalidRowError(node, problem, token);
		outcomes.failed(problem.itemIndex, 'rejected', rowProblemMessage(problem), {
			field: problem.field.toLowerCase(),
			value: describeValue(problem.value),
		});
	}

	// 2. With Retry On Fail, a row an earlier try of this node sent keeps the state it got then and is never
	//    sent again; only rows that certainly were not queued go out.
	const ledger = node.retryOnFail
		? new SendLedger(this.getContext('node'), this.getWorkflowDataProxy(0).$runIndex)
		: undefined;
	const { pending, unknownEarlier } = replayEarlierTries(rows, ledger, { outcomes, log });
	if (unknownEarlier.length > 0 && !continueOnFail) {
		throw pushError(node, token, {
			message: `${describeItems(unknownEarlier)}: an earlier try of this node sent these rows without a clear answer; they may or may not have been queued, so this try sends nothing`,
			description: `${resendAdvice('those rows')} ${log.describe(pending.map((row) => row.itemIndex))}`,
			itemIndex: unknownEarlier[0],
			status: 'unknown',
		});
	}

	// 3. Send the rows in consecutive pushes, one at a time.
	const batches = chunk(pending, settings.batchSize);
	const policy: PushPolicy = {
		baseUrl: base.value,
		credentials: credentialForRequests(node, credentials),
		timeoutMs: settings.timeoutMs,
		maxRetries: settings.maxRetries,
		maxRetryWaitMs: settings.maxRetryWaitMs,
		pacer: new SlidingWindowPacer(settings.maxPushesPerMinute),
	};
	const shortfall =
		settings.minBalance > 0 && pending.length > 0 ? await balanceShortfall(this, settings.minBalance, policy) : undefined;
	if (shortfall !== undefined) {
		if (!continueOnFail) {
			throw pushError(node, token, {
				message: shortfall,
				description: log.describe(pending.map((row) => row.itemIndex)),
				itemIndex: pending[0].itemIndex,
				status: 'rejected',
			});
		}
		for (const row of pending) outcomes.failed(row.itemIndex, 'rejected', shortfall, { number: row.number });
		return outcomes.items();
	}
	for (let batchIndex = 0; batchIndex < batches.length; batchIndex++) {
		const batch = batches[batchIndex];
		const data: IDataObject[] = batch.map((row) => ({ number: row.number, message: row.message }));
		const pushName = `push ${batchIndex + 1} of ${batches.length} (${describeItems(batch.map((row) => row.itemIndex))})`;
		ledger?.sending(batch, new Date());
		const result = await sendPush(this, buildPushBody(settings, data), policy);
		const failure = recordPushResult(batch, pushName, result, { outcomes, log, ledger });
		if (failure && !continueOnFail) {
			const notSent = batches.slice(batchIndex + 1).flatMap((later) => later.map((row) => row.itemIndex));
			throw pushError(node, token, { ...failure, description: `${failure.hint} ${log.describe(notSent)}` });
		}
	}
	return outcomes.items();
}
