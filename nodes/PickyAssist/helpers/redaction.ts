/**
 * Keeps the API token out of everything the node shows, stores or logs. A server can echo the token back — as
 * an id, inside an error page, JSON-escaped, or cut short — so redaction runs on the raw answer before anything
 * is read from it, and again on every text that leaves the node. Redaction always comes first; shortening and
 * tag stripping come after it, so they can never leave half a token behind — and redaction also looks at the text
 * as it reads with its tags stripped, so that a token split by tags is gone before anyone strips them.
 */

const REDACTED = '[redacted]';

/** A cut-off token still gives a guesser most of the secret; from this many characters on, a part is redacted. */
const MIN_PART = 8;

/** A form of the secret and the length from which a part of it counts, from its start or its end. */
interface SecretForm {
	text: string;
	part: number;
	prefix: string;
	suffix: string;
}

/** The token as it can appear in an answer: as is, JSON-escaped once or twice, and URL-encoded. */
function secretForms(secret: string): SecretForm[] {
	const forms = new Set<string>([secret]);
	const jsonEscaped = JSON.stringify(secret).slice(1, -1);
	forms.add(jsonEscaped);
	forms.add(JSON.stringify(jsonEscaped).slice(1, -1));
	forms.add(encodeURIComponent(secret));
	return [...forms]
		.sort((a, b) => b.length - a.length)
		.map((text) => {
			const part = Math.min(text.length, Math.max(MIN_PART, Math.ceil(text.length / 2)));
			return { text, part, prefix: text.slice(0, part), suffix: text.slice(-part) };
		});
}

/** A stretch of a text: [start, end). */
type Span = [number, number];

/**
 * The stretches of a text to redact, as two lists of numbers rather than an array per stretch: an answer can hold
 * the token many thousands of times, and that many small arrays would cost more to collect than to find.
 */
class Spans {
	readonly starts: number[] = [];
	readonly ends: number[] = [];

	add(start: number, end: number): void {
		this.starts.push(start);
		this.ends.push(end);
	}

	/** Positions of the stretches in order of their start. */
	byStart(): Uint32Array {
		const order = new Uint32Array(this.starts.length);
		for (let index = 0; index < order.length; index++) order[index] = index;
		const { starts } = this;
		return order.sort((a, b) => starts[a] - starts[b]);
	}
}

/** Whether a whole occurrence of the form starts at a position, asked with ascending positions. */
type WholeAt = (position: number) => boolean;

/** WholeAt over the starts of the whole occurrences (ascending): one pass over them, however often it is asked. */
function wholeAt(starts: readonly number[]): WholeAt {
	let next = 0;
	return (position) => {
		while (next < starts.length && starts[next] < position) next++;
		return starts[next] === position;
	};
}

/**
 * Every occurrence of the form's first `part` characters, extended as far as the text follows the form. One where
 * a whole occurrence starts is that occurrence's span already, and is skipped.
 */
function prefixSpans(text: string, form: SecretForm, spans: Spans, isWhole: WholeAt): void {
	const { text: whole, part, prefix } = form;
	for (let found = text.indexOf(prefix); found !== -1; ) {
		if (isWhole(found)) {
			found = text.indexOf(prefix, found + whole.length);
			continue;
		}
		let end = found + part;
		while (end < text.length && end - found < whole.length && text[end] === whole[end - found])
			end++;
		spans.add(found, end);
		found = text.indexOf(prefix, end);
	}
}

/**
 * Same as prefixSpans, for the form's last characters (a token cut at its start). Where a whole occurrence ends,
 * its span covers every span that ends there.
 */
function suffixSpans(text: string, form: SecretForm, spans: Spans, isWhole: WholeAt): void {
	const { text: whole, part, suffix } = form;
	let position = 0;
	for (let found = text.indexOf(suffix); found !== -1; found = text.indexOf(suffix, position)) {
		const end = found + part;
		if (!isWhole(end - whole.length)) {
			let start = found;
			let formIndex = whole.length - part - 1;
			while (start > position && formIndex >= 0 && text[start - 1] === whole[formIndex]) {
				start--;
				formIndex--;
			}
			spans.add(start, end);
		}
		position = end;
	}
}

/** Where the secret is in a text: whole, escaped, and any part of at least half of it from its start or end. */
function secretSpans(text: string, forms: readonly SecretForm[], spans: Spans): void {
	for (const form of forms) {
		const wholeStarts: number[] = [];
		for (
			let found = text.indexOf(form.text);
			found !== -1;
			found = text.indexOf(form.text, found + form.text.length)
		) {
			spans.add(found, found + form.text.length);
			wholeStarts.push(found);
		}
		if (form.part < form.text.length) {
			prefixSpans(text, form, spans, wholeAt(wholeStarts));
			suffixSpans(text, form, spans, wholeAt(wholeStarts));
		}
	}
}

/**
 * The same spans found in the text with its tags stripped, given back in the text's own positions: a token split
 * by tags (`ab<b>cd</b>ef`) shows whole once a message strips them, so the stretch from its first to its last
 * character goes, tags included.
 */
function spansAcrossTags(text: string, forms: readonly SecretForm[], spans: Spans): void {
	const kept = keptSegments(text);
	if (kept.length < 2) return;
	// strippedStart[k]: where kept segment k begins in the stripped text.
	const strippedStart: number[] = [];
	let stripped = '';
	for (const [start, end] of kept) {
		strippedStart.push(stripped.length);
		stripped += text.slice(start, end);
	}
	const original = (position: number): number => {
		let low = 0;
		let high = kept.length - 1;
		while (low < high) {
			const middle = (low + high + 1) >> 1;
			if (strippedStart[middle] <= position) low = middle;
			else high = middle - 1;
		}
		return kept[low][0] + (position - strippedStart[low]);
	};
	const found = new Spans();
	secretSpans(stripped, forms, found);
	for (let index = 0; index < found.starts.length; index++) {
		spans.add(original(found.starts[index]), original(found.ends[index] - 1) + 1);
	}
}

/**
 * Removes one secret from texts: whole, escaped, and any part of at least half of it (at least MIN_PART
 * characters) from its start or its end — in the text as it is and in the text with its tags stripped, so that no
 * later step that strips tags can put a token back together. Linear in the text. The forms of the secret are
 * worked out once, so cleaning the many short texts of a large run costs little per text.
 */
export class Redactor {
	private readonly forms: readonly SecretForm[];
	/** A text shorter than this holds no part of the secret that counts. */
	private readonly shortest: number;

	/** The last text cleaned and its result: a run's items repeat values (a push's id, a credit) row after row. */
	private lastText = '';
	private lastClean = '';

	constructor(secret: string | undefined) {
		this.forms = secret ? secretForms(secret) : [];
		this.shortest = Math.min(...this.forms.map((form) => form.part));
	}

	clean(text: string): string {
		if (text.length < this.shortest) return text;
		if (text === this.lastText) return this.lastClean;
		const clean = this.cleaned(text);
		this.lastText = text;
		this.lastClean = clean;
		return clean;
	}

	private cleaned(text: string): string {
		// Every span starts with a form's first part or ends with its last: a text that holds neither (and no tag
		// that could split one) is returned as it is, without looking for spans.
		const tagged = text.includes('<');
		if (!tagged && !this.holdsAnyPart(text)) return text;
		const spans = new Spans();
		secretSpans(text, this.forms, spans);
		if (tagged) spansAcrossTags(text, this.forms, spans);
		if (spans.starts.length === 0) return text;
		// Joined once at the end: a text with many spans would otherwise grow one concatenation per span.
		const parts: string[] = [];
		let position = 0;
		for (const index of spans.byStart()) {
			const start = spans.starts[index];
			const end = spans.ends[index];
			if (end <= position) continue;
			// A span that overlaps the one before extends it; one that starts after it is a new redaction. Of spans
			// with the same start, whichever comes first, the longest decides where the redaction ends.
			if (start < position) {
				position = end;
				continue;
			}
			parts.push(text.slice(position, start), REDACTED);
			position = end;
		}
		parts.push(text.slice(position));
		return parts.join('');
	}

	private holdsAnyPart(text: string): boolean {
		for (const form of this.forms) {
			if (text.includes(form.prefix) || text.includes(form.suffix)) return true;
		}
		return false;
	}
}

/** Removes the secret from one text (see Redactor). */
export function redact(text: string, secret: string | undefined): string {
	return secret ? new Redactor(secret).clean(text) : text;
}

/** How much of an answer is read to build a message from it: enough to explain, bounded for any answer. */
const EXCERPT_SCAN = 4096;
/** A tag longer than this is not a tag but text that happens to hold a '<'. */
const MAX_TAG = 1000;

/** What can follow the '<' of a tag, a closing tag, a comment or a declaration. */
const TAG_START = /[A-Za-z/!?]/;

/**
 * The parts of a text that are not HTML tags, in one pass (no regular expression that could backtrack). A '<'
 * that does not start a tag, or has no '>' close after it, is kept as text.
 */
function keptSegments(text: string): Span[] {
	const segments: Span[] = [];
	let nextClose = text.indexOf('>');
	let position = 0;
	for (let index = 0; index < text.length; index++) {
		if (text[index] !== '<' || !TAG_START.test(text[index + 1] ?? '')) continue;
		if (nextClose !== -1 && nextClose < index) nextClose = text.indexOf('>', index);
		if (nextClose === -1) break;
		if (nextClose - index > MAX_TAG) continue;
		if (index > position) segments.push([position, index]);
		position = nextClose + 1;
		index = nextClose;
	}
	if (position < text.length) segments.push([position, text.length]);
	return segments;
}

/** Removes HTML tags from text (see keptSegments). */
export function stripTags(text: string): string {
	let result = '';
	for (const [start, end] of keptSegments(text)) result += text.slice(start, end);
	return result;
}

/**
 * A short, readable excerpt of an answer for a message: the secret removed, tags stripped, whitespace
 * collapsed, cut to `maxLength`. Reads at most EXCERPT_SCAN characters after redaction.
 */
export function excerpt(
	text: string,
	secret: Redactor | string | undefined,
	maxLength = 200,
): string {
	const redactor = typeof secret === 'string' ? new Redactor(secret) : secret;
	const clean = (value: string) => (redactor ? redactor.clean(value) : value);
	const scanned = clean(text).slice(0, EXCERPT_SCAN);
	const flat = clean(stripTags(scanned)).replace(/\s+/g, ' ').trim();
	const safe = clean(flat);
	return safe.length > maxLength ? `${safe.slice(0, maxLength)}…` : safe;
}
