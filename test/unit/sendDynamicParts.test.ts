/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * The parts of Send Dynamic Messages on plain objects: settings, row collection, outcomes, the send record and
 * the credential's Custom URL.
 */
import { MAX_TIMEOUT_SECONDS } from '../../nodes/PickyAssist/actions/callLimits';
import { collectRows, withDigests } from '../../nodes/PickyAssist/actions/bulk/rowCollection';
import { messageDigest, SendRecord } from '../../nodes/PickyAssist/actions/bulk/sendRecord';
import { parseSendSettings } from '../../nodes/PickyAssist/actions/bulk/sendSettings';
import { RowOutcomes } from '../../nodes/PickyAssist/actions/outcomes';
import { Redactor } from '../../nodes/PickyAssist/helpers/redaction';
import { apiBaseUrl } from '../../nodes/PickyAssist/transport/credentials';
import { buildPushBody } from '../../nodes/PickyAssist/transport/push';

describe('parseSendSettings', () => {
	const base = { application: 8, options: {} };

	it('defaults', () => {
		expect(parseSendSettings(base)).toEqual({
			ok: true,
			value: {
				application: '8',
				priority: '0',
				globalMedia: undefined,
				batchSize: 500,
				defaultCountryCode: undefined,
				numberCheck: 'possible',
				maxPushesPerMinute: 90,
				maxRetries: 3,
				maxRetryWaitMs: 120_000,
				timeoutMs: 60_000,
				minBalance: 0,
				template: undefined,
				dryRun: false,
				skipDuplicateRows: false,
				sendRepeats: false,
				maxRecipients: 0,
				allowedPrefixes: undefined,
				mediaBinaryProperty: undefined,
				// Max Push Size: 25 MB unless set.
				maxPushBytes: 25 * 1024 * 1024,
			},
		});
	});

	it.each([
		[{ numberCheck: 'strict' }, /"Number Check" must be "possible" \(Possible Length\) or "valid"/],
		[{ numberCheck: true }, /"Number Check" must be .* got true/],
		[{ requestTimeoutSeconds: 0 }, /"Request Timeout \(Seconds\)"/],
		[{ requestTimeoutSeconds: -1 }, /"Request Timeout \(Seconds\)"/],
		[
			{ requestTimeoutSeconds: MAX_TIMEOUT_SECONDS + 1 },
			/"Request Timeout \(Seconds\)" must be a number from 1 to 3600 seconds, got 3601/,
		],
		[{ requestTimeoutSeconds: 1e9 }, /"Request Timeout \(Seconds\)"/],
		[{ requestTimeoutSeconds: 'soon' }, /"Request Timeout \(Seconds\)"/],
		[{ maxRetryWaitSeconds: 1e9 }, /"Max Retry Wait \(Seconds\)"/],
		[{ maxRetries: 11 }, /"Max Retries"/],
		[{ maxPushesPerMinute: -1 }, /"Max Pushes per Minute"/],
		[{ batchSize: 0 }, /"Batch Size"/],
		[{ globalMedia: 'ftp://x/y.jpg' }, /"Global Media URL"/],
		[{ defaultCountryCode: '0044' }, /"Default Country Code"/],
	])('refuses %j with the field named', (options, reason) => {
		const result = parseSendSettings({ application: 8, options });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});

	it('a custom application must be digits; a timeout at the limit is fine', () => {
		expect(
			parseSendSettings({ application: 'custom', customApplication: ' 101 ', options: {} }),
		).toMatchObject({
			ok: true,
			value: { application: '101' },
		});
		expect(
			parseSendSettings({ application: 'custom', customApplication: '10a', options: {} }).ok,
		).toBe(false);
		expect(
			parseSendSettings({
				application: 8,
				options: { requestTimeoutSeconds: MAX_TIMEOUT_SECONDS },
			}),
		).toMatchObject({
			ok: true,
			value: { timeoutMs: MAX_TIMEOUT_SECONDS * 1000 },
		});
	});
});

const TEXT_RULES = {
	numberCheck: 'possible' as const,
	hasGlobalMedia: false,
	template: false,
	perRowMedia: false,
	skipDuplicates: false,
};

describe('collectRows', () => {
	const table = [
		{ number: '+44 7700 900001', message: 'Hi A' },
		{ number: '447700900002.0', message: 'Hi B' },
		{ number: '447700900003.5', message: 'Hi C' },
		{ number: '447700900004', message: true },
		{ number: 'boom', message: 'x' },
	];
	const read = (field: string, itemIndex: number) => {
		if (table[itemIndex].number === 'boom' && field === 'Number') throw new Error('bad expression');
		return field === 'Number' ? table[itemIndex].number : table[itemIndex].message;
	};

	it('every item ends as a row or as a problem naming item, field, reason and value', () => {
		const { rows, problems } = collectRows(table.length, read, TEXT_RULES);
		expect(rows).toEqual([
			{ itemIndex: 0, number: '447700900001', message: 'Hi A' },
			{ itemIndex: 1, number: '447700900002', message: 'Hi B' },
		]);
		expect(problems.map((p) => [p.itemIndex, p.field, p.value])).toEqual([
			[2, 'Number', '447700900003.5'],
			[3, 'Message', true],
			[4, 'Number', undefined],
		]);
		expect(problems[0].reason).toMatch(/decimal part ".5"/);
		expect(problems[2].reason).toMatch(/could not be evaluated: bad expression/);
	});
});

describe('RowOutcomes', () => {
	const secret = 'sekret-token-0123456789';

	it('fills one slot per item in input order; every text is redacted', () => {
		const outcomes = new RowOutcomes(3, new Redactor(secret));
		outcomes.failed(2, 'unknown', `echo ${secret}`, { hint: `see ${secret}`, code: 5 });
		outcomes.accepted(0, { state: 'accepted', msg_id: '1' });
		const items = outcomes.items();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(items[1].json).toEqual({
			error: {
				message: 'echo [redacted]',
				state: 'unknown',
				item_index: 2,
				hint: 'see [redacted]',
				code: 5,
			},
		});
	});

	it('what they say about the run names queued pushes, unknown rows and rows not sent', () => {
		const log = new RowOutcomes(5, new Redactor(secret));
		expect(log.describe([])).toBe('No push of this run was queued before this failure.');
		log.accepted(0, { state: 'accepted' }, '77');
		log.accepted(1, { state: 'accepted' }, '77');
		// A row only checked (Validate Only) or refused says nothing about what went out.
		log.accepted(3, { state: 'valid' });
		log.failed(4, 'rejected', 'refused', {});
		log.failed(2, 'unknown', 'no answer', {});
		expect(log.describe([3, 4])).toBe(
			'Already queued before this failure — do not send these rows again: push_id 77 (items 0–1) (2 messages). May or may not have been queued: item 2. Not sent: items 3–4.',
		);
	});
});

describe('SendRecord', () => {
	it('remembers messages by digest across runs in the same store; a refused one is forgotten', () => {
		const store: Record<string, unknown> = {};
		const hi = messageDigest(['', '8', '447700900001', 'Hi']);
		const other = messageDigest(['', '8', '447700900002', 'Hi']);
		const first = new SendRecord(store);
		const [hiPlace, otherPlace] = first.claim([hi, other], new Date(0));
		first.accepted(hiPlace, { msgId: '9', pushId: '77', credit: '1' });
		first.forget([otherPlace]);

		const later = new SendRecord(store);
		expect(later.earlier(hi)).toEqual({
			state: 'accepted',
			sentAt: '1970-01-01T00:00:00.000Z',
			msgId: '9',
			pushId: '77',
			credit: '1',
		});
		expect(later.earlier(other)).toBeUndefined();
		// Another text or number is another message.
		expect(later.earlier(messageDigest(['', '8', '447700900001', 'Hi!']))).toBeUndefined();
		// Plain data: it survives being saved with the execution.
		expect(new SendRecord(JSON.parse(JSON.stringify(store))).earlier(hi)?.msgId).toBe('9');
	});

	it('a message removed and claimed again takes its old place: the record does not grow with retries', () => {
		const store: Record<string, unknown> = {};
		const digest = messageDigest(['447700900001', 'Hi']);
		for (let attempt = 0; attempt < 3; attempt++) {
			const record = new SendRecord(store);
			expect(record.claim([digest], new Date(attempt))).toEqual([0]);
			record.forget([0]);
			expect(new SendRecord(JSON.parse(JSON.stringify(store))).earlier(digest)).toBeUndefined();
		}
		expect(new SendRecord(store).claim([digest], new Date(0))).toEqual([0]);
		expect(JSON.stringify(store).split(digest)).toHaveLength(2);
		expect(new SendRecord(JSON.parse(JSON.stringify(store))).earlier(digest)?.state).toBe(
			'sending',
		);
	});

	it('reads a record an earlier version kept as an object keyed by digest', () => {
		const digest = messageDigest(['447700900001', 'Hi']);
		const store: Record<string, unknown> = {
			pickyAssistSentMessages: {
				[digest]: { state: 'unknown', sentAt: '1970-01-01T00:00:00.000Z' },
			},
		};
		expect(new SendRecord(store).earlier(digest)).toEqual({
			state: 'unknown',
			sentAt: '1970-01-01T00:00:00.000Z',
		});
		expect(store.pickyAssistSentMessages).toBeUndefined();
		expect(new SendRecord(JSON.parse(JSON.stringify(store))).earlier(digest)?.state).toBe(
			'unknown',
		);
	});

	it('digests have a fixed size whatever the message; an unanswered push stays "sending"', () => {
		expect(messageDigest(['x'])).toHaveLength(22);
		expect(messageDigest(['x'.repeat(100_000)])).toHaveLength(22);
		const store: Record<string, unknown> = {};
		const digest = messageDigest(['447700900001', 'Hi']);
		new SendRecord(store).claim([digest], new Date(0));
		expect(new SendRecord(store).earlier(digest)?.state).toBe('sending');
	});

	it('writes by place: a push re-times its claimed messages, and a row never claimed (place -1) changes nothing', () => {
		const store: Record<string, unknown> = {};
		const [a, b] = ['447700900001', '447700900002'].map((n) => messageDigest([n, 'Hi']));
		const record = new SendRecord(store);
		const places = record.claim([a, b], new Date(0), 2);
		expect(places).toEqual([0, 1]);
		record.sending([-1, places[1]], new Date(1000), 2);
		expect(record.earlier(b)?.sentAt).toBe('1970-01-01T00:00:01.000Z');
		record.forget([-1]);
		expect(Object.keys((store.pickyAssistSendRecord as { messages: unknown[] }).messages)).toEqual([
			'0',
			'1',
		]);
		record.accepted(-1, { msgId: 'x', pushId: 'y', credit: '1' });
		record.unknown(-1, new Date(5000));
		record.unknown(places[1], new Date(2000));
		const later = new SendRecord(JSON.parse(JSON.stringify(store)));
		expect(later.earlier(a)).toEqual({
			state: 'sending',
			sentAt: '1970-01-01T00:00:00.000Z',
			run: 2,
		});
		expect(later.earlier(b)).toEqual({
			state: 'unknown',
			sentAt: '1970-01-01T00:00:02.000Z',
			run: 2,
		});
		expect(JSON.stringify(store)).not.toContain('"x"');
	});
});

describe("apiBaseUrl: the credential's Custom URL", () => {
	const custom = (customUrl: string) => apiBaseUrl({ apiToken: 't', apiHost: 'custom', customUrl });

	it.each([
		['http://127.0.0.1:8866/api/v2', 'http://127.0.0.1:8866/api/v2'],
		['http://127.0.0.1:8866/api/v2/', 'http://127.0.0.1:8866/api/v2'],
		['http://127.0.0.1:8866/api/v2/push', 'http://127.0.0.1:8866/api/v2'],
		['  https://proxy.example.com/pa/api/v2  ', 'https://proxy.example.com/pa/api/v2'],
		['HTTPS://Proxy.Example.com:443/api/v2', 'https://proxy.example.com/api/v2'],
	])('%j → %j', (input, expected) => {
		expect(custom(input)).toEqual({ ok: true, value: expected });
	});

	it.each([
		['http://127.0.0.1:8866/api/v2?key=1', /query string/],
		['http://127.0.0.1:8866/api/v2#top', /fragment/],
		['http://127.0.0.1:99999/api/v2', /not a valid URL/],
		['http://127.0.0.1:0/api/v2', /port 0/],
		['http://127.0.0.1:88a/api/v2', /not a valid URL/],
		['http://127.0.0.1:8866/api /v2', /space/],
		['http://user:pass@127.0.0.1:8866/api/v2', /user name or password/],
		['ftp://127.0.0.1/api/v2', /http:\/\/ or https:\/\//],
		['', /empty/],
	])('%j is refused with a clear message', (input, reason) => {
		const result = custom(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});
});

describe('collectRows: templates, media, prefixes and duplicate rows', () => {
	type Row = {
		number: string;
		name?: unknown;
		amount?: unknown;
		language?: unknown;
		media?: unknown;
		message?: unknown;
	};
	const reader = (table: Row[]) => (field: string, itemIndex: number) => {
		const row = table[itemIndex];
		if (field === 'Number') return row.number;
		if (field === 'Template Variables') return [row.name, row.amount];
		if (field === 'Template Language') return row.language ?? 'en';
		if (field === 'Media URL') return row.media;
		return row.message;
	};
	const TEMPLATE = { ...TEXT_RULES, template: true };

	it('values in order, byte-exact; the language per row', () => {
		const table: Row[] = [
			{ number: '447700900001', name: 'Ana 👋', amount: 12.4 },
			{ number: '447700900002', name: 'Zoë', amount: '8.00', language: 'pt_BR' },
		];
		expect(collectRows(2, reader(table), TEMPLATE).rows).toEqual([
			{ itemIndex: 0, number: '447700900001', templateValues: ['Ana 👋', '12.4'], language: 'en' },
			{ itemIndex: 1, number: '447700900002', templateValues: ['Zoë', '8.00'], language: 'pt_BR' },
		]);
	});

	it.each([
		[{ name: '', amount: '1' }, /\{\{1\}\} is empty/],
		[{ name: 'a\nb', amount: '1' }, /\{\{1\}\} holds a line break/],
		[{ name: 'a', amount: 'x\ty' }, /\{\{2\}\} holds a line break or tab/],
		[{ name: 'a     b', amount: '1' }, /more than four spaces/],
		[{ name: 'x'.repeat(1025), amount: '1' }, /1025 characters; WhatsApp allows 1024/],
		[{ name: null, amount: '1' }, /\{\{1\}\} is null/],
		[{ name: 'a', amount: '1', language: 'English' }, /template language code/],
	])('a bad value or language rejects its row: %j', (fields, reason) => {
		const result = collectRows(1, reader([{ number: '447700900001', ...fields }]), TEMPLATE);
		expect(result.rows).toEqual([]);
		expect(result.problems[0].reason).toMatch(reason);
	});

	it("a row's media URL is checked and kept; a caption may then be empty", () => {
		const table: Row[] = [
			{ number: '447700900001', media: 'https://x.example/a.pdf', message: '' },
			{ number: '447700900002', media: 'ftp://x/a.pdf', message: 'hi' },
			{ number: '447700900003', media: '', message: 'hi' },
		];
		const result = collectRows(3, reader(table), { ...TEXT_RULES, perRowMedia: true });
		expect(result.rows).toEqual([
			{ itemIndex: 0, number: '447700900001', media: 'https://x.example/a.pdf', message: '' },
			{ itemIndex: 2, number: '447700900003', message: 'hi' },
		]);
		expect(result.problems.map((p) => [p.itemIndex, p.field])).toEqual([[1, 'Media URL']]);
	});

	it('numbers outside the allowed prefixes and duplicate rows are rejected, naming the earlier item', () => {
		const table: Row[] = [
			{ number: '447700900001', message: 'hi' },
			{ number: '15550000001', message: 'hi' },
			{ number: '+44 7700 900001', message: 'hi' },
			{ number: '447700900001', message: 'hi!' },
		];
		const result = collectRows(4, reader(table), {
			...TEXT_RULES,
			allowedPrefixes: ['44', '353'],
			skipDuplicates: true,
		});
		expect(result.rows.map((row) => row.itemIndex)).toEqual([0, 3]);
		expect(result.problems.map((p) => [p.itemIndex, p.reason])).toEqual([
			[1, 'is outside the allowed prefixes (44, 353)'],
			[2, 'is a duplicate of item 0'],
		]);
	});
});

describe('parseSendSettings: templates and caps', () => {
	it('a template needs its id; header at most 60 characters; prefixes are digits', () => {
		expect(
			parseSendSettings({
				application: 8,
				content: 'template',
				templateId: ' 77 ',
				options: { templateHeader: 'Invoice' },
			}),
		).toMatchObject({
			ok: true,
			value: { template: { id: '77', header: 'Invoice' } },
		});
		expect(
			parseSendSettings({ application: 8, content: 'template', templateId: '', options: {} }),
		).toMatchObject({ ok: false });
		expect(
			parseSendSettings({
				application: 8,
				content: 'template',
				templateId: '7',
				options: { templateHeader: 'x'.repeat(61) },
			}),
		).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/"Template Header" has 61 characters/),
		});
		expect(
			parseSendSettings({ application: 8, options: { allowedPrefixes: '+44, 353' } }),
		).toMatchObject({ ok: true, value: { allowedPrefixes: ['44', '353'] } });
		expect(
			parseSendSettings({ application: 8, options: { allowedPrefixes: '44;353' } }),
		).toMatchObject({ ok: false });
		expect(parseSendSettings({ application: 8, options: { maxRecipients: -1 } })).toMatchObject({
			ok: false,
		});
	});
});

describe('buildPushBody', () => {
	it('a template push: id and language at the top, values per row, a row language only where it differs', () => {
		const body = buildPushBody({ application: '8', priority: '0', template: { id: '77' } }, [
			{ number: '1', templateValues: ['a', 'b'], language: 'en' },
			{ number: '2', templateValues: ['c', 'd'], language: 'es', media: 'https://x/y.jpg' },
		]);
		expect(body).toEqual({
			application: '8',
			priority: '0',
			template_id: '77',
			language: 'en',
			data: [
				{ number: '1', template_message: ['a', 'b'] },
				{ number: '2', template_message: ['c', 'd'], language: 'es', media: 'https://x/y.jpg' },
			],
		});
	});

	it('a text push: empty global message, each row its own text', () => {
		expect(
			buildPushBody({ application: '3', priority: '1', globalMedia: 'https://x/a.jpg' }, [
				{ number: '1', message: 'hi' },
			]),
		).toEqual({
			application: '3',
			priority: '1',
			globalmedia: 'https://x/a.jpg',
			globalmessage: '',
			data: [{ number: '1', message: 'hi' }],
		});
	});
});

describe('Check WhatsApp Numbers settings', () => {
	it('a lookup waits up to 180 s for an answer by default (a phone-automation lookup may take 120 s); a set value holds', () => {
		const settings = parseSendSettings({ application: 8, options: {}, lookup: true });
		expect(settings.ok && settings.value.timeoutMs).toBe(180_000);
		const set = parseSendSettings({
			application: 8,
			options: { requestTimeoutSeconds: 30 },
			lookup: true,
		});
		expect(set.ok && set.value.timeoutMs).toBe(30_000);
		const message = parseSendSettings({ application: 8, options: {} });
		expect(message.ok && message.value.timeoutMs).toBe(60_000);
	});

	it('a lookup of a number and a message to it never stand for each other in the send record', () => {
		const row = () => ({ itemIndex: 0, number: '447700900001' });
		const send = parseSendSettings({ application: 8, options: {} });
		const look = parseSendSettings({ application: 8, options: {}, lookup: true });
		if (!send.ok || !look.ok) throw new Error('settings');
		expect(withDigests([row()], look.value)[0].digest).not.toBe(
			withDigests([row()], send.value)[0].digest,
		);
	});
});
