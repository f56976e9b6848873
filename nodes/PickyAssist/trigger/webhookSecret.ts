/**
 * Picky Assist's webhooks are not signed: a secret in the configured URL (`?secret=…`) is what keeps strangers
 * out. Both sides are hashed to digests of one length and compared with node:crypto's constant-time comparison, so
 * neither the secret's length nor the place of a first difference shows in response times.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** What the Secret parameter asks for: nothing, a text every call must carry, or a value no call can match. */
export type SecretSetting =
	| { kind: 'none' }
	| { kind: 'text'; text: string }
	| { kind: 'unusable'; reason: string };

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'undefined';
	if (value === '') return 'empty text';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return 'a number that is not finite';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Reads the Secret: `raw` is the parameter as stored (empty when no secret is set), `evaluate` gives its value.
 * A Secret that is set but gives no text fails closed: it never means "no secret". A number (`={{ 12345 }}`) is
 * compared as the text it prints as.
 */
export function readSecretSetting(raw: unknown, evaluate: () => unknown): SecretSetting {
	if (raw === undefined || raw === null || raw === '') return { kind: 'none' };
	let value: unknown;
	try {
		value = evaluate();
	} catch {
		return { kind: 'unusable', reason: 'its expression failed' };
	}
	if (typeof value === 'string' && value !== '') return { kind: 'text', text: value };
	if (typeof value === 'number' && Number.isFinite(value))
		return { kind: 'text', text: String(value) };
	return { kind: 'unusable', reason: `it gives ${describe(value)}` };
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Whether the query's `secret` is exactly `expected` (the first one, when the URL repeats it). */
export function secretMatches(given: unknown, expected: string): boolean {
	const candidate = Array.isArray(given) ? (given as unknown[])[0] : given;
	if (typeof candidate !== 'string') return false;
	return timingSafeEqual(digest(candidate), digest(expected));
}
