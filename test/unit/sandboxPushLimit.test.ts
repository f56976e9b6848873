/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * The sandbox's account limit (pushLimit): per token, pushes over N in any sliding window are answered exactly like
 * accepted ones and dropped — never delivered, no events, no delivery report, no credit spent — and counted.
 */
import axios from 'axios';
import * as http from 'node:http';

import { startSandbox, type Sandbox } from '../sandbox';

const A = 'tok_account_A_0123456789';
const B = 'tok_account_B_0123456789';
const client = axios.create({ validateStatus: () => true, timeout: 5000, proxy: false });
const row = (n: number) => ({ number: `4477009${String(n).padStart(5, '0')}`, message: `Hi ${n}` });
const body = (token: string, rows = [row(1), row(2)]) => ({ token, application: '8', data: rows });

let now = 1_700_000_000_000;
let sb: Sandbox;
const push = (token = A, rows?: Array<{ number: string; message: string }>) =>
	client.post(`${sb.url}/api/v2/push`, body(token, rows));

beforeEach(async () => {
	now = 1_700_000_000_000;
	sb = await startSandbox({
		tokens: [A, B],
		pushLimit: { pushes: 3, windowMs: 60_000 },
		now: () => now,
	});
});
afterEach(() => sb.close());

describe('pushLimit', () => {
	it('answers a push over the limit exactly like an accepted one, then drops it', async () => {
		const answers = [];
		for (let i = 0; i < 4; i++) {
			answers.push(await push());
			now += 1000;
		}
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
		// Same shape and fresh ids: nothing in the answer tells the client its push was dropped.
		expect(answers[3].data).toEqual({
			status: 100,
			push_id: '7478633',
			message: 'Success',
			data: [
				{ msg_id: '9844223', number: row(1).number, credit: '0.005' },
				{ msg_id: '9844224', number: row(2).number, credit: '0.005' },
			],
		});
		expect(sb.acceptedPushes.map((a) => a.push_id)).toEqual(['7478630', '7478631', '7478632']);
		expect(sb.droppedPushes.map((d) => [d.push_id, d.droppedAt])).toEqual([
			['7478633', 1_700_000_003_000],
		]);
		expect(sb.droppedCount(A)).toBe(1);
		expect(sb.droppedCount(B)).toBe(0);
		expect(sb.droppedCount()).toBe(1);
		expect(sb.balance).toBe(1000 - 3 * 2 * 0.005); // not processed: no credit spent
		// Not processed: Picky Assist knows nothing of it.
		const report = await client.post(`${sb.url}/api/v2/delivery-report`, {
			token: A,
			push_id: '7478633',
		});
		expect(report.data).toEqual({ status: 410, message: 'Invalid Request: unknown push_id' });
	});

	it('is a sliding window of processed pushes; dropped pushes do not count', async () => {
		for (const t of [0, 20_000, 40_000]) {
			now = 1_700_000_000_000 + t;
			await push();
		}
		now = 1_700_000_059_999; // the first push is still inside the window
		await push();
		await push();
		expect(sb.droppedCount(A)).toBe(2);
		now = 1_700_000_060_000; // the first push has left the window: one slot, whatever was dropped meanwhile
		await push();
		await push();
		expect(sb.acceptedPushes).toHaveLength(4);
		expect(sb.droppedCount(A)).toBe(3);
		now = 1_700_000_080_000; // the second one has left too
		await push();
		expect(sb.acceptedPushes).toHaveLength(5);
	});

	it('counts per token: one account over its limit does not touch another', async () => {
		for (let i = 0; i < 5; i++) await push(A);
		for (let i = 0; i < 3; i++) await push(B);
		expect(sb.droppedCount(A)).toBe(2);
		expect(sb.droppedCount(B)).toBe(0);
		await push(B);
		expect(sb.droppedCount(B)).toBe(1);
	});

	it('rejected pushes are answered as usual; those past the limiter count (they reached Picky Assist)', async () => {
		const bad = await push(A, [{ number: '0123', message: 'x' }]);
		expect(bad.data.status).toBe(406);
		await push();
		await push();
		const over = await push(A, [{ number: '0123', message: 'x' }]);
		expect(over.data.status).toBe(406); // still the real error, not a fake acceptance
		expect((await push()).data.status).toBe(100);
		expect(sb.acceptedPushes).toHaveLength(2);
		expect(sb.droppedCount(A)).toBe(1);
	});

	it('schedules no delivery events for a dropped push', async () => {
		const received: string[] = [];
		const receiver = http.createServer((req, res) => {
			let text = '';
			req.on('data', (d) => (text += d));
			req.on('end', () => {
				for (const e of JSON.parse(text).data) received.push(e.push_id);
				res.end('{}');
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		try {
			const { port } = receiver.address() as { port: number };
			sb.configure({
				eventWebhookUrl: `http://127.0.0.1:${port}/hook`,
				eventDelaysMs: { submitted: 1, delivered: 2 },
			});
			for (let i = 0; i < 5; i++) await push();
			for (let i = 0; i < 100 && sb.pendingWebhooks > 0; i++)
				await new Promise((r) => setTimeout(r, 20));
			expect([...new Set(received)].sort()).toEqual(['7478630', '7478631', '7478632']);
			expect(received).toHaveLength(3 * 2 * 2); // two steps, two messages each
		} finally {
			await new Promise((r) => receiver.close(r));
		}
	});

	it('is read by GET /__sandbox/dropped-pushes (per token, tokens never listed) and /__sandbox/state', async () => {
		for (let i = 0; i < 4; i++) await push(A);
		for (let i = 0; i < 5; i++) await push(B);
		const all = await client.get(`${sb.url}/__sandbox/dropped-pushes`);
		expect(all.data).toEqual({
			pushLimit: { pushes: 3, windowMs: 60_000 },
			count: 3,
			pushes: [
				{ push_id: '7478633', seq: 4, rows: 2, droppedAt: now },
				{ push_id: '7478637', seq: 8, rows: 2, droppedAt: now },
				{ push_id: '7478638', seq: 9, rows: 2, droppedAt: now },
			],
		});
		expect(JSON.stringify(all.data)).not.toContain(A);
		const ofB = await client.get(`${sb.url}/__sandbox/dropped-pushes?token=${B}`);
		expect(ofB.data.count).toBe(2);
		expect((await client.get(`${sb.url}/__sandbox/state`)).data).toEqual(
			expect.objectContaining({ acceptedPushes: 6, droppedPushes: 3, pushes: 9 }),
		);
	});

	it('is set live by configure() and POST /__sandbox/config, checked first, off by default; reset() clears it', async () => {
		const bad = await client.post(`${sb.url}/__sandbox/config`, { pushLimit: { pushes: 0 } });
		expect(bad.status).toBe(400);
		expect(sb.pushLimit).toEqual({ pushes: 3, windowMs: 60_000 });
		for (const v of [-1, 1.5, '3', { pushes: 2, windowMs: 0 }, { pushes: 2, extra: 1 }, [3]])
			expect(() => sb.configure({ pushLimit: v as never })).toThrow(RangeError);
		expect((await client.post(`${sb.url}/__sandbox/config`, { pushLimit: 1 })).status).toBe(200);
		expect(sb.pushLimit).toEqual({ pushes: 1, windowMs: 60_000 });
		await push();
		await push();
		expect(sb.droppedCount()).toBe(1);
		sb.reset();
		expect(sb.droppedPushes).toEqual([]);
		await push(); // the window was cleared with the rest
		expect(sb.droppedCount()).toBe(0);
		sb.configure({ pushLimit: 'off' });
		for (let i = 0; i < 10; i++) await push();
		expect(sb.droppedCount()).toBe(0);
		// The pushes made while it was off still count when it is switched on again.
		sb.configure({ pushLimit: { pushes: 11, windowMs: 1000 } });
		await push();
		expect(sb.droppedCount()).toBe(1);

		const plain = await startSandbox();
		try {
			expect(plain.pushLimit).toBeNull();
			for (let i = 0; i < 120; i++)
				await client.post(`${plain.url}/api/v2/push`, body('any-token', [row(i)]));
			expect(plain.acceptedPushes).toHaveLength(120);
			expect(plain.droppedPushes).toHaveLength(0);
		} finally {
			await plain.close();
		}
	});
});
