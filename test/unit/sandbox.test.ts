/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
import axios, { AxiosError, AxiosResponse } from 'axios';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';

import {
	ERROR_MESSAGES,
	FAULT_KINDS,
	Fault,
	Sandbox,
	SandboxOptions,
	WebhookSendError,
	isLoopbackHost,
	startSandbox,
} from '../sandbox';

const TOKEN = 'tok_live_0123456789abcdef';

// proxy: false so an HTTP(S)_PROXY in the environment can never route these calls anywhere else.
const client = axios.create({ validateStatus: () => true, timeout: 5000, proxy: false });

const rows2 = [
	{ number: '55123456789', message: 'Hi Ana, your bill is 12.40' },
	{ number: '919876543210', message: 'Hi Raj, your bill is 8.00' },
];
const rows3 = [...rows2, { number: '4915112345678', message: 'Hallo Jan' }];

function pushBody(data: unknown[] = rows2, extra: Record<string, unknown> = {}) {
	return {
		token: TOKEN,
		application: '8',
		priority: '0',
		globalmessage: '',
		globalmedia: '',
		data,
		...extra,
	};
}

let sb: Sandbox;

async function post(
	p: string,
	body: unknown,
	opts: { raw?: boolean; timeout?: number; maxRedirects?: number } = {},
): Promise<AxiosResponse> {
	return client.post(`${sb.url}${p}`, body, {
		timeout: opts.timeout ?? 5000,
		...(opts.maxRedirects !== undefined ? { maxRedirects: opts.maxRedirects } : {}),
		headers: { 'content-type': 'application/json' },
		// send strings byte for byte (axios would JSON-quote a string that is not valid JSON)
		...(typeof body === 'string' ? { transformRequest: (d: unknown) => d } : {}),
		...(opts.raw ? { responseType: 'text', transformResponse: (r: unknown) => r } : {}),
	});
}

const push = (
	body: unknown = pushBody(),
	opts?: { raw?: boolean; timeout?: number; maxRedirects?: number },
) => post('/api/v2/push', body, opts);

async function expectNetworkError(p: Promise<unknown>): Promise<AxiosError> {
	try {
		await p;
	} catch (err) {
		expect(axios.isAxiosError(err)).toBe(true);
		return err as AxiosError;
	}
	throw new Error('expected the request to fail at the network level');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
	sb = await startSandbox();
});
afterAll(async () => {
	await sb.close();
});
beforeEach(() => {
	sb.reset();
	sb.configure({
		tokens: [],
		creditPerMessage: '0.005',
		rateLimitPerMinute: null,
		balance: 1000,
		log: undefined,
	});
});

describe('startup and addressing', () => {
	it('listens on 127.0.0.1 with a random port and exposes both base URLs', () => {
		expect(sb.port).toBeGreaterThan(0);
		expect(sb.host).toBe('127.0.0.1');
		expect(sb.url).toBe(`http://127.0.0.1:${sb.port}`);
		expect(sb.baseUrl()).toBe(`http://127.0.0.1:${sb.port}/api/v2`);
		expect(sb.baseUrl('v4')).toBe(`http://127.0.0.1:${sb.port}/api/v2`);
		expect(sb.baseUrl('legacy')).toBe(`http://127.0.0.1:${sb.port}/app/api/v2`);
	});

	it('refuses non-loopback hosts', async () => {
		await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(
			'only loopback addresses are allowed',
		);
		await expect(startSandbox({ host: '192.168.1.10' })).rejects.toThrow(
			'only loopback addresses are allowed',
		);
		await expect(startSandbox({ host: 'app.pickyassist.com' })).rejects.toThrow(
			'only loopback addresses are allowed',
		);
		expect(isLoopbackHost('127.0.0.1')).toBe(true);
		expect(isLoopbackHost('127.1.2.3')).toBe(true);
		expect(isLoopbackHost('::1')).toBe(true);
		expect(isLoopbackHost('[::1]')).toBe(true);
		expect(isLoopbackHost('localhost')).toBe(true);
		expect(isLoopbackHost('0.0.0.0')).toBe(false);
		expect(isLoopbackHost('::')).toBe(false);
		expect(isLoopbackHost('10.0.0.1')).toBe(false);
	});

	it('rejects when the port is taken', async () => {
		await expect(startSandbox({ port: sb.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
	});

	it('exports the documented error texts and fault kinds', () => {
		expect(ERROR_MESSAGES[401]).toBe('Authentication Failed');
		expect(ERROR_MESSAGES[406]).toBe('Invalid Mobile Number');
		expect(FAULT_KINDS).toHaveLength(22);
		expect(FAULT_KINDS).toContain('foreign-number');
		expect(FAULT_KINDS).toEqual(expect.arrayContaining(['redirect', 'drip', 'raw']));
		expect(new Set(FAULT_KINDS).size).toBe(FAULT_KINDS.length);
	});
});

describe('push: success', () => {
	it('answers the documented shape with string ids and credit, in request order', async () => {
		const res = await push();
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(res.data).toEqual({
			status: 100,
			push_id: '7478630',
			message: 'Success',
			data: [
				{ msg_id: '9844217', number: '55123456789', credit: '0.005' },
				{ msg_id: '9844218', number: '919876543210', credit: '0.005' },
			],
		});
		const res2 = await push(pushBody([rows2[1]]));
		expect(res2.data).toEqual({
			status: 100,
			push_id: '7478631',
			message: 'Success',
			data: [{ msg_id: '9844219', number: '919876543210', credit: '0.005' }],
		});
		expect(sb.balance).toBe(999.985);
	});

	it('serves the legacy prefix identically and records which host was used', async () => {
		const res = await post('/app/api/v2/push', pushBody());
		expect(res.status).toBe(200);
		expect(res.data.status).toBe(100);
		expect(res.data.push_id).toBe('7478630');
		const res2 = await post('/api/v2/push/', pushBody([rows2[0]]));
		expect(res2.data.push_id).toBe('7478631');
		expect(sb.requests.map((r) => [r.path, r.endpoint, r.apiHost])).toEqual([
			['/app/api/v2/push', 'push', 'legacy'],
			['/api/v2/push/', 'push', 'v4'],
		]);
	});

	it('records every request exactly', async () => {
		const raw = JSON.stringify(pushBody([{ number: '55123456789', message: 'Olá, ção ✓ 😀' }]));
		const before = Date.now();
		await push(raw);
		await post('/api/v2/check-balance', { token: TOKEN });
		expect(sb.requests).toHaveLength(2);
		const [r1, r2] = sb.requests;
		expect(r1.seq).toBe(1);
		expect(r1.method).toBe('POST');
		expect(r1.path).toBe('/api/v2/push');
		expect(r1.endpoint).toBe('push');
		expect(r1.rawBody).toBe(raw);
		expect(r1.body).toEqual(JSON.parse(raw));
		expect(r1.headers['content-type']).toBe('application/json');
		expect(r1.receivedAt).toBeGreaterThanOrEqual(before);
		expect(r2.seq).toBe(2);
		expect(r2.endpoint).toBe('check-balance');
		expect(sb.pushes()).toEqual([r1]);
		expect(sb.acceptedPushes).toHaveLength(1);
		expect(sb.acceptedPushes[0].push_id).toBe('7478630');
		expect(sb.acceptedPushes[0].request).toBe(r1);
		expect(sb.acceptedPushes[0].fault).toBeNull();
		expect(sb.acceptedPushes[0].response).toEqual({
			status: 100,
			push_id: '7478630',
			message: 'Success',
			data: [{ msg_id: '9844217', number: '55123456789', credit: '0.005' }],
		});
	});

	it('accepts bulk pushes (globalmessage or globalmedia set, empty row messages)', async () => {
		const bulk = await push(
			pushBody([{ number: '55123456789', message: '' }, { number: '919876543210' }], {
				globalmessage: 'Same text',
			}),
		);
		expect(bulk.data.status).toBe(100);
		expect(bulk.data.data).toHaveLength(2);
		const media = await push(
			pushBody([{ number: '55123456789', message: '' }], {
				globalmedia: 'https://example.com/a.jpg',
			}),
		);
		expect(media.data.status).toBe(100);
		const numericApp = await push({ ...pushBody(), application: 101 });
		expect(numericApp.data.status).toBe(100);
	});

	it('accepts a large push (tens of MB) and keeps the body exact', async () => {
		const data = Array.from({ length: 100_000 }, (_, i) => ({
			number: String(5511900000000 + i),
			message: `Hello ${i} ${'x'.repeat(200)}`,
		}));
		const raw = JSON.stringify(pushBody(data));
		expect(raw.length).toBeGreaterThan(20_000_000);
		sb.configure({ balance: 100_000 });
		// A correctness check, not a speed one: the client's usual 5 s is no limit to hold a 20 MB push to on a busy
		// machine (figures belong in the benchmark).
		const res = await client.post(`${sb.url}/api/v2/push`, raw, {
			headers: { 'content-type': 'application/json' },
			maxBodyLength: Infinity,
			maxContentLength: Infinity,
			timeout: 60_000,
		});
		expect(res.data.status).toBe(100);
		expect(res.data.data).toHaveLength(100_000);
		expect(res.data.data[99_999]).toEqual({
			msg_id: String(9844217 + 99_999),
			number: '5511900099999',
			credit: '0.005',
		});
		expect(sb.requests[0].rawBody.length).toBe(raw.length);
		expect(sb.requests[0].rawBody === raw).toBe(true);
		expect(sb.balance).toBe(99_500);
	});
});

describe('balance', () => {
	it('check-balance answers a string balance and push deducts it exactly', async () => {
		let res = await post('/api/v2/check-balance', { token: TOKEN });
		expect(res.data).toEqual({ status: 100, message: 'Success', balance: '1000' });
		sb.configure({ balance: 0.3, creditPerMessage: '0.1' });
		await push(pushBody(rows3));
		res = await post('/app/api/v2/check-balance', { token: TOKEN });
		// 0.3 - 3 × 0.1 is exactly 0 (floating point would give 5.55e-17)
		expect(res.data).toEqual({ status: 100, message: 'Success', balance: '0' });
		expect(sb.balance).toBe(0);
	});

	it('answers 403 Insufficient Balance and processes nothing', async () => {
		sb.configure({ balance: '0.01' });
		const res = await push(pushBody(rows3));
		expect(res.status).toBe(200);
		expect(res.data).toEqual({ status: 403, message: 'Insufficient Balance' });
		expect(sb.balance).toBe(0.01);
		expect(sb.acceptedPushes).toHaveLength(0);
		const exact = await push(pushBody(rows2));
		expect(exact.data.status).toBe(100);
		expect(exact.data.push_id).toBe('7478630');
		expect(sb.balance).toBe(0);
	});

	it('echoes the configured credit per message', async () => {
		sb.configure({ creditPerMessage: '0.0125' });
		const res = await push();
		expect(res.data.data.map((d: { credit: string }) => d.credit)).toEqual(['0.0125', '0.0125']);
		expect(sb.balance).toBe(999.975);
	});

	it('configure() validates before changing anything', () => {
		expect(() => sb.configure({ balance: -1 })).toThrow(RangeError);
		expect(() => sb.configure({ tokens: [TOKEN], creditPerMessage: 'abc' })).toThrow(RangeError);
		expect(sb.balance).toBe(1000);
	});
});

describe('delivery-report', () => {
	it('reports a known push_id and rejects an unknown one', async () => {
		const p = await post('/app/api/v2/push', pushBody());
		const res = await post('/app/api/v2/delivery-report', {
			token: TOKEN,
			push_id: p.data.push_id,
		});
		// The documented sample: no `status` at the top, push_id a JSON number, time as "dd-mm-yyyy hh:mm AM".
		const at = new Date(sb.acceptedPushes[0].acceptedAt);
		expect(res.data).toEqual({
			project_id: '1001',
			push_id: 7478630,
			application: '8',
			message_type: '3',
			time: expect.stringMatching(/^\d\d-\d\d-\d{4} \d\d:\d\d (AM|PM)$/),
			data: [
				{ number: '55123456789', msg_id: '9844217', status: '1', error_code: '' },
				{ number: '919876543210', msg_id: '9844218', status: '1', error_code: '' },
			],
		});
		expect(res.data.time.slice(0, 10)).toBe(
			`${String(at.getUTCDate()).padStart(2, '0')}-${String(at.getUTCMonth() + 1).padStart(2, '0')}-${at.getUTCFullYear()}`,
		);
		const numeric = await post('/api/v2/delivery-report', { token: TOKEN, push_id: 7478630 });
		expect(numeric.data.push_id).toBe(7478630);
		const unknown = await post('/api/v2/delivery-report', { token: TOKEN, push_id: '1' });
		expect(unknown.data).toEqual({ status: 410, message: 'Invalid Request: unknown push_id' });
		const noToken = await post('/api/v2/delivery-report', { push_id: '7478630' });
		expect(noToken.data).toEqual({ status: 401, message: 'Authentication Failed' });
	});
});

describe('documented errors (HTTP 200, error in the body)', () => {
	it('410 for a body that is not JSON or not an object', async () => {
		for (const body of ['not json', '', '[1,2]', 'null', '"str"']) {
			const res = await push(body);
			expect(res.status).toBe(200);
			expect(res.data).toEqual({ status: 410, message: 'Invalid Request' });
		}
		expect(sb.requests[0].rawBody).toBe('not json');
		expect(sb.requests[0].body).toBeUndefined();
		expect(sb.requests[2].body).toEqual([1, 2]);
	});

	it('401 for a missing, empty, non-string or unknown token; headers are ignored', async () => {
		const noToken = { ...pushBody(), token: undefined }; // JSON leaves the key out
		expect((await push(noToken)).data).toEqual({ status: 401, message: 'Authentication Failed' });
		expect((await push({ ...pushBody(), token: '' })).data).toEqual({
			status: 401,
			message: 'Authentication Failed',
		});
		expect((await push({ ...pushBody(), token: 12345 })).data).toEqual({
			status: 401,
			message: 'Authentication Failed',
		});
		sb.configure({ tokens: [TOKEN, 'second-token'] });
		expect((await push({ ...pushBody(), token: 'wrong' })).data).toEqual({
			status: 401,
			message: 'Authentication Failed',
		});
		const viaHeader = await client.post(`${sb.url}/api/v2/push`, noToken, {
			headers: { Authorization: `Bearer ${TOKEN}`, token: TOKEN },
		});
		expect(viaHeader.data).toEqual({ status: 401, message: 'Authentication Failed' });
		expect((await push({ ...pushBody(), token: 'second-token' })).data.status).toBe(100);
		expect((await post('/api/v2/check-balance', { token: 'wrong' })).data).toEqual({
			status: 401,
			message: 'Authentication Failed',
		});
		expect(sb.acceptedPushes).toHaveLength(1);
	});

	it('402 Empty Number List for missing, empty or non-array data', async () => {
		for (const data of [undefined, [], 'x', { number: '55123456789' }]) {
			const res = await push({ token: TOKEN, application: '8', data });
			expect(res.data).toEqual({ status: 402, message: 'Empty Number List' });
		}
	});

	it('410 Invalid Request for a missing or empty application', async () => {
		const noApp = { ...pushBody(), application: undefined }; // JSON leaves the key out
		expect((await push(noApp)).data).toEqual({ status: 410, message: 'Invalid Request' });
		expect((await push({ ...pushBody(), application: '' })).data).toEqual({
			status: 410,
			message: 'Invalid Request',
		});
		expect((await push({ ...pushBody(), application: null })).data).toEqual({
			status: 410,
			message: 'Invalid Request',
		});
	});

	it('406 Invalid Mobile Number rejects the whole push and names the number', async () => {
		const cases: Array<[unknown, string]> = [
			['+55123456789', 'Invalid Mobile Number: +55123456789 (data[1])'],
			['055123456789', 'Invalid Mobile Number: 055123456789 (data[1])'],
			['+55 12345 6789', 'Invalid Mobile Number: +55 12345 6789 (data[1])'],
			['123456', 'Invalid Mobile Number: 123456 (data[1])'],
			['1234567890123456', 'Invalid Mobile Number: 1234567890123456 (data[1])'],
			[55123456789, 'Invalid Mobile Number: 55123456789 (data[1])'],
			[undefined, 'Invalid Mobile Number: missing (data[1])'],
		];
		for (const [number, message] of cases) {
			const res = await push(pushBody([rows2[0], { number, message: 'x' }]));
			expect(res.data).toEqual({ status: 406, message });
		}
		expect((await push(pushBody([rows2[0], 'oops']))).data).toEqual({
			status: 406,
			message: 'Invalid Mobile Number: missing (data[1])',
		});
		// limits: 7 and 15 digits are fine
		expect(
			(
				await push(
					pushBody([
						{ number: '1234567', message: 'a' },
						{ number: '123456789012345', message: 'b' },
					]),
				)
			).data.status,
		).toBe(100);
		expect(sb.acceptedPushes).toHaveLength(1);
		expect(sb.balance).toBe(999.99);
	});

	it('407 Message cannot be empty when a row has no text and no global message/media', async () => {
		for (const row of [
			{ number: '919876543210' },
			{ number: '919876543210', message: '' },
			{ number: '919876543210', message: '   ' },
		]) {
			const res = await push(pushBody([rows2[0], row]));
			expect(res.data).toEqual({ status: 407, message: 'Message cannot be empty' });
		}
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
	});

	it('checks errors in the order 410 JSON, 401, 402, 410 application, 406, 407, 403', async () => {
		sb.configure({ balance: 0 });
		expect((await push({ application: '', data: [] })).data.status).toBe(401);
		expect((await push({ token: TOKEN, application: '', data: [] })).data.status).toBe(402);
		expect(
			(await push({ token: TOKEN, application: '', data: [{ number: '0' }] })).data.status,
		).toBe(410);
		expect(
			(
				await push({
					token: TOKEN,
					application: '8',
					data: [{ number: '55123456789' }, { number: '0' }],
				})
			).data.status,
		).toBe(406);
		expect(
			(await push({ token: TOKEN, application: '8', data: [{ number: '55123456789' }] })).data
				.status,
		).toBe(407);
		expect(
			(
				await push({
					token: TOKEN,
					application: '8',
					data: [{ number: '55123456789', message: 'x' }],
				})
			).data.status,
		).toBe(403);
	});

	it('HTTP 404 for other paths, 405 for non-POST', async () => {
		for (const p of ['/', '/api/v2', '/api/v3/push', '/api/v2/template-request', '/push']) {
			const res = await post(p, pushBody());
			expect(res.status).toBe(404);
			expect(res.data).toEqual({ status: 404, message: 'Not Found' });
		}
		const get = await client.get(`${sb.url}/api/v2/push`);
		expect(get.status).toBe(405);
		expect(get.headers.allow).toBe('POST');
		expect(get.data).toEqual({ status: 405, message: 'Method Not Allowed: use POST' });
		expect(sb.requests.map((r) => r.endpoint)).toEqual([
			'unknown',
			'unknown',
			'unknown',
			'template-request',
			'unknown',
			'push',
		]);
		expect(sb.acceptedPushes).toHaveLength(0);
	});
});

describe('log line', () => {
	it('prints time, path, status and rows with the token masked', async () => {
		const lines: string[] = [];
		sb.configure({ log: (l) => lines.push(l) });
		await push(pushBody(rows3));
		await post('/app/api/v2/check-balance?token=' + TOKEN, { token: TOKEN });
		await push({ ...pushBody(), token: 'wrong-' + TOKEN, data: [] });
		sb.addFault({ kind: 'http500' });
		await push();
		expect(lines).toHaveLength(4);
		expect(lines[0]).toMatch(
			/^\d\d:\d\d:\d\d\.\d{3} #1 POST \/api\/v2\/push 200 status=100 push_id=7478630 rows=3 token=\*\*\*$/,
		);
		expect(lines[1]).toMatch(
			/^\d\d:\d\d:\d\d\.\d{3} #2 POST \/app\/api\/v2\/check-balance 200 status=100 rows=- token=\*\*\*$/,
		);
		expect(lines[2]).toMatch(
			/^\d\d:\d\d:\d\d\.\d{3} #3 POST \/api\/v2\/push 200 status=402 rows=0 token=\*\*\*$/,
		);
		expect(lines[3]).toMatch(
			/^\d\d:\d\d:\d\d\.\d{3} #4 POST \/api\/v2\/push 500 status=500 rows=2 token=\*\*\* fault=http500$/,
		);
		for (const l of lines) expect(l).not.toContain('tok_live');
	});

	it('a throwing logger does not break the sandbox', async () => {
		sb.configure({
			log: () => {
				throw new Error('boom');
			},
		});
		expect((await push()).data.status).toBe(100);
	});
});

describe('faults', () => {
	it('http500: HTTP 500 JSON, push not processed, request recorded', async () => {
		sb.addFault({ kind: 'http500' });
		const res = await push();
		expect(res.status).toBe(500);
		expect(res.data).toEqual({ status: 500, message: 'Internal Server Error' });
		expect(sb.requests).toHaveLength(1);
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
		const next = await push();
		expect(next.data.push_id).toBe('7478630');
	});

	it('http502-html: HTTP 502 with an HTML proxy page', async () => {
		sb.addFault({ kind: 'http502-html' });
		const res = await push(undefined, { raw: true });
		expect(res.status).toBe(502);
		expect(res.headers['content-type']).toBe('text/html');
		expect(res.data).toContain('<title>502 Bad Gateway</title>');
		expect(sb.acceptedPushes).toHaveLength(0);
	});

	it('html200: HTTP 200 with an HTML body', async () => {
		sb.addFault({ kind: 'html200' });
		const res = await push(undefined, { raw: true });
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('text/html; charset=UTF-8');
		expect(res.data.startsWith('<!DOCTYPE html>')).toBe(true);
		expect(sb.acceptedPushes).toHaveLength(0);
	});

	it('http429: Retry-After only when given, push not processed', async () => {
		sb.addFault({ kind: 'http429', retryAfter: 30 });
		sb.addFault({ kind: 'http429' });
		const a = await push();
		expect(a.status).toBe(429);
		expect(a.headers['retry-after']).toBe('30');
		expect(a.data).toEqual({ status: 429, message: 'Too Many Requests' });
		const b = await push();
		expect(b.status).toBe(429);
		expect(b.headers['retry-after']).toBeUndefined();
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
	});

	it('http401: a real HTTP 401', async () => {
		sb.addFault({ kind: 'http401' });
		const res = await push();
		expect(res.status).toBe(401);
		expect(res.data).toEqual({ status: 401, message: 'Authentication Failed' });
		expect(sb.acceptedPushes).toHaveLength(0);
	});

	it('status: HTTP 200 with the given code and the documented or given text', async () => {
		sb.addFault({ kind: 'status', status: 101 });
		sb.addFault({ kind: 'status', status: 408, message: 'Project is not Active (custom)' });
		sb.addFault({ kind: 'status', status: 999 });
		expect((await push()).data).toEqual({ status: 101, message: 'Service Unavailable' });
		expect((await push()).data).toEqual({ status: 408, message: 'Project is not Active (custom)' });
		expect((await push()).data).toEqual({ status: 999, message: 'Error' });
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
	});

	it('timeout: never answers and does not process', async () => {
		sb.addFault({ kind: 'timeout' });
		const err = await expectNetworkError(push(undefined, { timeout: 300 }));
		expect(err.code).toBe('ECONNABORTED');
		expect(sb.requests).toHaveLength(1);
		expect(sb.acceptedPushes).toHaveLength(0);
		expect((await push()).data.push_id).toBe('7478630');
	});

	it('timeout with process: true accepts the push, then hangs', async () => {
		sb.addFault({ kind: 'timeout', process: true });
		await expectNetworkError(push(undefined, { timeout: 300 }));
		expect(sb.acceptedPushes).toHaveLength(1);
		expect(sb.acceptedPushes[0].fault).toBe('timeout');
		expect(sb.balance).toBe(999.99);
	});

	it('delay: processes normally and answers after ms', async () => {
		sb.addFault({ kind: 'delay', ms: 300 });
		const t0 = Date.now();
		const res = await push();
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		expect(res.data.status).toBe(100);
		expect(res.data.push_id).toBe('7478630');
		expect(sb.acceptedPushes[0].fault).toBe('delay');
	});

	it('reset: the push IS accepted, then the socket is destroyed (maybe sent)', async () => {
		sb.addFault({ kind: 'reset' });
		const err = await expectNetworkError(push());
		expect(err.response).toBeUndefined();
		expect(['ECONNRESET', 'ERR_BAD_RESPONSE']).toContain(err.code);
		expect(sb.acceptedPushes).toHaveLength(1);
		expect(sb.acceptedPushes[0].push_id).toBe('7478630');
		expect(sb.acceptedPushes[0].fault).toBe('reset');
		expect(sb.balance).toBe(999.99);
		expect((await push()).data.push_id).toBe('7478631');
	});

	it('reset-before: the socket is destroyed and nothing is processed', async () => {
		sb.addFault({ kind: 'reset-before' });
		const err = await expectNetworkError(push());
		expect(err.response).toBeUndefined();
		expect(sb.requests).toHaveLength(1);
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
	});

	it('malformed: truncated invalid JSON, push accepted', async () => {
		sb.addFault({ kind: 'malformed' });
		const res = await push(undefined, { raw: true });
		expect(res.status).toBe(200);
		const full = JSON.stringify(sb.acceptedPushes[0].response);
		expect(res.data).toBe(full.slice(0, Math.floor(full.length / 2)));
		expect(() => JSON.parse(res.data)).toThrow(SyntaxError);
		expect(sb.balance).toBe(999.99);
	});

	it('shuffle: reversed by default, or in the given order', async () => {
		sb.addFault({ kind: 'shuffle' });
		const a = await push(pushBody(rows3));
		expect(
			a.data.data.map((d: { number: string; msg_id: string }) => [d.number, d.msg_id]),
		).toEqual([
			['4915112345678', '9844219'],
			['919876543210', '9844218'],
			['55123456789', '9844217'],
		]);
		sb.addFault({ kind: 'shuffle', order: [1, 2, 0] });
		const b = await push(pushBody(rows3));
		expect(b.data.data.map((d: { number: string }) => d.number)).toEqual([
			'919876543210',
			'4915112345678',
			'55123456789',
		]);
		// the record keeps the true order
		expect(sb.acceptedPushes[1].response.data.map((d) => d.number)).toEqual([
			'55123456789',
			'919876543210',
			'4915112345678',
		]);
	});

	it('short: drops the last entries', async () => {
		sb.addFault({ kind: 'short' });
		sb.addFault({ kind: 'short', drop: 2 });
		expect(
			(await push(pushBody(rows3))).data.data.map((d: { number: string }) => d.number),
		).toEqual(['55123456789', '919876543210']);
		expect(
			(await push(pushBody(rows3))).data.data.map((d: { number: string }) => d.number),
		).toEqual(['55123456789']);
		expect(sb.acceptedPushes.map((a) => a.response.data.length)).toEqual([3, 3]);
		expect(sb.balance).toBe(999.97);
	});

	it('extra: appends an entry with a number that was not sent', async () => {
		sb.addFault({ kind: 'extra' });
		const res = await push(pushBody(rows3));
		expect(res.data.data).toHaveLength(4);
		expect(res.data.data[3]).toEqual({
			msg_id: '9000000001',
			number: '999000000000',
			credit: '0.005',
		});
		expect(res.data.data.slice(0, 3)).toEqual(sb.acceptedPushes[0].response.data);
	});

	it('no-msg-id: removes msg_id from the given entry', async () => {
		sb.addFault({ kind: 'no-msg-id' });
		sb.addFault({ kind: 'no-msg-id', index: 1 });
		const a = await push();
		expect(a.data.data).toEqual([
			{ number: '55123456789', credit: '0.005' },
			{ msg_id: '9844218', number: '919876543210', credit: '0.005' },
		]);
		const b = await push();
		expect(b.data.data).toEqual([
			{ msg_id: '9844219', number: '55123456789', credit: '0.005' },
			{ number: '919876543210', credit: '0.005' },
		]);
	});

	it('no-data: omits data', async () => {
		sb.addFault({ kind: 'no-data' });
		const res = await push();
		expect(res.data).toEqual({ status: 100, push_id: '7478630', message: 'Success' });
		expect(sb.acceptedPushes).toHaveLength(1);
	});

	it('string-status: status "100" as a string', async () => {
		sb.addFault({ kind: 'string-status' });
		const res = await push();
		expect(res.data.status).toBe('100');
		expect(res.data.push_id).toBe('7478630');
	});

	it('duplicate-entry: repeats data[0] at the end', async () => {
		sb.addFault({ kind: 'duplicate-entry' });
		const res = await push();
		expect(res.data.data).toEqual([
			{ msg_id: '9844217', number: '55123456789', credit: '0.005' },
			{ msg_id: '9844218', number: '919876543210', credit: '0.005' },
			{ msg_id: '9844217', number: '55123456789', credit: '0.005' },
		]);
	});

	it('foreign-number: replaces data[0].number with one that was not sent', async () => {
		sb.addFault({ kind: 'foreign-number' });
		const res = await push(pushBody([{ number: '999000000000', message: 'x' }, rows2[1]]));
		expect(res.data.data).toEqual([
			{ msg_id: '9844217', number: '999000000001', credit: '0.005' },
			{ msg_id: '9844218', number: '919876543210', credit: '0.005' },
		]);
	});

	it('doctoring faults leave error answers alone', async () => {
		sb.addFault({ kind: 'no-data' });
		const res = await push({ ...pushBody(), token: '' });
		expect(res.data).toEqual({ status: 401, message: 'Authentication Failed' });
	});

	it('queue is FIFO, times repeats, endpoint scopes', async () => {
		sb.addFault({ kind: 'http500', times: 2 });
		sb.addFault({ kind: 'status', status: 101, endpoint: 'check-balance' });
		sb.addFault({ kind: 'status', status: 405 });
		expect((await post('/api/v2/check-balance', { token: TOKEN })).data).toEqual({
			status: 101,
			message: 'Service Unavailable',
		});
		expect((await push()).status).toBe(500);
		expect((await push()).status).toBe(500);
		expect((await push()).data).toEqual({
			status: 405,
			message: 'API Is Not Active For This Plan',
		});
		expect((await push()).data.status).toBe(100);
		expect((await post('/api/v2/check-balance', { token: TOKEN })).data.status).toBe(100);
	});

	it('setFault is permanent until clearFaults; queued faults go first', async () => {
		sb.setFault({ kind: 'http502-html' });
		sb.addFault({ kind: 'http500' });
		expect((await push()).status).toBe(500);
		for (let i = 0; i < 3; i++) expect((await push()).status).toBe(502);
		sb.clearFaults();
		expect((await push()).data.status).toBe(100);
	});

	it('rejects invalid faults', () => {
		expect(() => sb.addFault({ kind: 'nope' } as unknown as Fault)).toThrow(
			'unknown fault kind "nope"',
		);
		expect(() => sb.addFault({ kind: 'status' } as unknown as Fault)).toThrow(
			'needs an integer fault.status',
		);
		expect(() => sb.addFault({ kind: 'delay' } as unknown as Fault)).toThrow('needs fault.ms');
		expect(() => sb.addFault({ kind: 'http500', times: 0 })).toThrow('fault.times');
	});
});

/** What a raw HTTP exchange looked like, byte by byte: for faults axios would smooth over. */
interface Exchange {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** ms from sending the request to the status line and headers. */
	headersAfter: number;
	/** Arrival times (ms from sending) and sizes of the body chunks. */
	chunks: Array<{ at: number; bytes: number }>;
	body: string;
	/** False when the connection ended before the whole body arrived. */
	complete: boolean;
}

/**
 * POSTs `body` and resolves when the exchange is over (body complete or connection gone). `onHeaders` runs
 * once the status line and headers are in, with the request, so a test can act mid-body.
 */
function exchange(
	url: string,
	body: unknown,
	onHeaders?: (req: http.ClientRequest, res: http.IncomingMessage) => void,
): Promise<Exchange> {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const req = http.request(
			url,
			{ method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
			(res) => {
				const out: Exchange = {
					status: res.statusCode!,
					headers: res.headers,
					headersAfter: Date.now() - t0,
					chunks: [],
					body: '',
					complete: false,
				};
				const parts: Buffer[] = [];
				res.on('data', (c: Buffer) => {
					out.chunks.push({ at: Date.now() - t0, bytes: c.length });
					parts.push(c);
				});
				res.on('error', () => {});
				res.on('close', () => {
					out.complete = res.complete;
					out.body = Buffer.concat(parts).toString('utf8');
					resolve(out);
				});
				onHeaders?.(req, res);
			},
		);
		req.on('error', (err) => reject(err));
		req.end(JSON.stringify(body));
	});
}

/**
 * Records the intervals started from now on and which of them get cleared, to see that the sandbox leaves none
 * running. (A count of the process's live timers also moves with unrelated timers, such as sockets closing, which
 * made before/after comparisons flaky.)
 */
function watchIntervals() {
	const started: unknown[] = [];
	const cleared = new Set<unknown>();
	const realSetInterval = global.setInterval;
	const realClearInterval = global.clearInterval;
	const realClearTimeout = global.clearTimeout;
	const spies = [
		jest.spyOn(global, 'setInterval').mockImplementation(((
			...args: Parameters<typeof setInterval>
		) => {
			const t = realSetInterval(...args);
			started.push(t);
			return t;
		}) as typeof setInterval),
		jest
			.spyOn(global, 'clearInterval')
			.mockImplementation((t) => (cleared.add(t), realClearInterval(t))),
		jest
			.spyOn(global, 'clearTimeout')
			.mockImplementation((t) => (cleared.add(t), realClearTimeout(t))),
	];
	return {
		started,
		running: () => started.filter((t) => !cleared.has(t)),
		restore: () => spies.forEach((spy) => spy.mockRestore()),
	};
}

describe('redirect fault', () => {
	let second: Sandbox;
	beforeAll(async () => {
		second = await startSandbox();
	});
	afterAll(() => second.close());
	beforeEach(() => second.reset());

	it('307 to a second sandbox: not processed here; a client that follows it re-sends the token there', async () => {
		const location = `${second.baseUrl()}/push`;
		sb.addFault({ kind: 'redirect', status: 307, location });
		const res = await client.post(`${sb.url}/api/v2/push`, pushBody(), {
			maxRedirects: 0,
			responseType: 'text',
		});
		expect(res.status).toBe(307);
		expect(res.headers.location).toBe(location);
		expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
		expect(res.data).toBe(`307 Temporary Redirect: ${location}\n`);
		expect(sb.requests).toHaveLength(1);
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
		expect(second.requests).toHaveLength(0);

		// The hostile case the fault exists for: a following client POSTs the body, token included, elsewhere.
		sb.addFault({ kind: 'redirect', status: 307, location });
		const followed = await client.post(`${sb.url}/api/v2/push`, pushBody(), { maxRedirects: 1 });
		expect(followed.data).toMatchObject({ status: 100, push_id: '7478630' });
		expect(second.requests).toHaveLength(1);
		expect(second.requests[0].body.token).toBe(TOKEN);
		expect(second.acceptedPushes).toHaveLength(1);
		expect(sb.acceptedPushes).toHaveLength(0);
	});

	it('sends every redirect status with its Location, queued with times', async () => {
		for (const status of [301, 302, 303, 308] as const)
			sb.addFault({ kind: 'redirect', status, location: '/moved', times: 2 });
		const seen: Array<[number, string | undefined]> = [];
		for (let i = 0; i < 8; i++) {
			const res = await push(undefined, { raw: true, maxRedirects: 0 });
			seen.push([res.status, res.headers.location]);
		}
		expect(seen).toEqual([301, 301, 302, 302, 303, 303, 308, 308].map((st) => [st, '/moved']));
		expect((await push()).data.status).toBe(100);
	});

	it('process: true accepts the push (recorded, balance spent) and still answers the redirect', async () => {
		sb.addFault({
			kind: 'redirect',
			status: 302,
			location: 'https://example.invalid/elsewhere',
			process: true,
		});
		const res = await push(undefined, { raw: true, maxRedirects: 0 });
		expect(res.status).toBe(302);
		expect(res.headers.location).toBe('https://example.invalid/elsewhere');
		expect(sb.acceptedPushes).toHaveLength(1);
		expect(sb.acceptedPushes[0]).toMatchObject({ push_id: '7478630', fault: 'redirect' });
		expect(sb.acceptedPushes[0].request).toBe(sb.requests[0]);
		expect(sb.balance).toBe(999.99);
	});

	it('applies to check-balance through its endpoint, and is permanent with setFault', async () => {
		sb.setFault({
			kind: 'redirect',
			status: 301,
			location: '/api/v3/check-balance',
			endpoint: 'check-balance',
		});
		for (let i = 0; i < 2; i++) {
			const res = await post(
				'/api/v2/check-balance',
				{ token: TOKEN },
				{ raw: true, maxRedirects: 0 },
			);
			expect(res.status).toBe(301);
			expect(res.headers.location).toBe('/api/v3/check-balance');
		}
		expect((await push()).data.status).toBe(100);
		sb.clearFaults();
		expect((await post('/api/v2/check-balance', { token: TOKEN })).data.balance).toBe('999.99');
	});

	it('rejects a status that is not a redirect and an unusable location', () => {
		expect(() =>
			sb.addFault({ kind: 'redirect', status: 300, location: '/x' } as unknown as Fault),
		).toThrow('fault.status 301, 302, 303, 307, 308');
		expect(() => sb.addFault({ kind: 'redirect', status: 302 } as unknown as Fault)).toThrow(
			'non-empty fault.location',
		);
		expect(() =>
			sb.addFault({ kind: 'redirect', status: 302, location: '/a\r\nSet-Cookie: x=1' }),
		).toThrow('not a valid HTTP header');
		expect(() =>
			sb.addFault({
				kind: 'redirect',
				status: 302,
				location: '/a',
				process: 'yes',
			} as unknown as Fault),
		).toThrow('fault.process');
	});
});

describe('drip fault', () => {
	it('sends the headers at once and the true answer one byte per interval; the push is accepted', async () => {
		sb.addFault({ kind: 'drip', intervalMs: 10 });
		let acceptedAtHeaders = -1;
		const ex = await exchange(
			`${sb.url}/api/v2/push`,
			pushBody(),
			() => (acceptedAtHeaders = sb.acceptedPushes.length),
		);
		const expected = JSON.stringify(sb.acceptedPushes[0].response);
		expect(ex.status).toBe(200);
		expect(ex.complete).toBe(true);
		expect(ex.body).toBe(expected);
		expect(ex.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(ex.headers['content-length']).toBe(String(Buffer.byteLength(expected)));
		expect(acceptedAtHeaders).toBe(1);
		expect(sb.acceptedPushes[0].fault).toBe('drip');
		expect(sb.balance).toBe(999.99);
		// one byte a chunk, and the last one long after the headers
		expect(ex.chunks.every((c) => c.bytes === 1)).toBe(true);
		expect(ex.chunks).toHaveLength(expected.length);
		expect(ex.chunks[ex.chunks.length - 1].at - ex.headersAfter).toBeGreaterThanOrEqual(
			(expected.length - 1) * 10 * 0.8,
		);
	});

	it('works for check-balance; process: false drips what would have been answered and changes nothing', async () => {
		sb.addFault({ kind: 'drip', intervalMs: 1, endpoint: 'check-balance' });
		const bal = await exchange(`${sb.url}/api/v2/check-balance`, { token: TOKEN });
		expect(JSON.parse(bal.body)).toEqual({ status: 100, message: 'Success', balance: '1000' });
		expect(bal.chunks.length).toBeGreaterThan(1);

		sb.addFault({ kind: 'drip', intervalMs: 1, process: false });
		const dry = await exchange(`${sb.url}/api/v2/push`, pushBody());
		expect(JSON.parse(dry.body)).toMatchObject({ status: 100, push_id: '7478630' });
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
		expect((await push()).data.push_id).toBe('7478630');
	});

	it('close() ends a drip mid-body at once and leaves no timer running', async () => {
		const intervals = watchIntervals();
		try {
			const dripSb = await startSandbox();
			dripSb.setFault({ kind: 'drip' }); // default: a byte a second
			let closeTook = -1;
			const ex = await exchange(`${dripSb.url}/api/v2/push`, pushBody(), () => {
				const t0 = Date.now();
				void dripSb.close().then(() => (closeTook = Date.now() - t0));
			});
			expect(ex.status).toBe(200);
			expect(ex.complete).toBe(false);
			expect(ex.body).toBe('');
			for (let i = 0; i < 50 && closeTook < 0; i++) await sleep(10);
			expect(closeTook).toBeGreaterThanOrEqual(0);
			expect(closeTook).toBeLessThan(1000);
			expect(dripSb.acceptedPushes).toHaveLength(1);
			expect(intervals.started.length).toBeGreaterThanOrEqual(1);
			expect(intervals.running()).toEqual([]);
		} finally {
			intervals.restore();
		}
	});

	it('stops when the client goes away', async () => {
		sb.addFault({ kind: 'drip', intervalMs: 5 });
		const intervals = watchIntervals();
		try {
			const ex = await exchange(`${sb.url}/api/v2/push`, pushBody(), (req, res) =>
				res.once('data', () => req.destroy()),
			);
			expect(ex.complete).toBe(false);
			expect(ex.body.length).toBeGreaterThanOrEqual(1);
			await until(() => intervals.running().length === 0, 2000, 'the drip interval to stop').catch(
				() => {},
			);
			expect(intervals.started.length).toBeGreaterThanOrEqual(1);
			expect(intervals.running()).toEqual([]);
		} finally {
			intervals.restore();
		}
		expect((await push()).data.push_id).toBe('7478631');
	});

	it('rejects a bad interval', () => {
		expect(() => sb.addFault({ kind: 'drip', intervalMs: -1 })).toThrow('fault.intervalMs');
		expect(() => sb.addFault({ kind: 'drip', intervalMs: 2 ** 31 })).toThrow('fault.intervalMs');
	});
});

describe('raw fault', () => {
	const hostileToken = 'tok"\\$&é</x>';

	it('answers exactly the status and body, with $TOKEN and $TOKEN_JSON filled in body and headers', async () => {
		sb.addFault({
			kind: 'raw',
			status: 418,
			body: '{"status":100,"echo":"$TOKEN_JSON","raw":"$TOKEN","again":"$TOKEN_JSON$TOKEN"}',
			headers: { 'X-Echo': 'Bearer $TOKEN', 'x-json': '[$TOKEN_JSON]' },
		});
		const res = await push({ ...pushBody(), token: 'abc"d\\e$&' }, { raw: true });
		expect(res.status).toBe(418);
		expect(res.headers['content-type']).toBe('application/json');
		expect(res.data).toBe(
			'{"status":100,"echo":"abc\\"d\\\\e$&","raw":"abc"d\\e$&","again":"abc\\"d\\\\e$&abc"d\\e$&"}',
		);
		expect(res.headers['x-echo']).toBe('Bearer abc"d\\e$&');
		expect(res.headers['x-json']).toBe('[abc\\"d\\\\e$&]');
		expect(sb.acceptedPushes).toHaveLength(0);
		expect(sb.balance).toBe(1000);
	});

	it('$TOKEN_JSON makes a body that parses back to the token; missing and non-string tokens', async () => {
		sb.addFault({
			kind: 'raw',
			status: 200,
			body: '{"status":401,"message":"bad token $TOKEN_JSON"}',
			times: 3,
		});
		const res = await push({ ...pushBody(), token: hostileToken });
		expect(res.data).toEqual({ status: 401, message: `bad token ${hostileToken}` });
		const noToken = { ...pushBody(), token: undefined }; // JSON leaves the key out
		expect((await push(noToken)).data).toEqual({ status: 401, message: 'bad token ' });
		expect((await push({ ...pushBody(), token: 12345 })).data).toEqual({
			status: 401,
			message: 'bad token 12345',
		});
		expect((await push()).data.status).toBe(100);
	});

	it('process: true accepts the push, and the raw answer replaces the true one', async () => {
		sb.addFault({
			kind: 'raw',
			status: 503,
			body: 'Service Unavailable',
			contentType: 'text/plain',
			process: true,
		});
		const res = await push(undefined, { raw: true });
		expect(res.status).toBe(503);
		expect(res.headers['content-type']).toBe('text/plain');
		expect(res.data).toBe('Service Unavailable');
		expect(sb.acceptedPushes).toHaveLength(1);
		expect(sb.acceptedPushes[0]).toMatchObject({ push_id: '7478630', fault: 'raw' });
		expect(sb.balance).toBe(999.99);
	});

	it('sends a 3 MB body intact, with the token substituted and the right Content-Length', async () => {
		const filler = 'x'.repeat(1.5 * 1024 * 1024);
		sb.addFault({ kind: 'raw', status: 200, body: `${filler}$TOKEN${filler}` });
		const ex = await exchange(`${sb.url}/api/v2/push`, pushBody());
		const expected = `${filler}${TOKEN}${filler}`;
		expect(ex.complete).toBe(true);
		expect(ex.headers['content-length']).toBe(String(expected.length));
		expect(ex.body.length).toBe(expected.length);
		expect(ex.body === expected).toBe(true);
	});

	it('headers override the defaults (case-insensitively); Transfer-Encoding replaces Content-Length', async () => {
		sb.addFault({
			kind: 'raw',
			status: 200,
			body: '<html>hi</html>',
			headers: { 'Content-Type': 'text/html', 'Cache-Control': 'no-store' },
		});
		const res = await push(undefined, { raw: true });
		expect(res.headers['content-type']).toBe('text/html');
		expect(res.headers['cache-control']).toBe('no-store');
		expect(res.headers['content-length']).toBe('15');
		expect(res.data).toBe('<html>hi</html>');
		sb.addFault({
			kind: 'raw',
			status: 200,
			body: '{"status":100}',
			headers: { 'Transfer-Encoding': 'chunked' },
		});
		const chunked = await push();
		expect(chunked.headers['transfer-encoding']).toBe('chunked');
		expect(chunked.headers['content-length']).toBeUndefined();
		expect(chunked.data).toEqual({ status: 100 });
	});

	it('204 goes out without a body', async () => {
		sb.addFault({ kind: 'raw', status: 204, body: 'dropped' });
		const ex = await exchange(`${sb.url}/api/v2/push`, pushBody());
		expect(ex.status).toBe(204);
		expect(ex.body).toBe('');
		expect(ex.headers['content-length']).toBeUndefined();
		expect((await push()).data.status).toBe(100);
	});

	it('applies to check-balance and delivery-report, and over HTTP through POST /__sandbox/fault', async () => {
		const ctl = await client.post(`${sb.url}/__sandbox/fault`, [
			{
				kind: 'raw',
				status: 200,
				body: '{"status":100,"message":"Success","balance":"-5"}',
				endpoint: 'check-balance',
				permanent: true,
			},
			{
				kind: 'raw',
				status: 502,
				body: 'gateway for $TOKEN',
				contentType: 'text/plain',
				endpoint: 'delivery-report',
			},
			{ kind: 'drip', intervalMs: 1 },
			{ kind: 'redirect', status: 308, location: '/x' },
		]);
		expect(ctl.data).toEqual({ ok: true, queuedFaults: 3 });
		for (let i = 0; i < 2; i++)
			expect((await post('/api/v2/check-balance', { token: TOKEN })).data.balance).toBe('-5');
		const report = await post(
			'/api/v2/delivery-report',
			{ token: 'tt', push_id: '1' },
			{ raw: true },
		);
		expect([report.status, report.data]).toEqual([502, 'gateway for tt']);
		expect((await push()).data.push_id).toBe('7478630'); // the drip
		expect((await push(undefined, { maxRedirects: 0 })).status).toBe(308);
		expect((await push()).data.push_id).toBe('7478631');
	});

	it('rejects a 1xx or out-of-range status, a missing body and invalid headers, also over HTTP', async () => {
		expect(() => sb.addFault({ kind: 'raw', status: 101, body: '' })).toThrow(
			'fault.status 200..599',
		);
		expect(() => sb.addFault({ kind: 'raw', status: 600, body: '' })).toThrow(
			'fault.status 200..599',
		);
		expect(() => sb.addFault({ kind: 'raw', status: 200 } as unknown as Fault)).toThrow(
			'string fault.body',
		);
		expect(() =>
			sb.addFault({ kind: 'raw', status: 200, body: '', headers: { 'bad name': 'x' } }),
		).toThrow('not a valid HTTP header');
		expect(() =>
			sb.addFault({ kind: 'raw', status: 200, body: '', headers: { x: 'a\nb' } }),
		).toThrow('not a valid HTTP header');
		expect(() =>
			sb.addFault({ kind: 'raw', status: 200, body: '', headers: { x: 1 } } as unknown as Fault),
		).toThrow('must be a string');
		const bad = await client.post(`${sb.url}/__sandbox/fault`, {
			kind: 'raw',
			status: 99,
			body: '',
		});
		expect(bad.status).toBe(400);
		expect(bad.data.error).toContain('fault.status 200..599');
		expect((await push()).data.status).toBe(100);
	});
});

describe('rate limiting', () => {
	let clockSb: Sandbox;
	let now = 1_700_000_000_000;
	beforeAll(async () => {
		clockSb = await startSandbox({ rateLimitPerMinute: 2, now: () => now } as SandboxOptions);
	});
	afterAll(() => clockSb.close());

	const clockPush = () => client.post(`${clockSb.url}/api/v2/push`, pushBody());

	it('answers 429 with Retry-After over the sliding 60 s window and does not process', async () => {
		expect((await clockPush()).data.push_id).toBe('7478630');
		now += 10_000;
		expect((await clockPush()).data.push_id).toBe('7478631');
		now += 10_000;
		const limited = await clockPush();
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('40');
		expect(limited.data.status).toBe(429);
		expect(limited.data.message).toBe(
			'Too Many Requests: more than 2 push requests in 60 seconds; the request was dropped and not processed, retry after 40 s',
		);
		expect(clockSb.acceptedPushes).toHaveLength(2);
		expect(clockSb.balance).toBe(999.98);
		expect(clockSb.requests).toHaveLength(3);
		// other endpoints are not limited
		expect(
			(await client.post(`${clockSb.url}/api/v2/check-balance`, { token: TOKEN })).data.balance,
		).toBe('999.98');
		now += 39_999;
		expect((await clockPush()).headers['retry-after']).toBe('1');
		now += 1;
		expect((await clockPush()).data.push_id).toBe('7478632');
		const again = await clockPush();
		expect(again.status).toBe(429);
		expect(again.headers['retry-after']).toBe('10');
	});

	it('can be switched off and on live (pushes are still counted while off); reset() clears the window', async () => {
		clockSb.reset();
		clockSb.configure({ rateLimitPerMinute: null });
		for (let i = 0; i < 5; i++) expect((await clockPush()).data.status).toBe(100);
		clockSb.configure({ rateLimitPerMinute: 5 });
		const limited = await clockPush();
		expect(limited.status).toBe(429);
		expect(limited.headers['retry-after']).toBe('60');
		now += 60_000;
		expect((await clockPush()).data.push_id).toBe('7478635');
		clockSb.configure({ rateLimitPerMinute: 1 });
		expect((await clockPush()).status).toBe(429);
		clockSb.reset();
		expect((await clockPush()).data.push_id).toBe('7478630');
		expect((await clockPush()).status).toBe(429);
	});

	it('is off by default', async () => {
		for (let i = 0; i < 100; i++) expect((await push(pushBody([rows2[0]]))).status).toBe(200);
		expect(sb.acceptedPushes).toHaveLength(100);
		expect(sb.balance).toBe(999.5);
	});
});

describe('reset()', () => {
	it('clears requests, accepted pushes, faults, balance and id counters in place', async () => {
		const requests = sb.requests;
		const accepted = sb.acceptedPushes;
		sb.configure({ tokens: [TOKEN] });
		await push();
		await push();
		sb.addFault({ kind: 'http500' });
		sb.setFault({ kind: 'http502-html' });
		expect(sb.balance).toBe(999.98);
		sb.reset();
		expect(sb.requests).toBe(requests);
		expect(sb.acceptedPushes).toBe(accepted);
		expect(requests).toHaveLength(0);
		expect(accepted).toHaveLength(0);
		expect(sb.balance).toBe(1000);
		const res = await push();
		expect(res.data.push_id).toBe('7478630');
		expect(res.data.data[0].msg_id).toBe('9844217');
		expect(sb.requests[0].seq).toBe(1);
		// configuration (tokens) survives a reset
		expect((await push({ ...pushBody(), token: 'other' })).data.status).toBe(401);
	});

	it('honours firstPushId / firstMsgId / balance / creditPerMessage options', async () => {
		const other = await startSandbox({
			firstPushId: 1,
			firstMsgId: 500,
			balance: 2,
			creditPerMessage: '1',
		});
		try {
			const res = await client.post(`${other.url}/app/api/v2/push`, pushBody(rows3));
			expect(res.data).toEqual({ status: 403, message: 'Insufficient Balance' });
			const ok = await client.post(`${other.url}/app/api/v2/push`, pushBody());
			expect(ok.data).toEqual({
				status: 100,
				push_id: '1',
				message: 'Success',
				data: [
					{ msg_id: '500', number: '55123456789', credit: '1' },
					{ msg_id: '501', number: '919876543210', credit: '1' },
				],
			});
			expect(other.balance).toBe(0);
			other.reset();
			expect(other.balance).toBe(2);
		} finally {
			await other.close();
		}
	});
});

describe('control endpoints', () => {
	const ctl = (method: 'get' | 'post', p: string, body?: unknown) =>
		method === 'get'
			? client.get(`${sb.url}/__sandbox/${p}`)
			: client.post(`${sb.url}/__sandbox/${p}`, body);

	it('requests, state and accepted-pushes are readable and not recorded', async () => {
		await push();
		await post('/api/v2/check-balance', { token: TOKEN });
		const reqs = await ctl('get', 'requests');
		expect(reqs.status).toBe(200);
		expect(reqs.data).toHaveLength(2);
		expect(reqs.data[0]).toMatchObject({
			seq: 1,
			method: 'POST',
			path: '/api/v2/push',
			endpoint: 'push',
			rawBody: JSON.stringify(pushBody()),
		});
		expect(reqs.data[0].body).toEqual(pushBody());
		expect((await ctl('get', 'requests?since=1')).data.map((r: { seq: number }) => r.seq)).toEqual([
			2,
		]);
		expect(
			(await ctl('get', 'requests?endpoint=push')).data.map((r: { seq: number }) => r.seq),
		).toEqual([1]);
		const state = await ctl('get', 'state');
		expect(state.data).toEqual({
			balance: 999.99,
			pushes: 1,
			acceptedPushes: 1,
			droppedPushes: 0,
			requests: 2,
			queuedFaults: 0,
		});
		const acc = await ctl('get', 'accepted-pushes');
		expect(acc.data).toEqual([
			{
				push_id: '7478630',
				seq: 1,
				response: sb.acceptedPushes[0].response,
				fault: null,
				acceptedAt: sb.acceptedPushes[0].acceptedAt,
			},
		]);
		expect(sb.requests).toHaveLength(2);
	});

	it('fault, config, clear-faults and reset work remotely', async () => {
		expect((await ctl('post', 'fault', { kind: 'http500', times: 2 })).data).toEqual({
			ok: true,
			queuedFaults: 1,
		});
		expect((await push()).status).toBe(500);
		expect(
			(
				await ctl('post', 'fault', [
					{ kind: 'status', status: 101 },
					{ kind: 'http401', permanent: true },
				])
			).data.ok,
		).toBe(true);
		expect((await push()).status).toBe(500);
		expect((await push()).data).toEqual({ status: 101, message: 'Service Unavailable' });
		expect((await push()).status).toBe(401);
		expect((await push()).status).toBe(401);
		expect((await ctl('post', 'clear-faults')).data).toEqual({ ok: true, queuedFaults: 0 });
		expect((await push()).data.status).toBe(100);

		const cfg = await ctl('post', 'config', {
			tokens: ['only-this'],
			balance: '5',
			creditPerMessage: '0.5',
			rateLimitPerMinute: 'off',
		});
		expect(cfg.data).toMatchObject({ ok: true, balance: 5 });
		expect((await push()).data.status).toBe(401);
		const ok = await push({ ...pushBody(), token: 'only-this' });
		expect(ok.data.data[0].credit).toBe('0.5');
		expect(sb.balance).toBe(4);

		const reset = await ctl('post', 'reset');
		expect(reset.data).toEqual({
			ok: true,
			balance: 1000,
			pushes: 0,
			acceptedPushes: 0,
			droppedPushes: 0,
			requests: 0,
			queuedFaults: 0,
		});
		expect(sb.requests).toHaveLength(0);
	});

	it('rejects bad control input with HTTP 400 and unknown control paths with 404', async () => {
		const bad = await ctl('post', 'fault', { kind: 'explode' });
		expect(bad.status).toBe(400);
		expect(bad.data.ok).toBe(false);
		expect(bad.data.error).toContain('unknown fault kind "explode"');
		const badJson = await client.post(`${sb.url}/__sandbox/config`, '{nope', {
			headers: { 'content-type': 'application/json' },
		});
		expect(badJson.status).toBe(400);
		const badCfg = await ctl('post', 'config', { balance: 'lots' });
		expect(badCfg.status).toBe(400);
		expect(sb.balance).toBe(1000);
		expect((await ctl('get', 'nothing')).status).toBe(404);
		expect((await ctl('get', 'reset')).status).toBe(404);
		expect(sb.requests).toHaveLength(0);
	});
});

describe('keep-alive and close()', () => {
	it('serves many requests over one keep-alive socket', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		try {
			for (let i = 0; i < 5; i++) {
				const res = await client.post(`${sb.url}/api/v2/push`, pushBody(), { httpAgent: agent });
				expect(res.data.status).toBe(100);
			}
			expect(sb.requests.every((r) => r.headers.connection === 'keep-alive')).toBe(true);
		} finally {
			agent.destroy();
		}
	});

	it('close() destroys a socket held open by a timeout fault and pending delays', async () => {
		const hung = await startSandbox();
		hung.setFault({ kind: 'timeout' });
		hung.addFault({ kind: 'delay', ms: 60_000, endpoint: 'check-balance' });
		const body = JSON.stringify(pushBody());
		const outcome = (p: string) =>
			new Promise<string>((resolve) => {
				const req = http.request(
					`${hung.url}${p}`,
					{ method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
					(res) => {
						resolve(`response ${res.statusCode}`);
					},
				);
				req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
				req.end(body);
			});
		const pending = [outcome('/api/v2/push'), outcome('/api/v2/check-balance')];
		for (let i = 0; i < 100 && hung.requests.length < 2; i++) await sleep(10);
		expect(hung.requests).toHaveLength(2);
		const t0 = Date.now();
		await hung.close();
		expect(Date.now() - t0).toBeLessThan(1000);
		expect(await Promise.all(pending)).toEqual(['error ECONNRESET', 'error ECONNRESET']);
		await expect(hung.close()).resolves.toBeUndefined();
		await expectNetworkError(client.post(`${hung.url}/api/v2/push`, pushBody()));
	});
});

// ---------------------------------------------------------------------------------------------------------------
// Delivery statuses over time, the Event Webhook, incoming messages. Receivers are real node:http servers on
// 127.0.0.1 started by the tests; every sandbox made here is closed in afterEach, so leaks show under
// --detectOpenHandles.

interface Hit {
	path: string;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	at: number;
	/** When the receiver finished answering (null while it has not, or never will). */
	answeredAt: number | null;
}
/** How a receiver answers its n-th request (0-based): a status/body after an optional delay, or never ('hang'). */
type ReceiverAnswer =
	| { status?: number; body?: string; contentType?: string; delayMs?: number }
	| 'hang';

interface Receiver {
	url: (p?: string) => string;
	hits: Hit[];
	/** Requests whose connection closed before the receiver answered (the sandbox gave up or was reset). */
	aborted: () => number;
	close: () => Promise<void>;
}

const receivers: Receiver[] = [];
const extraSandboxes: Sandbox[] = [];

async function startReceiver(
	answer: (hit: Hit, n: number) => ReceiverAnswer = () => ({}),
): Promise<Receiver> {
	const hits: Hit[] = [];
	const sockets = new Set<import('node:net').Socket>();
	const timers = new Set<NodeJS.Timeout>();
	let aborted = 0;
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			let body: unknown;
			try {
				body = JSON.parse(raw);
			} catch {
				body = undefined;
			}
			const hit: Hit = {
				path: req.url || '',
				headers: req.headers,
				rawBody: raw,
				body,
				at: Date.now(),
				answeredAt: null,
			};
			hits.push(hit);
			const a = answer(hit, hits.length - 1);
			res.on('close', () => {
				if (!res.writableEnded) aborted++;
			});
			if (a === 'hang') return;
			const reply = () => {
				res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/json' });
				res.end(a.body ?? '{}', () => (hit.answeredAt = Date.now()));
			};
			if (a.delayMs) {
				const t = setTimeout(() => {
					timers.delete(t);
					reply();
				}, a.delayMs);
				timers.add(t);
			} else reply();
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const port = (server.address() as import('node:net').AddressInfo).port;
	const receiver: Receiver = {
		url: (p = '/webhook/pickyassist') => `http://127.0.0.1:${port}${p}`,
		hits,
		aborted: () => aborted,
		close: () =>
			new Promise<void>((resolve) => {
				for (const t of timers) clearTimeout(t);
				server.close(() => resolve());
				for (const s of sockets) s.destroy();
			}),
	};
	receivers.push(receiver);
	return receiver;
}

async function sandboxWith(options: SandboxOptions): Promise<Sandbox> {
	const s = await startSandbox(options);
	extraSandboxes.push(s);
	return s;
}

afterEach(async () => {
	await Promise.all(extraSandboxes.splice(0).map((s) => s.close()));
	await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
	const t0 = Date.now();
	while (!check()) {
		if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
	const s = http.createServer();
	await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
	const port = (s.address() as import('node:net').AddressInfo).port;
	await new Promise<void>((resolve) => s.close(() => resolve()));
	return port;
}

const rowsN = (n: number) =>
	Array.from({ length: n }, (_, i) => ({
		number: `5511${String(90000000 + i)}`,
		message: `Hi #${i}`,
	}));

async function pushTo(s: Sandbox, rows: unknown[] = rows2, extra: Record<string, unknown> = {}) {
	const res = await client.post(`${s.baseUrl()}/push`, pushBody(rows, extra));
	expect(res.data.status).toBe(100);
	return res.data as { push_id: string; data: Array<{ msg_id: string; number: string }> };
}

async function report(s: Sandbox, pushId: string) {
	return (await client.post(`${s.baseUrl()}/delivery-report`, { token: TOKEN, push_id: pushId }))
		.data;
}
const statusesOf = (r: { data: Array<{ msg_id: string; status: string; error_code: string }> }) =>
	r.data.map((e) => `${e.msg_id}:${e.status}${e.error_code ? `:${e.error_code}` : ''}`);

describe('delivery-report: statuses that move over time', () => {
	let t = 1_700_000_000_000;
	const clock = () => t;

	it('submitted until deliveredAfterMs, delivered, then read at readAfterMs, on the injected clock', async () => {
		const s = await sandboxWith({ now: clock, deliveredAfterMs: 60_000, readAfterMs: 120_000 });
		const p = await pushTo(s, rows3);
		expect(s.acceptedPushes[0].acceptedAt).toBe(t);
		const first = await report(s, p.push_id);
		expect(first).toMatchObject({
			project_id: '1001',
			push_id: Number(p.push_id),
			application: '8',
			message_type: '3',
		});
		expect(first).not.toHaveProperty('status');
		// 1_700_000_000_000 is 2023-11-14T22:13:20Z.
		expect(first.time).toBe('14-11-2023 10:13 PM');
		expect(statusesOf(first)).toEqual(['9844217:0', '9844218:0', '9844219:0']);
		expect(first.data.map((e: { number: string }) => e.number)).toEqual(rows3.map((r) => r.number));
		t += 59_999;
		expect(statusesOf(await report(s, p.push_id))).toEqual(['9844217:0', '9844218:0', '9844219:0']);
		t += 1;
		expect(statusesOf(await report(s, p.push_id))).toEqual(['9844217:1', '9844218:1', '9844219:1']);
		t += 59_999;
		expect(statusesOf(await report(s, p.push_id))).toEqual(['9844217:1', '9844218:1', '9844219:1']);
		t += 1;
		expect(statusesOf(await report(s, p.push_id))).toEqual(['9844217:3', '9844218:3', '9844219:3']);
		t += 86_400_000;
		expect(statusesOf(await report(s, p.push_id))).toEqual(['9844217:3', '9844218:3', '9844219:3']);
		expect(await report(s, '1')).toEqual({
			status: 410,
			message: 'Invalid Request: unknown push_id',
		});
	});

	it('defaults: delivered at once, never read; read is never before delivery', async () => {
		const s = await sandboxWith({ now: clock });
		const p = await pushTo(s);
		expect(statusesOf(await report(s, p.push_id))).toEqual(['9844217:1', '9844218:1']);
		t += 365 * 86_400_000;
		expect(statusesOf(await report(s, p.push_id))).toEqual(['9844217:1', '9844218:1']);
		s.configure({ deliveredAfterMs: 1000, readAfterMs: 10 });
		const q = await pushTo(s);
		expect(statusesOf(await report(s, q.push_id))).toEqual(['9844219:0', '9844220:0']);
		t += 999;
		expect(statusesOf(await report(s, q.push_id))).toEqual(['9844219:0', '9844220:0']);
		t += 1;
		expect(statusesOf(await report(s, q.push_id))).toEqual(['9844219:3', '9844220:3']);
	});

	it('settings apply to pushes accepted after they are set; each push keeps its own schedule', async () => {
		const s = await sandboxWith({ now: clock, deliveredAfterMs: 5000 });
		const slow = await pushTo(s);
		s.configure({ deliveredAfterMs: 0, failureShare: 1 });
		const failing = await pushTo(s);
		expect(statusesOf(await report(s, slow.push_id))).toEqual(['9844217:0', '9844218:0']);
		expect(statusesOf(await report(s, failing.push_id))).toEqual([
			'9844219:2:131026',
			'9844220:2:131026',
		]);
		t += 5000;
		expect(statusesOf(await report(s, slow.push_id))).toEqual(['9844217:1', '9844218:1']);
	});

	it('failureShare picks failing messages by msg_id, predictably; failed ones are never read', async () => {
		const s = await sandboxWith({
			now: clock,
			firstMsgId: 100,
			failureShare: 0.5,
			deliveredAfterMs: 10,
			readAfterMs: 20,
		});
		const p = await pushTo(s, rowsN(6));
		expect(statusesOf(await report(s, p.push_id))).toEqual([
			'100:0',
			'101:0',
			'102:0',
			'103:0',
			'104:0',
			'105:0',
		]);
		t += 10;
		expect(statusesOf(await report(s, p.push_id))).toEqual([
			'100:2:131026',
			'101:1',
			'102:2:131026',
			'103:1',
			'104:2:131026',
			'105:1',
		]);
		t += 10;
		expect(statusesOf(await report(s, p.push_id))).toEqual([
			'100:2:131026',
			'101:3',
			'102:2:131026',
			'103:3',
			'104:2:131026',
			'105:3',
		]);

		const failedIds = async (share: number, n: number) => {
			s.configure({ failureShare: share, deliveredAfterMs: 0, readAfterMs: null });
			const r = await report(s, (await pushTo(s, rowsN(n))).push_id);
			return r.data
				.filter((e: { status: string }) => e.status === '2')
				.map((e: { msg_id: string }) => Number(e.msg_id));
		};
		// msg_ids go on from 106: a share of 1/k fails exactly the msg_ids divisible by k
		expect(await failedIds(1 / 3, 9)).toEqual([108, 111, 114]);
		expect(await failedIds(0.25, 8)).toEqual([116, 120]);
		expect(await failedIds(0, 10)).toEqual([]);
		expect(await failedIds(1, 3)).toEqual([133, 134, 135]);
		// p of every q consecutive msg_ids: 0.1 over 1000 messages is exactly 100, 0.37 over 100 exactly 37
		expect(await failedIds(0.1, 1000)).toHaveLength(100);
		expect(await failedIds(0.37, 100)).toHaveLength(37);
	});

	it('refuses bad status settings, changing nothing', async () => {
		await expect(startSandbox({ failureShare: 1.5 })).rejects.toThrow(
			'failureShare must be a number from 0 to 1',
		);
		await expect(startSandbox({ deliveredAfterMs: -1 })).rejects.toThrow(
			'deliveredAfterMs must be a number of ms >= 0',
		);
		const s = await sandboxWith({ now: clock });
		const bads = [
			{ failureShare: -0.1 },
			{ failureShare: Number.NaN },
			{ failureShare: '0.5' },
			{ readAfterMs: Infinity },
			{ deliveredAfterMs: '10' },
		];
		for (const bad of bads) {
			expect(() => s.configure({ tokens: ['changed'], ...(bad as object) })).toThrow(RangeError);
		}
		expect((await client.post(`${s.baseUrl()}/push`, pushBody())).data.status).toBe(100); // tokens unchanged
		const remote = await client.post(`${s.url}/__sandbox/config`, { failureShare: 2 });
		expect(remote.status).toBe(400);
		expect(remote.data.error).toContain('failureShare');
	});

	it('answers the report of the right push among 200 pushes of 500 messages each', async () => {
		const s = await sandboxWith({
			now: clock,
			balance: 1e9,
			failureShare: 0.1,
			deliveredAfterMs: 100,
			readAfterMs: 200,
		});
		const ids: string[] = [];
		const rows = rowsN(500);
		for (let i = 0; i < 200; i++) ids.push((await pushTo(s, rows)).push_id);
		t += 150;
		const reports = [];
		for (const id of [...ids].reverse()) reports.push(await report(s, id));
		expect(reports.every((r) => r.data.length === 500)).toBe(true);
		expect(
			reports.reduce(
				(n, r) => n + r.data.filter((e: { status: string }) => e.status === '2').length,
				0,
			),
		).toBe(10_000);
		expect(reports.map((r) => r.push_id)).toEqual([...ids].reverse().map(Number));
	}, 60_000);
});

describe('Event Webhook (delivery-status events)', () => {
	it('posts submitted → delivered → read in order, one POST per step with every message of the push', async () => {
		const rx = await startReceiver();
		const s = await sandboxWith({
			eventWebhookUrl: rx.url('/webhook/abc?secret=s3cr3t'),
			readAfterMs: 0,
			failureShare: 0.5,
			firstMsgId: 100,
			eventDelaysMs: { submitted: 10, delivered: 30, read: 50 },
		});
		const rows = [
			{ number: '55123456789', message: 'Hi Ana', reference_number: 'ref-ana' },
			{ number: '919876543210', message: '' },
			{ number: '4915112345678', message: 'Hallo Jan' },
		];
		const p = await pushTo(s, rows, {
			globalmessage: 'Hello all',
			reference_number: 'batch-7',
			application: '101',
		});
		await until(() => rx.hits.length >= 3 && s.pendingWebhooks === 0, 5000, 'three events');
		await sleep(100);
		expect(rx.hits).toHaveLength(3);
		expect(rx.hits.every((h) => h.path === '/webhook/abc?secret=s3cr3t')).toBe(true);
		expect(rx.hits.every((h) => h.headers['content-type'] === 'application/json')).toBe(true);
		const entry = (i: number, status: string, error_message = '') => ({
			push_id: p.push_id,
			msg_id: String(100 + i),
			number: rows[i].number,
			status,
			reference_number: i === 0 ? 'ref-ana' : 'batch-7',
			error_message,
			message: i === 1 ? 'Hello all' : rows[i].message,
			message_type: 'text',
			channel_id: '101',
		});
		const undeliverable = 'Message Undeliverable';
		expect(rx.hits.map((h) => h.body)).toEqual([
			{ project_id: '1001', event_id: '1', data: [entry(0, '4'), entry(1, '4'), entry(2, '4')] },
			{
				project_id: '1001',
				event_id: '1',
				data: [entry(0, '2', undeliverable), entry(1, '1'), entry(2, '2', undeliverable)],
			},
			{ project_id: '1001', event_id: '1', data: [entry(1, '3')] },
		]);
		expect(rx.hits[0].at).toBeLessThanOrEqual(rx.hits[1].at);
		expect(rx.hits[1].at).toBeLessThanOrEqual(rx.hits[2].at);
		expect(
			s.webhookDeliveries.map((d) => [
				d.seq,
				d.kind,
				d.source,
				d.push_id,
				d.step,
				d.attempt,
				d.status,
				d.error,
				d.retryInMs,
			]),
		).toEqual([
			[1, 'event', 'push', p.push_id, 'submitted', 1, 200, null, null],
			[2, 'event', 'push', p.push_id, 'delivered', 1, 200, null, null],
			[3, 'event', 'push', p.push_id, 'read', 1, 200, null, null],
		]);
		const d = s.webhookDeliveries[1];
		expect(d.url).toBe(rx.url('/webhook/abc?secret=s3cr3t'));
		expect(d.body).toEqual(rx.hits[1].body);
		expect(d.responseText).toBe('{}');
		expect(d.finishedAt).toBeGreaterThanOrEqual(d.sentAt);
	});

	it('without readAfterMs there is no read event; each push gets its own POSTs; refused pushes none', async () => {
		const rx = await startReceiver();
		const s = await sandboxWith({
			eventWebhookUrl: rx.url(),
			eventDelaysMs: { submitted: 0, delivered: 0 },
			tokens: [TOKEN],
		});
		const a = await pushTo(s, [rows2[0]]);
		const b = await pushTo(s, [rows2[1]]);
		expect(
			(await client.post(`${s.baseUrl()}/push`, { ...pushBody(), token: 'wrong' })).data.status,
		).toBe(401);
		await until(() => rx.hits.length >= 4 && s.pendingWebhooks === 0, 5000, 'four events');
		await sleep(200);
		expect(rx.hits).toHaveLength(4);
		const seen = rx.hits.map(
			(h) =>
				`${h.body.data[0].push_id}:${h.body.data.map((e: { status: string }) => e.status).join(',')}`,
		);
		expect(seen.filter((x) => x.startsWith(a.push_id))).toEqual([
			`${a.push_id}:4`,
			`${a.push_id}:1`,
		]);
		expect(seen.filter((x) => x.startsWith(b.push_id))).toEqual([
			`${b.push_id}:4`,
			`${b.push_id}:1`,
		]);
	});

	it('keeps the order even when the receiver is slow or the delays are out of order', async () => {
		const rx = await startReceiver((_hit, n) => (n === 0 ? { delayMs: 300 } : {}));
		const s = await sandboxWith({
			eventWebhookUrl: rx.url(),
			readAfterMs: 0,
			eventDelaysMs: { submitted: 40, delivered: 0, read: 0 },
		});
		await pushTo(s);
		await until(() => rx.hits.length >= 3, 5000, 'three events');
		expect(rx.hits.map((h) => h.body.data[0].status)).toEqual(['4', '1', '3']);
		// delivered was due long before, but waited for submitted's answer (300 ms late)
		expect(rx.hits[1].at - rx.hits[0].at).toBeGreaterThanOrEqual(290);
	});

	it('posts nothing when no Event Webhook URL is set, and only for pushes accepted after it is set', async () => {
		const rx = await startReceiver();
		const s = await sandboxWith({ eventDelaysMs: { submitted: 0, delivered: 0 } });
		await pushTo(s);
		expect(s.pendingWebhooks).toBe(0);
		s.configure({ eventWebhookUrl: rx.url() });
		const later = await pushTo(s);
		await until(() => rx.hits.length >= 2 && s.pendingWebhooks === 0, 5000, 'two events');
		await sleep(100);
		expect(rx.hits.map((h) => h.body.data[0].push_id)).toEqual([later.push_id, later.push_id]);
		s.configure({ eventWebhookUrl: null });
		await pushTo(s);
		await sleep(150);
		expect(rx.hits).toHaveLength(2);
		expect(s.webhookDeliveries).toHaveLength(2);
	});

	it('a receiver answering 500 gets the same POST again after each retry delay, then it is dropped', async () => {
		const rx = await startReceiver(() => ({ status: 500, body: 'oops' }));
		const s = await sandboxWith({
			eventWebhookUrl: rx.url(),
			eventDelaysMs: { submitted: 0, delivered: 0 },
			eventRetryDelaysMs: [50, 150],
		});
		await pushTo(s);
		await until(() => rx.hits.length >= 6 && s.pendingWebhooks === 0, 5000, 'six attempts');
		await sleep(400); // well past the last retry delay: nothing more comes
		expect(rx.hits).toHaveLength(6);
		expect(s.pendingWebhooks).toBe(0);
		const byStep = (step: string) => s.webhookDeliveries.filter((d) => d.step === step);
		for (const step of ['submitted', 'delivered']) {
			const attempts = byStep(step);
			expect(attempts.map((d) => [d.attempt, d.status, d.retryInMs, d.responseText])).toEqual([
				[1, 500, 50, 'oops'],
				[2, 500, 150, 'oops'],
				[3, 500, null, 'oops'],
			]);
			expect(attempts[1].body).toEqual(attempts[0].body);
			expect(attempts[2].body).toEqual(attempts[0].body);
			expect(attempts[1].sentAt - (attempts[0].finishedAt as number)).toBeGreaterThanOrEqual(45);
			expect(attempts[2].sentAt - (attempts[1].finishedAt as number)).toBeGreaterThanOrEqual(145);
		}
		const statuses = rx.hits.map((h) => h.body.data[0].status);
		expect(statuses.filter((x) => x === '4')).toHaveLength(3);
		expect(statuses.filter((x) => x === '1')).toHaveLength(3);
	});

	it('stops retrying once a retry gets 200; only 200 counts (204 is retried)', async () => {
		const rx = await startReceiver((_hit, n) => (n === 0 ? { status: 204, body: '' } : {}));
		const s = await sandboxWith({
			eventWebhookUrl: rx.url(),
			eventDelaysMs: { submitted: 0, delivered: 0 },
			eventRetryDelaysMs: [20, 20, 20],
		});
		await pushTo(s, [rows2[0]]);
		await until(() => rx.hits.length >= 3 && s.pendingWebhooks === 0, 5000, 'three posts');
		await sleep(150);
		// a step's retries do not hold up the next step, so attempts of both steps may interleave
		expect(s.webhookDeliveries.map((d) => `${d.step}#${d.attempt}:${d.status}`).sort()).toEqual([
			'delivered#1:200',
			'submitted#1:204',
			'submitted#2:200',
		]);
	});

	it('an unreachable or hanging receiver: the error is recorded, retried, then dropped; attempts have a time limit', async () => {
		const port = await closedPort();
		const s = await sandboxWith({
			eventWebhookUrl: `http://127.0.0.1:${port}/hook`,
			eventDelaysMs: { submitted: 0, delivered: 0 },
			eventRetryDelaysMs: [10],
		});
		await pushTo(s, [rows2[0]]);
		await until(
			() => s.webhookDeliveries.length >= 4 && s.pendingWebhooks === 0,
			5000,
			'four attempts',
		);
		expect(s.webhookDeliveries.map((d) => `${d.step}#${d.attempt}:${d.status}`).sort()).toEqual([
			'delivered#1:null',
			'delivered#2:null',
			'submitted#1:null',
			'submitted#2:null',
		]);
		expect(s.webhookDeliveries.every((d) => /ECONNREFUSED/.test(d.error || ''))).toBe(true);

		const hang = await startReceiver(() => 'hang');
		s.reset();
		s.configure({ eventWebhookUrl: hang.url(), webhookTimeoutMs: 150, eventRetryDelaysMs: [] });
		await pushTo(s, [rows2[0]]);
		await until(
			() => s.webhookDeliveries.length >= 2 && s.pendingWebhooks === 0,
			5000,
			'two timed-out attempts',
		);
		for (const d of s.webhookDeliveries) {
			expect(d.status).toBeNull();
			expect(d.error).toMatch(/^timeout: no complete answer within 150 ms$/);
			expect((d.finishedAt as number) - d.sentAt).toBeGreaterThanOrEqual(140);
			expect((d.finishedAt as number) - d.sentAt).toBeLessThan(2000);
		}
		await until(() => hang.aborted() === 2, 2000, 'the receiver to see both requests dropped');
	});

	it('refuses non-loopback and otherwise unusable webhook URLs, naming the host but never the query', async () => {
		await expect(startSandbox({ eventWebhookUrl: 'http://example.com/hook' })).rejects.toThrow(
			'refusing eventWebhookUrl on host "example.com": the sandbox only posts to loopback addresses',
		);
		await expect(startSandbox({ incomingWebhookUrl: 'http://10.0.0.8:5678/hook' })).rejects.toThrow(
			'refusing incomingWebhookUrl on host "10.0.0.8"',
		);
		const s = await sandboxWith({});
		const bad: unknown[] = [
			42,
			'http://192.168.1.10:5678/webhook/x?secret=TOPSECRET',
			'http://127.0.0.1.nip.io/x',
			'http://[::2]/x',
			'http://0.0.0.0:5678/x',
			'https://127.0.0.1/x',
			'ftp://127.0.0.1/x',
			'http://user:pw@127.0.0.1/x',
			'not a url',
		];
		for (const url of bad) {
			let message = '';
			try {
				s.configure({ eventWebhookUrl: url as string, tokens: ['changed'] });
			} catch (err) {
				message = (err as Error).message;
			}
			expect(message).not.toBe('');
			expect(message).not.toContain('TOPSECRET');
		}
		expect((await client.post(`${s.baseUrl()}/push`, pushBody())).data.status).toBe(100); // nothing changed
		await expect(s.postEvent({ event_id: '1', data: [] }, 'http://example.com/x')).rejects.toThrow(
			'refusing url on host "example.com"',
		);
		await expect(
			s.sendIncomingMessage({ number: '1', text: 'x' }, 'http://[2001:db8::1]/x'),
		).rejects.toThrow('refusing url');
		await expect(s.postEvent({ event_id: '1', data: [] })).rejects.toThrow(
			'no URL: pass one or set eventWebhookUrl',
		);
		await expect(s.sendIncomingMessage({ number: '1', text: 'x' })).rejects.toThrow(
			'no URL: pass one or set incomingWebhookUrl',
		);
		expect(s.webhookDeliveries).toHaveLength(0);
		const remote = await client.post(`${s.url}/__sandbox/config`, {
			eventWebhookUrl: 'http://example.org/x',
		});
		expect(remote.status).toBe(400);
		expect(remote.data.error).toContain('refusing eventWebhookUrl on host "example.org"');
		// loopback forms that are fine
		for (const ok of [
			'http://127.0.0.1:1/x',
			'http://127.8.9.10/x?secret=a',
			'http://localhost:5678/webhook/y',
			'http://[::1]:5678/z',
		]) {
			expect(() => s.configure({ eventWebhookUrl: ok })).not.toThrow();
		}
	});

	it('validates eventDelaysMs, eventRetryDelaysMs and webhookTimeoutMs', async () => {
		const s = await sandboxWith({});
		expect(() => s.configure({ eventDelaysMs: { sent: 5 } as never })).toThrow(
			'eventDelaysMs: unknown step "sent"',
		);
		expect(() => s.configure({ eventDelaysMs: { read: -1 } })).toThrow(
			'eventDelaysMs.read must be a number of ms >= 0',
		);
		expect(() => s.configure({ eventRetryDelaysMs: [10, -5] })).toThrow('eventRetryDelaysMs[1]');
		expect(() => s.configure({ eventRetryDelaysMs: 100 as never })).toThrow(
			'eventRetryDelaysMs must be an array',
		);
		expect(() => s.configure({ webhookTimeoutMs: 0 })).toThrow('webhookTimeoutMs must be > 0');
		expect(() =>
			s.configure({ eventDelaysMs: null, eventRetryDelaysMs: [], webhookTimeoutMs: 100 }),
		).not.toThrow();
	});
});

describe('posting on demand: postEvent() and sendIncomingMessage()', () => {
	it('sendIncomingMessage posts the Global Webhook shape and returns the instant reply', async () => {
		const reply = JSON.stringify({ 'message-out': 'Thanks, Raj!', delay: 0 });
		const rx = await startReceiver(() => ({ body: reply }));
		const s = await sandboxWith({});
		const text = 'Hi, is 50% off & free?\nYes 🙂 1+1 ~ (ok)';
		const answer = await s.sendIncomingMessage(
			{ number: '919876543210', name: 'Raj', text, contextMsgId: 'wamid.HBg', application: 101 },
			rx.url('/webhook/in?secret=abc'),
		);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ 'message-out': 'Thanks, Raj!', delay: 0 });
		expect(answer.text).toBe(reply);
		expect(answer.headers['content-type']).toBe('application/json');
		expect(rx.hits).toHaveLength(1);
		expect(rx.hits[0].path).toBe('/webhook/in?secret=abc');
		expect(rx.hits[0].headers['content-type']).toBe('application/json');
		expect(rx.hits[0].body).toEqual({
			number: '919876543210',
			name: 'Raj',
			messenger_id: '',
			'message-in': 'Hi%2C+is+50%25+off+%26+free%3F%0AYes+%F0%9F%99%82+1%2B1+%7E+%28ok%29',
			message_in_raw: text,
			application: '101',
			direction: '0',
			'group-id': '',
			'group-mentions': '',
			'context-msg-id': 'wamid.HBg',
			'unique-id': expect.stringMatching(/^[0-9a-f]{16}$/),
		});
		expect(decodeURIComponent(rx.hits[0].body['message-in'].replace(/\+/g, ' '))).toBe(text);
		expect(
			s.webhookDeliveries.map((d) => [d.kind, d.source, d.attempt, d.status, d.push_id]),
		).toEqual([['incoming', 'demand', 1, 200, null]]);
		expect(s.webhookDeliveries[0].body).toEqual(rx.hits[0].body);
	});

	it('uses incomingWebhookUrl by default; message-in holds the first 2,500 characters; extra fields; no retry', async () => {
		const rx = await startReceiver((_hit, n) =>
			n === 0
				? { status: 500, body: 'down', contentType: 'text/plain' }
				: { body: 'not json', contentType: 'text/plain' },
		);
		const s = await sandboxWith({ incomingWebhookUrl: rx.url('/in') });
		const long = 'é'.repeat(2499) + '🙂' + 'x'.repeat(100);
		const failed = await s.sendIncomingMessage({
			number: 'Group @Ana',
			text: long,
			groupId: 'g-1',
			extra: { media_url: 'http://127.0.0.1/a.jpg' },
		});
		expect(failed).toMatchObject({ status: 500, body: 'down', text: 'down' });
		const sent = rx.hits[0].body;
		expect(rx.hits[0].path).toBe('/in');
		expect(sent.number).toBe('Group @Ana');
		expect(sent['group-id']).toBe('g-1');
		expect(sent.media_url).toBe('http://127.0.0.1/a.jpg');
		expect(sent.message_in_raw).toBe(long);
		expect(decodeURIComponent(sent['message-in'].replace(/\+/g, ' '))).toBe(
			'é'.repeat(2499) + '🙂',
		);
		expect((await s.sendIncomingMessage({ number: '1', text: '' })).body).toBe('not json');
		await sleep(100);
		expect(rx.hits).toHaveLength(2); // the 500 was not retried
		expect(s.webhookDeliveries.map((d) => d.status)).toEqual([500, 200]);
		await expect(s.sendIncomingMessage({ text: 'x' } as never)).rejects.toThrow(
			'incoming message: number is required',
		);
		await expect(s.sendIncomingMessage({ number: '1', text: 5 } as never)).rejects.toThrow(
			'text must be a string',
		);
	});

	it('postEvent re-sends an identical event (as a de-duplication test needs); a string is sent verbatim', async () => {
		const rx = await startReceiver();
		const s = await sandboxWith({ eventWebhookUrl: rx.url('/ev?secret=x') });
		const event = {
			project_id: '1001',
			event_id: '1',
			data: [
				{
					push_id: '1',
					msg_id: '9',
					number: '55123456789',
					status: '1',
					reference_number: '',
					error_message: '',
					message: 'a',
					message_type: 'text',
					channel_id: '8',
				},
			],
		};
		expect((await s.postEvent(event)).status).toBe(200);
		expect((await s.postEvent(event)).status).toBe(200);
		await s.postEvent('{"event_id":"2","data":[', rx.url('/raw'));
		expect(rx.hits.map((h) => h.path)).toEqual(['/ev?secret=x', '/ev?secret=x', '/raw']);
		expect(rx.hits[0].rawBody).toBe(JSON.stringify(event));
		expect(rx.hits[1].rawBody).toBe(rx.hits[0].rawBody);
		expect(rx.hits[2].rawBody).toBe('{"event_id":"2","data":[');
		expect(s.webhookDeliveries.map((d) => [d.seq, d.kind, d.source])).toEqual([
			[1, 'event', 'demand'],
			[2, 'event', 'demand'],
			[3, 'event', 'demand'],
		]);
		const port = await closedPort();
		await expect(s.postEvent(event, `http://127.0.0.1:${port}/x`)).rejects.toBeInstanceOf(
			WebhookSendError,
		);
		expect(s.webhookDeliveries[3].error).toMatch(/ECONNREFUSED/);
	});

	it('is reachable through the control API: /__sandbox/incoming, /__sandbox/event, /__sandbox/webhooks', async () => {
		const rx = await startReceiver((hit) => ({
			body: JSON.stringify({ 'message-out': `echo ${hit.body?.message_in_raw ?? ''}` }),
		}));
		const s = await sandboxWith({ incomingWebhookUrl: rx.url('/in') });
		const ctl = (p: string, body?: unknown) =>
			body === undefined
				? client.get(`${s.url}/__sandbox/${p}`)
				: client.post(`${s.url}/__sandbox/${p}`, body);
		const incoming = await ctl('incoming', {
			number: '55123456789',
			name: 'Ana',
			text: 'hello there',
		});
		expect(incoming.status).toBe(200);
		expect(incoming.data).toMatchObject({
			ok: true,
			status: 200,
			body: { 'message-out': 'echo hello there' },
		});
		expect(rx.hits[0].body['message-in']).toBe('hello+there');
		expect(rx.hits[0].body).not.toHaveProperty('url');
		const ev = await ctl('event', {
			payload: { event_id: '4', data: [{ number: '1' }], url: 'kept' },
			url: rx.url('/ev'),
		});
		expect(ev.data).toMatchObject({ ok: true, status: 200 });
		expect(rx.hits[1]).toMatchObject({
			path: '/ev',
			body: { event_id: '4', data: [{ number: '1' }], url: 'kept' },
		});
		const list = await ctl('webhooks');
		expect(list.data.map((d: { seq: number; kind: string }) => [d.seq, d.kind])).toEqual([
			[1, 'incoming'],
			[2, 'event'],
		]);
		expect((await ctl('webhooks?since=1')).data.map((d: { seq: number }) => d.seq)).toEqual([2]);
		expect((await ctl('webhooks?kind=incoming')).data.map((d: { seq: number }) => d.seq)).toEqual([
			1,
		]);
		expect((await ctl('event', { event_id: '1' })).status).toBe(400);
		expect((await ctl('event', { payload: {}, url: 'http://example.com/' })).status).toBe(400);
		expect((await ctl('incoming', { text: 'no number' })).status).toBe(400);
		const port = await closedPort();
		const unreachable = await ctl('incoming', {
			number: '1',
			text: 'x',
			url: `http://127.0.0.1:${port}/in`,
		});
		expect(unreachable.status).toBe(502);
		expect(unreachable.data.error).toMatch(/ECONNREFUSED/);
		// config over HTTP sets the Event Webhook; the events then arrive
		expect(
			(
				await ctl('config', {
					eventWebhookUrl: rx.url('/events'),
					eventDelaysMs: { submitted: 0, delivered: 0 },
				})
			).status,
		).toBe(200);
		await pushTo(s);
		await until(() => rx.hits.filter((h) => h.path === '/events').length === 2, 5000, 'two events');
		expect(s.requests).toHaveLength(1); // control calls are not recorded as API requests
	});
});

describe('webhooks: reset() and close() leave nothing pending', () => {
	it('reset() cancels scheduled events, retries and in-flight requests, and clears the record in place', async () => {
		const rx = await startReceiver((_hit, n) => (n === 0 ? 'hang' : {}));
		const s = await sandboxWith({
			eventWebhookUrl: rx.url(),
			eventDelaysMs: { submitted: 0, delivered: 60_000 },
			eventRetryDelaysMs: [60_000],
		});
		const record = s.webhookDeliveries;
		await pushTo(s);
		await until(() => rx.hits.length === 1, 5000, 'the first event');
		const onDemand = s.postEvent({ event_id: '1', data: [] }, rx.url('/demand')); // answered at once
		await expect(onDemand).resolves.toMatchObject({ status: 200 });
		expect(s.pendingWebhooks).toBeGreaterThan(0); // the hanging request, its timeout and nothing else yet
		s.reset();
		expect(s.pendingWebhooks).toBe(0);
		expect(s.webhookDeliveries).toBe(record);
		expect(record).toHaveLength(0);
		await until(() => rx.aborted() === 1, 2000, 'the hanging request to be dropped');
		await sleep(100);
		expect(rx.hits).toHaveLength(2);
		expect(s.webhookDeliveries).toHaveLength(0);

		// a retry waiting after a 500 is cancelled too
		const failing = await startReceiver(() => ({ status: 500 }));
		s.configure({ eventWebhookUrl: failing.url(), eventDelaysMs: { submitted: 0 } });
		await pushTo(s);
		await until(
			() => s.webhookDeliveries.some((d) => d.retryInMs === 60_000),
			5000,
			'a retry to be scheduled',
		);
		s.reset();
		expect(s.pendingWebhooks).toBe(0);
		const hang = await startReceiver(() => 'hang');
		const inFlight = s.postEvent({ x: 1 }, hang.url());
		await until(() => hang.hits.length === 1, 2000, 'the on-demand post');
		s.reset();
		await expect(inFlight).rejects.toThrow('cancelled');
	});

	it('close() cancels every webhook timer and request; nothing is posted afterwards', async () => {
		const rx = await startReceiver(() => 'hang');
		const s = await startSandbox({
			eventWebhookUrl: rx.url(),
			eventDelaysMs: { submitted: 0, delivered: 200 },
		});
		await pushTo(s);
		await until(() => rx.hits.length === 1, 5000, 'the first event');
		const inFlight = s.postEvent({ x: 1 }, rx.url('/demand'));
		await until(() => rx.hits.length === 2, 2000, 'the on-demand post');
		expect(s.pendingWebhooks).toBeGreaterThan(0);
		await s.close();
		expect(s.pendingWebhooks).toBe(0);
		await expect(inFlight).rejects.toThrow('cancelled');
		await until(() => rx.aborted() === 2, 2000, 'both requests to be dropped');
		await sleep(300); // past the delivered event's time
		expect(rx.hits).toHaveLength(2);
		await expect(s.postEvent({ x: 1 }, rx.url())).rejects.toThrow('the sandbox is closed');
	});
});

describe('cli', () => {
	// The same way `npm run sandbox` starts it: tsx's CLI, which relays SIGINT / SIGTERM to the sandbox process.
	const cli = path.join(__dirname, '..', 'sandbox', 'cli.ts');
	const tsxCli = require.resolve('tsx/cli');

	function run(args: string[]) {
		const child = spawn(process.execPath, [tsxCli, cli, ...args], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let errOut = '';
		child.stdout.on('data', (c) => (out += c));
		child.stderr.on('data', (c) => (errOut += c));
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		return { child, out: () => out, err: () => errOut, exited };
	}

	async function waitFor(check: () => boolean, ms = 5000) {
		const t0 = Date.now();
		while (!check()) {
			if (Date.now() - t0 > ms) throw new Error('timed out');
			await sleep(20);
		}
	}

	it('prints the Custom URLs, one masked line per request, and exits cleanly on SIGTERM', async () => {
		const secret = 'cli-secret-token-XYZ';
		const p = run(['--port', '0', '--token', secret, '--balance', '10', '--rate-limit', 'off']);
		await waitFor(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(p.out()));
		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())![1];
		expect(p.out()).toContain(`  ${url}/api/v2 `);
		expect(p.out()).toContain(`  ${url}/app/api/v2 `);
		expect(p.out()).toContain('Tokens: 1 token accepted (not shown)');
		expect(p.out()).toContain('Balance: 10 credits, 0.005 per message; rate limit: off');
		const res = await client.post(`${url}/api/v2/push`, { ...pushBody(), token: secret });
		expect(res.data.push_id).toBe('7478630');
		await waitFor(() => p.out().includes('push_id=7478630'));
		expect(p.out()).toMatch(
			/\n\d\d:\d\d:\d\d\.\d{3} #1 POST \/api\/v2\/push 200 status=100 push_id=7478630 rows=2 token=\*\*\*\n/,
		);
		expect(p.out()).not.toContain(secret);
		p.child.kill('SIGTERM');
		expect(await p.exited).toBe(0);
		expect(p.out()).toContain('SIGTERM received, stopping.');
	});

	it('exits on SIGINT, and --quiet suppresses request lines', async () => {
		const p = run(['--port', '0', '--quiet']);
		await waitFor(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(p.out()));
		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())![1];
		expect(p.out()).toContain('Tokens: any non-empty token is accepted');
		expect(p.out()).toContain('rate limit: 90 push requests per minute');
		await client.post(`${url}/api/v2/push`, pushBody());
		p.child.kill('SIGINT');
		expect(await p.exited).toBe(0);
		expect(p.out()).not.toContain('POST /api/v2/push');
	});

	it('refuses a non-loopback --host and bad options', async () => {
		const p = run(['--host', '0.0.0.0']);
		expect(await p.exited).toBe(2);
		expect(p.err()).toContain('refusing --host "0.0.0.0"');
		expect(p.out()).toBe('');
		const q = run(['--rate-limit', 'fast']);
		expect(await q.exited).toBe(2);
		expect(q.err()).toContain('invalid --rate-limit "fast"');
	});

	it('--event-webhook-url and the status flags: events reach a loopback receiver; URL queries are masked', async () => {
		const rx = await startReceiver((hit) => ({
			body: hit.path.startsWith('/in') ? '{"message-out":"ok"}' : '{}',
		}));
		const p = run([
			'--port',
			'0',
			'--rate-limit',
			'off',
			'--event-webhook-url',
			rx.url('/hook?secret=cli-hook-secret'),
			'--incoming-webhook-url',
			rx.url('/in?secret=cli-in-secret'),
			'--delivered-after-ms',
			'0',
			'--read-after-ms',
			'0',
			'--failure-share',
			'0.5',
		]);
		await waitFor(() => /listening on http:\/\/127\.0\.0\.1:\d+/.test(p.out()));
		const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())![1];
		expect(p.out()).toContain(
			`Event webhook: ${rx.url('/hook')}?***   Incoming webhook: ${rx.url('/in')}?***`,
		);
		expect(p.out()).toContain('Statuses: delivered after 0 ms, read after 0 ms, failure share 0.5');
		expect((await client.post(`${url}/api/v2/push`, pushBody())).data.push_id).toBe('7478630');
		await waitFor(() => rx.hits.length >= 3);
		// msg_ids 9844217 (odd: delivered, then read) and 9844218 (even: fails at a share of 0.5)
		expect(
			rx.hits.map((h) => h.body.data.map((e: { status: string }) => e.status).join(',')),
		).toEqual(['4,4', '1,2', '3']);
		const reply = await client.post(`${url}/__sandbox/incoming`, {
			number: '55123456789',
			text: 'hi',
		});
		expect(reply.data).toMatchObject({ ok: true, status: 200, body: { 'message-out': 'ok' } });
		await waitFor(() => p.out().includes('webhook incoming attempt=1'));
		const readLine =
			/\n\d\d:\d\d:\d\d\.\d{3} webhook event push_id=7478630 step=read attempt=1 POST http:\/\/127\.0\.0\.1:\d+\/hook\?\*\*\* 200\n/;
		expect(p.out()).toMatch(readLine);
		expect(p.out()).not.toContain('cli-hook-secret');
		expect(p.out()).not.toContain('cli-in-secret');
		p.child.kill('SIGTERM');
		expect(await p.exited).toBe(0);
	});

	it('refuses a non-loopback webhook URL and bad status flags', async () => {
		const p = run(['--event-webhook-url', 'http://example.com/hook?secret=abc']);
		expect(await p.exited).toBe(2);
		expect(p.err()).toContain('refusing --event-webhook-url on host "example.com"');
		expect(p.err()).not.toContain('secret=abc');
		const q = run(['--failure-share', '2']);
		expect(await q.exited).toBe(2);
		expect(q.err()).toContain('invalid --failure-share "2"');
		const r = run(['--delivered-after-ms', 'soon']);
		expect(await r.exited).toBe(2);
		expect(r.err()).toContain('invalid --delivered-after-ms "soon"');
	});
});
