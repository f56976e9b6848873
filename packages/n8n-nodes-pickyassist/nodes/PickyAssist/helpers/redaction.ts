/**
 * Keeps the API token out of everything the node shows, stores or logs. A server can echo the token back — as
 * an id, inside an error page, JSON-escaped, or cut short — so redaction runs on the raw answer before anything
 * is read from it, and again on every text that leaves the node. Redaction always comes first; shortening and
 * tag stripping come after it, so they can never leave half a token behind.
 */

const REDACTED = '[redacted]';

/** A cut-off token still gives a guesser most of the secret; from this many characters on, a part is redacted. */
const MIN_PART = 8;

/** The token as it can appear in an answer: as is, JSON-escaped once or twice, and URL-encoded. */
function secretForms(secret: string): string[] {
	const forms = new Set<string>([secret]);
	const jsonEscaped = JSON.stringify(secret).slice(1, -1);
	forms.add(jsonEscaped);
	forms.add(JSON.stringify(jsonEscaped).slice(1, -1));
	forms.add(encodeURIComponent(secret));
	return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of the first `minimum` characters of `form`, extended as far as the text follows it. */
function redactPrefixes(text: string, form: string, minimum: number): string {
	const start = form.slice(0, minimum);
	let result = '';
	let position = 0;
	for (let found = text.indexOf(start); found !== -1; found = text.indexOf(start, position)) {
		let end = found + minimum;
		while (end < text.length && end - found < form.length && text[end] === form[end - found]) end++;
		result += text.slice(position, found) + REDACTED;
		position = end;
	}
	return result + text.slice(position);
}

/** Same as redactPrefixes, for the last characters of `form` (a token cut at its start). */
function redactSuffixes(text: string, form: string, minimum: number): string {
	const end = form.slice(-minimum);
	let result = '';
	let position = 0;
	for (let found = text.indexOf(end); found !== -1; found = text.indexOf(end, position)) {
		let start = found;
		let formIndex = form.length - minimum - 1;
		while (start > position && formIndex >= 0 && text[start - 1] === form[formIndex]) {
			start--;
			formIndex--;
		}
		result += text.slice(position, start) + REDACTED;
		position = found + minimum;
	}
	return result + text.slice(position);
}

/**
 * Removes the secret from a text: whole, escaped, and any part of at least half of it (at least MIN_PART
 * characters) from its start or its end. Linear in the text for a fixed secret.
 */
export function redact(text: string, secret: string | undefined): string {
	if (!secret || text === '') return text;
	const forms = secretForms(secret);
	let result = text;
	// Whole forms first: a part of one form must not break up another whole form before it is found.
	for (const form of forms) result = result.split(form).join(REDACTED);
	for (const form of forms) {
		const part = Math.min(form.length, Math.max(MIN_PART, Math.ceil(form.length / 2)));
		if (part < form.length) {
			result = redactPrefixes(result, form, part);
			result = redactSuffixes(result, form, part);
		}
	}
	return result;
}

/** How much of an answer is read to build a message from it: enough to explain, bounded for any answer. */
const EXCERPT_SCAN = 4096;
/** A tag longer than this is not a tag but text that happens to hold a '<'. */
const MAX_TAG = 1000;

/** What can follow the '<' of a tag, a closing tag, a comment or a declaration. */
const TAG_START = /[A-Za-z/!?]/;

/**
 * Removes HTML tags from text in one pass (no regular expression that could backtrack). A '<' that does not
 * start a tag, or has no '>' close after it, is kept as text.
 */
export function stripTags(text: string): string {
	let result = '';
	let nextClose = text.indexOf('>');
	let position = 0;
	for (let index = 0; index < text.length; index++) {
		if (text[index] !== '<' || !TAG_START.test(text[index + 1] ?? '')) continue;
		if (nextClose !== -1 && nextClose < index) nextClose = text.indexOf('>', index);
		if (nextClose === -1) break;
		if (nextClose - index > MAX_TAG) continue;
		result += text.slice(position, index);
		position = nextClose + 1;
		index = nextClose;
	}
	return result + text.slice(position);
}

/**
 * A short, readable excerpt of an answer for a message: the secret removed, tags stripped, whitespace
 * collapsed, cut to `maxLength`. Reads at most EXCERPT_SCAN characters after redaction.
 */
export function excerpt(text: string, secret: string | undefined, maxLength = 200): string {
	const clean = redact(text, secret).slice(0, EXCERPT_SCAN);
	const flat = redact(stripTags(clean), secret).replace(/\s+/g, ' ').trim();
	const safe = redact(flat, secret);
	return safe.length > maxLength ? `${safe.slice(0, maxLength)}…` : safe;
}
