/**
 * Send Dynamic Messages: every incoming item becomes one `{number, message}` entry of a push's `data` array; the
 * rows go out in as few pushes as the batch size allows, and every item ends in exactly one visible state:
 * accepted (its msg_id), rejected (nothing was queued for it, with the reason) or unknown (the push may or may not
 * have been queued — check Picky Assist before resending; the node never resends such a push by itself, and a
 * message it already sent in this execution — on a retry, a tool call, a loop — is shown, not sent again).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { chunk, describeItems } from '../../helpers/batching';
import { accountPacing } from '../../helpers/pacing';
import { redact } from '../../helpers/redaction';
import { SendRecord } from '../../helpers/sendRecord';
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
import { checkRecipientCap, releaseRecipients, reserveRecipients } from './recipientCap';
import type { PendingRow } from './earlierTries';
import { replayEarlierSends, withDigests } from './earlierTries';
import { collectRows } from './rowCollection';
import { dryRunOutput } from './dryRun';
import { fieldReader, hasPerRowMedia, readSendSettings, rowRules } from './sendInputs';
import { sendDynamicProperties } from './sendDynamic.properties';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendDynamic'] } },
	sendDynamicProperties,
);

/**
 * Run as an AI agent's tool inside the agent (n8n's Tools Agent before version 3), a thrown error never reaches
 * the model: the agent's tool loop swallows it and the model sees an empty result, so it cannot tell a refused
 * send from a sent one. There a refusal is answered as the tool's result, with the reason in words. (Agent 3 runs
 * the tool as a node of its own and passes a thrown error's message on; there, and everywhere else, it is thrown.)
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	// Errors pass through unchanged: they are this node's own node errors, already redacted and worded.
	const outcome = await sendRows.call(this).then(
		(items) => ({ items, error: undefined }),
		(error: unknown) => ({ items: undefined, error }),
	);
	if (outcome.items) return outcome.items;
	const { error } = outcome;
	const insideAgent = typeof this.isToolExecution === 'function' && this.isToolExecution();
	if (!insideAgent || !(error instanceof NodeError)) throw error;
	const answer: IDataObject = {
		error: error.message || 'The node refused to send; nothing was sent',
	};
	if (error.description) answer.description = error.description;
	return [{ json: answer, pairedItem: { item: 0 } }];
}

async function sendRows(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const settings = readSendSettings(this, items);

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
	if (problems.length > 0 && !continueOnFail) throw invalidRowError(node, problems, token);
	for (const problem of problems) {
		outcomes.failed(problem.itemIndex, 'rejected', rowProblemMessage(problem), {
			field: problem.field.toLowerCase(),
			value: describeValue(problem.value),
		});
	}
	if (!credentials) {
		checkRecipientCap(this, settings.maxRecipients, rows.length);
		return dryRunOutput(chunk(rows, settings.batchSize), settings, outcomes);
	}

	const base = apiBaseUrl(credentials);
	if (!base.ok) {
		// Nothing can be sent anywhere: every row is refused, none is left unknown.
		if (!continueOnFail) throw new NodeOperationError(node, redact(base.reason, token));
		for (const row of rows)
			outcomes.failed(row.itemIndex, 'rejected', base.reason, { field: 'credential' });
		return outcomes.items();
	}

	// 2. A message this node already sent in this execution keeps the outcome it got then and is not sent again;
	//    only the others go out, and only they count towards Max Recipients.
	const record = new SendRecord(this.getContext('node'));
	const repeatsIn = settings.sendRepeats ? this.getWorkflowDataProxy(0).$runIndex : undefined;
	const replay = (candidates: readonly PendingRow[]): PendingRow[] => {
		const { pending, unknownEarlier } = replayEarlierSends(
			candidates,
			record,
			{ outcomes, log },
			repeatsIn,
		);
		if (unknownEarlier.length > 0 && !continueOnFail) {
			throw pushError(node, token, {
				message: `${describeItems(unknownEarlier)}: these messages were already sent earlier in this execution (an earlier try or run of this node) without a clear answer; they may or may not have been queued, so this run sends nothing`,
				description: `${resendAdvice('those rows')} ${log.describe(pending.map((row) => row.itemIndex))}`,
				itemIndexes: unknownEarlier,
				status: 'unknown',
			});
		}
		return pending;
	};
	let pending = replay(withDigests(rows, settings));
	checkRecipientCap(this, settings.maxRecipients, pending.length);

	// 3. Send the rows in consecutive pushes, one at a time, once the balance allows it.
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

	// Another run of this node (a parallel tool call) may have sent or claimed messages during the balance check:
	// look again, then check the cap, count and claim in one synchronous step — no await until the first push.
	pending = replay(pending);
	reserveRecipients(this, settings.maxRecipients, pending.length);
	record.sending(
		pending.map((row) => row.digest),
		new Date(),
		repeatsIn,
	);
	const batches = chunk(pending, settings.batchSize);
	for (let batchIndex = 0; batchIndex < batches.length; batchIndex++) {
		const batch = batches[batchIndex];
		// Stopped before this push went out: it and every later push stay unsent, and are given back.
		const stopHere = () => {
			const notYetSent = batches.slice(batchIndex).flat();
			giveBack(this, record, notYetSent);
			return stopOnCancel(
				this,
				log,
				notYetSent.map((row) => row.itemIndex),
			);
		};
		if (executionCancelled(this)) throw stopHere();
		const pushName = `push ${batchIndex + 1} of ${batches.length} (${describeItems(batch.map((row) => row.itemIndex))})`;
		record.sending(
			batch.map((row) => row.digest),
			new Date(),
			repeatsIn,
		);
		const result = await sendPush(this, buildPushBody(settings, batch), policy).catch(
			(error: unknown) => {
				throw error instanceof CancelledBeforeSending ? stopHere() : error;
			},
		);
		if (result.kind === 'rejected') releaseRecipients(this, batch.length);
		const failure = recordPushResult(batch, pushName, result, { outcomes, log, record });
		if (failure && !continueOnFail) {
			const notSent = batches.slice(batchIndex + 1).flat();
			giveBack(this, record, notSent);
			throw pushError(node, token, {
				...failure,
				description: `${failure.hint} ${log.describe(notSent.map((row) => row.itemIndex))}`,
			});
		}
	}
	return outcomes.items();
}

/** Rows claimed and counted for this run that were never pushed: a later run may send them. */
function giveBack(
	context: IExecuteFunctions,
	record: SendRecord,
	rows: readonly PendingRow[],
): void {
	record.forget(rows.map((row) => row.digest));
	releaseRecipients(context, rows.length);
}
