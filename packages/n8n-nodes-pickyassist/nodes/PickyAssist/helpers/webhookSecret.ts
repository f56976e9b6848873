/**
 * Picky Assist's webhooks are not signed: a secret in the configured URL (`?secret=…`) is what keeps strangers
 * out. The comparison takes the same time wherever the first difference is, so the secret cannot be guessed one
 * character at a time from response times.
 */
export function secretMatches(given: unknown, expected: string): boolean {
	const candidate =
		typeof given === 'string' ? given : Array.isArray(given) ? String(given[0] ?? '') : '';
	let difference = candidate.length ^ expected.length;
	for (let index = 0; index < expected.length; index++) {
		difference |= (candidate.charCodeAt(index) || 0) ^ expected.charCodeAt(index);
	}
	return difference === 0;
}
