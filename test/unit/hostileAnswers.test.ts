/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-hardcoded-secrets -- test code: runs in Node.js and never ships */
/**
 * What a hostile or broken server can put in an answer: the token echoed back (whole, escaped, cut, split by
 * tags), ids too large for a double, redirects, contradictions, and bodies built to make a parser backtrack.
 */
import { classifyPushResponse } from '../../nodes/PickyAssist/helpers/apiResponse';
import { parseJsonText } from '../../nodes/PickyAssist/helpers/jsonText';
import { excerpt, redact, stripTags } from '../../nodes/PickyAssist/helpers/redaction';

const TOKEN = 'tok_LIVE_9f8e7d6c5b4a3210';
const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('redact: the token in any form', () => {
	it.each([
		['as is', `error for ${TOKEN}!`],
		['JSON-escaped', `{"message":${JSON.stringify(`bad "${TOKEN}"`)}}`],
		['twice', `${TOKEN}${TOKEN}`],
		['URL-encoded', `token=${encodeURIComponent(TOKEN)}`],
		['cut at the end of the text', `echo: ${TOKEN.slice(0, 14)}`],
		['cut at its start', `${TOKEN.slice(-13)} was refused`],
		['the first half inside other text', `x${TOKEN.slice(0, 13)}y`],
	])('%s', (_label, text) => {
		const result = redact(text, TOKEN);
		expect(result).toContain('[redacted]');
		expect(result).not.toContain(TOKEN.slice(0, 12));
		expect(result).not.toContain(TOKEN.slice(-12));
	});

	it('a token with quotes and backslashes, JSON-escaped once and twice', () => {
		const odd = 'a"b\\c\u0001d-0123456789';
		const once = JSON.stringify(odd).slice(1, -1);
		const twice = JSON.stringify(once).slice(1, -1);
		for (const text of [`[${once}]`, `[${twice}]`]) expect(redact(text, odd)).toBe('[[redacted]]');
	});

	it('short parts of the token and ordinary text are left alone', () => {
		expect(redact('tok_ and LIVE are words', TOKEN)).toBe('tok_ and LIVE are words');
	});

	it('a token split by HTML tags is caught once the tags are stripped for a message', () => {
		const body = `<p>Denied: ${TOKEN.slice(0, 9)}<b></b>${TOKEN.slice(9)}</p>`;
		const shown = excerpt(body, TOKEN);
		expect(shown).not.toContain(TOKEN.slice(0, 12));
		expect(shown).toContain('[redacted]');
	});

	it.each([
		['an empty tag', `<p>Denied: ${TOKEN.slice(0, 9)}<b></b>${TOKEN.slice(9)}</p>`],
		[
			'a tag around its middle',
			`<p>Denied: ${TOKEN.slice(0, 8)}<b>${TOKEN.slice(8, 16)}</b>${TOKEN.slice(16)}</p>`,
		],
		[
			'a tag in each third',
			`${TOKEN.slice(0, 8)}<i>${TOKEN.slice(8, 16)}</i><br/>${TOKEN.slice(16)}`,
		],
	])(
		'a token split by %s is redacted by redact itself: whoever strips the tags later sees none of it',
		(_label, body) => {
			const redacted = redact(body, TOKEN);
			for (const view of [redacted, stripTags(redacted)]) {
				expect(view).not.toContain(TOKEN.slice(0, 8));
				expect(view).not.toContain(TOKEN.slice(-8));
				expect(view).not.toContain(TOKEN.slice(8, 16));
			}
			expect(stripTags(redacted)).toContain('[redacted]');
		},
	);

	it('a token split by tags in an answer is not shown by the verdict (which strips tags without the token)', () => {
		const body = `<html><p>Bad token ${TOKEN.slice(0, 8)}<b>${TOKEN.slice(8, 16)}</b>${TOKEN.slice(16)}</p></html>`;
		const verdict = classifyPushResponse(400, redact(body, TOKEN), undefined, NOW);
		expect(JSON.stringify(verdict)).not.toContain(TOKEN.slice(8, 16));
		expect(JSON.stringify(verdict)).toContain('[redacted]');
	});

	it('redacts before cutting: a token across the excerpt boundary leaves nothing of itself', () => {
		const body = `${'x'.repeat(190)}${TOKEN}`;
		const shown = excerpt(body, TOKEN, 200);
		expect(shown).not.toMatch(/tok_LIVE|9f8e7d6c/);
	});
});

describe('stripTags', () => {
	it('removes tags and keeps a lone "<" as text', () => {
		expect(stripTags('<html><body>5 < 6 <b>ok</b></body></html>')).toBe('5 < 6 ok');
		expect(stripTags('a < b')).toBe('a < b');
	});
});

/**
 * Time is checked as growth, not against a clock: a busy machine slows every run alike, but an answer handled in
 * quadratic time (as the old tag pattern did) takes 16 times as long for 4 times the text, a linear one 4 times.
 */
describe('linear time for any answer: 4 times the text takes well under 16 times as long', () => {
	const shapes: Array<[string, string]> = [
		['1 MB of "<"', '<'.repeat(1_000_000)],
		['1 MB of "<a"', '<a'.repeat(500_000)],
		['1 MB of "<>"', '<>'.repeat(500_000)],
		['1 MB of digits', '1'.repeat(1_000_000)],
		['1 MB of quotes and backslashes', '"\\'.repeat(500_000)],
		['1 MB of whitespace', ' \n'.repeat(500_000)],
		['1 MB with the token every 100 characters', `${'y'.repeat(76)}${TOKEN}`.repeat(10_000)],
	];
	it.each(shapes)(
		'%s: classified and excerpted in linear time, excerpt bounded',
		(_label, body) => {
			const handle = (answer: string) => {
				const text = redact(answer, TOKEN);
				const verdicts = [200, 500, 400, 302].map((status) =>
					classifyPushResponse(status, text, undefined, NOW),
				);
				return { verdicts, shown: excerpt(answer, TOKEN) };
			};
			// Processor time, not wall time, and the least of five runs of each size: the machine's other work and
			// this process's own pauses do not count.
			const timeOf = (answer: string) => {
				let best = Infinity;
				for (let run = 0; run < 5; run++) {
					const started = process.cpuUsage();
					handle(answer);
					const { user, system } = process.cpuUsage(started);
					best = Math.min(best, (user + system) / 1000);
				}
				return best;
			};
			// Compared at 1 MB and 4 MB: below about a quarter of a megabyte some steps run in a faster regime (the
			// text fits the processor's caches), which would make even linear growth look steep.
			const larger = body.repeat(4);
			handle(body); // compiled and warm before anything is timed
			const [one, four] = [timeOf(body), timeOf(larger)];
			// Under a few milliseconds the ratio is noise; then it must stay well below quadratic growth (16 times).
			if (four > 20) expect(four / one).toBeLessThan(10);
			const { verdicts, shown } = handle(body);
			expect(shown.length).toBeLessThanOrEqual(201);
			for (const verdict of verdicts) {
				const message =
					verdict.kind === 'unknown'
						? verdict.reason
						: verdict.kind === 'accepted'
							? ''
							: verdict.apiMessage;
				expect(message.length).toBeLessThan(400);
				expect(message).not.toContain(TOKEN);
			}
		},
	);
});

describe('parseJsonText: ids keep every digit', () => {
	it('integers beyond 2^53 become strings with the exact digits sent', () => {
		const parsed = parseJsonText(
			'{"status":100,"push_id":90071992547409931,"data":[{"msg_id":12345678901234567890,"number":447700900123},{"msg_id":12345678901234567891}]}',
		) as { push_id: unknown; data: Array<{ msg_id: unknown; number: unknown }> };
		expect(parsed.push_id).toBe('90071992547409931');
		expect(parsed.data[0].msg_id).toBe('12345678901234567890');
		expect(parsed.data[1].msg_id).toBe('12345678901234567891');
		expect(parsed.data[0].number).toBe(447700900123);
	});

	it('leaves strings, decimals, exponents and safe integers alone', () => {
		const text =
			'{"a":"12345678901234567890","b":0.005,"c":1e21,"d":-9007199254740991,"e":[1,2],"f":"x\\"12345678901234567890"}';
		expect(parseJsonText(text)).toEqual(JSON.parse(text));
	});

	it.each([
		['after a colon and spaces', '{"id" :  12345678901234567890}', { id: '12345678901234567890' }],
		['after a comma and a newline', '[1,\n\t-12345678901234567890]', [1, '-12345678901234567890']],
		['after a bracket and a space', '[ 12345678901234567890 ]', ['12345678901234567890']],
		['as the whole text', ' 12345678901234567890', '12345678901234567890'],
		['of exactly 16 digits', '{"id":9007199254740993}', { id: '9007199254740993' }],
	])('an unsafe integer %s keeps its digits', (_label, text, expected) => {
		expect(parseJsonText(text)).toEqual(expected);
	});

	it('negative unsafe integers too; not JSON → undefined', () => {
		expect(parseJsonText('[-12345678901234567890]')).toEqual(['-12345678901234567890']);
		expect(parseJsonText('<html>')).toBeUndefined();
		expect(parseJsonText('')).toBeUndefined();
	});
});

describe('classifyPushResponse: answers that are not a push result', () => {
	const queued = JSON.stringify({ status: 100, push_id: '1', message: 'Success', data: [] });

	it.each([307, 308])(
		'HTTP %i → rejected: the server says it did not process the request here',
		(status) => {
			const verdict = classifyPushResponse(status, queued, undefined, NOW);
			expect(verdict).toMatchObject({ kind: 'rejected', httpStatus: status });
			if (verdict.kind === 'rejected') expect(verdict.hint).toMatch(/redirect/i);
		},
	);

	it.each([300, 301, 302, 303, 304, 305, 399])(
		'HTTP %i → unknown, even with a body that says queued',
		(status) => {
			expect(classifyPushResponse(status, queued, undefined, NOW)).toMatchObject({
				kind: 'unknown',
				httpStatus: status,
			});
			expect(classifyPushResponse(status, '', undefined, NOW).kind).toBe('unknown');
		},
	);

	it.each([400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 599])(
		'HTTP %i with a body that says status 100 → unknown (the answer contradicts itself)',
		(status) => {
			const verdict = classifyPushResponse(status, queued, undefined, NOW);
			expect(verdict.kind).toBe('unknown');
			if (verdict.kind === 'unknown') expect(verdict.reason).toMatch(/contradicts/);
		},
	);

	it('2xx other than 200 with status 100 is still accepted; 1xx is not a result', () => {
		expect(classifyPushResponse(201, queued, undefined, NOW).kind).toBe('accepted');
		expect(classifyPushResponse(199, queued, undefined, NOW).kind).toBe('unknown');
	});

	it('a push_id that is a huge JSON number keeps its digits', () => {
		const verdict = classifyPushResponse(
			200,
			'{"status":100,"push_id":98765432109876543210,"data":[]}',
			undefined,
			NOW,
		);
		expect(verdict).toMatchObject({ kind: 'accepted', pushId: '98765432109876543210' });
	});
});
