/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
import type {
	IBinaryKeyData,
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	IWorkflowBase,
} from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import type { RunResult } from '../tooling/harness';
import { readWorkflow, runWorkflow } from '../tooling/harness';

export const TOKEN = 'pa-tok_9f8e7d6c5b4a3210-SECRET';

export const FIXTURE = readWorkflow('test/fixtures/send-dynamic.json');

/** n8n's "Continue (using regular output)" setting. */
export const CONTINUE: INode['onError'] = 'continueRegularOutput';

/** One sandbox for a test file (accepting TOKEN, with credit to spare), reset after each test. */
export function sandboxForFile(): { current: Sandbox } {
	const holder = {} as { current: Sandbox };
	beforeAll(async () => {
		holder.current = await startSandbox({ tokens: [TOKEN], balance: 1e9 });
	});
	afterEach(() => holder.current.reset());
	afterAll(async () => await holder.current.close());
	return holder;
}

export function credentialsFor(
	sandbox: Sandbox,
	host: 'v4' | 'legacy' = 'v4',
	token = TOKEN,
): ICredentialDataDecryptedObject {
	return { apiToken: token, apiHost: 'custom', customUrl: sandbox.baseUrl(host) };
}

export interface SendOptions {
	parameters?: IDataObject;
	options?: IDataObject;
	onError?: INode['onError'];
	/** n8n's node settings of the Picky Assist node (Retry On Fail, …); `onError` wins over one set here. */
	settings?: Partial<INode>;
	token?: string;
	host?: 'v4' | 'legacy';
	credentials?: ICredentialDataDecryptedObject;
	/** A variant of the fixture (the Picky Assist node and a "Rows" node kept). */
	workflow?: IWorkflowBase;
	/** The rows of other pinned nodes of that variant, by node name. */
	pinned?: Record<string, IDataObject[]>;
	/** Binary data of the rows, by row index (n8n's in-memory binary mode: base64 in the item). */
	binary?: ReadonlyArray<IBinaryKeyData | undefined>;
}

/** Runs the fixture with `rows` as the output of its "Rows" node (n8n's pinned data). */
export async function send(
	sandbox: Sandbox,
	rows: IDataObject[],
	opts: SendOptions = {},
): Promise<RunResult> {
	const pinned = { Rows: rows, ...opts.pinned };
	return await runWorkflow(opts.workflow ?? FIXTURE, {
		credentials: opts.credentials ?? credentialsFor(sandbox, opts.host, opts.token),
		pinData: Object.fromEntries(
			Object.entries(pinned).map(([node, nodeRows]) => [
				node,
				nodeRows.map((json, index) => {
					const binary = node === 'Rows' ? opts.binary?.[index] : undefined;
					return binary ? { json, binary } : { json };
				}),
			]),
		),
		pickyParameters: { ...opts.parameters, options: { maxRetryWaitSeconds: 10, ...opts.options } },
		pickySettings: { ...opts.settings, ...(opts.onError ? { onError: opts.onError } : {}) },
	});
}

/** Every number the sandbox accepted, over all pushes: a number twice means a person got the message twice. */
export function acceptedNumbers(sandbox: Sandbox): string[] {
	return sandbox.acceptedPushes.flatMap((push) => push.response.data.map((entry) => entry.number));
}

export function rowsOf(count: number, offset = 0): IDataObject[] {
	const rows: IDataObject[] = [];
	for (let i = 0; i < count; i++) {
		rows.push({
			number: `+44 7700 ${String(900000 + offset + i)}`,
			message: `Hi customer ${offset + i} 👋`,
		});
	}
	return rows;
}

export function expectedNumber(i: number, offset = 0): string {
	return `447700${900000 + offset + i}`;
}

/** The n8n error of a failed run, with the fields n8n shows. */
export function runError(result: RunResult): {
	message: string;
	description: string;
	name: string;
} {
	const error = result.error as unknown as
		| { message?: string; description?: string; name?: string }
		| undefined;
	if (!error)
		throw new Error(`Expected the run to fail, it succeeded with ${result.output.length} items`);
	return {
		message: String(error.message),
		description: String(error.description ?? ''),
		name: String(error.name),
	};
}

/** Accepted items carry `state` at the top; error items carry it inside `error` (n8n's error-output shape). */
export function stateOf(item: INodeExecutionData): unknown {
	return item.json.state ?? detailsOf(item).state;
}

/** The `error` object of an error item: message, state, item_index, and what else is known. */
export function detailsOf(item: INodeExecutionData): IDataObject {
	const error = item.json.error;
	return error !== null && typeof error === 'object' ? (error as IDataObject) : {};
}

/** The error message of an error item. */
export function errorMessageOf(item: INodeExecutionData): string {
	return String(detailsOf(item).message);
}
