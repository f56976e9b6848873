/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * Media From Binary Field: a row's own file from an earlier node, sent as `data[].media_code` (raw base64) with
 * `media_name`, through the real engine against the sandbox. Files are in n8n's in-memory binary mode here (the
 * bytes as base64 in the item); the end-to-end suite sends them from n8n 2.x's filesystem mode too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BinaryDataService } from 'n8n-core';
import type { IBinaryData, IBinaryKeyData, IDataObject } from 'n8n-workflow';

import { mediaBytes } from '../sandbox/media';
import {
	CONTINUE,
	detailsOf,
	errorMessageOf,
	runError,
	sandboxForFile,
	send,
	stateOf,
} from './helpers';

const sandbox = sandboxForFile();
const MB = 1024 * 1024;

function file(bytes: number, mimeType: string, fileName: string): IBinaryKeyData {
	const data: IBinaryData = {
		data: mediaBytes(bytes).toString('base64'),
		mimeType,
		fileName,
	};
	return { data };
}

const PDF = file(300_000, 'application/pdf', 'invoice-0042.pdf');
const rows = (count: number): IDataObject[] =>
	Array.from({ length: count }, (_, i) => ({
		number: `4477009${String(i).padStart(5, '0')}`,
		message: `Your invoice ${i}`,
	}));
const FILES = { mediaBinaryProperty: 'data' };

function pushedRows(): IDataObject[][] {
	return sandbox.current.pushes().map((push) => push.body.data as IDataObject[]);
}

test('a row with the file sends its bytes as raw base64 with the file name; a row without it sends no file', async () => {
	const result = await send(sandbox.current, rows(2), { options: FILES, binary: [PDF] });
	expect(result.error).toBeUndefined();
	const [data] = pushedRows();
	expect(data).toHaveLength(2);
	expect(data[0]).toEqual({
		number: '447700900000',
		message: 'Your invoice 0',
		media_code: mediaBytes(300_000).toString('base64'),
		media_name: 'invoice-0042.pdf',
	});
	expect(data[1]).toEqual({ number: '447700900001', message: 'Your invoice 1' });
	expect(result.output.map((item) => item.json.state)).toEqual(['accepted', 'accepted']);
	// The output carries the msg_id, never the file's bytes.
	expect(JSON.stringify(result.output[0].json)).not.toContain(data[0].media_code as string);
});

test('an image goes without media_name (Picky Assist shows names for documents only); a long name keeps its extension', async () => {
	const photo = file(2000, 'image/png', 'receipt.png');
	const long = file(2000, 'application/pdf', 'statement-for-march-2026-final.pdf');
	const result = await send(sandbox.current, rows(2), { options: FILES, binary: [photo, long] });
	expect(result.error).toBeUndefined();
	const [data] = pushedRows();
	expect(data[0]).not.toHaveProperty('media_name');
	expect(data[0].media_code).toBe(mediaBytes(2000).toString('base64'));
	expect(data[1].media_name).toBe('statement-for-ma.pdf');
});

test('a row with both a Media URL and a file sends the URL, not the file', async () => {
	const input = rows(1).map((row) => ({ ...row, url: 'https://files.example/terms.pdf' }));
	const result = await send(sandbox.current, input, {
		options: { ...FILES, mediaUrl: '={{ $json.url }}' },
		binary: [PDF],
	});
	expect(result.error).toBeUndefined();
	const [data] = pushedRows();
	expect(data[0]).toEqual({
		number: '447700900000',
		message: 'Your invoice 0',
		media: 'https://files.example/terms.pdf',
	});
});

test("a file over its kind's limit is refused before anything is sent, naming the item, the field and the limit", async () => {
	const big = file(5 * MB + 1, 'image/jpeg', 'photo.jpg');
	const result = await send(sandbox.current, rows(3), { options: FILES, binary: [PDF, PDF, big] });
	const error = runError(result);
	expect(error.message).toContain('item 2');
	expect(error.message).toContain('Media From Binary Field');
	expect(error.message).toContain('over the 5 MB Picky Assist takes for an image');
	expect(sandbox.current.pushes()).toHaveLength(0);
});

test('with Continue, the oversized row gets its error item and the others are sent', async () => {
	const big = file(16 * MB + 1, 'video/mp4', 'clip.mp4');
	const result = await send(sandbox.current, rows(2), {
		options: { ...FILES, maxPushMegabytes: 40 },
		binary: [big, PDF],
		onError: CONTINUE,
	});
	expect(result.output.map(stateOf)).toEqual(['rejected', 'accepted']);
	expect(errorMessageOf(result.output[0])).toContain(
		'over the 16 MB Picky Assist takes for a video',
	);
	expect(detailsOf(result.output[0]).field).toBe('media from binary field');
	expect(pushedRows()).toEqual([[expect.objectContaining({ number: '447700900001' })]]);
});

describe('channels that take no media per row', () => {
	test.each([1, 2, 10])(
		'application %s: a row with a file is refused; a row without one is sent',
		async (application) => {
			const result = await send(sandbox.current, rows(2), {
				parameters: { application },
				options: FILES,
				binary: [PDF],
				onError: CONTINUE,
			});
			expect(result.output.map(stateOf)).toEqual(['rejected', 'accepted']);
			expect(errorMessageOf(result.output[0])).toContain(
				`cannot be sent per row on application ${application}`,
			);
			expect(pushedRows()).toEqual([[{ number: '447700900001', message: 'Your invoice 1' }]]);
		},
	);

	test("a row's Media URL is refused the same way (it used to reach Picky Assist and fail there)", async () => {
		const input = rows(1).map((row) => ({ ...row, url: 'https://files.example/terms.pdf' }));
		const result = await send(sandbox.current, input, {
			parameters: { application: 1 },
			options: { mediaUrl: '={{ $json.url }}' },
		});
		expect(runError(result).message).toContain('Media URL');
		expect(runError(result).message).toContain('cannot be sent per row on application 1');
		expect(sandbox.current.pushes()).toHaveLength(0);
	});

	test('a shared number or channel id takes them', async () => {
		const result = await send(sandbox.current, rows(1), {
			parameters: { application: 'custom', customApplication: '919737001155' },
			options: FILES,
			binary: [PDF],
		});
		expect(result.error).toBeUndefined();
		expect(pushedRows()[0][0]).toHaveProperty('media_code');
	});
});

describe('Max Push Size', () => {
	test('30 rows with a 1 MB file each under 5 MB: ten pushes of three, every body under the cap, every row its msg_id', async () => {
		const oneMb = file(MB, 'application/pdf', 'report.pdf');
		const result = await send(sandbox.current, rows(30), {
			options: { ...FILES, maxPushMegabytes: 5 },
			binary: Array.from({ length: 30 }, () => oneMb),
		});
		expect(result.error).toBeUndefined();
		const pushes = sandbox.current.pushes();
		expect(pushes.map((push) => (push.body.data as unknown[]).length)).toEqual(Array(10).fill(3));
		for (const push of pushes) expect(Buffer.byteLength(push.rawBody)).toBeLessThanOrEqual(5 * MB);
		const msgIds = result.output.map((item) => item.json.msg_id);
		expect(new Set(msgIds).size).toBe(30);
		expect(result.output.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 30 }, (_, item) => ({ item })),
		);
	});

	test('a file that cannot fit one push on its own is refused with the way out', async () => {
		const doc = file(4 * MB, 'application/pdf', 'big.pdf');
		const result = await send(sandbox.current, rows(1), {
			options: { ...FILES, maxPushMegabytes: 5 },
			binary: [doc],
		});
		expect(runError(result).message).toContain(
			'too large for one push under Max Push Size (5.0 MB',
		);
		expect(sandbox.current.pushes()).toHaveLength(0);
	});

	test.each([['0'], [0.5], ['lots'], [500]])('%j is refused as Max Push Size', async (value) => {
		const result = await send(sandbox.current, rows(1), {
			options: { ...FILES, maxPushMegabytes: value },
			binary: [PDF],
		});
		expect(runError(result).message).toContain(
			'"Max Push Size (MB)" must be a number from 1 to 140',
		);
		expect(sandbox.current.pushes()).toHaveLength(0);
	});
});

test('the field name from an expression must be text: a number is refused before anything is sent', async () => {
	const result = await send(sandbox.current, rows(1), {
		options: { mediaBinaryProperty: '={{ 5 }}' },
		binary: [PDF],
	});
	expect(runError(result).message).toContain(
		'"Media From Binary Field" must be the name of a binary field',
	);
	expect(sandbox.current.pushes()).toHaveLength(0);
});

test('Skip Duplicate Rows: the same number and text with another file is another message; with the same file it is a duplicate', async () => {
	const other = file(300_000, 'application/pdf', 'invoice-0043.pdf');
	(other.data as IBinaryData).data = mediaBytes(300_001).subarray(1).toString('base64');
	const input = [rows(1)[0], rows(1)[0], rows(1)[0]];
	const result = await send(sandbox.current, input, {
		options: { ...FILES, skipDuplicateRows: true },
		binary: [PDF, other, PDF],
		onError: CONTINUE,
	});
	expect(result.output.map(stateOf)).toEqual(['accepted', 'accepted', 'rejected']);
	expect(errorMessageOf(result.output[2])).toContain('duplicate of item 0');
});

test('Validate Only reads no bytes and sends nothing: the entry names the file, the item says what would go', async () => {
	const result = await send(sandbox.current, rows(2), {
		options: { ...FILES, dryRun: true },
		binary: [PDF],
	});
	expect(result.error).toBeUndefined();
	expect(sandbox.current.requests).toHaveLength(0);
	expect(result.output[0].json).toEqual({
		state: 'valid',
		push: 1,
		entry: { number: '447700900000', message: 'Your invoice 0', media_name: 'invoice-0042.pdf' },
		media_file: {
			file_name: 'invoice-0042.pdf',
			mime_type: 'application/pdf',
			bytes: 300_000,
			sent_as: 'document',
		},
	});
	expect(result.output[1].json).not.toHaveProperty('media_file');
});

test('a file n8n can no longer read is rejected before its push: nothing is sent for it or after it', async () => {
	// A file in n8n's filesystem mode that this n8n has no store for: its size is known, its bytes are not.
	const gone: IBinaryKeyData = {
		data: {
			data: 'filesystem-v2',
			id: 'filesystem-v2:workflows/1/executions/1/binary_data/missing',
			mimeType: 'application/pdf',
			fileName: 'gone.pdf',
			bytes: 1000,
		},
	};
	const result = await send(sandbox.current, rows(3), {
		options: { ...FILES, batchSize: 1 },
		binary: [PDF, gone, PDF],
	});
	const error = runError(result);
	expect(error.message).toContain('item 1: "Media From Binary Field" could not be read');
	// The first push went; the second was never sent, nor the third.
	expect(pushedRows().map((data) => data[0].number)).toEqual(['447700900000']);
	expect(error.description).toContain('item 0');
});

describe("n8n's filesystem binary mode (2.x's default; 1.x with N8N_DEFAULT_BINARY_DATA_MODE=filesystem)", () => {
	let store: Awaited<ReturnType<typeof fileStore>>;

	beforeAll(async () => {
		store = await fileStore();
	});
	afterAll(() => store.remove());

	test("the bytes are read from n8n's store when the push is built; without `bytes` (1.x) the size comes from the file's metadata", async () => {
		const stored = await store.store(mediaBytes(70_000), 'report.pdf');
		const from1x = await store.store(mediaBytes(50_000), 'old.pdf');
		expect(stored.id).toMatch(/^filesystem-v2:/);
		delete from1x.bytes;
		const result = await send(sandbox.current, rows(2), {
			options: FILES,
			binary: [{ data: stored }, { data: from1x }],
		});
		expect(result.error).toBeUndefined();
		const [data] = pushedRows();
		expect(data.map((row) => row.media_code)).toEqual([
			mediaBytes(70_000).toString('base64'),
			mediaBytes(50_000).toString('base64'),
		]);
	});

	test('a 1.x file over its limit is refused by the size in its metadata', async () => {
		const big = await store.store(mediaBytes(5 * MB + 10), 'photo.jpg');
		big.mimeType = 'image/jpeg';
		delete big.bytes;
		const result = await send(sandbox.current, rows(1), {
			options: FILES,
			binary: [{ data: big }],
		});
		expect(runError(result).message).toContain('over the 5 MB Picky Assist takes for an image');
		expect(sandbox.current.pushes()).toHaveLength(0);
	});
});

/**
 * n8n-core's binary data service in filesystem mode, in a folder of its own: what real n8n 2.x uses by default.
 * The harness's n8n-core reads binary data through the same service.
 */
async function fileStore() {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-binary-'));
	process.env.N8N_BINARY_DATA_STORAGE_PATH = folder;
	// n8n-core's own copy of its dependency-injection container, the one the harness's engine uses.
	const di = (await import(
		require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] })
	)) as {
		Container: { get<T>(type: new (...args: never[]) => T): T };
	};
	const service = di.Container.get(BinaryDataService);
	await service.init();
	const location = { type: 'execution' as const, workflowId: 'bench', executionId: 'files' };
	return {
		store: async (bytes: Buffer, fileName: string) =>
			await service.store(location, bytes, { mimeType: 'application/pdf', fileName, data: '' }),
		remove: () => fs.rmSync(folder, { recursive: true, force: true }),
	};
}

test.each(['__proto__', 'data.constructor'])(
	'%j is no binary field name: refused before anything is read or sent',
	async (name) => {
		const result = await send(sandbox.current, rows(1), {
			options: { mediaBinaryProperty: name },
			binary: [PDF],
		});
		expect(runError(result).message).toContain(
			`"Media From Binary Field" must be the name of one binary field, such as data, got "${name}"`,
		);
		expect(sandbox.current.pushes()).toHaveLength(0);
	},
);

test('a field that holds something other than a file (a text in the binary map) is no file: the row sends its text', async () => {
	const odd = {
		data: { mimeType: 'application/pdf', fileName: 'x.pdf' },
	} as unknown as IBinaryKeyData;
	const result = await send(sandbox.current, rows(1), { options: FILES, binary: [odd] });
	expect(result.error).toBeUndefined();
	expect(pushedRows()).toEqual([[{ number: '447700900000', message: 'Your invoice 0' }]]);
});
