/**
 * The Trigger's response fields through n8n's own expression engine, as n8n evaluates them. The built file is
 * included: its compiled function source is what n8n evaluates, so this runs in the tier that builds first.
 */
import { Workflow } from 'n8n-workflow';
import type { INodeTypes } from 'n8n-workflow';

import { PickyAssistTrigger } from '../../nodes/PickyAssist/PickyAssistTrigger.node';
import { responseFields } from '../../nodes/PickyAssist/trigger/responseFields';

/** The built file, as n8n loads it. */
const builtResponseFields = (): ReturnType<typeof responseFields> =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require('../../dist/nodes/PickyAssist/trigger/responseFields').responseFields();

/** What n8n answers with, per Respond mode: {} at once, or the last node's first item. */
const EXPECTED: Record<string, { responseMode: string; responseData: unknown }> = {
	onReceived: { responseMode: 'onReceived', responseData: {} },
	lastNode: { responseMode: 'lastNode', responseData: 'firstEntryJson' },
	responseNode: { responseMode: 'responseNode', responseData: {} },
};

describe("the trigger webhook's response fields", () => {
	it.each(Object.keys(EXPECTED))(
		"give the same values through n8n's expression engine, with and without the native helpers (%s)",
		(mode) => {
			const node = {
				id: '1',
				name: 'Trigger',
				type: 'trigger',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: { responseMode: mode },
			};
			const nodeTypes = {
				getByName: () => new PickyAssistTrigger(),
				getByNameAndVersion: () => new PickyAssistTrigger(),
				getKnownTypes: () => ({}),
			} as unknown as INodeTypes;
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
			for (const fields of [responseFields(), responseFields({}), builtResponseFields()]) {
				const evaluate = (field: 'responseMode' | 'responseData') =>
					workflow.expression.getComplexParameterValue(node, fields[field], 'webhook', {});
				expect({
					responseMode: evaluate('responseMode'),
					responseData: evaluate('responseData'),
				}).toEqual(EXPECTED[mode]);
			}
		},
	);
});
