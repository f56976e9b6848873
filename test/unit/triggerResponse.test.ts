import { resolveWebhookDescriptionField } from 'n8n-workflow';
import type { IWebhookDescription } from 'n8n-workflow';

import { PickyAssistTrigger } from '../../nodes/PickyAssist/PickyAssistTrigger.node';
import { responseFields } from '../../nodes/PickyAssist/trigger/responseFields';

const webhook = (): IWebhookDescription => {
	const [description] = new PickyAssistTrigger().description.webhooks ?? [];
	return description;
};
const MODES = ['onReceived', 'lastNode', 'responseNode'];
/** What n8n answers with, per Respond mode: {} at once, or the last node's first item. */
const EXPECTED: Record<string, { responseMode: string; responseData: unknown }> = {
	onReceived: { responseMode: 'onReceived', responseData: {} },
	lastNode: { responseMode: 'lastNode', responseData: 'firstEntryJson' },
	responseNode: { responseMode: 'responseNode', responseData: {} },
};

describe("the trigger webhook's response fields", () => {
	it.each(MODES)(
		'are read by n8n 2.41+ without the expression engine when the parameters are static (%s)',
		(mode) => {
			const node = { parameters: { responseMode: mode, events: ['incomingMessage'] } };
			const read = (field: string) => resolveWebhookDescriptionField(node, webhook(), field);
			expect({ responseMode: read('responseMode'), responseData: read('responseData') }).toEqual({
				responseMode: { resolved: true, value: EXPECTED[mode].responseMode },
				responseData: { resolved: true, value: EXPECTED[mode].responseData },
			});
		},
	);

	it('fall back to the expression engine when a parameter holds an expression', () => {
		const node = { parameters: { responseMode: 'onReceived', secret: '={{ $vars.secret }}' } };
		expect(resolveWebhookDescriptionField(node, webhook(), 'responseData')).toEqual({
			resolved: false,
		});
	});

	it('hold plain templates only on a line whose n8n-workflow lacks the native helpers (n8n 1.x)', () => {
		expect(Object.getOwnPropertySymbols(responseFields({}))).toHaveLength(0);
		expect(Object.getOwnPropertySymbols(responseFields())).toHaveLength(1);
	});
});
