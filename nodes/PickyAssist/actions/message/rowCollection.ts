/**
 * Reads and checks every row before anything is sent, so bad input never leaves half a batch sent. A row is
 * either ready to go (its number normalised, its content exact) or a problem naming the item, the field, the
 * reason and the value found.
 */
import { errorMessage } from '../../helpers/apiResponse';
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
	| 'Media URL';

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
	allowedPrefixes?: readonly string[];
	skipDuplicates: boolean;
	/** A lookup: the number is all a row has. */
	numbersOnly?: boolean;
}

export interface CollectedRows {
	rows: OutgoingRow[];
	problems: RowProblem[];
}

/** What a row sends besides its number: two rows with the same number and content send the same message. */
export function rowContent(row: OutgoingRow): string {
	return row.templateValues
		? JSON.stringify([row.language, row.templateValues, row.media ?? null])
		: JSON.stringify([row.message, row.media ?? null]);
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
			if (rules.numbersOnly) {
				// nothing besides the number
			} else if (rules.perRowMedia) {
				field = 'Media URL';
				value = read(field, itemIndex);
				const media = checkMediaUrl(value);
				if (!media.ok) {
					problem(media.reason);
					continue;
				}
				row.media = media.value;
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
				const message = normalizeMessage(value, rules.hasGlobalMedia || row.media !== undefined);
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
