/**
 * How an option that guards money or recipients reads its value. An expression can give anything — a sheet
 * cell "true", 0.5, an empty cell — and a guard that guesses fails open: "yes" read as false sends, 0.5 read as
 * "no cap" caps nothing. So each kind accepts exactly what it means and nothing else; whatever else comes is a
 * reason that names the value it got.
 */
import type { Checked } from './checked';
import { invalid, valid } from './checked';

/** How a value an option got is quoted: JSON for text, so an empty cell or stray spaces show. */
export function gotValue(value: unknown): string {
	if (value === undefined || value === null) return 'nothing';
	if (typeof value === 'number') return String(value);
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

/** true/false, or the text "true"/"false" in any case (a sheet cell, a form field). */
export function readSwitch(value: unknown): Checked<boolean> {
	if (typeof value === 'boolean') return valid(value);
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return valid(true);
		if (text === 'false') return valid(false);
	}
	return invalid(`must be true or false, got ${gotValue(value)}`);
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A finite number, or text that is exactly one (a sheet cell "5"); anything else is not a number. */
function numberOf(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
	return undefined;
}

export interface NumberRule {
	min: number;
	max: number;
	/** Whole numbers only: the option counts something. */
	whole: boolean;
	/** What the smallest value means, shown in the reason: "(no cap)". */
	minMeaning?: string;
	unit?: string;
}

/** A number of the right kind within [min, max]. */
export function readNumber(value: unknown, rule: NumberRule): Checked<number> {
	const number = numberOf(value);
	if (
		number !== undefined &&
		number >= rule.min &&
		number <= rule.max &&
		(!rule.whole || Number.isInteger(number))
	) {
		return valid(number);
	}
	const kind = rule.whole ? 'a whole number' : 'a number';
	const from = `${rule.min}${rule.minMeaning ? ` ${rule.minMeaning}` : ''}`;
	const unit = rule.unit ? ` ${rule.unit}` : '';
	return invalid(`must be ${kind} from ${from} to ${rule.max}${unit}, got ${gotValue(value)}`);
}

/**
 * Whether an option was added to the node. One that was not takes its default; one that was must have a value,
 * even when its expression gives nothing: an empty cell never silently turns a guard off.
 */
export function isSet(options: Record<string, unknown>, name: string): boolean {
	return Object.prototype.hasOwnProperty.call(options, name);
}
