/**
 * Picky Assist's delivery statuses. The pull report (`delivery-report`) uses 0–3, the Event Webhook 0–5; both
 * send the digit as a string. "refunded" means the credit came back: the message was not delivered.
 */

export const DELIVERY_STATUSES = [
	'submitted',
	'delivered',
	'read',
	'failed',
	'refunded',
	'unknown',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const BY_CODE: Record<number, DeliveryStatus> = {
	0: 'unknown',
	1: 'delivered',
	2: 'failed',
	3: 'read',
	4: 'submitted',
	5: 'refunded',
};

export interface StatusReading {
	status: DeliveryStatus;
	/** Picky Assist's digit, or undefined when it sent none that could be read. */
	statusCode: number | undefined;
}

/** Reads a status as Picky Assist sends it ("1", 1, " 3 "); anything else is "unknown". */
export function readDeliveryStatus(value: unknown): StatusReading {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d$/.test(text)) return { status: 'unknown', statusCode: undefined };
	const code = Number(text);
	return { status: BY_CODE[code] ?? 'unknown', statusCode: code };
}
