/**
 * The pure parts of Get Delivery Report, Get Balance and the Picky Assist Trigger: statuses, report mapping,
 * balance reading, webhook payloads, the secret check and the memory of recent events.
 */
import { reportItems } from '../../nodes/PickyAssist/actions/message/deliveryReport';
import { readBalance } from '../../nodes/PickyAssist/helpers/balance';
import { readDeliveryStatus } from '../../nodes/PickyAssist/helpers/deliveryStatus';
import { RecentEvents, REMEMBER_MS } from '../../nodes/PickyAssist/trigger/recentEvents';
import { readWebhookPayload } from '../../nodes/PickyAssist/trigger/webhookPayload';
import { secretMatches } from '../../nodes/PickyAssist/trigger/webhookSecret';

describe('readDeliveryStatus', () => {
	it.each([
		['0', 'unknown', 0],
		['1', 'delivered', 1],
		[2, 'failed', 2],
		[' 3 ', 'read', 3],
		['4', 'submitted', 4],
		['5', 'refunded', 5],
		['9', 'unknown', 9],
		['', 'unknown', undefined],
		['12', 'unknown', undefined],
		[null, 'unknown', undefined],
	])('%j → %s (%p)', (value, status, statusCode) => {
		expect(readDeliveryStatus(value)).toEqual({ status, statusCode });
	});
});

function itemsOf(reading: ReturnType<typeof reportItems>) {
	if (reading.kind !== 'items') throw new Error(`refused: ${reading.reason}`);
	return reading.items;
}

describe('reportItems', () => {
	const body = {
		status: 100,
		push_id: '7',
		data: [
			{ number: '447700900001', msg_id: '11', status: '1', error_code: '0' },
			{ number: '447700900002', msg_id: '12', status: '2', error_code: '131026' },
			{ number: '447700900003', msg_id: '13', status: '3' },
			'junk',
		],
	};

	it('one item per request with a msg_id; a msg_id not listed is pending, not an error', () => {
		const items = itemsOf(
			reportItems(
				'7',
				body,
				[
					{ itemIndex: 0, msgId: '12' },
					{ itemIndex: 1, msgId: '99' },
				],
				'T',
			),
		);
		expect(items).toEqual([
			{
				itemIndex: 0,
				json: {
					push_id: '7',
					msg_id: '12',
					number: '447700900002',
					status: 'failed',
					status_code: 2,
					error_message: '131026',
					checked_at: 'T',
				},
			},
			{ itemIndex: 1, json: { push_id: '7', msg_id: '99', status: 'pending', checked_at: 'T' } },
		]);
	});

	it('without a msg_id, every entry of the push, paired to the item that asked', () => {
		const items = itemsOf(reportItems('7', body, [{ itemIndex: 4, msgId: undefined }], 'T'));
		expect(items.map((item) => [item.itemIndex, item.json.msg_id, item.json.status])).toEqual([
			[4, '11', 'delivered'],
			[4, '12', 'failed'],
			[4, '13', 'read'],
		]);
		expect(items[0].json).not.toHaveProperty('error_message');
	});

	it('an empty report (push_id a number) leaves every asked message pending, the whole report once', () => {
		const requests = [
			{ itemIndex: 0, msgId: '1' },
			{ itemIndex: 1, msgId: undefined },
			{ itemIndex: 2, msgId: undefined },
		];
		const items = itemsOf(reportItems('7', { push_id: 7, data: [] }, requests, 'T'));
		expect(items.map((item) => [item.itemIndex, item.json.status])).toEqual([
			[0, 'pending'],
			[1, 'pending'],
		]);
	});

	it('a report of another push, or without a push_id, is refused', () => {
		const asked = [{ itemIndex: 0, msgId: undefined }];
		expect(reportItems('7', { push_id: '8', data: [] }, asked, 'T').kind).toBe('refused');
		expect(reportItems('7', { data: [] }, asked, 'T').kind).toBe('refused');
		expect(
			reportItems('7', { push_id: ' 7 ', data: [{ push_id: 9, msg_id: '1' }] }, asked, 'T').kind,
		).toBe('refused');
	});
});

describe('readBalance', () => {
	it.each([
		['2.5', 2.5],
		[' 1000 ', 1000],
		['1,234.50', 1234.5],
		[42, 42],
		['-3', -3],
		['12,34', undefined],
		['about 5', undefined],
		[null, undefined],
		[Infinity, undefined],
	])('%j → %p, raw kept as sent', (value, balance) => {
		expect(readBalance(value)).toEqual({ balance, raw: value });
	});
});

describe('secretMatches', () => {
	it('matches only the exact secret', () => {
		expect(secretMatches('s3cret', 's3cret')).toBe(true);
		expect(secretMatches(['s3cret'], 's3cret')).toBe(true);
		for (const given of ['s3cre', 's3cret!', 'S3cret', '', undefined, 42, { secret: 's3cret' }]) {
			expect(secretMatches(given, 's3cret')).toBe(false);
		}
	});
});

describe('readWebhookPayload', () => {
	it('an Event Webhook delivery report: one entry per data item, status named, fields as present', () => {
		const payload = readWebhookPayload({
			project_id: '55',
			event_id: '1',
			data: [
				{
					push_id: '7',
					msg_id: '11',
					number: '447700900001',
					status: '4',
					reference_number: 'r1',
					channel_id: '101',
				},
				{
					push_id: '7',
					msg_id: '12',
					number: '447700900002',
					status: '2',
					error_message: 'Undeliverable',
				},
				7,
			],
		});
		expect(payload.kind).toBe('events');
		if (payload.kind !== 'events') return;
		expect(payload.event).toBe('deliveryReport');
		expect(payload.skipped).toBe(1);
		expect(payload.entries.map((entry) => entry.json)).toEqual([
			{
				event: 'deliveryReport',
				project_id: '55',
				push_id: '7',
				msg_id: '11',
				number: '447700900001',
				reference_number: 'r1',
				channel_id: '101',
				status: 'submitted',
				status_code: 4,
			},
			{
				event: 'deliveryReport',
				project_id: '55',
				push_id: '7',
				msg_id: '12',
				number: '447700900002',
				error_message: 'Undeliverable',
				status: 'failed',
				status_code: 2,
			},
		]);
		expect(payload.entries[0].key).toBe('1:11:4');
	});

	it('other events by event_id; an empty data list is a valid event with nothing in it', () => {
		for (const [id, event] of [
			['2', 'whatsappFilter'],
			['3', 'groupMembership'],
			['4', 'newSubscriber'],
		]) {
			const payload = readWebhookPayload({ event_id: id, data: [] });
			expect(payload).toEqual({ kind: 'events', event, entries: [], skipped: 0, removedKeys: 0 });
		}
	});

	it('an incoming message: the decoded text, the fields under plain names, media fields and the raw payload', () => {
		const body = {
			number: '447700900001',
			name: 'Ana',
			'message-in': 'Hi+there%21+%F0%9F%91%8B',
			application: '8',
			direction: '0',
			'group-id': '',
			'context-msg-id': '11',
			media_url: 'https://x/y.jpg',
		};
		const payload = readWebhookPayload(body);
		expect(payload).toEqual({
			kind: 'incomingMessage',
			json: {
				event: 'incomingMessage',
				number: '447700900001',
				name: 'Ana',
				message: 'Hi there! 👋',
				application: '8',
				direction: '0',
				group_id: '',
				context_msg_id: '11',
				media_url: 'https://x/y.jpg',
				raw: body,
			},
			key: undefined,
			outgoing: false,
			removedKeys: 0,
		});
		const plain = readWebhookPayload({ number: '1', message_in_raw: 'a+b %zz', 'message-in': 'x' });
		expect(plain.kind === 'incomingMessage' && plain.json.message).toBe('a+b %zz');
		const broken = readWebhookPayload({ number: '1', 'message-in': '100%' });
		expect(broken.kind === 'incomingMessage' && broken.json.message).toBe('100%');
	});

	it.each([
		['not an object', 'hello'],
		['a list', [1, 2]],
		['null', null],
		['an unknown event', { event_id: '9', data: [] }],
		['data that is not a list', { event_id: '1', data: { a: 1 } }],
		['neither', { hello: 'world' }],
	])('%s is refused with a reason', (_label, body) => {
		const payload = readWebhookPayload(body);
		expect(payload.kind).toBe('invalid');
	});
});

describe('RecentEvents', () => {
	/** One webhook call: asks about each key, then saves, as the trigger does; returns the keys it let through. */
	const call = (store: Record<string, unknown>, now: number, keys: string[], max?: number) => {
		const recent = new RecentEvents(store, now, max);
		const fresh = keys.filter((key) => !recent.seenBefore(key));
		recent.save();
		return fresh;
	};
	const roundTrip = (store: Record<string, unknown>) => JSON.parse(JSON.stringify(store));

	it('drops a key seen within a day, forgets it after, and survives being saved as JSON', () => {
		const store: Record<string, unknown> = {};
		expect(call(store, 0, ['a', 'b', 'a'])).toEqual(['a', 'b']);
		expect(call(store, 1000, ['a', 'c'])).toEqual(['c']);
		const saved = roundTrip(store);
		expect(call(roundTrip(saved), REMEMBER_MS - 1, ['a', 'b', 'c'])).toEqual([]);
		expect(call(roundTrip(saved), REMEMBER_MS + 60 * 60 * 1000 + 1, ['a', 'b', 'c'])).toEqual([
			'a',
			'b',
			'c',
		]);
	});

	it('stays bounded: past the maximum the oldest keys go first', () => {
		let store: Record<string, unknown> = {};
		for (let i = 0; i < 1000; i += 10) {
			const keys = Array.from({ length: 10 }, (_, j) => `k${i + j}`);
			expect(call(store, i, keys, 100)).toEqual(keys);
			store = roundTrip(store);
		}
		expect(call(roundTrip(store), 2000, ['k999', 'k950'], 100)).toEqual([]);
		expect(call(roundTrip(store), 2000, ['k0', 'k850'], 100)).toEqual(['k0', 'k850']);
		const hours = (store.recentEvents as { hours: Array<[number, string]> }).hours;
		expect(hours.flatMap(([, keys]) => keys.split('\n')).length).toBeLessThanOrEqual(100);
	});

	it('keeps keys apart that hold line breaks, backslashes or quotes', () => {
		const tricky = ['a\nb', 'a\\nb', '"a\\nb"', 'a', 'b', '', '\\', '\n'];
		const store: Record<string, unknown> = {};
		expect(call(store, 0, tricky)).toEqual(tricky);
		expect(call(roundTrip(store), 1, tricky)).toEqual([]);
		expect(call(roundTrip(store), 2, ['a\\', 'a\\nb\n'])).toEqual(['a\\', 'a\\nb\n']);
	});

	it('leaves the static data untouched when a call remembers nothing new (n8n then writes nothing)', () => {
		const memory = {};
		const store: Record<string, unknown> = {};
		call(store, 0, ['a']);
		const saved = store.recentEvents;
		call(store, 1, ['a']);
		expect(store.recentEvents).toBe(saved);
		// save() tells the trigger whether n8n has a change to save (the trigger then answers the call itself).
		const again = new RecentEvents(store, 2);
		expect([again.seenBefore('a'), again.save()]).toEqual([true, false]);
		const fresh = new RecentEvents(store, 3);
		expect([fresh.seenBefore('b'), fresh.save()]).toEqual([false, true]);
		const empty: Record<string, unknown> = { other: memory };
		call(empty, 0, []);
		expect(empty).toEqual({ other: memory });
	});

	it('replaces a memory it cannot read instead of failing the call', () => {
		const store: Record<string, unknown> = { recentEvents: { seen: { a: 0 }, count: 1 } };
		expect(call(store, 0, ['a'])).toEqual(['a']);
		expect(call(store, 1, ['a'])).toEqual([]);
	});
});
