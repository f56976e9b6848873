/**
 * Send and Wait for Response in-process: the node sends one question through the sandbox, the execution waits,
 * and the answer page is served on its signed resume URL (tooling/wait-harness.ts, which checks the signature as
 * n8n 2.x does and continues the execution as n8n does). A GET never answers; only a POST with an answer resumes.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { httpRequest } from '../tooling/n8n-server';
import type { RunResult } from '../tooling/harness';
import { runWorkflow } from '../tooling/harness';
import type { WaitServer } from '../tooling/wait-harness';
import { startWaitServer } from '../tooling/wait-harness';
import { credentialsFor, FIXTURE, runError, sandboxForFile, TOKEN } from './helpers';

const fileSandbox = sandboxForFile();
let waitServer: WaitServer;
beforeEach(async () => (waitServer = await startWaitServer()));
afterEach(async () => await waitServer.close());

const QUESTION = { number: '+44 7700 900123', message: 'May we ship order 42 today?' };

async function ask(
	parameters: IDataObject,
	rows: IDataObject[] = [QUESTION],
	settings: IDataObject = {},
): Promise<RunResult> {
	const result = await runWorkflow(FIXTURE, {
		credentials: credentialsFor(fileSandbox.current),
		pinData: { Rows: rows.map((json) => ({ json })) },
		pickyParameters: { operation: 'sendAndWait', message: '={{ $json.message }}', ...parameters },
		pickySettings: settings,
		additionalData: waitServer.additionalData,
	});
	waitServer.attach(result);
	return result;
}

/** What the sandbox received: the one push's data entries. */
function pushedEntries(): IDataObject[] {
	return fileSandbox.current.requests
		.filter((request) => request.endpoint === 'push')
		.flatMap((request) => (request.body as { data: IDataObject[] }).data);
}

/** The link the person got: the last line of the text message. */
function linkSent(): string {
	const [entry] = pushedEntries();
	const lines = String(entry.message).split('\n');
	return lines[lines.length - 1];
}

const form = (fields: Record<string, string>) => ({
	method: 'POST',
	headers: { 'content-type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams(fields).toString(),
});

test('sends one message to the first item only, with the signed resume link under the question, and waits', async () => {
	const result = await ask({}, [QUESTION, { number: '+44 7700 900456', message: 'other' }]);
	expect(result.error).toBeUndefined();
	expect(result.run.waitTill).toBeInstanceOf(Date);
	const entries = pushedEntries();
	expect(entries).toHaveLength(1);
	expect(entries[0].number).toBe('447700900123');
	const [question, blank, link] = String(entries[0].message).split('\n');
	expect([question, blank]).toEqual([QUESTION.message, '']);
	const url = new URL(link);
	// Exactly n8n's signed resume URL of this node: no answer in it, only the signature.
	expect(`${url.origin}${url.pathname}`).toBe(
		`${waitServer.additionalData.webhookWaitingBaseUrl}/wait-1/4b0e7d52-3a1c-4f0e-8a9b-1c2d3e4f5a03`,
	);
	expect([...url.searchParams.keys()]).toEqual(['signature']);
	expect(url.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
});

test('Approval: a GET (a link preview) shows the page and keeps waiting; the POST of Approve resumes with approved: true and the ids', async () => {
	await ask({ responseType: 'approval', approvalType: 'double', approveLabel: 'Ship it <now>' });
	const link = linkSent();
	const page = await httpRequest(link);
	expect(page.status).toBe(200);
	expect(page.headers['content-type']).toMatch(/^text\/html/);
	expect(page.text).toContain('May we ship order 42 today?');
	expect(page.text).toContain('Ship it &lt;now&gt;'); // the workflow's text is escaped
	expect(page.text).toContain('<form method="post">'); // posts back to the same signed URL
	expect(page.text).not.toContain(TOKEN);
	const again = await httpRequest(link);
	expect(again.status).toBe(200);
	expect(waitServer.calls.map((call) => call.resumed)).toEqual([false, false]);

	const answer = await httpRequest(link, form({ answer: 'approve' }));
	expect(answer.status).toBe(200);
	const finished = await waitServer.finished;
	expect(finished.error).toBeUndefined();
	expect(finished.output).toHaveLength(1);
	const [push] = fileSandbox.current.acceptedPushes;
	expect(finished.output[0].json).toEqual({
		approved: true,
		number: '447700900123',
		msg_id: push.response.data[0].msg_id,
		push_id: push.response.push_id,
		responded_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
	});
	expect(finished.serialized).not.toContain(TOKEN);
});

test('Approval: Decline resumes with approved: false; with Approve Only a decline is refused and the run keeps waiting', async () => {
	await ask({ responseType: 'approval', approvalType: 'double' });
	await httpRequest(linkSent(), form({ answer: 'decline' }));
	expect((await waitServer.finished).output[0].json.approved).toBe(false);

	await waitServer.close();
	fileSandbox.current.reset();
	waitServer = await startWaitServer();
	await ask({ responseType: 'approval', approvalType: 'single' });
	const page = await httpRequest(linkSent());
	expect(page.text).not.toContain('value="decline"');
	const refused = await httpRequest(linkSent(), form({ answer: 'decline' }));
	expect(refused.status).toBe(400);
	const nothing = await httpRequest(linkSent(), form({}));
	expect(nothing.status).toBe(400);
	expect(waitServer.calls.every((call) => !call.resumed)).toBe(true);
});

test('Free Text: the GET shows a form; an empty answer is refused; the POSTed text resumes with { text }', async () => {
	await ask({ responseType: 'freeText', options: { submitLabel: 'Reply' } });
	const page = await httpRequest(linkSent());
	expect(page.text).toContain('<textarea name="text"');
	expect(page.text).toContain('Reply');
	expect((await httpRequest(linkSent(), form({ text: '   ' }))).status).toBe(400);
	await httpRequest(linkSent(), form({ text: 'Tomorrow, please 🙏' }));
	const finished = await waitServer.finished;
	expect(finished.output[0].json).toMatchObject({
		text: 'Tomorrow, please 🙏',
		number: '447700900123',
	});
	expect(finished.output[0].json).not.toHaveProperty('approved');
});

test('a call whose URL is not exactly the signed one is refused (401) and does not resume', async () => {
	await ask({});
	const link = new URL(linkSent());
	link.searchParams.set('approved', 'true');
	expect((await httpRequest(link.toString(), form({ answer: 'approve' }))).status).toBe(401);
	const unsigned = `${link.origin}${link.pathname}`;
	expect((await httpRequest(unsigned, form({ answer: 'approve' }))).status).toBe(401);
	expect(waitServer.calls.every((call) => !call.resumed)).toBe(true);
});

test('a WhatsApp template carries the link in the variable the user chose', async () => {
	await ask({
		content: 'template',
		templateId: 'approval_1',
		templateLanguage: 'en',
		linkVariable: 2,
		templateVariables: { variables: [{ value: '={{ $json.message }}' }, { value: 'Ana' }] },
	});
	const [entry] = pushedEntries();
	const values = entry.template_message as string[];
	expect(values).toHaveLength(3);
	expect(values[0]).toBe(QUESTION.message);
	expect(values[1]).toMatch(/\/webhook-waiting\/wait-1\/.+\?signature=[0-9a-f]{64}$/);
	expect(values[2]).toBe('Ana');
});

test('a bad number is an error naming the item and the field, and nothing is sent', async () => {
	const result = await ask({}, [{ number: '12', message: 'hi' }]);
	expect(runError(result).message).toMatch(/^In item 0, "Number" .*; nothing was sent$/);
	expect(fileSandbox.current.requests).toHaveLength(0);
	expect(result.run.waitTill).toBeUndefined();
});

test('a wait limit that has passed is refused before anything is sent', async () => {
	const result = await ask({
		options: {
			limitWaitTime: {
				values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2001-01-01T00:00:00Z' },
			},
		},
	});
	expect(runError(result).message).toMatch(/"Max Date and Time" .* has passed/);
	expect(fileSandbox.current.requests).toHaveLength(0);
});

test('the wait ends at the limit the user set', async () => {
	const before = Date.now();
	const result = await ask({
		options: {
			limitWaitTime: {
				values: { limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'hours' },
			},
		},
	});
	const waitTill = (result.run.waitTill as Date).getTime();
	expect(waitTill).toBeGreaterThanOrEqual(before + 2 * 3_600_000);
	expect(waitTill).toBeLessThan(Date.now() + 2 * 3_600_000 + 1000);
});

test('past the limit, an answer is not taken even though n8n has not resumed the run yet (its check runs about once a minute)', async () => {
	await ask({
		options: {
			limitWaitTime: {
				values: { limitType: 'afterTimeInterval', resumeAmount: 0.01, resumeUnit: 'minutes' },
			},
		},
	});
	const link = linkSent();
	await sleep(800);
	const page = await httpRequest(link);
	expect(page.status).toBe(410);
	expect(page.text).toContain('The time to answer has passed');
	expect(page.text).not.toContain('<form');
	const late = await httpRequest(link, form({ answer: 'approve' }));
	expect(late.status).toBe(410);
	expect(late.text).toContain('The time to answer has passed');
	// The execution keeps waiting for n8n to end the wait without an answer; nothing resumed it.
	expect(waitServer.calls.map((call) => call.resumed)).toEqual([false, false]);
});

test('with a limit and a deadline it cannot read (a node name an expression cannot quote), an answer is refused rather than taken late', async () => {
	const renamed = JSON.parse(
		JSON.stringify(FIXTURE).split('"Picky Assist"').join('"Ask }} the boss"'),
	) as typeof FIXTURE;
	const result = await runWorkflow(renamed, {
		credentials: credentialsFor(fileSandbox.current),
		pinData: { Rows: [{ json: QUESTION }] },
		pickyParameters: {
			operation: 'sendAndWait',
			message: '={{ $json.message }}',
			options: {
				limitWaitTime: {
					values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'hours' },
				},
			},
		},
		additionalData: waitServer.additionalData,
	});
	expect(result.error).toBeUndefined();
	waitServer.attach(result);
	const late = await httpRequest(linkSent(), form({ answer: 'approve' }));
	expect(late.status).toBe(410);
	expect(waitServer.calls.map((call) => call.resumed)).toEqual([false]);
});

test('before the limit, the answer is taken as usual', async () => {
	await ask({
		options: {
			limitWaitTime: {
				values: { limitType: 'afterTimeInterval', resumeAmount: 1, resumeUnit: 'hours' },
			},
		},
	});
	const answer = await httpRequest(linkSent(), form({ answer: 'approve' }));
	expect(answer.status).toBe(200);
	expect((await waitServer.finished).output[0].json.approved).toBe(true);
});

test('a push that may have been queued is an "unknown" error, and Retry On Fail does not send it again', async () => {
	fileSandbox.current.addFault({ kind: 'timeout', process: true });
	const result = await ask({ options: { requestTimeoutSeconds: 1 } }, [QUESTION], {
		retryOnFail: true,
		maxTries: 2,
		waitBetweenTries: 0,
	});
	expect(runError(result).message).toMatch(
		/already sent in this run without a clear answer; it is not sent again$|already sent in this run without a clear answer from Picky Assist; it is not sent again$/,
	);
	expect(fileSandbox.current.acceptedPushes).toHaveLength(1);
	expect(result.serialized).not.toContain(TOKEN);
});
