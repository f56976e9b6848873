/**
 * The Trigger's pure helpers where a stranger's input meets them: the Secret, the memory of Drop Repeated Events,
 * the count of refused calls and the copy of a webhook body.
 */
import { canonicalJson, plainJsonCopy } from '../../nodes/PickyAssist/trigger/jsonCopy';
import {
	eventDigest,
	MAX_REMEMBERED,
	RecentEvents,
} from '../../nodes/PickyAssist/trigger/recentEvents';
import { RefusalLog } from '../../nodes/PickyAssist/trigger/refusalLog';
import { readWebhookPayload } from '../../nodes/PickyAssist/trigger/webhookPayload';
import { readSecretSetting, secretMatches } from '../../nodes/PickyAssist/trigger/webhookSecret';

describe('readSecretSetting', () => {
	it('no Secret only when the parameter is empty', () => {
		for (const raw of ['', undefined, null])
			expect(readSecretSetting(raw, () => 'ignored')).toEqual({ kind: 'none' });
	});

	it('a text or a finite number is the text to compare', () => {
		expect(readSecretSetting('s3cret', () => 's3cret')).toEqual({ kind: 'text', text: 's3cret' });
		expect(readSecretSetting('={{ 12345 }}', () => 12345)).toEqual({ kind: 'text', text: '12345' });
	});

	it.each([
		['', 'empty text'],
		[null, 'null'],
		[undefined, 'undefined'],
		[{}, 'an object'],
		[['a'], 'a list'],
		[true, 'a boolean'],
		[NaN, 'a number that is not finite'],
	])('an expression giving %p is unusable: %s', (value, what) => {
		expect(readSecretSetting('={{ x }}', () => value)).toEqual({
			kind: 'unusable',
			reason: `it gives ${what}`,
		});
	});

	it('an expression that fails is unusable', () => {
		const failing = () => {
			throw new Error('boom');
		};
		expect(readSecretSetting('={{ x.y }}', failing)).toEqual({
			kind: 'unusable',
			reason: 'its expression failed',
		});
	});
});

describe('secretMatches', () => {
	it('matches the exact text only, whatever the lengths', () => {
		expect(secretMatches('12345', '12345')).toBe(true);
		expect(secretMatches(['12345', 'x'], '12345')).toBe(true);
		for (const given of ['1234', '123456', '', 12345, undefined, { 0: '12345' }, [12345]])
			expect(secretMatches(given, '12345')).toBe(false);
		expect(secretMatches('x'.repeat(10_000), 'x')).toBe(false);
	});
});

describe('RefusalLog', () => {
	it('a line for the first refusal, then at most one a minute with the count', () => {
		const log = new RefusalLog(60_000);
		const lines: Array<[number, number]> = [];
		for (let second = 0; second < 180; second++)
			for (let call = 0; call < 10; call++) {
				const count = log.note('workflow', second * 1000);
				if (count !== undefined) lines.push([second, count]);
			}
		expect(lines).toEqual([
			[0, 1],
			[60, 600],
			[120, 600],
		]);
		// Another workflow has its own count.
		expect(log.note('other', 1000)).toBe(1);
	});

	it('keeps a bounded number of counters', () => {
		const log = new RefusalLog(60_000, 3);
		for (const key of ['a', 'b', 'c', 'd']) log.note(key, 0);
		expect(log.note('a', 1)).toBe(1); // forgotten, so counted afresh
		expect(log.note('d', 1)).toBeUndefined();
	});
});

describe('RecentEvents: fixed-size digests, bounded in bytes, one memory per trigger in the process', () => {
	const call = (
		store: Record<string, unknown>,
		now: number,
		keys: string[],
		memoryKey?: string,
		max?: number,
	) => {
		const recent = new RecentEvents(store, now, max, memoryKey);
		const fresh = keys.filter((key) => !recent.seenBefore(key));
		recent.save();
		return fresh;
	};

	it('remembers digests of 22 characters, never the identity a sender chose', () => {
		const store: Record<string, unknown> = {};
		const long = `1:${'x'.repeat(5000)}`;
		call(store, 0, [long, 'a\nb']);
		const hours = (store.recentEvents as { hours: Array<[number, string]> }).hours;
		expect(hours[0][1].split('\n')).toEqual([eventDigest(long), eventDigest('a\nb')]);
		expect(eventDigest(long)).toMatch(/^[A-Za-z0-9_-]{22}$/);
	});

	it('at the maximum of distinct 1 KB events the static data stays under 2 MB', () => {
		const store: Record<string, unknown> = {};
		for (let batch = 0; batch < 12; batch++) {
			const keys = Array.from({ length: 5000 }, (_, i) => `4:${'n'.repeat(1000)}${batch}-${i}`);
			call(store, batch, keys, 'bytes-test');
		}
		const saved = JSON.stringify(store);
		expect(saved.length).toBeLessThan(2_000_000);
		const hours = (store.recentEvents as { hours: Array<[number, string]> }).hours;
		expect(hours.flatMap(([, keys]) => keys.split('\n')).length).toBeLessThanOrEqual(
			MAX_REMEMBERED,
		);
	});

	it('two calls that each read the same old copy of the static data: the second still drops the event', () => {
		const old = JSON.stringify({});
		expect(call(JSON.parse(old), 0, ['1:7:1'], 'race-test')).toEqual(['1:7:1']);
		expect(call(JSON.parse(old), 1, ['1:7:1', '1:8:1'], 'race-test')).toEqual(['1:8:1']);
		// Another trigger (another workflow or node) has its own memory.
		expect(call(JSON.parse(old), 2, ['1:7:1'], 'race-test-other')).toEqual(['1:7:1']);
	});

	it('each save writes all the process knows, so a copy lost to a later write is written again', () => {
		const first: Record<string, unknown> = {};
		const second: Record<string, unknown> = {};
		call(first, 0, ['a'], 'union-test');
		call(second, 1, ['b'], 'union-test'); // read before `first` was saved: last write wins
		// A restart: a new memory key, only the static data of the last write.
		expect(call(JSON.parse(JSON.stringify(second)), 2, ['a', 'b'], 'union-restarted')).toEqual([]);
	});

	it('keys of an older format are not kept: they are rewritten as digests', () => {
		const store: Record<string, unknown> = {
			recentEvents: { hours: [[0, `1:11:1\n${'4:'.padEnd(2000, 'x')}`]] },
		};
		const recent = new RecentEvents(store, 1);
		expect(recent.seenBefore('1:12:1')).toBe(false);
		expect(recent.save()).toBe(true);
		expect(JSON.stringify(store)).not.toContain('xxxx');
	});
});

describe('webhook bodies: plain data only, bounded depth', () => {
	it('own keys only: __proto__, constructor and prototype are left out at any depth', () => {
		const forged = JSON.parse(
			'{"a":{"__proto__":{"x":1},"b":[{"constructor":{"y":2},"prototype":3,"c":4}]}}',
		) as unknown;
		const copy = plainJsonCopy(forged);
		expect(copy).toEqual({ kind: 'copy', value: { a: { b: [{ c: 4 }] } }, removedKeys: 3 });
	});

	it('a body nested deeper than the maximum is refused, without running out of stack', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 20_000; i++) deep = [deep];
		expect(plainJsonCopy({ data: deep })).toEqual({ kind: 'tooDeep', maxDepth: 64 });
		expect(readWebhookPayload({ event_id: '1', data: [{ x: deep }] })).toEqual({
			kind: 'invalid',
			reason: 'the body is nested deeper than 64 levels, which no Picky Assist payload is',
		});
	});

	it('canonical JSON does not depend on the order of keys', () => {
		expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] })).toBe(
			canonicalJson({ a: [{ c: 'x', d: null }], b: 1 }),
		);
		expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
	});

	it('an event without a msg_id is identified by the whole entry; an incoming message by its unique-id', () => {
		const subscriber = readWebhookPayload({ event_id: '4', data: [{ number: '1', name: 'Ana' }] });
		const reordered = readWebhookPayload({ event_id: '4', data: [{ name: 'Ana', number: '1' }] });
		expect(subscriber.kind === 'events' && subscriber.entries[0].key).toBe(
			reordered.kind === 'events' && reordered.entries[0].key,
		);
		const message = readWebhookPayload({ number: '1', message_in_raw: 'hi', 'unique-id': 'u7' });
		expect(message).toMatchObject({
			kind: 'incomingMessage',
			key: 'incoming:u7',
			json: { unique_id: 'u7' },
		});
		const bare = readWebhookPayload({ number: '1', message_in_raw: 'hi' });
		expect(bare).toMatchObject({ kind: 'incomingMessage', key: undefined });
	});
});
