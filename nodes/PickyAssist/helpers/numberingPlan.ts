/**
 * Checks a normalised number (country code and national number, digits only) against the numbering plan of its
 * country calling code, the way Google's libphonenumber does: "possible" when the national number has a length the
 * plan uses (isPossibleNumber), "valid" when it also falls in a range the plan assigns to some kind of number
 * (isValidNumber). The plans are generated from libphonenumber's metadata at build time (numberingPlans.generated).
 *
 * The number is checked exactly as it will be sent: a trunk 0 after the country code is not stripped first, as
 * libphonenumber would when parsing, because Picky Assist receives the digits as they are.
 */
import type { Checked } from './checked';
import { invalid, valid } from './checked';
import { NUMBERING_PLANS } from './numberingPlans.generated';

/** One number type: its national number pattern and its possible lengths (0: the region's general ones). */
export type NumberType = [pattern: string, lengths: number[] | 0];
/**
 * A region sharing a calling code: its leading digits ('' when none), national number pattern, the possible lengths
 * of its national numbers, and its number types (0: none).
 */
export type RegionPlan = [
	region: string,
	leadingDigits: string,
	pattern: string,
	lengths: number[],
	types: NumberType[] | 0,
];
/** Per calling code: its regions in libphonenumber's order, the main region first. */
export type NumberingPlans = Record<string, RegionPlan[]>;

export type NumberCheck = 'possible' | 'valid';

export const NUMBER_CHECKS: readonly NumberCheck[] = ['possible', 'valid'];

/** Country calling codes have one to three digits and none is the start of another (ITU-T E.164). */
export function callingCodeOf(digits: string): string | undefined {
	for (let length = 1; length <= 3; length++) {
		const code = digits.slice(0, length);
		if (Object.prototype.hasOwnProperty.call(NUMBERING_PLANS, code)) return code;
	}
	return undefined;
}

interface CompiledRegion {
	leadingDigits?: RegExp;
	pattern: RegExp;
	lengths: readonly number[];
	types?: Array<{ pattern: RegExp; lengths?: readonly number[] }>;
}

/** Compiled on first use, once per calling code: most sends meet a handful of countries. */
const compiled = new Map<string, CompiledRegion[]>();

function whole(pattern: string): RegExp {
	return new RegExp(`^(?:${pattern})$`);
}

function regionsOf(callingCode: string): CompiledRegion[] {
	let regions = compiled.get(callingCode);
	if (regions) return regions;
	regions = NUMBERING_PLANS[callingCode].map(([, leadingDigits, pattern, lengths, types]) => ({
		leadingDigits: leadingDigits ? new RegExp(`^(?:${leadingDigits})`) : undefined,
		pattern: whole(pattern),
		lengths,
		types: types
			? types.map(([typePattern, typeLengths]) => ({
					pattern: whole(typePattern),
					lengths: typeLengths || undefined,
				}))
			: undefined,
	}));
	compiled.set(callingCode, regions);
	return regions;
}

/** libphonenumber's getNumberType !== UNKNOWN: the general pattern and one type's pattern and lengths match. */
function hasNumberType(region: CompiledRegion, national: string): boolean {
	if (!region.pattern.test(national)) return false;
	// A region without type patterns is judged by its general pattern alone, as libphonenumber-js does.
	if (!region.types) return true;
	return region.types.some(
		(type) =>
			(!type.lengths || type.lengths.includes(national.length)) && type.pattern.test(national),
	);
}

/**
 * The region a number of a shared calling code belongs to, as libphonenumber-js finds it: the first whose leading
 * digits start the number or, for a region without leading digits, whose number types it fits; else the main one.
 */
function regionOf(callingCode: string, national: string): CompiledRegion {
	const regions = regionsOf(callingCode);
	if (regions.length > 1) {
		for (const region of regions) {
			if (
				region.leadingDigits ? region.leadingDigits.test(national) : hasNumberType(region, national)
			)
				return region;
		}
	}
	return regions[0];
}

/**
 * North America keeps 555-0100 to 555-0199 of every area code for films and books. libphonenumber's metadata
 * does not mark them, so the strict check names them itself; the UK's drama ranges are outside its metadata's
 * mobile and fixed ranges already.
 */
const NORTH_AMERICAN_FICTION = /^[2-9]\d\d55501\d\d$/;

function listLengths(lengths: readonly number[]): string {
	if (lengths.length === 1) return String(lengths[0]);
	return `${lengths.slice(0, -1).join(', ')} or ${lengths[lengths.length - 1]}`;
}

/** Checks digits that already start with their country code; returns them unchanged or the reason they fail. */
export function checkNumberingPlan(digits: string, check: NumberCheck): Checked<string> {
	const callingCode = callingCodeOf(digits);
	if (callingCode === undefined) {
		return invalid(`starts with ${digits.slice(0, 3)}, which begins no country calling code`);
	}
	const national = digits.slice(callingCode.length);
	const region = regionOf(callingCode, national);
	const lengths = region.lengths;
	if (!lengths.includes(national.length)) {
		const its = `${national.length} digits after it; its numbers have ${listLengths(lengths)}`;
		if (national.length < lengths[0]) {
			return invalid(
				`is too short for country code ${callingCode} (${its}) — a local number without its country code?`,
			);
		}
		const trunkZero =
			national.startsWith('0') && lengths.includes(national.length - 1)
				? ' — a trunk 0 after the country code? Leave it out'
				: '';
		if (national.length > lengths[lengths.length - 1]) {
			return invalid(
				`is too long for country code ${callingCode} (${its})${trunkZero || ' — two numbers in one cell?'}`,
			);
		}
		return invalid(`has a length country code ${callingCode} does not use (${its})${trunkZero}`);
	}
	if (check === 'valid') {
		if (callingCode === '1' && NORTH_AMERICAN_FICTION.test(national)) {
			return invalid('is in the 555-0100 to 555-0199 range North America keeps for fiction');
		}
		if (!hasNumberType(region, national)) {
			return invalid(
				`is not a valid number for country code ${callingCode}: it is in no range its numbering plan assigns (ranges kept for drama and fiction are not valid)`,
			);
		}
	}
	return valid(digits);
}

/** Reads the Number Check option: only its two values, never a silent default for anything else. */
export function parseNumberCheck(value: unknown): Checked<NumberCheck> {
	if (value === undefined || value === '') return valid('possible');
	const text = typeof value === 'string' ? value.trim() : value;
	if (NUMBER_CHECKS.includes(text as NumberCheck)) return valid(text as NumberCheck);
	return invalid(
		`must be "possible" (Possible Length) or "valid" (Valid for Its Country), got ${JSON.stringify(value)}`,
	);
}
