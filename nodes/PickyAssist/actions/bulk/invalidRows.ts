/**
 * The node error of a run whose rows failed their checks: every invalid row named (up to a count), so that a sheet
 * with many bad rows is fixed in one pass.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Redactor } from '../../helpers/redaction';
import { describeValue, itemPrefix } from '../outcomes';
import type { RowProblem } from './rowCollection';

export function rowProblemMessage(problem: RowProblem): string {
	return `${itemPrefix(problem.itemIndex)}"${problem.field}" ${problem.reason}`;
}

/** How many invalid rows an error lists one by one; a sheet with more is named by its first ones and a count. */
export const ROWS_LISTED = 20;
/** A value longer than this is cut in the list: it is there to find the row, not to show the whole cell. */
const VALUE_SHOWN = 60;

function listedValue(value: unknown, redactor: Redactor): string {
	// Redacted before it is cut, so that no part of the token can survive the cut.
	const shown = redactor.clean(describeValue(value));
	return shown.length > VALUE_SHOWN ? `${shown.slice(0, VALUE_SHOWN)}…` : shown;
}

/**
 * Rows failed their checks: nothing was sent, because every row is checked before the first push. The message
 * names the first invalid item; the description lists every invalid item (the first ROWS_LISTED, then how many
 * more), so that a sheet with many bad rows is fixed in one pass, not one run per row.
 */
export function invalidRowError(
	node: INode,
	problems: readonly RowProblem[],
	redactor: Redactor,
): NodeOperationError {
	const [first] = problems;
	const more = problems.length - 1;
	const others = more > 0 ? `; ${more} more item${more === 1 ? ' is' : 's are'} invalid` : '';
	const lines = problems
		.slice(0, ROWS_LISTED)
		.map(
			(problem) =>
				`item ${problem.itemIndex}, "${problem.field}" ${problem.reason}, got ${listedValue(problem.value, redactor)}`,
		);
	const unlisted = problems.length - lines.length;
	if (unlisted > 0) lines.push(`and ${unlisted} more invalid item${unlisted === 1 ? '' : 's'}`);
	const list =
		problems.length > 1 ? `${problems.length} items are invalid:\n${lines.join(';\n')}.\n` : '';
	const got = problems.length > 1 ? '' : `Got ${listedValue(first.value, redactor)}. `;
	// The message says "nothing was sent" itself: an AI agent using the node as a tool sees only the message.
	return new NodeOperationError(
		node,
		redactor.clean(`${rowProblemMessage(first)}${others}; nothing was sent`),
		{
			itemIndex: first.itemIndex,
			description: redactor.clean(
				`${list}${got}Nothing was sent: every item is checked before the first push. Fix the ${problems.length > 1 ? 'values' : 'value'} or turn on "Continue" in the node settings to send the valid items and get an error item for each invalid one.`,
			),
		},
	);
}
