/**
 * The credential test, run the way n8n's credentials tester runs a node's `testedBy` method: with n8n-core's
 * CredentialTestContext (its request helper goes through n8n's axios adapter) against the sandbox.
 */
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	IHttpRequestOptions,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../sandbox';
import { loadPackage } from '../tooling/harness';
import { TOKEN } from './helpers';

let sandbox: Sandbox;
let node: INodeType;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 42.5 });
	node = (await loadPackage()).nodeTypes.pickyAssist.type as INodeType;
});
afterEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

async function testCredential(
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const description = node.description.credentials?.find(
		(credential) => credential.name === 'pickyAssistApi',
	);
	expect(description?.testedBy).toBe('pickyAssistApiTest');
	const testFunction = node.methods!.credentialTest!.pickyAssistApiTest;
	const context = new CredentialTestContext() as unknown as ICredentialTestFunctions;
	return await testFunction.call(context, {
		id: '1',
		name: 'Picky Assist sandbox',
		type: 'pickyAssistApi',
		data,
	});
}

test('a valid token passes via check-balance, shows the balance and sends no message', async () => {
	const result = await testCredential({
		apiToken: TOKEN,
		apiHost: 'custom',
		customUrl: sandbox.baseUrl(),
	});
	expect(result).toEqual({ status: 'OK', message: 'Connection successful. Balance: 42.5' });
	expect(sandbox.requests.map((request) => request.endpoint)).toEqual(['check-balance']);
	expect(sandbox.requests[0].body).toEqual({ token: TOKEN });
	expect(sandbox.pushes()).toHaveLength(0);
});

test("a wrong token answered as HTTP 200 with status 401 fails with Picky Assist's message and the host hint", async () => {
	const result = await testCredential({
		apiToken: 'not-the-token',
		apiHost: 'custom',
		customUrl: sandbox.baseUrl('legacy'),
	});
	expect(result.status).toBe('Error');
	expect(result.message).toContain('Picky Assist: Authentication Failed (status 401)');
	expect(result.message).toContain("credential's API Host");
	expect(result.message).not.toContain('not-the-token');
	expect(sandbox.requests[0].path).toBe('/app/api/v2/check-balance');
});

test('any other non-100 status fails too', async () => {
	sandbox.addFault({ kind: 'status', status: 405, endpoint: 'check-balance' });
	const result = await testCredential({
		apiToken: TOKEN,
		apiHost: 'custom',
		customUrl: sandbox.baseUrl(),
	});
	expect(result.status).toBe('Error');
	expect(result.message).toContain('(status 405)');
});

test('a URL that does not answer like Picky Assist fails with a clear message', async () => {
	sandbox.addFault({ kind: 'html200', endpoint: 'check-balance' });
	const html = await testCredential({
		apiToken: TOKEN,
		apiHost: 'custom',
		customUrl: sandbox.baseUrl(),
	});
	expect(html.status).toBe('Error');
	expect(html.message).toContain('this does not look like the Picky Assist API');

	const wrongPath = await testCredential({
		apiToken: TOKEN,
		apiHost: 'custom',
		customUrl: `${sandbox.url}/nope`,
	});
	expect(wrongPath.status).toBe('Error');
	expect(wrongPath.message).toContain('HTTP 404');
	expect(wrongPath.message).toContain('API Host or Custom URL');
});

test('an unreachable host and a malformed Custom URL fail without leaking the token', async () => {
	const closed = await startSandbox();
	const url = closed.baseUrl();
	await closed.close();
	const unreachable = await testCredential({ apiToken: TOKEN, apiHost: 'custom', customUrl: url });
	expect(unreachable.status).toBe('Error');
	expect(unreachable.message).toContain(`Could not reach ${url}`);
	expect(unreachable.message).not.toContain(TOKEN);

	const malformed = await testCredential({
		apiToken: TOKEN,
		apiHost: 'custom',
		customUrl: 'sandbox.local/api',
	});
	expect(malformed).toEqual({
		status: 'Error',
		message:
			'The credential\'s Custom URL must start with http:// or https://, got "sandbox.local/api". Example: http://127.0.0.1:8866/api/v2',
	});
	for (const [customUrl, reason] of [
		[`${sandbox.baseUrl()}?key=1`, /query string/],
		[`${sandbox.baseUrl()}#x`, /fragment/],
		['http://127.0.0.1:99999/api/v2', /not a valid URL/],
		['http://127.0.0.1:8866/api /v2', /space/],
	] as const) {
		const refused = await testCredential({ apiToken: TOKEN, apiHost: 'custom', customUrl });
		expect(refused.status).toBe('Error');
		expect(refused.message).toMatch(reason);
	}
	expect(sandbox.requests).toHaveLength(0);
	const empty = await testCredential({
		apiToken: '  ',
		apiHost: 'custom',
		customUrl: sandbox.baseUrl(),
	});
	expect(empty).toEqual({ status: 'Error', message: 'The API Token is empty' });
});

test('the credential puts the token in the JSON body (never a header or the URL) and offers both documented hosts', async () => {
	const credential = (await loadPackage()).credentialTypes.pickyAssistApi.type;
	const authenticate = credential.authenticate as (
		credentials: ICredentialDataDecryptedObject,
		options: IHttpRequestOptions,
	) => Promise<IHttpRequestOptions>;
	expect(typeof authenticate).toBe('function');
	const request: IHttpRequestOptions = {
		url: 'http://127.0.0.1/api/v2/push',
		method: 'POST',
		body: { application: '8', data: [] },
	};
	const authenticated = await authenticate.call(credential, { apiToken: TOKEN }, request);
	expect(authenticated.body).toEqual({ application: '8', data: [], token: TOKEN });
	expect(authenticated.headers).toBeUndefined();
	expect(authenticated.qs).toBeUndefined();
	expect(authenticated.url).toBe('http://127.0.0.1/api/v2/push');
	// The caller's options are not changed, and a body that cannot carry the token is left alone.
	expect(request.body).toEqual({ application: '8', data: [] });
	const text: IHttpRequestOptions = { url: 'http://x', body: 'raw text' };
	expect(await authenticate.call(credential, { apiToken: TOKEN }, text)).toEqual(text);
	expect(
		(await authenticate.call(credential, { apiToken: TOKEN }, { url: 'http://x' })).body,
	).toEqual({ token: TOKEN });
	const host = credential.properties.find((property) => property.name === 'apiHost');
	expect(host?.options?.map((option) => (option as { value: string }).value)).toEqual([
		'v4',
		'legacy',
		'custom',
	]);
	expect(
		credential.properties.find((property) => property.name === 'apiToken')?.typeOptions?.password,
	).toBe(true);
});
