/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * The Trigger's Download Media, in-process (tooling/trigger-harness.ts): the sandbox posts incoming messages whose
 * `media-url` points at files it serves itself over loopback.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { mediaBytes } from '../sandbox/media';
import type { TriggerServer } from '../tooling/trigger-harness';
import { startTriggerServer } from '../tooling/trigger-harness';
import { TOKEN } from './helpers';

const SECRET = 'media-secret-7Hq2';

let sandbox: Sandbox;
let trigger: TriggerServer | undefined;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN] });
});
afterEach(async () => {
	await trigger?.close();
	trigger = undefined;
});
afterAll(async () => await sandbox.close());

async function listen(options: Record<string, unknown>, secret = SECRET): Promise<TriggerServer> {
	trigger = await startTriggerServer({
		events: ['incomingMessage'],
		secret,
		responseMode: 'onReceived',
		options,
	});
	return trigger;
}

/** Posts one incoming message with `mediaUrl` and returns the item it started, with its binary data. */
async function receive(server: TriggerServer, mediaUrl: string, secret = SECRET) {
	const url = secret ? `${server.url}?secret=${secret}` : server.url;
	const answer = await sandbox.sendIncomingMessage(
		{ number: '447700900001', text: 'the invoice', mediaUrl },
		url,
	);
	expect(answer.status).toBe(200);
	const call = server.calls.at(-1)!;
	expect(call.items).toHaveLength(1);
	return call.items![0];
}

const ALLOW_SANDBOX = { downloadMedia: true, allowPrivateMediaHosts: true };

test("Download Media puts the file into binary 'data', with the file name and MIME type the server gave", async () => {
	const server = await listen(ALLOW_SANDBOX);
	const item = await receive(server, `${sandbox.url}/media/invoice-0042.pdf?bytes=300000`);
	expect(item.json).toMatchObject({
		type: '2',
		media_url: expect.stringContaining('/media/invoice'),
	});
	expect(item.json).not.toHaveProperty('media_error');
	const data = item.binary!.data;
	expect({ fileName: data.fileName, mimeType: data.mimeType }).toEqual({
		fileName: 'invoice-0042.pdf',
		mimeType: 'application/pdf',
	});
	expect(Buffer.from(data.data, 'base64').equals(mediaBytes(300000))).toBe(true);
});

test('off by default: the message carries media_url and no binary', async () => {
	const server = await listen({});
	const item = await receive(server, `${sandbox.url}/media/a.jpg`);
	expect(item.json.media_url).toBe(`${sandbox.url}/media/a.jpg`);
	expect(item.binary).toBeUndefined();
	expect(item.json).not.toHaveProperty('media_error');
});

test('without a Secret nothing is downloaded, and the item says why; the message still starts the workflow', async () => {
	const server = await listen(ALLOW_SANDBOX, '');
	const before = sandbox.mediaRequests.length;
	const item = await receive(server, `${sandbox.url}/media/a.jpg`, '');
	expect(item.binary).toBeUndefined();
	expect(sandbox.mediaRequests.length).toBe(before);
	expect(item.json.media_error).toMatch(/only with a Secret/);
	expect(item.json.message).toBe('the invoice');
});

test('a loopback host is refused unless Allow Private Media Hosts is on; the sandbox saw no request', async () => {
	const server = await listen({ downloadMedia: true });
	const url = `${sandbox.url}/media/secret.pdf`;
	const before = sandbox.mediaRequests.length;
	const item = await receive(server, url);
	expect(item.binary).toBeUndefined();
	expect(item.json.media_error).toMatch(/local or private address/);
	expect(sandbox.mediaRequests.length).toBe(before);
});

test('a file over Max Media Size is left out, with the limit named', async () => {
	const server = await listen({ ...ALLOW_SANDBOX, maxMediaSizeMb: 0.1 });
	for (const query of ['bytes=200000', 'bytes=200000&chunked=1']) {
		const item = await receive(server, `${sandbox.url}/media/big.mp4?${query}`);
		expect(item.binary).toBeUndefined();
		expect(item.json.media_error).toMatch(/larger than the Max Media Size of 0\.1 MB/);
	}
	const fits = await receive(server, `${sandbox.url}/media/small.mp4?bytes=100000&chunked=1`);
	expect(fits.binary?.data.fileSize).toBeDefined();
});

test('a redirect on the same host is followed; one to another host is not', async () => {
	const server = await listen(ALLOW_SANDBOX);
	const target = `${sandbox.url}/media/moved.png?bytes=10`;
	const same = await receive(
		server,
		`${sandbox.url}/media/redirect?to=${encodeURIComponent(target)}`,
	);
	expect(same.binary?.data.fileName).toBe('moved.png');
	const elsewhere = `http://localhost:${sandbox.port}/media/moved.png?bytes=10`;
	const before = sandbox.mediaRequests.length;
	const other = await receive(
		server,
		`${sandbox.url}/media/redirect?to=${encodeURIComponent(elsewhere)}`,
	);
	expect(sandbox.mediaRequests.slice(before)).toEqual([
		expect.stringMatching(/^\/media\/redirect/),
	]);
	expect(other.binary).toBeUndefined();
	expect(other.json.media_error).toMatch(/redirects to another host \(localhost:\d+\)/);
});

test('a server error or a closed port is said on the item; the message is emitted once all the same', async () => {
	const server = await listen(ALLOW_SANDBOX);
	const bad = await receive(server, `${sandbox.url}/media/x.pdf?bytes=-1`);
	expect(bad.json.media_error).toMatch(/HTTP 400/);
	const closed = await receive(server, 'http://127.0.0.1:9/nothing.pdf');
	expect(closed.json.media_error).toMatch(/the download failed/);
	expect(server.calls).toHaveLength(2);
});

test('a Max Media Size that is not a positive number refuses the download instead of guessing', async () => {
	const server = await listen({ ...ALLOW_SANDBOX, maxMediaSizeMb: 'lots' });
	const item = await receive(server, `${sandbox.url}/media/a.jpg`);
	expect(item.binary).toBeUndefined();
	expect(item.json.media_error).toMatch(/Max Media Size \(MB\) must be a positive number/);
});
