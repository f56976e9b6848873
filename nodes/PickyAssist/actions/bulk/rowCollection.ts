/**
 * Reads and checks every row before anything is sent, so bad input never leaves half a batch sent. A row is
 * either ready to go (its number normalised, its content exact) or a problem naming the item, the field, the
 * reason and the value found.
 */
import { errorMessage } from '../../helpers/apiResponse';
import { chunk, splitByBytes } from '../../helpers/batching';
import type { MediaKind } from '../../helpers/mediaFile';
import { base64Size, checkFileSize, mediaName } from '../../helpers/mediaFile';
import type { NumberCheck } from '../../helpers/numberingPlan';
import { normalizePhoneNumber } from '../../helpers/phoneNumber';
import { checkMediaUrl, checkTemplateValues } from '../../helpers/templateValues';
import { normalizeMessage } from './messageText';
import { messageDigest } from './sendRecord';
import type { SendSettings } from './sendSettings';

export type RowField =
	| 'Number'
	| 'Message'
	| 'Template Language'
	| 'Template Variables'
	| 'Media URL'
	| 'Media From Binary Field';

/** What n8n says of a row's binary file, before its bytes are read. */
export interface RowFile {
	mimeType?: string;
	fileName?: string;
	bytes: number;
	/** Names the file's content: n8n's binary id, or a digest of bytes kept in the item. */
	identity: string;
}

/** A row that passed every check and goes into a push. */
export interface OutgoingRow {
	itemIndex: number;
	number: string;
	/** Text content. */
	message?: string;
	/** Template content: the values of {{1}}, {{2}}, … and the row's language. */
	templateValues?: string[];
	language?: string;
	/** The row's own media URL. */
	media?: string;
	/** The row's own file, sent as bytes; read from n8n only when its push is built. */
	file?: RowFile & { kind: MediaKind; name?: string };
}

export interface RowProblem {
	itemIndex: number;
	field: RowField;
	reason: string;
	value: unknown;
	/** Kept for a duplicate: the item it repeats. */
	duplicateOf?: number;
}

/** Gives a field's value for one item; throws when its expression cannot be evaluated. */
export type FieldReader = (field: RowField, itemIndex: number) => unknown;

export interface RowRules {
	defaultCountryCode?: string;
	/** How strictly a number is held against its country's numbering plan. */
	numberCheck: NumberCheck;
	hasGlobalMedia: boolean;
	template: boolean;
	perRowMedia: boolean;
	/** Media From Binary Field is set: a row whose item has that file sends it. */
	files?: boolean;
	/** Why the channel takes no media per row (a URL or a file), or undefined when it does. */
	mediaRefusal?: string;
	/** Max Push Size in bytes: a file that cannot fit one push on its own is refused. */
	maxPushBytes?: number;
	allowedPrefixes?: readonly string[];
	skipDuplicates: boolean;
	/** A lookup: the number is all a row has. */
	numbersOnly?: boolean;
}

export interface CollectedRows {
	rows: OutgoingRow[];
	problems: RowProblem[];
}

/** A value as an element of a JSON array: nothing is null there. */
function element(value: unknown): string {
	return value === undefined ? 'null' : JSON.stringify(value);
}

/**
 * What a row sends besides its number: two rows with the same number and content send the same message. The text
 * is the JSON array `[language, values, media]` or `[message, media]`, written element by element; the send record
 * knows earlier messages by it, so it never changes.
 */
export function rowContent(row: OutgoingRow): string {
	const media = element(row.file ? `file:${row.file.identity}` : row.media);
	return row.templateValues
		? `[${element(row.language)},${element(row.templateValues)},${media}]`
		: `[${element(row.message)},${media}]`;
}

/**
 * At least the bytes a row adds to a push body: its file as base64, its text at six bytes a character (a
 * character escaped in JSON), and room for the keys. Splitting pushes by it keeps each under Max Push Size.
 */
export function rowBytes(row: OutgoingRow): number {
	let chars = (row.message?.length ?? 0) + (row.media?.length ?? 0) + (row.language?.length ?? 0);
	for (const value of row.templateValues ?? []) chars += value.length + 3;
	return (row.file ? base64Size(row.file.bytes) : 0) + chars * 6 + ROW_KEYS_BYTES;
}

/** The keys and the number of one `data[]` entry, with room to spare. */
const ROW_KEYS_BYTES = 200;

const MB = 1024 * 1024;

type MediaProblem = { field: RowField; reason: string; value: unknown };

/**
 * A row's own media: its Media URL, or else the file in its binary field. The URL wins when a row has both, so
 * a workflow that already sends URLs keeps doing so. Media per row needs a channel that takes it, and a file must
 * fit its kind's limit and one push.
 */
function checkRowMedia(
	row: OutgoingRow,
	read: FieldReader,
	rules: RowRules,
): MediaProblem | undefined {
	const refusal = rules.mediaRefusal;
	if (rules.perRowMedia) {
		const value = read('Media URL', row.itemIndex);
		const media = checkMediaUrl(value);
		if (!media.ok) return { field: 'Media URL', reason: media.reason, value };
		if (media.value !== undefined && refusal) return { field: 'Media URL', reason: refusal, value };
		row.media = media.value;
	}
	if (row.media !== undefined || !rules.files) return undefined;
	const file = read('Media From Binary Field', row.itemIndex) as RowFile | undefined;
	if (file === undefined) return undefined;
	const value = `${file.fileName ?? 'a file'} (${file.mimeType ?? 'no MIME type'}, ${file.bytes} bytes)`;
	if (refusal) return { field: 'Media From Binary Field', reason: refusal, value };
	const size = checkFileSize(file.mimeType, file.bytes);
	if (!size.ok) return { field: 'Media From Binary Field', reason: size.reason, value };
	const cap = rules.maxPushBytes ?? Infinity;
	if (base64Size(file.bytes) + ROW_KEYS_BYTES > cap) {
		return {
			field: 'Media From Binary Field',
			reason: `is too large for one push under Max Push Size (${(cap / MB).toFixed(1)} MB; a file travels as base64, a third larger): raise Max Push Size`,
			value,
		};
	}
	row.file = {
		...file,
		kind: size.value,
		// Picky Assist shows a name only for documents.
		name: size.value === 'document' ? mediaName(file.fileName) : undefined,
	};
	return undefined;
}

/** A row about to be sent, with the digest the send record knows its message by. */
export type PendingRow = OutgoingRow & { digest: string };

/**
 * The digests of rows' messages: the channel, the number and everything the person receives. The run's own part
 * is JSON, the number digits and the row's content JSON again, so the text names each part unambiguously. The
 * rows become pending rows in place: no copy per row.
 */
export function withDigests(rows: OutgoingRow[], settings: SendSettings): PendingRow[] {
	const { application, template, globalMedia } = settings;
	// A lookup of a number is not a message to it: they never stand for each other in the send record.
	const message = settings.lookup
		? JSON.stringify(['lookup', application])
		: JSON.stringify([application, template?.id, template?.header, globalMedia]);
	for (const row of rows) {
		(row as PendingRow).digest = messageDigest(`${message}${row.number}${rowContent(row)}`);
	}
	return rows as PendingRow[];
}

/**
 * The pushes rows go out in: Batch Size rows at most (helpers/batching.ts), and with files also under Max Push
 * Size, since a push body is held in memory whole.
 */
export function splitIntoPushes<T extends OutgoingRow>(
	rows: readonly T[],
	settings: SendSettings,
): T[][] {
	const batches = chunk(rows, settings.batchSize);
	return settings.mediaBinaryProperty === undefined
		? batches
		: splitByBytes(batches, rowBytes, settings.maxPushBytes);
}

/** Template languages as WhatsApp names them: en, pt_BR, zh_Hant. */
const LANGUAGE = /^[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?$/;

export function collectRows(itemCount: number, read: FieldReader, rules: RowRules): CollectedRows {
	const rows: OutgoingRow[] = [];
	const problems: RowProblem[] = [];
	const firstOf = rules.skipDuplicates ? new Map<string, number>() : undefined;
	let valueCount: number | undefined;
	let checkedLanguage: string | undefined;
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		let field: RowField = 'Number';
		let value: unknown;
		const problem = (reason: string) => problems.push({ itemIndex, field, reason, value });
		try {
			value = read(field, itemIndex);
			const number = normalizePhoneNumber(value, rules.defaultCountryCode, rules.numberCheck);
			if (!number.ok) {
				problem(number.reason);
				continue;
			}
			const row: OutgoingRow = { itemIndex, number: number.value };
			if (
				rules.allowedPrefixes &&
				!rules.allowedPrefixes.some((prefix) => row.number.startsWith(prefix))
			) {
				problem(`is outside the allowed prefixes (${rules.allowedPrefixes.join(', ')})`);
				continue;
			}
			if (!rules.numbersOnly) {
				// Only the Media URL is an expression that may throw; files were read from n8n before.
				field = 'Media URL';
				const media = checkRowMedia(row, read, rules);
				if (media) {
					({ field, value } = media);
					problem(media.reason);
					continue;
				}
			}
			if (rules.numbersOnly) {
				// nothing besides the number
			} else if (rules.template) {
				field = 'Template Variables';
				value = read(field, itemIndex);
				const values = checkTemplateValues(Array.isArray(value) ? value : [value], valueCount);
				if (!values.ok) {
					problem(values.reason);
					continue;
				}
				field = 'Template Language';
				value = read(field, itemIndex);
				const language = typeof value === 'string' ? value.trim() : '';
				// Most sends use one language for every row: it is checked once, not once per row.
				if (language !== checkedLanguage) {
					if (!LANGUAGE.test(language)) {
						problem('must be a template language code such as en or pt_BR');
						continue;
					}
					checkedLanguage = language;
				}
				valueCount ??= values.value.length;
				row.templateValues = values.value;
				row.language = language;
			} else {
				field = 'Message';
				value = read(field, itemIndex);
				const message = normalizeMessage(
					value,
					rules.hasGlobalMedia || row.media !== undefined || row.file !== undefined,
				);
				if (!message.ok) {
					problem(message.reason);
					continue;
				}
				row.message = message.value;
			}
			if (firstOf) {
				const key = `${row.number}\u0000${rowContent(row)}`;
				const first = firstOf.get(key);
				if (first !== undefined) {
					problems.push({
						itemIndex,
						field: 'Number',
						reason: `is a duplicate of item ${first}`,
						value: row.number,
						duplicateOf: first,
					});
					continue;
				}
				firstOf.set(key, itemIndex);
			}
			rows.push(row);
		} catch (error) {
			value = undefined;
			problem(`could not be evaluated: ${errorMessage(error)}`);
		}
	}
	return { rows, problems };
}
