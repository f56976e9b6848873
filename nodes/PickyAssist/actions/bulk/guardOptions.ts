/**
 * The Send options that guard money or recipients: Validate Only, Skip Duplicate Rows, Send Repeats in One
 * Execution, Max Recipients, Minimum Balance and Allowed Prefixes (Max Pushes per Minute and Request Timeout are
 * read in ../callLimits.ts the same way). Each reads strictly — see helpers/optionValues.ts — because a guard
 * that cannot read its setting must refuse rather than send.
 */
import type { Checked } from '../../helpers/checked';
import { invalid, valid } from '../../helpers/checked';
import type { NumberRule } from '../../helpers/optionValues';
import { gotValue, isSet, readNumber, readSwitch } from '../../helpers/optionValues';
import { parsePrefixes } from '../../helpers/templateValues';

export interface GuardSettings {
	dryRun: boolean;
	skipDuplicateRows: boolean;
	sendRepeats: boolean;
	/** 0: no cap. */
	maxRecipients: number;
	/** 0: no check. */
	minBalance: number;
	allowedPrefixes?: string[];
}

/** The panel names of the options read strictly, by parameter name; also the ones evaluated per item. */
export const GUARD_OPTIONS: Readonly<Record<string, string>> = {
	dryRun: 'Validate Only (Send Nothing)',
	skipDuplicateRows: 'Skip Duplicate Rows',
	sendRepeats: 'Send Repeats in One Execution',
	maxRecipients: 'Max Recipients',
	minBalance: 'Minimum Balance',
	allowedPrefixes: 'Allowed Prefixes',
	maxPushesPerMinute: 'Max Pushes per Minute',
	requestTimeoutSeconds: 'Request Timeout (Seconds)',
};

const MAX_RECIPIENTS: NumberRule = {
	min: 0,
	max: Number.MAX_SAFE_INTEGER,
	whole: true,
	minMeaning: '(no cap)',
};
const MIN_BALANCE: NumberRule = {
	min: 0,
	max: Number.MAX_SAFE_INTEGER,
	whole: false,
	minMeaning: '(no check)',
};

function named<T>(name: string, checked: Checked<T>): Checked<T> {
	return checked.ok ? checked : invalid(`"${GUARD_OPTIONS[name]}" ${checked.reason}`);
}

function readFlag(options: Record<string, unknown>, name: string): Checked<boolean> {
	return isSet(options, name) ? named(name, readSwitch(options[name])) : valid(false);
}

function readCount(
	options: Record<string, unknown>,
	name: string,
	rule: NumberRule,
): Checked<number> {
	return isSet(options, name) ? named(name, readNumber(options[name], rule)) : valid(0);
}

/** Allowed Prefixes: text such as "44,353", or one prefix as a number; empty only when typed so, not computed. */
function readPrefixes(
	options: Record<string, unknown>,
	fromExpression: boolean,
): Checked<string[] | undefined> {
	const value = options.allowedPrefixes;
	if (!isSet(options, 'allowedPrefixes')) return valid(undefined);
	const text =
		typeof value === 'string'
			? value
			: typeof value === 'number' && Number.isInteger(value)
				? String(value)
				: undefined;
	if (text === undefined || (fromExpression && text.trim() === '')) {
		return named(
			'allowedPrefixes',
			invalid(
				`must be number prefixes separated by commas, such as 44,353; got ${gotValue(value)}`,
			),
		);
	}
	return named('allowedPrefixes', parsePrefixes(text));
}

export function parseGuards(
	options: Record<string, unknown>,
	expressionOptions?: ReadonlySet<string>,
): Checked<GuardSettings> {
	const dryRun = readFlag(options, 'dryRun');
	if (!dryRun.ok) return dryRun;
	const skipDuplicateRows = readFlag(options, 'skipDuplicateRows');
	if (!skipDuplicateRows.ok) return skipDuplicateRows;
	const sendRepeats = readFlag(options, 'sendRepeats');
	if (!sendRepeats.ok) return sendRepeats;
	const maxRecipients = readCount(options, 'maxRecipients', MAX_RECIPIENTS);
	if (!maxRecipients.ok) return maxRecipients;
	const minBalance = readCount(options, 'minBalance', MIN_BALANCE);
	if (!minBalance.ok) return minBalance;
	const prefixes = readPrefixes(options, expressionOptions?.has('allowedPrefixes') === true);
	if (!prefixes.ok) return prefixes;
	return valid({
		dryRun: dryRun.value,
		skipDuplicateRows: skipDuplicateRows.value,
		sendRepeats: sendRepeats.value,
		maxRecipients: maxRecipients.value,
		minBalance: minBalance.value,
		allowedPrefixes: prefixes.value,
	});
}
