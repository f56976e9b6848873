/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import axios, { AxiosError } from 'axios';
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { NodeApiError as NodeApiErrorV1 } from 'n8n-workflow-v1';

import {
	classifyPushResponse,
	isCertainlyNotSent,
	networkErrorCode,
	parseRetryAfter,
} from '../../nodes/PickyAssist/helpers/apiResponse';
import { redact } from '../../nodes/PickyAssist/helpers/redaction';

/** The transport hands the classifier the answer as text; these tests write most bodies as objects. */
function classify(httpStatus: number, body: unknown, retryAfter: unknown, now: number) {
	return classifyPushResponse(
		httpStatus,
		typeof body === 'string' ? body : (JSON.stringify(body) ?? ''),
		retryAfter,
		now,
	);
}

const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

const successBody = {
	status: 100,
	push_id: '7478630',
	message: 'Success',
	data: [
		{ msg_id: '9844217', number: '934343442290', credit: '0.005' },
		{ msg_id: '9844218', number: '35435304220', credit: '0.005' },
	],
};

describe('classifyPushResponse: accepted', () => {
	it('HTTP 200 + status 100 (the documented sample) → accepted with push_id and data', () => {
		expect(classify(200, successBody, undefined, NOW)).toEqual({
			kind: 'accepted',
			pushId: '7478630',
			data: successBody.data,
		});
	});

	it('status given as the string "100" → accepted', () => {
		const verdict = classify(200, { ...successBody, status: '100' }, undefined, NOW);
		expect(verdict).toEqual({ kind: 'accepted', pushId: '7478630', data: successBody.data });
	});

	it('a numeric push_id is returned as a string', () => {
		const verdict = classify(200, { status: 100, push_id: 7478630, data: [] }, undefined, NOW);
		expect(verdict).toEqual({ kind: 'accepted', pushId: '7478630', data: [] });
	});

	it('a body left as a JSON string by the HTTP client is parsed', () => {
		const verdict = classify(200, JSON.stringify(successBody), undefined, NOW);
		expect(verdict).toEqual({ kind: 'accepted', pushId: '7478630', data: successBody.data });
	});

	it('a JSON string body with whitespace around it is parsed', () => {
		const verdict = classify(200, `\n  ${JSON.stringify(successBody)}  \n`, undefined, NOW);
		expect(verdict.kind).toBe('accepted');
		if (verdict.kind === 'accepted') expect(verdict.pushId).toBe('7478630');
	});
});

describe('classifyPushResponse: rejected by Picky Assist (HTTP 200, status ≠ 100)', () => {
	it('401 → rejected, with the API message and a hint about the token and the host', () => {
		const verdict = classify(
			200,
			{ status: 401, message: 'Authentication Failed' },
			undefined,
			NOW,
		);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 401,
			httpStatus: 200,
			apiMessage: 'Authentication Failed',
		});
		if (verdict.kind !== 'rejected') return;
		expect(verdict.hint).toMatch(/token/i);
		expect(verdict.hint).toMatch(/host/i);
	});

	it('403 → rejected, hint about the balance', () => {
		const verdict = classify(200, { status: 403, message: 'Insufficient Balance' }, undefined, NOW);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 403,
			httpStatus: 200,
			apiMessage: 'Insufficient Balance',
		});
		if (verdict.kind === 'rejected') expect(verdict.hint).toMatch(/balance|credits/i);
	});

	it('406 → rejected, hint about the number format (country code, digits only)', () => {
		const verdict = classify(
			200,
			{ status: 406, message: 'Invalid Mobile Number' },
			undefined,
			NOW,
		);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 406,
			httpStatus: 200,
			apiMessage: 'Invalid Mobile Number',
		});
		if (verdict.kind !== 'rejected') return;
		expect(verdict.hint).toMatch(/country code/i);
		expect(verdict.hint).toMatch(/digits/i);
	});

	it('a status given as a string ("401") is read as the code', () => {
		const verdict = classify(
			200,
			{ status: '401', message: 'Authentication Failed' },
			undefined,
			NOW,
		);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 401,
			apiMessage: 'Authentication Failed',
		});
	});

	it('a missing message falls back to a non-empty text', () => {
		const verdict = classify(200, { status: 403 }, undefined, NOW);
		expect(verdict.kind).toBe('rejected');
		if (verdict.kind === 'rejected') expect(verdict.apiMessage.length).toBeGreaterThan(0);
	});

	it.each([101, 402, 404, 405, 407, 408, 409, 410, 999])(
		'status %p in the body of an HTTP 200 → rejected with that code and a hint',
		(status) => {
			const verdict = classify(200, { status, message: `error ${status}` }, undefined, NOW);
			expect(verdict).toMatchObject({
				kind: 'rejected',
				code: status,
				httpStatus: 200,
				apiMessage: `error ${status}`,
			});
			if (verdict.kind === 'rejected') expect(verdict.hint.length).toBeGreaterThan(0);
		},
	);

	it('an error body delivered as a JSON string is parsed', () => {
		const verdict = classify(
			200,
			'{"status":403,"message":"Insufficient Balance"}',
			undefined,
			NOW,
		);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 403,
			apiMessage: 'Insufficient Balance',
		});
	});
});

describe('classifyPushResponse: retry (rate limited)', () => {
	it('HTTP 429 with Retry-After seconds → retry with retryAfterMs', () => {
		const verdict = classify(429, { status: 429, message: 'Too Many Requests' }, '30', NOW);
		expect(verdict).toEqual({
			kind: 'retry',
			httpStatus: 429,
			apiMessage: 'Too Many Requests',
			retryAfterMs: 30000,
		});
	});

	it('HTTP 429 with Retry-After as an HTTP-date → retry with the time until that date', () => {
		const verdict = classify(429, 'Too Many Requests', 'Wed, 21 Oct 2015 07:28:45 GMT', NOW);
		expect(verdict.kind).toBe('retry');
		if (verdict.kind === 'retry') expect(verdict.retryAfterMs).toBe(45000);
	});

	it('HTTP 429 with an HTML body and no Retry-After → retry without a delay', () => {
		const verdict = classify(
			429,
			'<html><body>429 Too Many Requests</body></html>',
			undefined,
			NOW,
		);
		expect(verdict.kind).toBe('retry');
		if (verdict.kind === 'retry') {
			expect(verdict.httpStatus).toBe(429);
			expect(verdict.retryAfterMs).toBeUndefined();
		}
	});

	it('HTTP 200 with body status 429 → retry', () => {
		const verdict = classify(200, { status: 429, message: 'Too many requests' }, '2', NOW);
		expect(verdict).toEqual({
			kind: 'retry',
			httpStatus: 200,
			apiMessage: 'Too many requests',
			retryAfterMs: 2000,
		});
	});

	it('HTTP 200 with body status "429" as a string → retry', () => {
		expect(classify(200, { status: '429' }, undefined, NOW).kind).toBe('retry');
	});
});

describe('parseRetryAfter', () => {
	it.each([
		['0', 0],
		['1', 1000],
		['120', 120000],
		[5, 5000],
		[['7'], 7000],
		['Wed, 21 Oct 2015 07:29:00 GMT', 60000],
		['Wed, 21 Oct 2015 07:27:00 GMT', 0],
	])('%j → %p ms', (value, expected) => {
		expect(parseRetryAfter(value, NOW)).toBe(expected);
	});

	it.each([[undefined], [null], ['soon'], [{}]])('%j → undefined', (value) => {
		expect(parseRetryAfter(value, NOW)).toBeUndefined();
	});
});

describe('classifyPushResponse: unknown (may or may not have been queued)', () => {
	it.each([500, 502, 503, 504])('HTTP %p → unknown, whatever the body says', (httpStatus) => {
		for (const body of [
			'<html>Bad Gateway</html>',
			{ status: 100, push_id: '1' },
			{ status: 403 },
			'',
		]) {
			const verdict = classify(httpStatus, body, undefined, NOW);
			expect(verdict.kind).toBe('unknown');
			if (verdict.kind === 'unknown') {
				expect(verdict.httpStatus).toBe(httpStatus);
				expect(verdict.reason).toContain(String(httpStatus));
			}
		}
	});

	it('HTTP 408 (request timeout) → unknown', () => {
		const verdict = classify(408, '', undefined, NOW);
		expect(verdict.kind).toBe('unknown');
		if (verdict.kind === 'unknown') expect(verdict.httpStatus).toBe(408);
	});

	it('HTTP 200 with body status 408 (project not active) is a rejection, not a timeout', () => {
		const verdict = classify(
			200,
			{ status: 408, message: 'Project is not Active' },
			undefined,
			NOW,
		);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 408,
			apiMessage: 'Project is not Active',
		});
	});

	it.each([
		['an HTML page', '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>'],
		['plain text', 'OK'],
		['an empty string', ''],
		['truncated JSON', '{"status":100,"push_id":"74'],
		['JSON without status', { message: 'Success', push_id: '1' }],
		['an empty object', {}],
		['null', null],
		['undefined', undefined],
		['a JSON array', [{ status: 100 }]],
		['a JSON string "null"', 'null'],
		['a non-numeric status', { status: 'ok' }],
		['a fractional status', { status: 100.5 }],
		['a boolean status', { status: true }],
	])('HTTP 200 with %s → unknown', (_label, body) => {
		const verdict = classify(200, body, undefined, NOW);
		expect(verdict.kind).toBe('unknown');
		if (verdict.kind === 'unknown') expect(verdict.reason.length).toBeGreaterThan(0);
	});
});

describe('classifyPushResponse: other HTTP 4xx → rejected', () => {
	it.each([400, 401, 403, 404, 405, 413, 422])(
		'HTTP %p with an HTML body → rejected',
		(httpStatus) => {
			const verdict = classify(
				httpStatus,
				`<html><body>${httpStatus} Error</body></html>`,
				undefined,
				NOW,
			);
			expect(verdict.kind).toBe('rejected');
			if (verdict.kind === 'rejected') {
				expect(verdict.httpStatus).toBe(httpStatus);
				expect(verdict.apiMessage).toContain(String(httpStatus));
				expect(verdict.apiMessage).not.toContain('<');
				expect(verdict.hint.length).toBeGreaterThan(0);
			}
		},
	);

	it('HTTP 401 with a Picky Assist body keeps the code and the token/host hint', () => {
		const verdict = classify(
			401,
			{ status: 401, message: 'Authentication Failed' },
			undefined,
			NOW,
		);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 401,
			httpStatus: 401,
			apiMessage: 'Authentication Failed',
		});
		if (verdict.kind === 'rejected') expect(verdict.hint).toMatch(/token/i);
	});

	it('HTTP 400 with a Picky Assist body status 410 → rejected with code 410', () => {
		const verdict = classify(400, { status: 410, message: 'Invalid Request' }, undefined, NOW);
		expect(verdict).toMatchObject({
			kind: 'rejected',
			code: 410,
			httpStatus: 400,
			apiMessage: 'Invalid Request',
		});
	});

	it('an HTTP 4xx body is shortened, not echoed in full', () => {
		const verdict = classify(400, 'x'.repeat(5000), undefined, NOW);
		expect(verdict.kind).toBe('rejected');
		if (verdict.kind === 'rejected') expect(verdict.apiMessage.length).toBeLessThan(300);
	});
});

describe('networkErrorCode', () => {
	it('reads a code on the error itself', () => {
		expect(
			networkErrorCode(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
		).toBe('ECONNREFUSED');
	});

	it('finds the code in a nested cause', () => {
		const inner = Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
		const middle = new Error('request failed', { cause: inner });
		const outer = new Error('NodeApiError', { cause: middle });
		expect(networkErrorCode(outer)).toBe('ENOTFOUND');
	});

	it('finds the code in plain-object causes', () => {
		expect(
			networkErrorCode({ message: 'x', cause: { message: 'y', cause: { code: 'EAI_AGAIN' } } }),
		).toBe('EAI_AGAIN');
	});

	it('returns the outermost code when several layers carry one', () => {
		expect(networkErrorCode({ code: 'ETIMEDOUT', cause: { code: 'ECONNREFUSED' } })).toBe(
			'ETIMEDOUT',
		);
	});

	it.each([
		[undefined],
		[null],
		['ECONNREFUSED'],
		[new Error('boom')],
		[{ cause: { message: 'no code' } }],
	])('%p → undefined', (error) => {
		expect(networkErrorCode(error)).toBeUndefined();
	});

	it('does not loop forever on a cause cycle', () => {
		const a: { cause?: unknown } = {};
		const b = { cause: a };
		a.cause = b;
		expect(networkErrorCode(a)).toBeUndefined();
	});
});

/**
 * The error n8n's request helper throws is a NodeApiError wrapping the HTTP client's error. n8n-workflow 2.x keeps
 * that error as `cause`; 1.x drops the cause (a class field resets it) and keeps the code only as `httpCode`.
 */
describe('networkErrorCode on the errors real n8n throws, both lines', () => {
	const node: INode = {
		id: '1',
		name: 'Picky Assist',
		type: 'n8n-nodes-pickyassist.pickyAssist',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const lines: Array<[string, (error: unknown) => unknown]> = [
		['1.x', (error) => new NodeApiErrorV1(node as never, error as never)],
		['2.x', (error) => new NodeApiError(node, error as JsonObject)],
	];

	async function refusedConnection(): Promise<unknown> {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise((resolve) => server.close(resolve));
		return await axios.post(`http://127.0.0.1:${port}/api/v2/push`, {}).catch((error) => error);
	}

	it.each(lines)('%s: a closed port → ECONNREFUSED', async (_line, wrap) => {
		const wrapped = wrap(await refusedConnection());
		expect(networkErrorCode(wrapped)).toBe('ECONNREFUSED');
	});

	it.each(lines)('%s: a host name that does not resolve → ENOTFOUND', (_line, wrap) => {
		// How the HTTP client reports a failed lookup, built here so that the test asks no DNS server.
		const lookup = Object.assign(new Error('getaddrinfo ENOTFOUND picky.invalid'), {
			code: 'ENOTFOUND',
			syscall: 'getaddrinfo',
			hostname: 'picky.invalid',
		});
		const wrapped = wrap(AxiosError.from(lookup));
		expect(networkErrorCode(wrapped)).toBe('ENOTFOUND');
	});

	it.each(lines)('%s: an answer with an HTTP status carries no network code', (_line, wrap) => {
		const answered = new AxiosError('Request failed with status code 502', 'ERR_BAD_RESPONSE');
		answered.status = 502;
		const wrapped = wrap(answered);
		expect(isCertainlyNotSent(networkErrorCode(wrapped))).toBe(false);
	});
});

describe('isCertainlyNotSent', () => {
	it.each([
		'ECONNREFUSED',
		'ENOTFOUND',
		'EAI_AGAIN',
		'ENETUNREACH',
		'EHOSTUNREACH',
		'EADDRNOTAVAIL',
	])('%s → true (the request never left)', (code) => {
		expect(isCertainlyNotSent(code)).toBe(true);
	});

	it.each([
		'ECONNRESET',
		'ETIMEDOUT',
		'ECONNABORTED',
		'EPIPE',
		'ESOCKETTIMEDOUT',
		'ERR_NETWORK',
		'econnrefused',
		'',
	])('%j → false (it may have reached Picky Assist)', (code) => {
		expect(isCertainlyNotSent(code)).toBe(false);
	});

	it('undefined → false', () => {
		expect(isCertainlyNotSent(undefined)).toBe(false);
	});
});

describe('redact', () => {
	const secret = 'tok_live_0123456789abcdef';

	it('replaces every occurrence of the secret', () => {
		const text = `POST {"token":"${secret}"} failed; token=${secret}&again=${secret}${secret}`;
		const result = redact(text, secret);
		expect(result).not.toContain(secret);
		expect(result).toBe(
			'POST {"token":"[redacted]"} failed; token=[redacted]&again=[redacted][redacted]',
		);
	});

	it('treats regular-expression characters in the secret literally', () => {
		const special = 'a.b*c+d?(x)[y]$&\\';
		expect(redact(`x ${special} y ${special}`, special)).toBe('x [redacted] y [redacted]');
		expect(redact('aXbYcccd', special)).toBe('aXbYcccd');
	});

	it('leaves text without the secret unchanged', () => {
		expect(redact('nothing to hide', secret)).toBe('nothing to hide');
	});

	it('leaves text unchanged when there is no secret', () => {
		expect(redact('token=abc', undefined)).toBe('token=abc');
		expect(redact('token=abc', '')).toBe('token=abc');
	});

	it('replaces a short secret too', () => {
		expect(redact('token=xyz, again xyz', 'xyz')).toBe('token=[redacted], again [redacted]');
	});
});
