/**
 * The bulk run shared by Send Dynamic Messages and Check WhatsApp Numbers: every incoming item becomes one entry of
 * a push's `data` array (`{number, message}`, or the number alone for a lookup); the rows go out in as few pushes
 * as the batch size allows, and every item ends in exactly one visible state: accepted (its msg_id), rejected
 * (nothing was queued for it, with the reason) or unknown (the push may or may not have been queued — check Picky
 * Assist before resending; the node never resends such a push by itself, and a message it already sent in this
 * execution — on a retry, a tool call, a loop — is shown, not sent again).
 *
 * This file tells the whole algorithm (sendRows below); four files hold what its steps do:
 * - sendInputs.ts — reading n8n's parameters and inputs: the settings once (guards set by expressions per item,
 *   see sendSettings.ts and guardOptions.ts), each row's fields (plain `{{ $json.x }}` templates directly, the
 *   rest through n8n) and each row's file (Media From Binary Field: what n8n says of it first, its bytes only as
 *   its push is built); rowCollection.ts checks every row (number, media, template values, text, duplicates) and
 *   splits the rows into pushes;
 * - send.ts — the Send object: one run's state (settings, outcomes, the execution's send record, its share of
 *   Max Recipients) and every change of a row's state: refused, replayed from an earlier run, claimed, pushed,
 *   given back;
 * - ../outcomes.ts — where text leaves: the output items and the node errors, each through the account's
 *   redactor (the error over invalid rows is in invalidRows.ts);
 * - transport/ — where the token enters: openAccount reads the credential once; sendPush paces, posts and
 *   retries only what certainly did not reach Picky Assist, and classifies the answer.
 * Below them, helpers/ holds pure details: number normalisation, batching, response matching, redaction.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeError, NodeOperationError } from 'n8n-workflow';

import { describeItems } from '../../helpers/batching';
import { Redactor } from '../../helpers/redaction';
import {
	buildPushBody,
	CancelledBeforeSending,
	executionCancelled,
	openAccount,
	sendPush,
} from '../../transport';
import { balanceShortfall } from './minimumBalance';
import { collectRows, splitIntoPushes, withDigests } from './rowCollection';
import type { OutgoingRow, PendingRow } from './rowCollection';
import { Send } from './send';
import {
	fieldReader,
	hasPerRowMedia,
	readRowFiles,
	readSendSettings,
	rowRules,
	withFileContents,
} from './sendInputs';

/**
 * Send Dynamic Messages (../message/sendDynamic.operation.ts), or with `lookup` Check WhatsApp Numbers
 * (../contact/checkWhatsApp.operation.ts): a lookup is a push of numbers only, and goes through the same checks,
 * guards, pacing and outcomes.
 *
 * Run as an AI agent's tool inside the agent (n8n's Tools Agent before version 3), a thrown error never reaches
 * the model: the agent's tool loop swallows it and the model sees an empty result, so it cannot tell a refused
 * send from a sent one. There a refusal is answered as the tool's result, with the reason in words. (Agent 3 runs
 * the tool as a node of its own and passes a thrown error's message on; there, and everywhere else, it is thrown.)
 */
export async function sendOrLookUp(
	this: IExecuteFunctions,
	lookup: boolean,
): Promise<INodeExecutionData[]> {
	// Errors pass through unchanged: they are this node's own node errors, already redacted and worded.
	const outcome = await sendRows.call(this, lookup).then(
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

async function sendRows(this: IExecuteFunctions, lookup: boolean): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const settings = readSendSettings(this, items, lookup);
	// Validate Only uses no credential; otherwise it is read once, and its token is removed from every text.
	const account = settings.dryRun ? undefined : await openAccount(this);
	const send = new Send(this, settings, items.length, account?.redactor ?? new Redactor(undefined));

	// 1. Read and check every row before anything is sent.
	const rules = rowRules(settings, hasPerRowMedia(this));
	const property = settings.mediaBinaryProperty;
	const files = property ? await readRowFiles(this, items.length, property) : undefined;
	const { rows, problems } = collectRows(items.length, fieldReader(this, items, files), rules);
	send.refuseInvalid(problems);
	if (!account) return validateOnly(send, rows);
	const { baseUrl } = account;
	if (!baseUrl.ok) {
		// Nothing can be sent anywhere: every row is refused, none is left unknown.
		return send.refuse(
			rows,
			baseUrl.reason,
			() => ({ field: 'credential' }),
			() => new NodeOperationError(this.getNode(), baseUrl.reason),
		);
	}

	// 2. A message this node already sent in this execution keeps the outcome it got then and is not sent again;
	//    only the others go out, and only they count towards Max Recipients.
	let pending = send.replay(withDigests(rows, settings));
	send.checkRecipientCap(pending.length);

	// 3. Send the rows in consecutive pushes, one at a time, once the balance allows it.
	const policy = account.policy('push', { ...settings, maxPerMinute: settings.maxPushesPerMinute });
	const checksBalance = settings.minBalance > 0 && pending.length > 0;
	const shortfall = checksBalance
		? await balanceShortfall(this, settings.minBalance, policy)
		: undefined;
	if (shortfall !== undefined) {
		const notSent = pending.map((row) => row.itemIndex);
		return send.refuse(
			pending,
			shortfall,
			(row) => ({ number: row.number }),
			() => send.error({ message: shortfall, itemIndexes: notSent, status: 'rejected' }, notSent),
		);
	}

	// Another run of this node (a parallel tool call) may have sent or claimed messages during the balance check:
	// look again, then check the cap, count and claim in one synchronous step — no await until the first push.
	// Without that check nothing was awaited since the first look, so a second one would find the same.
	if (checksBalance) pending = send.replay(pending);
	send.claim(pending);
	const batches = splitIntoPushes(pending, settings);
	for (let batchIndex = 0; batchIndex < batches.length; batchIndex++) {
		let batch = batches[batchIndex];
		// Stopped before this push went out: it and every later push stay unsent, and are given back.
		const stopHere = () => send.stop([...batch, ...batches.slice(batchIndex + 1).flat()]);
		if (executionCancelled(this)) throw stopHere();
		if (property) {
			batch = await withFiles(this, send, batch, property, () =>
				batches.slice(batchIndex + 1).flat(),
			);
			if (batch.length === 0) continue;
		}
		const pushName = `push ${batchIndex + 1} of ${batches.length} (${describeItems(batch.map((row) => row.itemIndex))})`;
		send.sending(batch);
		const result = await sendPush(this, buildPushBody(settings, batch), policy).catch(
			(error: unknown) => {
				throw error instanceof CancelledBeforeSending ? stopHere() : error;
			},
		);
		const failure = send.pushed(batch, pushName, result);
		if (failure && !this.continueOnFail()) {
			const notSent = batches.slice(batchIndex + 1).flat();
			send.giveBack(notSent);
			throw send.error(
				failure,
				notSent.map((row) => row.itemIndex),
				failure.hint,
			);
		}
	}
	return send.outcomes.items();
}

/**
 * A push's rows with their files read. A row whose file cannot be read now is rejected (nothing was sent for it);
 * without "Continue" the run stops there, and this push and every later one stay unsent.
 */
async function withFiles(
	context: IExecuteFunctions,
	send: Send,
	batch: PendingRow[],
	property: string,
	/** The rows of the later pushes, gathered only when the run stops here. */
	later: () => readonly PendingRow[],
): Promise<PendingRow[]> {
	const { rows, unreadable } = await withFileContents(context, batch, property);
	if (unreadable.length === 0) return rows;
	for (const { row, reason } of unreadable) {
		send.outcomes.failed(row.itemIndex, 'rejected', `"Media From Binary Field" ${reason}`, {
			field: 'media from binary field',
			number: row.number,
		});
	}
	send.giveBack(unreadable.map(({ row }) => row));
	if (context.continueOnFail()) return rows;
	const notSent = [...rows, ...later()];
	send.giveBack(notSent);
	const itemIndexes = unreadable.map(({ row }) => row.itemIndex);
	throw send.error(
		{
			message: `${describeItems(itemIndexes)}: "Media From Binary Field" ${unreadable[0].reason}; nothing was sent for ${itemIndexes.length === 1 ? 'it' : 'them'}`,
			itemIndexes,
			status: 'rejected',
		},
		notSent.map((row) => row.itemIndex),
	);
}

/** "Validate Only": instead of sending, one item per valid row with the exact `data[]` entry of its push. */
function validateOnly(send: Send, rows: readonly OutgoingRow[]): INodeExecutionData[] {
	send.checkRecipientCap(rows.length);
	splitIntoPushes(rows, send.settings).forEach((batch, batchIndex) => {
		// A file's bytes are not read: the entry shows its name, and the item what would be sent.
		const pushRows = batch.map((row) => (row.file ? { ...row, mediaName: row.file.name } : row));
		const entries = buildPushBody(send.settings, pushRows).data as IDataObject[];
		batch.forEach((row, position) => {
			const json: IDataObject = { state: 'valid', push: batchIndex + 1, entry: entries[position] };
			if (row.file) {
				json.media_file = {
					file_name: row.file.fileName ?? null,
					mime_type: row.file.mimeType ?? null,
					bytes: row.file.bytes,
					sent_as: row.file.kind,
				};
			}
			send.outcomes.accepted(row.itemIndex, json);
		});
	});
	return send.outcomes.items();
}
