import { resolveWebhookDescriptionField, type IWebhookDescription } from 'n8n-workflow';

import { PickyAssistTrigger } from '../../packages/n8n-nodes-pickyassist/nodes/PickyAssist/PickyAssistTrigger.node';
import { responseModeField } from '../../packages/n8n-nodes-pickyassist/nodes/PickyAssist/triggerResponseMode';

const webhook = (): IWebhookDescription => {
	const [description] = new PickyAssistTrigger().description.webhooks ?? [];
	return description;
};

describe("the trigger webhook's response mode", () => {
	it('is read by n8n 2.41+ without the expression engine when the parameters are static', () => {
		const node = { parameters: { responseMode: 'responseNode', events: ['incomingMessage'] } };
		expect(resolveWebhookDescriptionField(node, webhook(), 'responseMode')).toEqual({
			resolved: true,
			value: 'responseNode',
		});
	});

	it('falls back to the expression engine when a parameter holds an expression', () => {
		const node = { parameters: { responseMode: 'onReceived', secret: '={{ $vars.secret }}' } };
		expect(resolveWebhookDescriptionField(node, webhook(), 'responseMode')).toEqual({
			resolved: false,
		});
	});

	it('is the same template on a line whose n8n-workflow lacks the native helpers (n8n 1.x)', () => {
		const withHelpers = responseModeField();
		const withoutHelpers = responseModeField({});
		expect(withoutHelpers).toEqual({ responseMode: '={{$parameter["responseMode"]}}' });
		expect(withHelpers.responseMode).toBe(withoutHelpers.responseMode);
		expect(Object.getOwnPropertySymbols(withoutHelpers)).toHaveLength(0);
		expect(Object.getOwnPropertySymbols(withHelpers)).toHaveLength(1);
	});
});
