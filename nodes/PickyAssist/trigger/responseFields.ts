import type { INodeParameters } from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';

/**
 * What n8n answers a webhook call with: `responseMode` is the node's parameter of that name; `responseData` is
 * n8n's "first item of the last node" when the workflow's last node makes the reply, and `{}` otherwise (Picky
 * Assist needs only a 200, and an empty JSON object is no instant reply). When a call changed the memory of Drop
 * Repeated Events, the node answers "Immediately" itself (PickyAssistTrigger.node.ts says why).
 */
/** The reply, from the node's parameters. Self-contained on purpose: its source is also its expression template. */
const responseData = (parameters: INodeParameters) =>
	parameters.responseMode === 'lastNode' ? 'firstEntryJson' : {};

/** The same fields as plain expressions, for n8n-workflow without the helpers below (n8n 1.x). */
const RESPONSE_TEMPLATES = {
	responseMode: '={{$parameter["responseMode"]}}',
	responseData: `={{(${String(responseData)})($parameter)}}`,
};

type NativeFieldHelpers = Partial<
	Pick<typeof n8nWorkflow, 'webhookDescriptionFields' | 'fromParameter' | 'fromFunction'>
>;

/**
 * The fields for the trigger's webhook description. A plain `={{…}}` template makes n8n 2.x run its expression
 * engine (a V8 isolate) on every call just to read static parameters. n8n-workflow 2.41 added helpers that declare
 * a template together with a native resolver, used instead when the parameters hold no expression; n8n 1.x's
 * n8n-workflow has none, so the templates above, which every line understands, are the fallback.
 */
export function responseFields(
	helpers: NativeFieldHelpers = n8nWorkflow,
): Record<'responseMode' | 'responseData', string> {
	const { webhookDescriptionFields, fromParameter, fromFunction } = helpers;
	if (
		typeof webhookDescriptionFields !== 'function' ||
		typeof fromParameter !== 'function' ||
		typeof fromFunction !== 'function'
	)
		return { ...RESPONSE_TEMPLATES };
	return webhookDescriptionFields({
		responseMode: fromParameter('responseMode'),
		responseData: fromFunction(responseData),
	});
}
