/**
 * Exact decimal arithmetic for balances and credits. Amounts are BigInt nano-credits (9 decimals), so that
 * 0.3 - 3 × 0.1 is exactly 0, as a real ledger would say, and never 5.55e-17.
 */

const SCALE_DIGITS = 9;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

export const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/** Reads a non-negative amount given as a number or a decimal string. `name` is used in the error messages. */
export function toNano(value: unknown, name: string): bigint {
	let s: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 0 || value >= 1e21) {
			throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
		}
		s = value.toFixed(SCALE_DIGITS);
	} else if (typeof value === 'string' || typeof value === 'bigint') {
		s = String(value).trim();
	} else {
		throw new TypeError(`${name} must be a number or a decimal string`);
	}
	const m = DECIMAL_RE.exec(s);
	if (!m)
		throw new RangeError(
			`${name} must be a non-negative decimal, got ${JSON.stringify(String(value))}`,
		);
	const frac = (m[2] || '').replace(/0+$/, '');
	if (frac.length > SCALE_DIGITS)
		throw new RangeError(`${name} has more than ${SCALE_DIGITS} decimals`);
	return BigInt(m[1]) * SCALE + BigInt((frac + '0'.repeat(SCALE_DIGITS)).slice(0, SCALE_DIGITS));
}

/** The shortest decimal text of an amount: 1000, 999.985, 0. */
export function formatNano(n: bigint): string {
	const int = n / SCALE;
	const frac = (n % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
	return frac ? `${int}.${frac}` : `${int}`;
}
