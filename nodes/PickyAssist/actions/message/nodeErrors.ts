/**
 * The node errors Send Dynamic Messages throws when "Continue" is off. Both are built from sanitised parts only
 * — never from an error n8n's request helper threw, which holds the request and so the token.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { redact } from '../../helpers/redaction';
import { describeValue } from './outcomes';
import type { RowProblem } from './rowCollection';

/**
 * How a message names the item it is about. In lower case on purpose: n8n's editor appends " [item N]" to a
 * node error's message unless the message already contains "item N" spelled exactly so ("Item N" does not count).
 */
export function itemPrefix(itemIndex: number): string {
	return `In item ${itemIndex}, `;
}

export function rowProblemMessage(problem: RowProblem): string {
	return `${itemPrefix(problem.itemIndex)}"${problem.field}" ${problem.reason}`;
}

/** How many invalid rows an error lists one by one; a sheet with more is named by its first ones and a count. */
export const ROWS_LISTED = 20;
/** A value longer than this is cut in the list: it is there to find the row, not to show the whole cell. */
const VALUE_SHOWN = 60;

function listedValue(value: unknown, secret: string): string {
	// Redacted before it is cut, so that no part of the token can survive the cut.
	const shown = redact(describeValue(value), secret);
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
	secret: string,
): NodeOperationError {
	const [first] = problems;
	const more = problems.length - 1;
	const others = more > 0 ? `; ${more} more item${more === 1 ? ' is' : 's are'} invalid` : '';
	const lines = problems
		.slice(0, ROWS_LISTED)
		.map(
			(problem) =>
				`item ${problem.itemIndex}, "${problem.field}" ${problem.reason}, got ${listedValue(problem.value, secret)}`,
		);
	const unlisted = problems.length - lines.length;
	if (unlisted > 0) lines.push(`and ${unlisted} more invalid item${unlisted === 1 ? '' : 's'}`);
	const list = problems.length > 1 ? `${problems.length} items are invalid:\n${lines.join(';\n')}.\n` : '';
	const got = problems.length > 1 ? '' : `Got ${listedValue(first.value, secret)}. `;
	// The message says "nothing was sent" itself: an AI agent using the node as a tool sees only the message.
	return new NodeOperationError(
		node,
		redact(`${rowProblemMessage(first)}${others}; nothing was sent`, secret),
		{
			itemIndex: first.itemIndex,
			description: redact(
				`${list}${got}Nothing was sent: every item is checked before the first push. Fix the ${problems.length > 1 ? 'values' : 'value'} or turn on "Continue" in the node settings to send the valid items and get an error item for each invalid one.`,
				secret,
			),
		},
	);
}

/**
 * A push or a read failed. The message is set again after construction, because NodeApiError swaps any message
 * that mentions a Node.js error code (ECONNREFUSED, …) for a generic text. A failure of several items names them
 * in its message and description; n8n's own item index (shown by the editor as " [item N]") is set only when
 * the failure is about one item, so that it never singles out the first of many.
 *
 * Two numbers, each under its own name: the editor's "Error code" is the HTTP status, shown only when the HTTP
 * layer itself failed (Picky Assist answers its own refusals with HTTP 200, which is no error code); the error's
 * data names `http_status` and `picky_assist_status`. With no answer at all there is neither, and no code is
 * made up: the message names the cause.
 */
export function pushError(
	node: INode,
	secret: string,
	details: {
		message: string;
		description: string;
		itemIndexes: readonly number[];
		/** Picky Assist's own status code when it gave one; otherwise the rows' state ("unknown", "rejected", …). */
		status: number | string;
		/** The HTTP status of the answer, when one came. */
		httpStatus?: number;
	},
): NodeApiError {
	const message = redact(details.message, secret);
	const httpStatus = details.httpStatus ? details.httpStatus : undefined;
	const pickyAssistStatus = typeof details.status === 'number' ? details.status : undefined;
	// No `status` or `code` key in the response given to n8n: it would read one as the error code.
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description: redact(details.description, secret),
		httpCode:
			httpStatus !== undefined && (httpStatus < 200 || httpStatus > 299)
				? String(httpStatus)
				: undefined,
		itemIndex: details.itemIndexes.length === 1 ? details.itemIndexes[0] : undefined,
	});
	error.message = message;
	const data: JsonObject = {};
	if (httpStatus !== undefined) data.http_status = httpStatus;
	if (pickyAssistStatus !== undefined) data.picky_assist_status = pickyAssistStatus;
	if (Object.keys(data).length > 0) error.context.data = data;
	return error;
}
