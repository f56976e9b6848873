/**
 * The answer page of Send and Wait for Response, served on the node's resume URL while its execution waits.
 * n8n checks the URL's signature before this runs. A GET shows the page and leaves the execution waiting (link
 * previews open links by themselves); only a POST with an answer resumes it, with that answer as the output.
 */
import type {
	IDataObject,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import type { ResponseType } from './responsePage';
import { PAGE_HEADERS, problemPage, questionPage, readAnswer, recordedPage } from './responsePage';
import type { SentQuestion } from './sendAndWait.operation';
import { SENT_KEY } from './sendAndWait.operation';

/**
 * The node's resume webhooks. n8n serves a `restartWebhook` only on a waiting execution's resume URL and never
 * registers it anywhere on activation, so there is no webhook lifecycle (checkExists, create, delete) to implement.
 */
export const SEND_AND_WAIT_WEBHOOKS: IWebhookDescription[] = (['GET', 'POST'] as const).map(
	(httpMethod) => ({
		name: 'default',
		httpMethod,
		responseMode: 'onReceived',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	}),
);

function answerWith(context: IWebhookFunctions, status: number, html: string): void {
	const response = context.getResponseObject();
	response.status(status);
	for (const [name, value] of Object.entries(PAGE_HEADERS)) response.setHeader(name, value);
	response.end(html);
}

/**
 * What the node sent before it started waiting, from its context in the waiting execution. A webhook has no
 * direct access to that context; an expression over the node's own context reads it. Undefined when it cannot be
 * read (a node name an expression cannot quote).
 */
function sentQuestion(context: IWebhookFunctions): SentQuestion | undefined {
	const name = context.getNode().name;
	if (name.includes('}}')) return undefined;
	try {
		const sent = context.evaluateExpression(
			`{{ $node[${JSON.stringify(name)}].context[${JSON.stringify(SENT_KEY)}] }}`,
			0,
		) as SentQuestion | undefined;
		return sent && typeof sent === 'object' && sent.state === 'accepted' ? sent : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Whether the time to answer has passed. n8n ends a limited wait only when its wait tracker next looks, about once
 * a minute, and until then it still serves this URL: the node itself refuses a late answer. With a limit set and
 * no readable deadline it cannot be sure, so it refuses too.
 */
function tooLate(context: IWebhookFunctions, sent: SentQuestion | undefined): boolean {
	if (sent?.answerBy !== undefined) return Date.now() > Date.parse(sent.answerBy);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	return options.limitWaitTime !== undefined && !sent;
}

const TOO_LATE =
	'The time to answer has passed, so this answer was not recorded. The workflow has gone on (or is about to) without it.';

export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const method = this.getRequestObject().method;
	const type = this.getNodeParameter('responseType', 'approval') as ResponseType;
	const declineOffered = this.getNodeParameter('approvalType', 'double') === 'double';
	const sent = sentQuestion(this);
	if (tooLate(this, sent)) {
		// 410 Gone: the question is closed. The execution keeps waiting until n8n ends it without an answer.
		answerWith(this, 410, problemPage(TOO_LATE));
		return { noWebhookResponse: true };
	}
	if (method !== 'POST') {
		const content = this.getNodeParameter('content', 'text');
		const title = String(this.getNodeParameter('options.pageTitle', 'Your answer is requested'));
		const message = content === 'text' ? String(this.getNodeParameter('message', '')) : '';
		const form =
			type === 'approval'
				? {
						type,
						buttons: {
							approveLabel: String(this.getNodeParameter('approveLabel', 'Approve')),
							declineLabel: declineOffered
								? String(this.getNodeParameter('declineLabel', 'Decline'))
								: undefined,
						},
					}
				: { type, buttonLabel: String(this.getNodeParameter('options.submitLabel', 'Send')) };
		answerWith(this, 200, questionPage({ title, message }, form));
		return { noWebhookResponse: true };
	}
	const answer = readAnswer(type, this.getBodyData(), declineOffered);
	if (!answer.ok) {
		answerWith(this, 400, problemPage(answer.reason));
		return { noWebhookResponse: true };
	}
	answerWith(this, 200, recordedPage());
	const json: IDataObject = {
		...answer.json,
		// Without the context the answer still goes out, only without the ids.
		...(sent
			? { number: sent.number, msg_id: sent.msg_id ?? null, push_id: sent.push_id ?? null }
			: {}),
		responded_at: new Date().toISOString(),
	};
	return { noWebhookResponse: true, workflowData: [[{ json }]] };
}
