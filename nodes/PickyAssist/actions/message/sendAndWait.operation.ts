/**
 * Send and Wait for Response: one message to one person (the first item's number) with a link to an answer page,
 * then the execution waits until the person answers there or the limit passes. An execution waits once, so one
 * run asks one person; a loop asks one after another.
 *
 * The link is n8n's signed resume URL of this node: n8n refuses a call to it whose signature does not match, so
 * only the person who got the message can answer. The answer comes back through the node's webhook
 * (sendAndWait.webhook.ts), and what was sent is kept in the node's context for it: the webhook runs later, in
 * another process perhaps, and the execution's context is saved with the waiting execution.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { normalizePhoneNumber } from '../../helpers/phoneNumber';
import { matchResponse } from '../../helpers/responseMatching';
import { checkTemplateValues } from '../../helpers/templateValues';
import type { PushRow } from '../../transport';
import { buildPushBody, openAccount, sendPush } from '../../transport';
import { parseSendSettings } from '../bulk/sendSettings';
import { pushError, resendAdvice } from '../outcomes';
import { sendAndWaitProperties } from './sendAndWait.properties';
import type { WaitLimitSetting } from './waitLimit';
import { WAIT_INDEFINITELY, waitUntil } from './waitLimit';

export const description = updateDisplayOptions(
	{ show: { resource: ['message'], operation: ['sendAndWait'] } },
	sendAndWaitProperties,
);

/** Where the node context keeps what this node sent in the current run, for the webhook and for a retry. */
export const SENT_KEY = 'sendAndWait';

export interface SentQuestion {
	runIndex: number;
	state: 'accepted' | 'unknown';
	number: string;
	msg_id?: string;
	push_id?: string;
	reason?: string;
	/** When the wait ends without an answer (ISO), if a limit was set: an answer after it is not taken. */
	answerBy?: string;
}

function refuse(context: IExecuteFunctions, message: string, description?: string): never {
	throw new NodeOperationError(context.getNode(), `${message}; nothing was sent`, {
		itemIndex: 0,
		description,
	});
}

/**
 * The link to the answer page. On n8n 1.x a signed URL is checked only once the execution asks for it; 2.x checks
 * it for every Send and Wait operation. An n8n that cannot sign one gets no message with an unsigned link.
 */
function signedLink(context: IExecuteFunctions): string {
	const signing = context as IExecuteFunctions & { setSignatureValidationRequired?: () => void };
	if (typeof context.getSignedResumeUrl !== 'function')
		refuse(
			context,
			'This version of n8n cannot sign resume links; update n8n to use Send and Wait for Response',
		);
	if (typeof signing.setSignatureValidationRequired === 'function')
		signing.setSignatureValidationRequired();
	return context.getSignedResumeUrl();
}

/** The values of the template's variables, with the link at its place. */
function templateValues(context: IExecuteFunctions, link: string): unknown[] {
	const others = (
		context.getNodeParameter('templateVariables.variables', 0, []) as IDataObject[]
	).map((variable) => variable.value);
	const place = Number(context.getNodeParameter('linkVariable', 0, 1));
	if (!Number.isInteger(place) || place < 1 || place > others.length + 1)
		refuse(
			context,
			`"Link Variable" is ${place}, but the template has ${others.length + 1} variables here (the link and ${others.length} others)`,
		);
	others.splice(place - 1, 0, link);
	return others;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const items = this.getInputData();
	if (
		node.type.endsWith('Tool') ||
		(typeof this.isToolExecution === 'function' && this.isToolExecution())
	)
		refuse(
			this,
			'Send and Wait for Response cannot run as an AI tool (an agent cannot wait for a person)',
		);

	// 1. Read and check everything before anything is sent.
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const content = this.getNodeParameter('content', 0, 'text');
	const settings = parseSendSettings({
		application: this.getNodeParameter('application', 0),
		customApplication: this.getNodeParameter('customApplication', 0, ''),
		content,
		templateId: content === 'template' ? this.getNodeParameter('templateId', 0, '') : undefined,
		// Only the options this operation offers; the others keep Send's defaults.
		options: Object.fromEntries(
			['defaultCountryCode', 'numberCheck', 'requestTimeoutSeconds']
				.filter((name) => options[name] !== undefined)
				.map((name) => [name, options[name]]),
		),
	});
	if (!settings.ok) refuse(this, settings.reason);
	const number = normalizePhoneNumber(
		this.getNodeParameter('number', 0),
		settings.value.defaultCountryCode,
		settings.value.numberCheck,
	);
	if (!number.ok) refuse(this, `In item 0, "Number" ${number.reason}`);
	const limit = (options.limitWaitTime as { values?: WaitLimitSetting } | undefined)?.values;
	const waitTill = waitUntil(limit, new Date());
	if (!waitTill.ok) refuse(this, `"Limit Wait Time": ${waitTill.reason}`);

	// A retry of this run (Retry On Fail) after a push that may have been queued sends nothing again.
	const context = this.getContext('node');
	const runIndex = this.getWorkflowDataProxy(0).$runIndex;
	const earlier = context[SENT_KEY] as SentQuestion | undefined;
	if (earlier && earlier.runIndex === runIndex && earlier.state === 'unknown') {
		throw new NodeOperationError(
			node,
			`The question to ${earlier.number} was already sent in this run without a clear answer from Picky Assist; it is not sent again`,
			{ itemIndex: 0, description: resendAdvice('the question') },
		);
	}

	const link = signedLink(this);
	const row: PushRow = { number: number.value };
	if (settings.value.template) {
		const values = checkTemplateValues(templateValues(this, link));
		if (!values.ok) refuse(this, `In item 0, "Other Template Variables" ${values.reason}`);
		row.templateValues = values.value;
		row.language = String(this.getNodeParameter('templateLanguage', 0, 'en')).trim();
	} else {
		const message = this.getNodeParameter('message', 0, '');
		if (typeof message !== 'string' || message.trim() === '')
			refuse(this, 'In item 0, "Message" is empty; write the question to ask');
		row.message = `${message}\n\n${link}`;
	}

	// 2. Send the one message. The token stays in transport; every text shown passes the account's redactor.
	const account = await openAccount(this);
	const { redactor } = account;
	if (!account.baseUrl.ok) refuse(this, account.baseUrl.reason);
	const result = await sendPush(
		this,
		buildPushBody(settings.value, [row]),
		account.policy('push', {
			maxPerMinute: settings.value.maxPushesPerMinute,
			maxRetries: settings.value.maxRetries,
			maxRetryWaitMs: settings.value.maxRetryWaitMs,
			timeoutMs: settings.value.timeoutMs,
		}),
	);
	if (result.kind === 'unknown') {
		context[SENT_KEY] = { runIndex, state: 'unknown', number: row.number, reason: result.reason };
	}
	if (result.kind !== 'accepted') {
		const failure = {
			message:
				result.kind === 'unknown'
					? `The question to ${row.number} may or may not have been sent: ${result.reason}`
					: `Picky Assist refused the question to ${row.number}: ${result.apiMessage}`,
			description: result.kind === 'unknown' ? resendAdvice('the question') : result.hint,
			itemIndexes: [0],
			status: result.kind === 'unknown' ? 'unknown' : (result.code ?? 'rejected'),
			httpStatus: result.httpStatus,
		};
		if (!this.continueOnFail()) throw pushError(node, redactor, failure);
		const json: IDataObject = {
			state: result.kind,
			number: row.number,
			error: redactor.clean(failure.message),
		};
		return [{ json, pairedItem: { item: 0 } }];
	}

	// 3. Wait. What was sent is kept for the answer's output.
	const entry = matchResponse([row.number], result.data).matched[0];
	const sent: SentQuestion = {
		runIndex,
		state: 'accepted',
		number: row.number,
		push_id: redactor.clean(result.pushId),
		msg_id: entry ? redactor.clean(entry.msg_id) : undefined,
	};
	if (waitTill.value.getTime() !== WAIT_INDEFINITELY.getTime()) {
		sent.answerBy = waitTill.value.toISOString();
	}
	context[SENT_KEY] = sent;
	await this.putExecutionToWait(waitTill.value);
	return items.slice(0, 1).map((item) => ({ json: item.json, pairedItem: { item: 0 } }));
}
