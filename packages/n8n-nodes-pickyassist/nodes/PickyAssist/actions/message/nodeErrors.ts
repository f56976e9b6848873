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

/** A row failed its checks: nothing was sent, because every row is checked before the first push. */
export function invalidRowError(
	node: INode,
	problem: RowProblem,
	secret: string,
): NodeOperationError {
	// The message says "nothing was sent" itself: an AI agent using the node as a tool sees only the message.
	return new NodeOperationError(
		node,
		redact(`${rowProblemMessage(problem)}; nothing was sent`, secret),
		{
			itemIndex: problem.itemIndex,
			description: redact(
				`Got ${describeValue(problem.value)}. Nothing was sent: every item is checked before the first push. Fix the value or turn on "Continue" in the node settings to send the valid items and get an error item for this one.`,
				secret,
			),
		},
	);
}

/**
 * A push failed. The message is set again after construction, because NodeApiError swaps any message that
 * mentions a Node.js error code (ECONNREFUSED, …) for a generic text. A failure of several items names them
 * in its message and description; n8n's own item index (shown by the editor as " [item N]") is set only when
 * the failure is about one item, so that it never singles out the first of many.
 */
export function pushError(
	node: INode,
	secret: string,
	details: {
		message: string;
		description: string;
		itemIndexes: readonly number[];
		status: number | string;
		httpStatus?: number;
	},
): NodeApiError {
	const message = redact(details.message, secret);
	const error = new NodeApiError(node, { message, status: details.status } as JsonObject, {
		message,
		description: redact(details.description, secret),
		httpCode: details.httpStatus ? String(details.httpStatus) : undefined,
		itemIndex: details.itemIndexes.length === 1 ? details.itemIndexes[0] : undefined,
	});
	error.message = message;
	return error;
}
