/**
 * Send Dynamic Messages: every incoming item becomes one `{number, message}` entry of a push's `data` array; the
 * rows go out in as few pushes as the batch size allows, and every item ends in exactly one visible state:
 * accepted (its msg_id), rejected (nothing was queued for it, with the reason) or unknown (the push may or may not
 * have been queued — check Picky Assist before resending; the node never resends such a push by itself, and with
 * n8n's Retry On Fail a later try never sends a row an earlier try sent).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { chunk, describeItems } from '../../helpers/batching';
import { accountPacing } from '../../helpers/pacing';
import { redact } from '../../helpers/redaction';
import { SendLedger } from '../../helpers/sendLedger';
import type { PickyAssistCredentials, PushPolicy } from '../../transport';
import {
	apiBaseUrl,
	buildPushBody,
	CancelledBeforeSending,
	credentialForRequests,
	CREDENTIAL_TYPE,
	executionCancelled,
	sendPush,
} from '../../transport';
import { stopOnCancel } from './cancelled';
import { balanceShortfall } from './minimumBalance';
import { invalidRowError, pushError, rowProblemMessage } from './nodeErrors';
import { describeValue, resendAdvice, RowOutcomes, SendLog } from './outcomes';
import { recordPushResult } from './pushResults';
import { checkRecipientCap, countRecipients } from './recipientCap';
import { replayEarlierTries } from './earlierTries';
import { collectRows } from './rowCollection';
import { dryRunOutput } from './dryRun';
import { fieldReader, hasPerRowMedia, readSendSettings, rowRules } from './sendInputs';
import { sendDynamicProperties } from './sendDynamic.properties';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendDynamic'] } },
	sendDynamicProperties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const settings = readSendSettings(this);

	// Validate Only uses no credential; otherwise it is read once, and its token is removed from every text.
	const credentials = settings.dryRun
		? undefined
		: await this.getCredentials<PickyAssistCredentials>(CREDENTIAL_TYPE);
	const token = String(credentials?.apiToken ?? '');
	const outcomes = new RowOutcomes(items.length, token);
	const log = new SendLog();

	// 1. Read and check every row before anything is sent.
	const rules = rowRules(settings, hasPerRowMedia(this));
	const { rows, problems } = collectRows(items.length, fieldReader(this, items), rules);
	for (const problem of problems) {
		if (!continueOnFail) throw invalidRowError(node, problem, token);
		outcomes.failed(problem.itemIndex, 'rejected', rowProblemMessage(problem), {
			field: problem.field.toLowerCase(),
			value: describeValue(problem.value),
		});
	}
	checkRecipientCap(this, settings.maxRecipients, rows.length);
	if (!credentials) return dryRunOutput(chunk(rows, settings.batchSize), settings, outcomes);

	const base = apiBaseUrl(credentials);
	if (!base.ok) {
		// Nothing can be sent anywhere: every row is refused, none is left unknown.
		if (!continueOnFail) throw new NodeOperationError(node, redact(base.reason, token));
		for (const row of rows)
			outcomes.failed(row.itemIndex, 'rejected', base.reason, { field: 'credential' });
		return outcomes.items();
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
			itemIndexes: unknownEarlier,
			status: 'unknown',
		});
	}

	// 3. Send the rows in consecutive pushes, one at a time, once the balance allows it.
	const batches = chunk(pending, settings.batchSize);
	const policy: PushPolicy = {
		baseUrl: base.value,
		credentials: credentialForRequests(node, credentials),
		timeoutMs: settings.timeoutMs,
		maxRetries: settings.maxRetries,
		maxRetryWaitMs: settings.maxRetryWaitMs,
		pacer: accountPacing.forAccount(token, 'push', settings.maxPushesPerMinute),
	};
	const shortfall =
		settings.minBalance > 0 && pending.length > 0
			? await balanceShortfall(this, settings.minBalance, policy)
			: undefined;
	if (shortfall !== undefined) {
		if (!continueOnFail) {
			throw pushError(node, token, {
				message: shortfall,
				description: log.describe(pending.map((row) => row.itemIndex)),
				itemIndexes: pending.map((row) => row.itemIndex),
				status: 'rejected',
			});
		}
		for (const row of pending)
			outcomes.failed(row.itemIndex, 'rejected', shortfall, { number: row.number });
		return outcomes.items();
	}
	for (let batchIndex = 0; batchIndex < batches.length; batchIndex++) {
		const batch = batches[batchIndex];
		const notYetSent = () =>
			batches.slice(batchIndex).flatMap((later) => later.map((row) => row.itemIndex));
		if (executionCancelled(this)) throw stopOnCancel(this, log, notYetSent());
		const pushName = `push ${batchIndex + 1} of ${batches.length} (${describeItems(batch.map((row) => row.itemIndex))})`;
		ledger?.sending(batch, new Date());
		if (settings.maxRecipients > 0) countRecipients(this, batch.length);
		const result = await sendPush(this, buildPushBody(settings, batch), policy).catch(
			(error: unknown) => {
				throw error instanceof CancelledBeforeSending
					? stopOnCancel(this, log, notYetSent())
					: error;
			},
		);
		const failure = recordPushResult(batch, pushName, result, { outcomes, log, ledger });
		if (failure && !continueOnFail) {
			const notSent = batches
				.slice(batchIndex + 1)
				.flatMap((later) => later.map((row) => row.itemIndex));
			throw pushError(node, token, {
				...failure,
				description: `${failure.hint} ${log.describe(notSent)}`,
			});
		}
	}
	return outcomes.items();
}
