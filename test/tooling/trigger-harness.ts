/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
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
import { WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { loadPackage, PACKAGE_NAME, TestNodeTypes } from './harness';
import { listenOnLoopback } from './ports';

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

export function readBody(request: http.IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});
}

export function parseBody(text: string, contentType: string): unknown {
	if (/json/i.test(contentType)) return JSON.parse(text) as unknown;
	if (/x-www-form-urlencoded/i.test(contentType))
		return Object.fromEntries(new URLSearchParams(text));
	return text;
}

/** The parts of express's response the node uses. */
function expressResponse(response: http.ServerResponse) {
	return {
		status(code: number) {
			response.statusCode = code;
			return this;
		},
		json(body: unknown) {
			response.setHeader('content-type', 'application/json');
			response.end(JSON.stringify(body));
			return this;
		},
	};
}

let servers = 0;
/** How long after its answer a call's static data is saved. */
const SAVE_MS = 10;

/** What one in-process trigger keeps between calls: its node, the static data as last saved, what it saw. */
interface TriggerState {
	node: INode;
	triggerType: INodeType;
	nodeTypes: TestNodeTypes;
	workflowId: string;
	savedStaticData: string;
	calls: TriggerCall[];
	saves: Array<Promise<void>>;
	logger: { warn(m: string): void; info(): void; debug(): void; error(m: string): void };
}

/** n8n-core's WebhookContext for one call, on a workflow with a copy of the static data as last saved. */
function triggerContext(state: TriggerState, httpRequest: object, response: http.ServerResponse) {
	const { node, triggerType, workflowId } = state;
	const additionalData = {
		httpRequest,
		httpResponse: expressResponse(response),
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
	} as unknown as IWorkflowExecuteAdditionalData;
	// As n8n does per call: the workflow with a copy of the static data as last saved.
	const workflow = new Workflow({
		id: workflowId,
		nodes: [node],
		connections: {},
		nodeTypes: state.nodeTypes,
		active: true,
		staticData: JSON.parse(state.savedStaticData) as IDataObject,
	});
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'pickyassist',
		webhookDescription: triggerType.description.webhooks![0],
		workflowId,
		workflowExecuteAdditionalData: additionalData,
	};
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		'webhook',
		webhookData,
		[],
		null,
	);
	Object.defineProperty(context, 'logger', { value: state.logger });
	return { context, workflow };
}

/** One webhook call: the body parsed as n8n does, the node's webhook() run, its answer sent and the data saved. */
async function handleTriggerCall(
	state: TriggerState,
	request: http.IncomingMessage,
	response: http.ServerResponse,
): Promise<void> {
	const url = new URL(request.url ?? '/', 'http://127.0.0.1');
	let body: unknown;
	try {
		body = parseBody(await readBody(request), String(request.headers['content-type'] ?? ''));
	} catch {
		response.statusCode = 400; // n8n's body parser refuses malformed JSON before the node sees it
		response.end();
		return;
	}
	const httpRequest = {
		body,
		headers: request.headers,
		query: Object.fromEntries(url.searchParams),
		params: {},
	};
	const { context, workflow } = triggerContext(state, httpRequest, response);
	const result = await state.triggerType.webhook!.call(context);
	if (!result.noWebhookResponse) {
		response.setHeader('content-type', 'application/json');
		response.end(JSON.stringify(result.webhookResponse ?? {}));
	}
	state.calls.push({ status: response.statusCode, items: result.workflowData?.[0] });
	// n8n saves a changed copy once the answer is handed over, a database write later: SAVE_MS after it, here.
	state.saves.push(
		new Promise((resolve) =>
			setTimeout(() => {
				if (workflow.staticData.__dataChanged)
					state.savedStaticData = JSON.stringify(workflow.staticData);
				resolve();
			}, SAVE_MS),
		),
	);
}

export async function startTriggerServer(parameters: IDataObject): Promise<TriggerServer> {
	const loader = await loadPackage();
	const triggerType = loader.nodeTypes.pickyAssistTrigger.type as INodeType;
	const node: INode = {
		id: 'trigger',
		name: 'Picky Assist Trigger',
		type: `${PACKAGE_NAME}.pickyAssistTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'in-process-trigger',
		parameters: parameters as INode['parameters'],
	};
	const warnings: string[] = [];
	const state: TriggerState = {
		node,
		triggerType,
		nodeTypes: new TestNodeTypes({ [node.type]: triggerType }),
		workflowId: `trigger-test-${++servers}`,
		savedStaticData: '{}',
		calls: [],
		saves: [],
		logger: {
			warn: (message: string) => warnings.push(message),
			info: () => {},
			debug: () => {},
			error: (message: string) => warnings.push(message),
		},
	};
	const { port, close } = await listenOnLoopback(
		http.createServer((request, response) => void handleTriggerCall(state, request, response)),
	);
	return {
		url: `http://127.0.0.1:${port}/webhook/in-process-trigger/pickyassist`,
		calls: state.calls,
		async staticData() {
			await Promise.all(state.saves);
			return JSON.parse(state.savedStaticData) as IDataObject;
		},
		warnings,
		close,
	};
}
