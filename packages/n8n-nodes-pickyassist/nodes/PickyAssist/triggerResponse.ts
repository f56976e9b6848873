import * as n8nWorkflow from 'n8n-workflow';

const RESPONSE_MODE_TEMPLATE = '={{$parameter["responseMode"]}}';

type NativeFieldHelpers = Partial<
	Pick<typeof n8nWorkflow, 'webhookDescriptionFields' | 'fromParameter'>
>;

/**
 * The trigger webhook's `responseMode`, read from the node's parameter of that name.
 *
 * A plain `={{$parameter[…]}}` template makes n8n 2.x run its expression engine (a V8 isolate) on every webhook
 * call just to read one static parameter. n8n-workflow 2.41 added helpers that declare the same template together
 * with a native resolver, which n8n uses instead when the parameters hold no expression. n8n 1.x's n8n-workflow has
 * no such helpers, so the package falls back to the template there, which every line understands.
 */
export function responseModeField(
	helpers: NativeFieldHelpers = n8nWorkflow,
): Record<'responseMode', string> {
	const { webhookDescriptionFields, fromParameter } = helpers;
	if (typeof webhookDescriptionFields === 'function' && typeof fromParameter === 'function')
		return webhookDescriptionFields({ responseMode: fromParameter('responseMode') });
	return { responseMode: RESPONSE_MODE_TEMPLATE };
}
