/** The pure checks of a row's own file sent as bytes, and pushes split under a byte cap. */
import fc from 'fast-check';

import { splitByBytes } from '../../nodes/PickyAssist/helpers/batching';
import {
	base64Size,
	checkFileSize,
	perRowMediaRefusal,
	mediaKind,
	mediaName,
} from '../../nodes/PickyAssist/helpers/mediaFile';

const MB = 1024 * 1024;

describe("a row's own file", () => {
	it.each(['1', '2', '3', '4', '5', '10'])('application %s takes no file per number', (app) => {
		expect(perRowMediaRefusal(app)).toMatch(
			`on application ${app}: per-row media works only on WhatsApp Official`,
		);
	});
	it.each(['8', '5012', '101'])(
		'application %s (Official, a channel id, a shared number) does',
		(app) => {
			expect(perRowMediaRefusal(app)).toBeUndefined();
		},
	);

	it.each([
		['image/jpeg', 'image'],
		['image/png; charset=binary', 'image'],
		['image/webp', 'document'],
		['video/mp4', 'video'],
		['video/quicktime', 'document'],
		['audio/ogg', 'audio'],
		['application/pdf', 'document'],
		[undefined, 'document'],
	])('%s is sent as %s', (type, kind) => {
		expect(mediaKind(type)).toBe(kind);
	});

	it.each([
		['image/jpeg', 5 * MB, true],
		['image/jpeg', 5 * MB + 1, false],
		['video/mp4', 16 * MB, true],
		['audio/mpeg', 16 * MB + 1, false],
		['application/pdf', 100 * MB, true],
		['application/pdf', 100 * MB + 1, false],
		['application/pdf', 0, false],
	])('%s of %d bytes fits: %s', (type, bytes, fits) => {
		expect(checkFileSize(type, bytes).ok).toBe(fits);
	});

	it('names the kind, the size and the limit', () => {
		const checked = checkFileSize('image/png', 6 * MB);
		expect(!checked.ok && checked.reason).toBe(
			'is 6.0 MB, over the 5 MB Picky Assist takes for an image',
		);
	});

	it.each([
		['invoice-0042.pdf', 'invoice-0042.pdf'],
		['a-very-long-invoice-name-2026.pdf', 'a-very-long-invo.pdf'],
		['no extension at all in this name', 'no extension at all '],
		['ünïcödé-name-with-émojis-📄.pdf', 'ünïcödé-name-wit.pdf'],
		['  ', undefined],
		[undefined, undefined],
	])('media_name of %j is %j (at most 20 characters, extension kept)', (name, shown) => {
		const result = mediaName(name);
		expect(result).toBe(shown);
		if (result) expect(Array.from(result).length).toBeLessThanOrEqual(20);
	});

	it('base64 in JSON is four characters for every three bytes, plus the quotes', () => {
		expect(base64Size(3)).toBe(6);
		expect(base64Size(1 * MB)).toBe(Buffer.alloc(MB).toString('base64').length + 2);
	});
});

describe('pushes split under a byte cap', () => {
	it('keeps order and every row, and no push over the cap unless one row alone is', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 30 }), { maxLength: 5 }),
				fc.integer({ min: 1, max: 120 }),
				(batches, cap) => {
					const rows = batches.map((batch, b) =>
						batch.map((size, i) => ({ id: `${b}.${i}`, size })),
					);
					const split = splitByBytes(rows, (row) => row.size, cap);
					expect(split.flat().map((row) => row.id)).toEqual(rows.flat().map((row) => row.id));
					for (const push of split) {
						const bytes = push.reduce((sum, row) => sum + row.size, 0);
						if (push.length > 1) expect(bytes).toBeLessThanOrEqual(cap);
						expect(push.length).toBeGreaterThan(0);
					}
				},
			),
		);
	});

	it('500 rows of 1 MB files under a 20 MB cap: pushes of 14 rows, never the whole batch at once', () => {
		const rows = Array.from({ length: 500 }, (_, i) => ({ i, size: base64Size(MB) }));
		const split = splitByBytes([rows], (row) => row.size, 20 * MB);
		expect(Math.max(...split.map((push) => push.length))).toBe(14);
		expect(split).toHaveLength(Math.ceil(500 / 14));
	});
});
