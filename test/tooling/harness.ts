/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code: runs in Node.js and never ships */
/**
 * Runs real workflows through n8n-core's WorkflowExecute, in-process, the way n8n runs them:
 * - the package is loaded from dist/ by n8n-core's own PackageDirectoryLoader (it reads package.json's `n8n`
 *   field, so a wrong path there fails here too);
 * - credentials are applied by a CredentialsHelper that calls the credential's own `authenticate`, as n8n's does
 *   (n8n's own node test harness skips this step);
 * - HTTP goes through n8n-core's real request helpers to the sandbox on 127.0.0.1.
 * Stand-ins replace the n8n-nodes-base nodes the fixtures use: Manual Trigger (emits one empty item), Sticky Note
 * and Code (runs its JavaScript with Node's Function — real n8n runs it in a task runner; the end-to-end suite runs
 * the same workflows in real n8n).
 * Used by the workflow tests (test/workflow) and by `npm start` (scripts/demo.js, through the tsx loader).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { ExecutionLifecycleHooks, PackageDirectoryLoader, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IPinData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IVersionedNodeType,
} from 'n8n-workflow';
import { createRunExecutionData, ICredentialsHelper, Workflow } from 'n8n-workflow';

/** The repository root, which is the shipped package n8n installs. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-pickyassist';
export const NODE_TYPE = `${PACKAGE_NAME}.pickyAssist`;
export const CREDENTIAL_TYPE = 'pickyAssistApi';
/** The instance the runs pretend to be part of: the base of its REST, webhook and form URLs. */
export const N8N_URL = 'http://127.0.0.1:5678';

let loaded: Promise<PackageDirectoryLoader> | undefined;

/** Loads the built package the way n8n loads a community package. */
export function loadPackage(): Promise<PackageDirectoryLoader> {
	if (!loaded) {
		const loader = new PackageDirectoryLoader(REPO_ROOT);
		loaded = loader.loadAll().then(() => loader);
	}
	return loaded;
}

/** A stand-in for an n8n-nodes-base node: its type name, its default name, how its description differs, what it does. */
function standIn(
	name: string,
	title: string,
	description: Partial<INodeType['description']>,
	execute?: INodeType['execute'],
): INodeType {
	const base = { displayName: `${title} (stand-in)`, name, version: 1, description: '' };
	return {
		description: {
			group: ['transform'],
			defaults: { name: title },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
			...base,
			...description,
		},
		execute,
	};
}

const manualTriggerStandIn = standIn(
	'manualTrigger',
	'Manual Trigger',
	{ group: ['trigger'], inputs: [] },
	async () => [[{ json: {} }]],
);

const codeStandIn = standIn(
	'code',
	'Code',
	{
		version: [1, 2],
		properties: [{ displayName: 'JavaScript', name: 'jsCode', type: 'string', default: '' }],
	},
	async function (this: IExecuteFunctions) {
		const items = this.getInputData();
		const jsCode = this.getNodeParameter('jsCode', 0) as string;
		const $input = { all: () => items, first: () => items[0], last: () => items[items.length - 1] };
		// The stand-in runs the fixture's own JavaScript, as the Code node would.
		const run = new Function('$input', 'items', `return (async () => {\n${jsCode}\n})();`);
		const result = (await run($input, items)) as Array<INodeExecutionData | IDataObject>;
		return [
			result.map((entry, index) => ({
				json: ('json' in entry ? entry.json : entry) as IDataObject,
				pairedItem: { item: Math.min(index, items.length - 1) },
			})),
		];
	},
);

/** Sticky notes are comments on the canvas: they have no inputs, no outputs and never run. */
const stickyNoteStandIn = standIn('stickyNote', 'Sticky Note', {
	inputs: [],
	outputs: [],
	properties: [{ displayName: 'Content', name: 'content', type: 'string', default: '' }],
});

export class TestNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string) {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unrecognized node type: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.getByName(nodeType);
		return 'nodeVersions' in type ? type.getNodeType(version) : type;
	}

	getKnownTypes() {
		return {};
	}
}

/** The test's Picky Assist credentials, applied with the credential's own `authenticate` as n8n's CredentialsHelper does. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly type: ICredentialType,
		private readonly data: ICredentialDataDecryptedObject | undefined,
	) {
		super();
	}

	getParentTypes = (): string[] => [];
	isCredentialUsableByNode = () => true;
	preAuthentication = async () => undefined;
	runPreAuthentication = async () => undefined;
	updateCredentials = async () => {};
	updateCredentialsOauthTokenData = async () => {};
	getCredentialsProperties = () => this.type.properties;

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type;
		if (typeof authenticate !== 'function')
			throw new Error(
				`the harness applies only an authenticate() function, not ${JSON.stringify(authenticate)}`,
			);
		return await authenticate(credentials, requestOptions);
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these tests');
	}

	async getDecrypted() {
		if (!this.data) throw new Error(`No test credentials of type ${this.type.name}`);
		return { ...this.data };
	}
}

export function readWorkflow(file: string): IWorkflowBase {
	return JSON.parse(readFileSync(path.resolve(REPO_ROOT, file), 'utf8')) as IWorkflowBase;
}

export interface RunOptions {
	credentials?: ICredentialDataDecryptedObject;
	/** Replaces the output of the named nodes (n8n's pinned data), e.g. to feed the Picky Assist node rows. */
	pinData?: IPinData;
	/** Changes the parameters of the Picky Assist node(s) before the run. */
	pickyParameters?: IDataObject;
	/** Node settings such as onError: 'continueRegularOutput'. */
	pickySettings?: Partial<INode>;
	/** More node types, keyed by type name, for workflows that use test-only nodes. */
	extraNodeTypes?: Record<string, INodeType>;
	/**
	 * Cancels the execution this long after it started, the way n8n's Stop button does (n8n-core's run is a
	 * cancelable promise whose cancel aborts the execution's cancel signal). The run resolves at once with the
	 * cancelled run's data, as n8n saves it; the node may still be finishing in the background.
	 */
	cancelAfterMs?: number;
	/** Replaces parts of the execution's additional data (its id, the base of resume URLs, …). */
	additionalData?: Partial<IWorkflowExecuteAdditionalData>;
}

export interface RunResult {
	run: IRun;
	/** Output of the Picky Assist node: main[0] (and main[1], the error output, when it has one). */
	output: INodeExecutionData[];
	errorOutput: INodeExecutionData[];
	error: Error | undefined;
	/** The whole run serialised the way n8n stores it, for leak checks. */
	serialized: string;
	/** What continuing this execution needs (a waiting one: tooling/wait-harness.ts). */
	workflow: Workflow;
	additionalData: IWorkflowExecuteAdditionalData;
}

/** What n8n passes a node about the instance around it, with the test's credentials and overrides. */
function testAdditionalData(
	credentialType: ICredentialType,
	options: RunOptions,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentialType, options.credentials),
		currentNodeExecutionIndex: 0,
		restApiUrl: `${N8N_URL}/rest`,
		instanceBaseUrl: `${N8N_URL}/`,
		webhookBaseUrl: `${N8N_URL}/webhook`,
		webhookWaitingBaseUrl: `${N8N_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${N8N_URL}/webhook-test`,
		formBaseUrl: `${N8N_URL}/form`,
		formWaitingBaseUrl: `${N8N_URL}/form-waiting`,
		formTestBaseUrl: `${N8N_URL}/form-test`,
		mcpBaseUrl: `${N8N_URL}/mcp`,
		mcpTestBaseUrl: `${N8N_URL}/mcp-test`,
		variables: {},
		userId: 'test-user',
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		...options.additionalData,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export async function runWorkflow(
	workflowData: IWorkflowBase,
	options: RunOptions,
): Promise<RunResult> {
	const loader = await loadPackage();
	const pickyType = loader.nodeTypes.pickyAssist.type;
	const credentialType = loader.credentialTypes[CREDENTIAL_TYPE].type;
	const nodeTypes = new TestNodeTypes({
		[NODE_TYPE]: pickyType,
		'n8n-nodes-base.manualTrigger': manualTriggerStandIn,
		'n8n-nodes-base.code': codeStandIn,
		'n8n-nodes-base.stickyNote': stickyNoteStandIn,
		...options.extraNodeTypes,
	});

	const nodes = (JSON.parse(JSON.stringify(workflowData.nodes)) as INode[]).map((node) => {
		if (node.type !== NODE_TYPE) return node;
		return {
			...node,
			...options.pickySettings,
			parameters: { ...node.parameters, ...(options.pickyParameters as INode['parameters']) },
		};
	});
	const workflow = new Workflow({
		id: 'test',
		name: workflowData.name,
		nodes,
		connections: workflowData.connections,
		nodeTypes,
		settings: workflowData.settings,
		active: false,
	});

	const additionalData = testAdditionalData(credentialType, options);

	const startNode = workflow.getStartNode();
	if (!startNode) throw new Error('The workflow has no start node');
	const runExecutionData = createRunExecutionData({
		resultData: { runData: {}, pinData: options.pinData ?? workflowData.pinData },
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	return await executeRun(workflow, additionalData, runExecutionData, options.cancelAfterMs);
}

/**
 * Runs (or continues) an execution's run data to its end — finished, failed, or waiting — and reads the Picky
 * Assist node's output from it.
 */
export async function executeRun(
	workflow: Workflow,
	baseData: IWorkflowExecuteAdditionalData,
	runExecutionData: IRun['data'],
	cancelAfterMs?: number,
): Promise<RunResult> {
	const nodes = Object.values(workflow.nodes);
	const hooks = new ExecutionLifecycleHooks('manual', '1', {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections: workflow.connectionsBySourceNode,
		settings: workflow.settings,
	} as IWorkflowBase);
	const finished = new Promise<IRun>((resolve) =>
		hooks.addHandler('workflowExecuteAfter', resolve),
	);
	const additionalData = { ...baseData, hooks } as IWorkflowExecuteAdditionalData;

	const workflowExecute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	const running = workflowExecute.processRunExecutionData(workflow);
	// Cancelling a run that has already finished does nothing; unref() lets the process end before the timer.
	if (cancelAfterMs === undefined) await running;
	else setTimeout(() => running.cancel(), cancelAfterMs).unref();
	const run = await finished;

	const pickyName = nodes.find((node) => node.type === NODE_TYPE)?.name ?? 'Picky Assist';
	const taskData = run.data.resultData.runData[pickyName]?.[0];
	const main = taskData?.data?.main ?? [];
	const error = run.data.resultData.error as Error | undefined;
	return {
		run,
		output: main[0] ?? [],
		errorOutput: main[1] ?? [],
		error,
		serialized: serializeRun(run),
		workflow,
		additionalData: baseData,
	};
}

/** Serialises the run like n8n's execution store, plus every field of the error and its causes. */
export function serializeRun(run: IRun): string {
	const parts = [JSON.stringify(run)];
	let error: unknown = run.data.resultData.error;
	for (let depth = 0; error && depth < 5; depth++) {
		const record = error as Record<string, unknown>;
		parts.push(String(record.message), String(record.description), String(record.stack));
		try {
			parts.push(JSON.stringify(record, Object.getOwnPropertyNames(record)));
		} catch {
			parts.push(String(error));
		}
		error = record.cause;
	}
	return parts.join('\n');
}
