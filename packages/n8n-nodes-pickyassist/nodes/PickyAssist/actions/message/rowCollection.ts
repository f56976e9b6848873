/**
 * Reads and checks every row before anything is sent, so bad input never leaves half a batch sent. A row is
 * either ready to go (its number normalised, its text exact) or a problem naming the item, the field, the
 * reason and the value found.
 */
import { normalizeMessage } from '../../helpers/message';
import { normalizePhoneNumber } from '../../helpers/phoneNumber';
import { errorMessage } from '../../helpers/apiResponse';

export type RowField = 'Number' | 'Message';

/** A row that passed every check and goes into a push. */
export interface OutgoingRow {
	itemIndex: number;
	number: string;
	message: string;
}

export interface RowProblem {
	itemIndex: number;
	field: RowField;
	reason: string;
	value: unknown;
}

/** Gives a field's value for one item; throws when its expression cannot be evaluated. */
export type FieldReader = (field: RowField, itemIndex: number) => unknown;

export interface CollectedRows {
	rows: OutgoingRow[];
	problems: RowProblem[];
}

export function collectRows(
	itemCount: number,
	read: FieldReader,
	options: { defaultCountryCode?: string; hasGlobalMedia: boolean },
): CollectedRows {
	const rows: OutgoingRow[] = [];
	const problems: RowProblem[] = [];
	const readField = (field: RowField, itemIndex: number): { value: unknown } | undefined => {
		try {
			return { value: read(field, itemIndex) };
		} catch (error) {
			problems.push({ itemIndex, field, reason: `could not be evaluated: ${errorMessage(error)}`, value: undefined });
			return undefined;
		}
	};
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const rawNumber = readField('Number', itemIndex);
		if (!rawNumber) continue;
		const rawMessage = readField('Message', itemIndex);
		if (!rawMessage) continue;
		const number = normalizePhoneNumber(rawNumber.value, options.defaultCountryCode);
		if (!number.ok) {
			problems.push({ itemIndex, field: 'Number', reason: number.reason, value: rawNumber.value });
			continue;
		}
		const message = normalizeMessage(rawMessage.value, options.hasGlobalMedia);
		if (!message.ok) {
			problems.push({ itemIndex, field: 'Message', reason: message.reason, value: rawMessage.value });
			continue;
		}
		rows.push({ itemIndex, number: number.value, message: message.value });
	}
	return { rows, problems };
}
