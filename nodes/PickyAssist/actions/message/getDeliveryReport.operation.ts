/**
 * Get Delivery Report: where the messages of earlier pushes stand (submitted, delivered, read, failed, …). One
 * `delivery-report` call per distinct push_id in the input, not per item, paced like pushes; every item gets its
 * answer, paired to it (a push's whole report only once, to the first item that asked for it).
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { compileItemTemplate } from '../../helpers/itemTemplate';
import type { ReadResult } from '../../transport';
import { readEndpoint } from '../../transport';
import { describeValue, itemPrefix, RowOutcomes } from '../outcomes';
import { readFailedError, readOptions, readPolicyFor } from '../readOptions';
import type { ReportRequest } from './deliveryReport';
import { reportItems } from './deliveryReport';

const properties: INodeProperties[] = [
	{
		displayName:
			'Picky Assist builds a report about a minute after the push: put a Wait node of at least 1 minute between Send and this node. Messages not in the report yet come back as "pending".',
		name: 'reportNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Push ID',
		name: 'pushId',
		type: 'string',
		default: '={{ $json.push_id }}',
		required: true,
		description: 'The push_id that Send Dynamic Messages returned for this item',
	},
	{
		displayName: 'Message ID',
		name: 'msgId',
		type: 'string',
		default: '={{ $json.msg_id }}',
		description: "The msg_id of this item's message. Leave empty to get every message of the push.",
	},
	readOptions,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['getDeliveryReport'] } },
	properties,
);

const FOREIGN_REPORT_HINT =
	'No status of this push is shown, so none can be mistaken for it. Nothing was sent or changed; run the node again later, and tell Picky Assist if it persists.';

/** Push and message ids as Picky Assist gives them: digits, or letters, digits, "-" and "_". */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const { policy, redactor } = await readPolicyFor(this);
	const outcomes = new RowOutcomes(items.length, redactor);
	const reports: Array<INodeExecutionData[] | undefined> = new Array(items.length);

	// 1. Read every item's ids and group the items by push, before any call.
	const pushIdOf = compileItemTemplate(
		this.getNodeParameter('pushId', 0, '', { rawExpressions: true }),
	);
	const msgIdOf = compileItemTemplate(
		this.getNodeParameter('msgId', 0, '', { rawExpressions: true }),
	);
	const byPush = new Map<string, ReportRequest[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		const pushId = String(
			pushIdOf?.(json)?.value ?? this.getNodeParameter('pushId', itemIndex, ''),
		).trim();
		const msgId = String(
			msgIdOf?.(json)?.value ?? this.getNodeParameter('msgId', itemIndex, ''),
		).trim();
		const bad = !ID.test(pushId)
			? ['Push ID', pushId]
			: msgId !== '' && !ID.test(msgId)
				? ['Message ID', msgId]
				: undefined;
		if (bad) {
			const message = `${itemPrefix(itemIndex)}"${bad[0]}" must be an id such as 7478630, got ${describeValue(bad[1])}`;
			if (!continueOnFail)
				throw new NodeOperationError(node, outcomes.clean(message), { itemIndex });
			outcomes.failed(itemIndex, 'rejected', message, {
				field: bad[0] === 'Push ID' ? 'pushId' : 'msgId',
			});
			continue;
		}
		const requests = byPush.get(pushId);
		const request = { itemIndex, msgId: msgId === '' ? undefined : msgId };
		if (requests) requests.push(request);
		else byPush.set(pushId, [request]);
	}

	// 2. One call per push; a report that is not about the push asked for fails like a refused call.
	for (const [pushId, requests] of byPush) {
		const result = await readEndpoint(this, 'delivery-report', { push_id: pushId }, policy);
		const reading =
			result.kind === 'ok'
				? reportItems(pushId, result.body, requests, result.checkedAt.toISOString())
				: undefined;
		const failure: Extract<ReadResult, { kind: 'failed' }> | undefined =
			result.kind === 'failed'
				? result
				: reading?.kind === 'refused'
					? { kind: 'failed', message: reading.reason, hint: FOREIGN_REPORT_HINT }
					: undefined;
		if (failure) {
			if (!continueOnFail) {
				const askedBy = requests.map((request) => request.itemIndex).join(', ');
				throw readFailedError(node, redactor, failure, {
					description: `${failure.hint} Push ${pushId} was asked for by items ${askedBy}.`,
					itemIndexes: requests.map((request) => request.itemIndex),
				});
			}
			for (const request of requests) {
				outcomes.failed(request.itemIndex, 'rejected', failure.message, {
					push_id: pushId,
					code: failure.code,
					hint: failure.hint,
				});
			}
			continue;
		}
		for (const item of reading?.kind === 'items' ? reading.items : []) {
			(reports[item.itemIndex] ??= []).push({
				json: item.json as INodeExecutionData['json'],
				pairedItem: { item: item.itemIndex },
			});
		}
	}

	// 3. In input order: an item's report entries, or its error item.
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const report = reports[itemIndex];
		if (report) for (const item of report) output.push(item);
		const failed = outcomes.itemAt(itemIndex);
		if (failed) output.push(failed);
	}
	return output;
}
