/**
 * Send Dynamic Messages: every incoming item becomes one `{number, message}` entry of a push's `data` array; the
 * rows go out in as few pushes as the batch size allows, and every item ends in exactly one visible state:
 * accepted (its msg_id), rejected (nothing was queued for it, with the reason) or unknown (the push may or may not
 * have been queued — check Picky Assist before resending; the node never resends such a push by itself).
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { normalizeCountryCode, normalizePhoneNumber } from '../../helpers/phoneNumber';
import { normalizeMessage } from '../../helpers/message';
import { compileItemTemplate } from '../../helpers/itemTemplate';
import { chunk, DEFAULT_BATCH_SIZE, describeItems, MAX_BATCH_SIZE, validateBatchSize } from '../../helpers/batching';
import { matchResponse } from '../../helpers/responseMatching';
import { errorMessage, redact } from '../../helpers/apiResponse';
import { SlidingWindowPacer } from '../../helpers/pacing';
import type { PickyAssistCredentials, PushResult } from '../../transport';
import { apiBaseUrl, CREDENTIAL_TYPE, sendPush } from '../../transport';

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
				default: 90,
				typeOptions: { minValue: 0 },
				description:
					'Picky Assist drops pushes beyond 90 a minute. The node waits only when this many pushes went out in the last 60 seconds. Lower it when other workflows share the account; 0 turns pacing off.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: 3,
				typeOptions: { minValue: 0, maxValue: 10 },
				description:
					'Retries for a push Picky Assist certainly did not take (HTTP 429, connection refused). A push that may have been queued is never retried.',
			},
			{
				displayName: 'Max Retry Wait (Seconds)',
				name: 'maxRetryWaitSeconds',
				type: 'number',
				default: 120,
				typeOptions: { minValue: 0 },
				description: 'The longest time spent waiting between the retries of one push',
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
				typeOptions: { minValue: 1 },
				description:
					'How long to wait for Picky Assist to answer a push. A push without an answer is reported as unknown, not as failed.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['message'], operation: ['sendDynamic'] } }, properties);

interface Settings {
	application: string;
	priority: '0' | '1';
	globalMedia?: string;
	batchSize: number;
	defaultCountryCode?: string;
	maxPushesPerMinute: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	timeoutMs: number;
}

/** A row that passed validation and goes into a push. */
interface OutgoingRow {
	itemIndex: number;
	number: string;
	message: string;
}

function nonNegativeNumber(value: unknown, fallback: number): number | undefined {
	if (value === undefined || value === null || value === '') return fallback;
	const parsed = Number(value);
	return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
}

/** Node-level settings are the same for every row of a push, so they are read once, from the first item. */
function readSettings(context: IExecuteFunctions): Settings {
	const invalid = (field: string, reason: string) =>
		new NodeOperationError(context.getNode(), `"${field}" ${reason}`, { itemIndex: 0 });

	const chosen = context.getNodeParameter('application', 0) as number | string;
	const application = String(chosen === 'custom' ? context.getNodeParameter('customApplication', 0, '') : chosen).trim();
	if (!/^\d{1,20}$/.test(application)) {
		throw invalid('Custom Application', `must be the digits of a channel ID or shared number, got "${application}"`);
	}

	const options = context.getNodeParameter('options', 0, {}) as IDataObject;

	const globalMedia = String(options.globalMedia ?? '').trim() || undefined;
	if (globalMedia !== undefined && !/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(globalMedia)) {
		throw invalid('Global Media URL', `must be a public http:// or https:// URL, got "${globalMedia}"`);
	}

	const batchSize = validateBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE);
	if (!batchSize.ok) throw invalid('Batch Size', batchSize.reason);

	const countryCode = normalizeCountryCode(options.defaultCountryCode);
	if (!countryCode.ok) throw invalid('Default Country Code', countryCode.reason);

	const maxPushesPerMinute = nonNegativeNumber(options.maxPushesPerMinute, 90);
	if (maxPushesPerMinute === undefined) throw invalid('Max Pushes per Minute', 'must be 0 or more');
	const maxRetries = nonNegativeNumber(options.maxRetries, 3);
	if (maxRetries === undefined || maxRetries > 10) throw invalid('Max Retries', 'must be from 0 to 10');
	const maxRetryWait = nonNegativeNumber(options.maxRetryWaitSeconds, 120);
	if (maxRetryWait === undefined) throw invalid('Max Retry Wait', 'must be 0 or more seconds');
	const timeout = nonNegativeNumber(options.requestTimeoutSeconds, 60);
	if (timeout === undefined || timeout <= 0) throw invalid('Request Timeout', 'must be more than 0 seconds');

	return {
		application,
		priority: options.priority === 'high' ? '1' : '0',
		globalMedia,
		batchSize: batchSize.size,
		defaultCountryCode: countryCode.code,
		maxPushesPerMinute: Math.floor(maxPushesPerMinute),
		maxRetries: Math.floor(maxRetries),
		maxRetryWaitMs: maxRetryWait * 1000,
		timeoutMs: timeout * 1000,
	};
}

function shown(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value);
	if (value === undefined) return 'nothing';
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/**
 * An error item for one row: `{ error: { message, state, … } }`. n8n routes an item to the error output
 * ("Continue (using error output)") only when its json holds nothing but `error` (n8n 1.x also allows `message`,
 * 2.x `message` and `details`) and then merges the input row into it. So everything about the outcome lives inside
 * `error`, which leaves the row's own fields — usually including its `message` text — untouched in the merge.
 */
function errorItem(itemIndex: number, message: string, details: IDataObject): INodeExecutionData {
	return { json: { error: { message, ...details } }, pairedItem: { item: itemIndex } };
}

/**
 * A node error for a push. The message is built from sanitised parts only (never from the error n8n's request
 * helper threw, which holds the request and so the token) and is set again after construction, because
 * NodeApiError swaps any message that mentions a Node.js error code (ECONNREFUSED, …) for a generic text.
 */
function pushError(
	node: INode,
	details: { message: string; description: string; itemIndex: number; status: number | string; httpStatus?: number },
): NodeApiError {
	const error = new NodeApiError(node, { message: details.message, status: details.status } as JsonObject, {
		message: details.message,
		description: details.description,
		httpCode: details.httpStatus ? String(details.httpStatus) : undefined,
		itemIndex: details.itemIndex,
	});
	error.message = details.message;
	return error;
}

/** What to do about rows whose push may or may not have been queued. */
function checkBeforeResending(what: string): string {
	return `Check the delivery report or message log in Picky Assist for ${what} before sending these rows again; the node does not resend them by itself.`;
}

/** What has happened so far, so that an error never hides pushes that were already queued. */
class SendLog {
	readonly accepted: string[] = [];
	acceptedRows = 0;

	describe(notSent: readonly number[]): string {
		const parts: string[] = [];
		parts.push(
			this.accepted.length === 0
				? 'No push of this run was queued before this failure.'
				: `Already queued before this failure — do not send these rows again: ${this.accepted.join('; ')} (${this.acceptedRows} messages).`,
		);
		if (notSent.length > 0) parts.push(`Not sent: ${describeItems(notSent)}.`);
		return parts.join(' ');
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const node = this.getNode();
	const settings = readSettings(this);

	const credentials = await this.getCredentials<PickyAssistCredentials>(CREDENTIAL_TYPE);
	const token = String(credentials.apiToken ?? '');
	const base = apiBaseUrl(credentials);
	if (!base.ok) throw new NodeOperationError(node, base.reason);

	// One slot per input item: every item ends in exactly one output item (accepted, or an error item).
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);

	const rejectRow = (itemIndex: number, field: 'Number' | 'Message', reason: string, value: unknown) => {
		const message = redact(`Item ${itemIndex}: "${field}" ${reason}`, token);
		const valueText = redact(shown(value), token);
		if (!continueOnFail) {
			throw new NodeOperationError(node, message, {
				itemIndex,
				description: `Got ${valueText}. Nothing was sent: every item is checked before the first push. Fix the value or turn on "Continue" in the node settings to send the valid items and get an error item for this one.`,
			});
		}
		results[itemIndex] = errorItem(itemIndex, message, {
			state: 'rejected',
			item_index: itemIndex,
			field: field.toLowerCase(),
			value: valueText,
		});
	};

	// 1. Read and check every item before anything is sent. Plain templates over the row's fields are evaluated
	//    directly (helpers/itemTemplate.ts gives exactly n8n's result); everything else goes through n8n.
	const numberTemplate = compileItemTemplate(this.getNodeParameter('number', 0, '', { rawExpressions: true }));
	const messageTemplate = compileItemTemplate(this.getNodeParameter('message', 0, '', { rawExpressions: true }));
	const rows: OutgoingRow[] = [];
	const hasGlobalMedia = settings.globalMedia !== undefined;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let rawNumber: unknown;
		let rawMessage: unknown;
		try {
			const fast = numberTemplate?.(items[itemIndex].json);
			rawNumber = fast ? fast.value : this.getNodeParameter('number', itemIndex);
		} catch (error) {
			rejectRow(itemIndex, 'Number', `could not be evaluated: ${errorMessage(error)}`, undefined);
			continue;
		}
		try {
			const fast = messageTemplate?.(items[itemIndex].json);
			rawMessage = fast ? fast.value : this.getNodeParameter('message', itemIndex, '');
		} catch (error) {
			rejectRow(itemIndex, 'Message', `could not be evaluated: ${errorMessage(error)}`, undefined);
			continue;
		}
		const number = normalizePhoneNumber(rawNumber, settings.defaultCountryCode);
		if (!number.ok) {
			rejectRow(itemIndex, 'Number', number.reason, rawNumber);
			continue;
		}
		const message = normalizeMessage(rawMessage, hasGlobalMedia);
		if (!message.ok) {
			rejectRow(itemIndex, 'Message', message.reason, rawMessage);
			continue;
		}
		rows.push({ itemIndex, number: number.number, message: message.message });
	}

	// 2. Send the valid rows in consecutive pushes, one at a time.
	const batches = chunk(rows, settings.batchSize);
	const pacer = new SlidingWindowPacer(settings.maxPushesPerMinute);
	const log = new SendLog();
	const credentialRef = node.credentials?.[CREDENTIAL_TYPE];
	const policy = {
		baseUrl: base.url,
		credentials: {
			id: credentialRef?.id ?? '',
			name: credentialRef?.name ?? '',
			type: CREDENTIAL_TYPE,
			data: credentials as unknown as ICredentialDataDecryptedObject,
		},
		timeoutMs: settings.timeoutMs,
		maxRetries: settings.maxRetries,
		maxRetryWaitMs: settings.maxRetryWaitMs,
		pacer,
	};

	for (let batchIndex = 0; batchIndex < batches.length; batchIndex++) {
		const batch = batches[batchIndex];
		const data: IDataObject[] = [];
		const sentNumbers: string[] = [];
		const itemIndexes: number[] = [];
		for (const row of batch) {
			data.push({ number: row.number, message: row.message });
			sentNumbers.push(row.number);
			itemIndexes.push(row.itemIndex);
		}
		const body: IDataObject = { application: settings.application, priority: settings.priority, globalmessage: '' };
		if (settings.globalMedia !== undefined) body.globalmedia = settings.globalMedia;
		body.data = data;

		const pushName = `push ${batchIndex + 1} of ${batches.length} (${describeItems(itemIndexes)})`;
		const result: PushResult = await sendPush(this, body, policy);

		const notSentAfter = () => {
			const notSent: number[] = [];
			for (let later = batchIndex + 1; later < batches.length; later++) {
				for (const row of batches[later]) notSent.push(row.itemIndex);
			}
			return notSent;
		};

		if (result.kind === 'accepted') {
			const match = matchResponse(sentNumbers, result.data);
			const warning =
				match.unexpected.length > 0
					? redact(
							`Picky Assist returned ${match.unexpected.length} entr${match.unexpected.length === 1 ? 'y' : 'ies'} in push ${result.pushId} that match no row sent: ${shown(match.unexpected).slice(0, 500)}`,
							token,
						)
					: undefined;
			for (let position = 0; position < batch.length; position++) {
				const entry = match.matched[position];
				if (!entry) continue;
				const json: IDataObject = {
					state: 'accepted',
					msg_id: entry.msg_id,
					push_id: result.pushId,
					number: entry.number,
					credit: entry.credit,
				};
				if (warning) json.push_warning = warning;
				results[batch[position].itemIndex] = { json, pairedItem: { item: batch[position].itemIndex } };
			}
			log.accepted.push(`push_id ${result.pushId} (${describeItems(itemIndexes)})`);
			log.acceptedRows += batch.length - match.missing.length;

			if (match.missing.length > 0) {
				const missingItems = match.missing.map((position) => batch[position].itemIndex);
				const reason = `Picky Assist queued push ${result.pushId} but returned no msg_id for this row, so whether its message was queued is unknown`;
				if (!continueOnFail) {
					throw pushError(node, {
						message: `${describeItems(missingItems)}: ${reason}`,
						description: `${checkBeforeResending(`push ${result.pushId}`)} ${log.describe(notSentAfter())}`,
						itemIndex: missingItems[0],
						status: 'unknown',
					});
				}
				for (const position of match.missing) {
					const row = batch[position];
					results[row.itemIndex] = errorItem(row.itemIndex, reason, {
						state: 'unknown',
						item_index: row.itemIndex,
						number: row.number,
						push_id: result.pushId,
						sent_at: result.sentAt.toISOString(),
						hint: checkBeforeResending(`push ${result.pushId}`),
					});
				}
			}
			continue;
		}

		// Rejected (nothing queued) or unknown (may have been queued): the same rows, a different promise.
		const rejected = result.kind === 'rejected';
		const codeText = rejected && result.code !== undefined ? ` (status ${result.code})` : '';
		const summary = redact(
			rejected ? `Picky Assist rejected ${pushName}: ${result.apiMessage}${codeText}` : `No clear answer for ${pushName}: ${result.reason}`,
			token,
		);
		const hint = rejected
			? redact(result.hint, token)
			: checkBeforeResending(`the push sent at ${result.sentAt.toISOString()}`);

		if (!continueOnFail) {
			throw pushError(node, {
				message: summary,
				description: `${hint} ${log.describe(notSentAfter())}`,
				itemIndex: itemIndexes[0],
				status: rejected && result.code !== undefined ? result.code : 'unknown',
				httpStatus: rejected ? result.httpStatus : undefined,
			});
		}
		for (const row of batch) {
			const details: IDataObject = {
				state: rejected ? 'rejected' : 'unknown',
				item_index: row.itemIndex,
				number: row.number,
				hint,
			};
			if (rejected && result.code !== undefined) details.code = result.code;
			if (!rejected) details.sent_at = result.sentAt.toISOString();
			results[row.itemIndex] = errorItem(row.itemIndex, summary, details);
		}
	}

	const output: INodeExecutionData[] = [];
	for (const result of results) {
		if (result) output.push(result);
	}
	return output;
}
