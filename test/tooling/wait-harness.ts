/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * Serves a WAITING execution's resume URL in-process, the way n8n's waiting-webhook endpoint does, so that a test
 * can open the link the Picky Assist node sent (over loopback, with any HTTP client) and see the execution resume:
 * - the execution waits after runWorkflow(…, { additionalData: server.additionalData }) has put it to wait;
 * - a request to /webhook-waiting/<execution id>/<node id> is checked as n8n 2.x checks a Send and Wait link (the
 *   URL's HMAC signature, with n8n-core's own helper and this instance's secret) and refused 401 otherwise;
 * - the node's webhook() runs through n8n-core's WebhookContext on a fresh copy of the waiting run data (n8n loads
 *   it from its database per call); a form body is parsed into fields, as n8n's body parser does;
 * - when it returns items, the execution continues as n8n continues it: the node is disabled and passes those
 *   items on, the run finishing with them. Otherwise the execution keeps waiting.
 * The real thing is the end-to-end suite's (test/e2e/sendAndWait.e2e.test.ts).
 */
import { createRequire } from 'node:module';
import { InstanceSettings, validateUrlSignature } from 'n8n-core';
import type {
	INodeType,
	IRun,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import type { RunResult } from './harness';
import { executeRun } from './harness';
import { serveWebhooks, webhookContext, type WebhookCall } from './trigger-harness';

export interface WaitCall {
	method: string;
	status: number;
	/** Whether the call resumed the execution. */
	resumed: boolean;
}

export interface WaitServer {
	/** Give these to runWorkflow: the execution's id and the base of its resume URLs (this server). */
	additionalData: Partial<IWorkflowExecuteAdditionalData>;
	/** The waiting run to serve. */
	attach(result: RunResult): void;
	calls: WaitCall[];
	/** The run as it finished after a call resumed it. */
	finished: Promise<RunResult>;
	close(): Promise<void>;
}

const EXECUTION_ID = 'wait-1';

/** n8n-core's own dependency container (its copy of @n8n/di), which holds this instance's settings. */
function signingSecret(): string {
	const fromCore = createRequire(require.resolve('n8n-core'));
	const { Container } = fromCore('@n8n/di') as {
		Container: { get<T>(type: new (...args: never[]) => T): T };
	};
	return Container.get(InstanceSettings).hmacSignatureSecret;
}

interface WaitState {
	waiting: RunResult | undefined;
	calls: WaitCall[];
	secret: string;
	resolveFinished: (result: RunResult) => void;
}

/** The node and webhook a call to /webhook-waiting/<execution id>/<node id> means, or why there is none. */
function findWaitingWebhook(state: WaitState, url: URL, method: string) {
	const [, prefix, executionId, nodeId] = url.pathname.split('/');
	const waiting = state.waiting;
	if (!waiting || prefix !== 'webhook-waiting' || executionId !== EXECUTION_ID)
		return { refused: [404, 'no such waiting execution'] as const };
	if (!waiting.run.waitTill) return { refused: [409, 'the execution is not waiting'] as const };
	const signature = url.searchParams.get('signature') ?? '';
	if (!signature || !validateUrlSignature(signature, url, state.secret))
		return { refused: [401, 'Invalid token'] as const };
	const { workflow } = waiting;
	const node = Object.values(workflow.nodes).find((candidate) => candidate.id === nodeId);
	const type = node && (workflow.nodeTypes.getByNameAndVersion(node.type) as INodeType);
	const description = type?.description.webhooks?.find(
		(hook: IWebhookDescription) => hook.httpMethod === method && hook.restartWebhook === true,
	);
	if (!node || !type?.webhook || !description)
		return { refused: [404, 'no waiting webhook for this call'] as const };
	return { waiting, node, type, description, nodeId };
}

/** One call to a resume URL: refused, answered by the node's webhook(), and the execution resumed when it says so. */
async function handleWaitCall(state: WaitState, call: WebhookCall): Promise<void> {
	const { method } = call.httpRequest;
	const found = findWaitingWebhook(state, call.url, method);
	if (found.refused) {
		const [status, text] = found.refused;
		call.response.statusCode = status;
		call.response.end(text);
		state.calls.push({ method, status, resumed: false });
		return;
	}
	const { waiting, node, type, description, nodeId } = found;
	const runData = structuredClone(waiting.run.data);
	const { workflow } = waiting;
	const context = webhookContext(call, {
		workflow,
		node,
		mode: 'manual',
		description,
		path: nodeId!,
		base: waiting.additionalData,
		runData,
	});
	const answer = await type.webhook!.call(context);
	if (!answer.noWebhookResponse && !call.response.writableEnded) call.response.end();
	const resumed = answer.workflowData !== undefined;
	state.calls.push({ method, status: call.response.statusCode, resumed });
	if (resumed) await resume(state, waiting, node.name, runData, answer.workflowData!);
}

/** As n8n continues a waiting execution: the node, disabled, passes the webhook's items on. */
async function resume(
	state: WaitState,
	waiting: RunResult,
	nodeName: string,
	runData: IRun['data'],
	items: NonNullable<Awaited<ReturnType<NonNullable<INodeType['webhook']>>>['workflowData']>,
): Promise<void> {
	const entry = runData.executionData!.nodeExecutionStack[0];
	entry.node.disabled = true;
	entry.data.main = items;
	runData.waitTill = undefined;
	runData.resultData.runData[nodeName]?.pop();
	state.waiting = { ...waiting, run: { ...waiting.run, waitTill: undefined } as IRun };
	state.resolveFinished(await executeRun(waiting.workflow, state.waiting.additionalData, runData));
}

export async function startWaitServer(): Promise<WaitServer> {
	let resolveFinished: (result: RunResult) => void = () => {};
	const finished = new Promise<RunResult>((resolve) => (resolveFinished = resolve));
	const state: WaitState = {
		waiting: undefined,
		calls: [],
		secret: signingSecret(),
		resolveFinished: (result) => resolveFinished(result),
	};
	const { port, close } = await serveWebhooks((call) => handleWaitCall(state, call));
	return {
		additionalData: {
			executionId: EXECUTION_ID,
			webhookWaitingBaseUrl: `http://127.0.0.1:${port}/webhook-waiting`,
		},
		attach: (result) => (state.waiting = result),
		calls: state.calls,
		finished,
		close,
	};
}
