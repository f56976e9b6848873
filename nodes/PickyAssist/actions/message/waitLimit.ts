/**
 * How long Send and Wait for Response waits for the person's answer: until a date, after an interval, or (no
 * limit set) until the answer comes. Read before anything is sent, so that a limit that cannot be honoured is a
 * clear error and no message goes out with a link that the node cannot wait for.
 */
import type { Checked } from '../../helpers/checked';
import { invalid, valid } from '../../helpers/checked';
import { gotValue, readNumber } from '../../helpers/optionValues';

/** n8n's "wait indefinitely": a date far in the future, the same instant n8n-workflow's WAIT_INDEFINITELY holds. */
export const WAIT_INDEFINITELY = new Date('3000-01-01T00:00:00.000Z');

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Beyond this the limit is no limit at all: n8n would keep the execution waiting for a century. */
const MAX_DAYS = 36_500;

export interface WaitLimitSetting {
	limitType?: unknown;
	resumeAmount?: unknown;
	resumeUnit?: unknown;
	maxDateAndTime?: unknown;
}

/** The moment the wait ends without an answer; `setting` undefined means no limit. */
export function waitUntil(setting: WaitLimitSetting | undefined, now: Date): Checked<Date> {
	if (setting === undefined) return valid(WAIT_INDEFINITELY);
	const type = setting.limitType ?? 'afterTimeInterval';
	if (type === 'afterTimeInterval') {
		const unit = String(setting.resumeUnit ?? 'hours');
		if (!(unit in UNIT_MS))
			return invalid(`"Unit" must be minutes, hours or days, got ${gotValue(unit)}`);
		const amount = readNumber(setting.resumeAmount ?? 1, {
			min: 0,
			max: (MAX_DAYS * UNIT_MS.days) / UNIT_MS[unit as Unit],
			whole: false,
		});
		if (!amount.ok) return invalid(`"Amount" ${amount.reason}`);
		if (amount.value === 0)
			return invalid('"Amount" is 0: the wait would end before anyone could answer');
		return valid(new Date(now.getTime() + amount.value * UNIT_MS[unit as Unit]));
	}
	if (type === 'atSpecifiedTime') {
		const raw = setting.maxDateAndTime;
		const text =
			typeof raw === 'string' ? raw.trim() : raw instanceof Date ? raw.toISOString() : '';
		const date = new Date(text);
		if (text === '' || Number.isNaN(date.getTime()))
			return invalid(`"Max Date and Time" must be a date and time, got ${gotValue(raw)}`);
		if (date.getTime() <= now.getTime())
			return invalid(
				`"Max Date and Time" (${date.toISOString()}) has passed: the wait would end before anyone could answer`,
			);
		return valid(date);
	}
	return invalid(
		`"Limit Type" must be After Time Interval or At Specified Time, got ${gotValue(type)}`,
	);
}
