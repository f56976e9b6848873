/**
 * Panel fields that several operations and the Trigger show alike. Each is a literal, so n8n's lint reads it; a use
 * spreads it and adds only what differs there.
 */
import type { INodeProperties } from 'n8n-workflow';

/**
 * The head of an Options collection; each use adds its own options. n8n's lint cannot see those through the
 * spread to check their order, so test/unit/panelLabels.test.ts checks it on the built description.
 */
export const optionsCollection = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
} satisfies INodeProperties;

/** Each item's phone number; each use says in its own description whose number it is and how it is read. */
export const numberField = {
	displayName: 'Number',
	name: 'number',
	type: 'string',
	default: '={{ $json.number }}',
	required: true,
} satisfies INodeProperties;
