/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * Serves the Picky Assist Trigger in-process: a node:http server on 127.0.0.1 whose requests reach the node's
 * webhook() through n8n-core's own WebhookContext, as n8n's webhook server calls it (a JSON body parsed by its
 * content type, a form body into fields, anything else left as text). Tests post to it over loopback — with the
 * sandbox's Event Webhook, postEvent and sendIncomingMessage — and read the answers and the items each call
 * would start a run with. The real n8n server is the end-to-end suite's (test/e2e/loop.e2e.test.ts).
 *
 * Workflow static data is handled as n8n handles it: every call reads its own copy of what was saved last, and a
 * copy the call changed is saved once the answer has gone out, the last write winning — so calls that come close
 * together each read the copy from before the others, as in a running n8n. Each server is its own workflow (its
 * own id), so that what the trigger keeps in this process for one test is not another's.
 */
import http from 'node:http';
import { text as readText } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import { WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IRunExecutionData,
	IWebhookData,
	IWebhookDescription,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { loadPackage, N8N_URL, PACKAGE_NAME, TestNodeTypes } from './harness';
import { listenOnLoopback } from './ports';

/** A call as n8n's webhook server hands it to a node: the body parsed, the URL's query, a response that writes to ours. */
export interface WebhookCall {
	url: URL;
	response: http.ServerResponse;
	/** The request as express hands it over (method, parsed body, headers, query), and the parts of its response the nodes use. */
	httpRequest: { method: string; [k: string]: unknown };
	httpResponse: object;
}

/**
 * A loopback HTTP server whose requests go to `handle` as n8n's webhook server would pass them on: a JSON body parsed
 * by its content type, a form body into fields, anything else as text; a malformed body is refused 400 (n8n's body
 * parser refuses it before a node sees it). Resolves with its port and close().
 */
export async function serveWebhooks(handle: (call: WebhookCall) => Promise<void>) {
	const server = http.createServer(async (request, response) => {
		const text = await readText(request);
		const contentType = String(request.headers['content-type'] ?? '');
		let body: unknown = text;
		try {
			if (/json/i.test(contentType)) body = JSON.parse(text);
			else if (/x-www-form-urlencoded/i.test(contentType))
				body = Object.fromEntries(new URLSearchParams(text));
		} catch {
			response.statusCode = 400;
			response.end('malformed body');
			return;
		}
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const method = request.method ?? 'GET';
		const query = Object.fromEntries(url.searchParams);
		const httpResponse = {
			status(code: number) {
				response.statusCode = code;
				return this;
			},
			json(value: unknown) {
				response.setHeader('content-type', 'application/json');
				response.end(JSON.stringify(value));
				return this;
			},
			setHeader: (name: string, value: string) => response.setHeader(name, value),
			end: (chunk?: string) => response.end(chunk),
		};
		const httpRequest = { method, body, headers: request.headers, query, params: {} };
		await handle({ url, response, httpRequest, httpResponse });
	});
	const listening = await listenOnLoopback(server);
	if (!listening) throw new Error('the webhook server could not listen on 127.0.0.1');
	return listening;
}

/** Which node's webhook a call is for, and in what execution. */
interface ContextOptions {
	workflow: Workflow;
	node: INode;
	mode: WorkflowExecuteMode;
	description: IWebhookDescription;
	path: string;
	/** The additional data the call's request and response are added to. */
	base?: Partial<IWorkflowExecuteAdditionalData>;
	runData?: IRunExecutionData | null;
}

/** n8n-core's WebhookContext of a node's webhook for one call, with the call's request and response. */
export function webhookContext(call: WebhookCall, o: ContextOptions): WebhookContext {
	const { httpRequest, httpResponse } = call;
	const additionalData = { ...o.base, httpRequest, httpResponse } as IWorkflowExecuteAdditionalData;
	const webhookData: IWebhookData = {
		httpMethod: o.description.httpMethod as IWebhookData['httpMethod'],
		node: o.node.name,
		path: o.path,
		webhookDescription: o.description,
		workflowId: o.workflow.id,
		workflowExecuteAdditionalData: additionalData,
	};
	const { workflow, node, mode, runData = null } = o;
	return new WebhookContext(workflow, node, additionalData, mode, webhookData, [], runData);
}

export interface TriggerCall {
	status: number;
	/** The items the call starts a run with, or undefined when it starts none. */
	items: INodeExecutionData[] | undefined;
}

export interface TriggerServer {
	/** The webhook's URL, to which `?secret=…` may be added. */
	url: string;
	calls: TriggerCall[];
	/** The workflow's static data as saved once the calls so far are done, where Drop Repeated Events remembers. */
	staticData(): Promise<IDataObject>;
	/** What the node logged as warnings, in order. */
	warnings: string[];
	close(): Promise<void>;
}

let servers = 0;
/** How long after its answer a call's static data is saved. */
const SAVE_MS = 10;

const triggerNode = (parameters: IDataObject): INode => ({
	id: 'trigger',
	name: 'Picky Assist Trigger',
	type: `${PACKAGE_NAME}.pickyAssistTrigger`,
	typeVersion: 1,
	position: [0, 0],
	webhookId: 'in-process-trigger',
	parameters: parameters as INode['parameters'],
});

export async function startTriggerServer(parameters: IDataObject): Promise<TriggerServer> {
	const triggerType = (await loadPackage()).nodeTypes.pickyAssistTrigger.type as INodeType;
	const node = triggerNode(parameters);
	const nodeTypes = new TestNodeTypes({ [node.type]: triggerType });
	const workflowId = `trigger-test-${++servers}`;
	const warnings: string[] = [];
	const warn = (m: string) => void warnings.push(m);
	const logger = { warn, error: warn, info() {}, debug() {} };
	const calls: TriggerCall[] = [];
	const saves: Array<Promise<void>> = [];
	let saved = '{}';
	// What every call's context shares: the node's webhook and the instance's URLs.
	const hook = {
		node,
		mode: 'webhook' as const,
		description: triggerType.description.webhooks![0],
		path: 'pickyassist',
		base: { variables: {}, restApiUrl: `${N8N_URL}/rest`, webhookBaseUrl: `${N8N_URL}/webhook` },
	};
	const { port, close } = await serveWebhooks(async (call) => {
		// As n8n does per call: the workflow with a copy of the static data as last saved.
		const workflow = new Workflow({
			id: workflowId,
			nodes: [node],
			connections: {},
			nodeTypes,
			active: true,
			staticData: JSON.parse(saved) as IDataObject,
		});
		const context = webhookContext(call, { ...hook, workflow });
		Object.defineProperty(context, 'logger', { value: logger });
		const result = await triggerType.webhook!.call(context);
		if (!result.noWebhookResponse) {
			call.response.setHeader('content-type', 'application/json');
			call.response.end(JSON.stringify(result.webhookResponse ?? {}));
		}
		calls.push({ status: call.response.statusCode, items: result.workflowData?.[0] });
		// n8n saves a changed copy once the answer is handed over, a database write later: SAVE_MS after it, here.
		saves.push(
			delay(SAVE_MS).then(() => {
				if (workflow.staticData.__dataChanged) saved = JSON.stringify(workflow.staticData);
			}),
		);
	});
	return {
		url: `http://127.0.0.1:${port}/webhook/in-process-trigger/pickyassist`,
		calls,
		async staticData() {
			await Promise.all(saves);
			return JSON.parse(saved) as IDataObject;
		},
		warnings,
		close,
	};
}
