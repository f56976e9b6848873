/**
 * How each accepted message's delivery status moves over time, for `delivery-report` and the Event Webhook.
 * Follows the project's API notes ("Delivery status", "Event Webhook, event 1"): a message goes submitted (4) →
 * delivered (1) → read (3), or submitted → failed (2). Refunded (5) and unknown (0) are never produced.
 *
 * Each push gets a DeliveryPlan when it is accepted: a snapshot of the settings at that moment, so configure()
 * changes only pushes accepted later and a message's status never moves backwards. Which messages fail is decided
 * by msg_id alone, so a test can predict it without reading the sandbox's state.
 */
import type { AcceptedPush, DeliveryReportEntry, PushSuccess } from './api';
import { isPlainObject } from './util';

/** The project id every report and event carries (the sandbox has one project). */
export const PROJECT_ID = '1001';

/**
 * error_code / error_message of a failed message. Picky Assist's own codes are undocumented; 131026 is the code the
 * WhatsApp Cloud API gives an undeliverable message, used here as a plausible non-zero value.
 */
export const FAILURE = Object.freeze({ code: '131026', message: 'Message Undeliverable' });

export type EventStep = 'submitted' | 'delivered' | 'read';
export const EVENT_STEPS: readonly EventStep[] = Object.freeze([
	'submitted',
	'delivered',
	'read',
] as const);

/** Status settings; each applies to pushes accepted after it is set. Times are ms on the sandbox clock (`now`). */
export interface DeliveryConfig {
	/** ms after acceptance at which a message leaves "submitted" ("4") for "delivered" ("1") or "failed" ("2"). Default 0: at once. */
	deliveredAfterMs?: number;
	/** ms after acceptance at which delivered messages become "read" ("3"); never before delivery. null / undefined (default): never read. */
	readAfterMs?: number | null;
	/**
	 * Share of messages (0..1) that fail instead of being delivered. Default 0. Deterministic by msg_id: the share is
	 * read as the simplest fraction p/q (q ≤ 10 000) within 1e-9 of it, and msg_id m fails when ⌊m·p/q⌋ > ⌊(m−1)·p/q⌋,
	 * i.e. p of every q consecutive msg_ids; for a share of 1/k exactly the msg_ids divisible by k (0.5: even ones).
	 */
	failureShare?: number;
}

export interface DeliverySettings {
	deliveredAfterMs: number;
	readAfterMs: number | null;
	failureShare: number;
}

export const DEFAULT_DELIVERY: Readonly<DeliverySettings> = Object.freeze({
	deliveredAfterMs: 0,
	readAfterMs: null,
	failureShare: 0,
});

/** One push's schedule, fixed when it was accepted. */
export interface DeliveryPlan {
	deliveredAfterMs: number;
	/** Already at least deliveredAfterMs; null = never read. */
	readAfterMs: number | null;
	/** msg_ids that fail. */
	failed: ReadonlySet<string>;
}

/** A non-negative finite number of milliseconds, or throws naming the option. */
export function checkMs(v: unknown, name: string): number {
	if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
		throw new RangeError(`${name} must be a number of ms >= 0`);
	return v;
}

/** The DeliveryConfig keys present in `partial`, validated; throws on the first bad one. */
export function readDeliveryConfig(partial: DeliveryConfig): Partial<DeliverySettings> {
	const out: Partial<DeliverySettings> = {};
	if ('deliveredAfterMs' in partial) {
		out.deliveredAfterMs =
			partial.deliveredAfterMs === undefined
				? 0
				: checkMs(partial.deliveredAfterMs, 'deliveredAfterMs');
	}
	if ('readAfterMs' in partial) {
		const v = partial.readAfterMs;
		out.readAfterMs = v === undefined || v === null ? null : checkMs(v, 'readAfterMs');
	}
	if ('failureShare' in partial) {
		const v = partial.failureShare === undefined ? 0 : partial.failureShare;
		if (typeof v !== 'number' || !(v >= 0 && v <= 1))
			throw new RangeError('failureShare must be a number from 0 to 1');
		out.failureShare = v;
	}
	return out;
}

/** The simplest fraction p/q equal to `share` within 1e-9 (q ≤ 10 000), else the share in millionths. */
export function shareFraction(share: number): { p: bigint; q: bigint } {
	for (let q = 1; q <= 10000; q++) {
		const p = Math.round(share * q);
		if (Math.abs(p / q - share) <= 1e-9) return { p: BigInt(p), q: BigInt(q) };
	}
	return { p: BigInt(Math.round(share * 1e6)), q: 1000000n };
}

/** Whether msg_id `msgId` fails under `fraction` (see DeliveryConfig.failureShare). BigInt: msg_ids may be large. */
export function failsAt(msgId: string, fraction: { p: bigint; q: bigint }): boolean {
	if (fraction.p === 0n || !/^\d+$/.test(msgId)) return false;
	const m = BigInt(msgId);
	return (m * fraction.p) / fraction.q > ((m - 1n) * fraction.p) / fraction.q;
}

export function planDelivery(response: PushSuccess, settings: DeliverySettings): DeliveryPlan {
	const fraction = shareFraction(settings.failureShare);
	const failed = new Set<string>();
	if (fraction.p > 0n)
		for (const e of response.data) if (failsAt(e.msg_id, fraction)) failed.add(e.msg_id);
	const { deliveredAfterMs, readAfterMs } = settings;
	return {
		deliveredAfterMs,
		readAfterMs: readAfterMs === null ? null : Math.max(readAfterMs, deliveredAfterMs),
		failed,
	};
}

/**
 * The status the pull report gives one message `elapsed` ms after its push was accepted. The report's table has
 * only 0 unknown, 1 delivered, 2 failed and 3 read (the Event Webhook's 4 "submitted" is not in it), so a message
 * not delivered yet is 0.
 */
export function statusAt(
	plan: DeliveryPlan,
	msgId: string,
	elapsed: number,
): DeliveryReportEntry['status'] {
	if (elapsed < plan.deliveredAfterMs) return '0';
	if (plan.failed.has(msgId)) return '2';
	return plan.readAfterMs !== null && elapsed >= plan.readAfterMs ? '3' : '1';
}

/** "06-08-2019 06:46 AM", the form of the documented sample. */
export function reportTime(epochMs: number): string {
	const at = new Date(epochMs);
	const two = (value: number) => String(value).padStart(2, '0');
	const hours = at.getUTCHours();
	const date = `${two(at.getUTCDate())}-${two(at.getUTCMonth() + 1)}-${at.getUTCFullYear()}`;
	return `${date} ${two(hours % 12 || 12)}:${two(at.getUTCMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/** The `data` of a delivery-report for `acc` at clock time `now`, in the push's order. */
export function reportEntries(acc: AcceptedPush, now: number): DeliveryReportEntry[] {
	const elapsed = now - acc.acceptedAt;
	return acc.response.data.map((e) => {
		const status = statusAt(acc.delivery, e.msg_id, elapsed);
		return {
			number: e.number,
			msg_id: e.msg_id,
			status,
			error_code: status === '2' ? FAILURE.code : '',
		};
	});
}

/** One entry of an Event Webhook delivery report; every value a string, as Picky Assist sends them. */
export interface DeliveryEventEntry {
	push_id: string;
	msg_id: string;
	number: string;
	status: string;
	reference_number: string;
	error_message: string;
	message: string;
	message_type: string;
	channel_id: string;
}

export interface DeliveryEvent {
	project_id: string;
	event_id: '1';
	data: DeliveryEventEntry[];
}

function text(v: unknown): string {
	return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/**
 * The event POSTs a push causes, one per step, each carrying every message of the push at that step: submitted
 * (all "4"), delivered (delivered "1", failing ones "2" with an error_message), read (the delivered ones "3", only
 * when the plan reads them). Steps with no entries are left out.
 */
export function deliveryEvents(acc: AcceptedPush): Array<{ step: EventStep; body: DeliveryEvent }> {
	const body = isPlainObject(acc.request.body) ? acc.request.body : {};
	const rows: unknown[] = Array.isArray(body.data) ? body.data : [];
	const plan = acc.delivery;
	// reference_number's place in the request is undocumented: the row's wins over a top-level one.
	const base = acc.response.data.map((e, i) => {
		const row = isPlainObject(rows[i]) ? rows[i] : {};
		return {
			push_id: acc.push_id,
			msg_id: e.msg_id,
			number: e.number,
			reference_number: text(row.reference_number) || text(body.reference_number),
			message: text(row.message) || text(body.globalmessage),
			message_type: 'text',
			channel_id: text(body.application),
		};
	});
	const entry = (
		b: (typeof base)[number],
		status: string,
		error_message = '',
	): DeliveryEventEntry => ({ ...b, status, error_message });
	const steps: Array<{ step: EventStep; data: DeliveryEventEntry[] }> = [
		{ step: 'submitted', data: base.map((b) => entry(b, '4')) },
		{
			step: 'delivered',
			data: base.map((b) =>
				plan.failed.has(b.msg_id) ? entry(b, '2', FAILURE.message) : entry(b, '1'),
			),
		},
		{
			step: 'read',
			data:
				plan.readAfterMs === null
					? []
					: base.filter((b) => !plan.failed.has(b.msg_id)).map((b) => entry(b, '3')),
		},
	];
	return steps
		.filter((s) => s.data.length > 0)
		.map((s) => ({ step: s.step, body: { project_id: PROJECT_ID, event_id: '1', data: s.data } }));
}
