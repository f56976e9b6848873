/**
 * How each accepted message's delivery status moves over time, for `delivery-report` and the Event Webhook.
 * Follows the project's API notes ("Delivery status", "Event Webhook, event 1"): a message goes submitted (4) →
 * delivered (1) → read (3), or submitted → failed (2). Refunded (5) and unknown (0) are never produced.
 *
 * Each push gets a DeliveryPlan when it is accepted: a snapshot of the settings at that moment, so configure()
 * changes only pushes accepted later and a message's status never moves backwards. Which messages fail is decided
 * by msg_id alone, so a test can predict it without reading the sandbox's state.
 */
import type { AcceptedPush, PushSuccess } from './api';
import { isPlainObject } from './util';

/** The project id every report and event carries (the sandbox has one project). */
export const PROJECT_ID = '1001';

/**
 * error_code / error_message of a failed message. Picky Assist's own codes are undocumented; 131026 is the code the
 * WhatsApp Cloud API gives an undeliverable message, used here as a plausible non-zero value.
 */
export const FAILURE = Object.freeze({ code: '131026', message: 'Message Undeliverable' });

export type EventStep = 'submitted' | 'delivered' | 'read';

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

export type DeliverySettings = Required<DeliveryConfig>;

/** One push's schedule, fixed when it was accepted. */
export interface DeliveryPlan {
	deliveredAfterMs: number;
	/** Already at least deliveredAfterMs; null = never read. */
	readAfterMs: number | null;
	/** msg_ids that fail. */
	failed: ReadonlySet<string>;
}

/** The simplest fraction p/q equal to `share` within 1e-9 (q ≤ 10 000), else the share in millionths. */
function shareFraction(share: number): { p: bigint; q: bigint } {
	for (let q = 1; q <= 10000; q++) {
		const p = Math.round(share * q);
		if (Math.abs(p / q - share) <= 1e-9) return { p: BigInt(p), q: BigInt(q) };
	}
	return { p: BigInt(Math.round(share * 1e6)), q: 1000000n };
}

export function planDelivery(response: PushSuccess, settings: DeliverySettings): DeliveryPlan {
	const { p, q } = shareFraction(settings.failureShare);
	// BigInt: msg_ids may be large.
	const fails = (id: string) =>
		/^\d+$/.test(id) && (BigInt(id) * p) / q > ((BigInt(id) - 1n) * p) / q;
	const failed = new Set(p > 0n ? response.data.map((e) => e.msg_id).filter(fails) : []);
	const { deliveredAfterMs, readAfterMs } = settings;
	return {
		deliveredAfterMs,
		readAfterMs: readAfterMs === null ? null : Math.max(readAfterMs, deliveredAfterMs),
		failed,
	};
}

/** "06-08-2019 06:46 AM", the form of the documented sample (UTC). */
export function reportTime(epochMs: number): string {
	const at = new Date(epochMs);
	const two = (value: number) => String(value).padStart(2, '0');
	const hours = at.getUTCHours();
	const date = `${two(at.getUTCDate())}-${two(at.getUTCMonth() + 1)}-${at.getUTCFullYear()}`;
	return `${date} ${two(hours % 12 || 12)}:${two(at.getUTCMinutes())} ${hours < 12 ? 'AM' : 'PM'}`;
}

/**
 * The `data` of a delivery-report for `acc` at clock time `now`, in the push's order. The report's table has only 0
 * unknown, 1 delivered, 2 failed and 3 read (the Event Webhook's 4 "submitted" is not in it), so a message not
 * delivered yet is 0.
 */
export function reportEntries(acc: AcceptedPush, now: number) {
	const elapsed = now - acc.acceptedAt;
	const plan = acc.delivery;
	return acc.response.data.map(({ number, msg_id }) => {
		let status = plan.readAfterMs !== null && elapsed >= plan.readAfterMs ? '3' : '1';
		if (plan.failed.has(msg_id)) status = '2';
		if (elapsed < plan.deliveredAfterMs) status = '0';
		return { number, msg_id, status, error_code: status === '2' ? FAILURE.code : '' };
	});
}

function text(v: unknown): string {
	return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/**
 * The event POSTs a push causes, one per step, each carrying every message of the push at that step: submitted
 * (all "4"), delivered (delivered "1", failing ones "2" with an error_message), read (the delivered ones "3", only
 * when the plan reads them). Steps with no entries are left out.
 *
 * A lookup (WhatsApp Number Filter) causes one event 2 instead, at the submitted step: an entry per number with
 * `status` "1" on WhatsApp and "0" not. What Picky Assist's filter statuses mean is not documented: the sandbox
 * treats a number ending in 0 as not on WhatsApp, so tests can tell the two apart.
 */
export function deliveryEvents(acc: AcceptedPush, lookup: boolean) {
	const body = isPlainObject(acc.request.body) ? acc.request.body : {};
	const event = (step: EventStep, event_id: '1' | '2', data: unknown[]) => ({
		step,
		body: { project_id: PROJECT_ID, event_id, data },
	});
	const { push_id, delivery: plan } = acc;
	if (lookup) {
		const application = String(body.application);
		const data = acc.response.data.map(({ msg_id, number }) => {
			const status = number.endsWith('0') ? '0' : '1';
			return { push_id, msg_id, number, status, application };
		});
		return [event('submitted', '2', data)];
	}
	const rows: unknown[] = Array.isArray(body.data) ? body.data : [];
	// reference_number's place in the request is undocumented: the row's wins over a top-level one.
	/** Every value a string, as Picky Assist sends them. */
	const entry = (i: number, status: string, error_message = '') => {
		const { msg_id, number } = acc.response.data[i];
		const row = isPlainObject(rows[i]) ? rows[i] : {};
		return {
			push_id,
			msg_id,
			number,
			reference_number: text(row.reference_number) || text(body.reference_number),
			message: text(row.message) || text(body.globalmessage),
			message_type: 'text',
			channel_id: text(body.application),
			status,
			error_message,
		};
	};
	const indexes = acc.response.data.map((_e, i) => i);
	const fails = (i: number) => plan.failed.has(acc.response.data[i].msg_id);
	const read = plan.readAfterMs === null ? [] : indexes.filter((i) => !fails(i));
	return [
		event(
			'submitted',
			'1',
			indexes.map((i) => entry(i, '4')),
		),
		event(
			'delivered',
			'1',
			indexes.map((i) => (fails(i) ? entry(i, '2', FAILURE.message) : entry(i, '1'))),
		),
		event(
			'read',
			'1',
			read.map((i) => entry(i, '3')),
		),
	].filter((e) => e.body.data.length > 0);
}
