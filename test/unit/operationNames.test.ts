/**
 * One operation reads the same wherever n8n shows it. n8n's lint wants an operation's `name` (the panel's
 * Operation list) in Title Case and its `action` (the node search's action list, and the name n8n 2.x gives a
 * node added from it) in sentence case: the two differ only in casing, and the canvas subtitle is the action.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { PickyAssist } from '../../nodes/PickyAssist/PickyAssist.node';

const description = new PickyAssist().description;
// Resource Message has two Operation fields (the AI-tool variant's lacks Send and Wait): each operation once.
const operations = [
	...new Map(
		description.properties
			.filter((property) => property.name === 'operation')
			.flatMap((property) => property.options as INodePropertyOptions[])
			.map((option) => [option.value, option]),
	).values(),
];

/** The subtitle expression's `{ operation: "text" }` map. */
const subtitles = Object.fromEntries(
	[...String(description.subtitle).matchAll(/(\w+): "([^"]+)"/g)].map((match) => [
		match[1],
		match[2],
	]),
);

/**
 * Sentence case. n8n's lint accepts no word in mixed case in an action, so a brand such as WhatsApp is left out of
 * it rather than misspelt ("Check WhatsApp Numbers" → "Check numbers").
 */
const sentenceCase = (text: string) => {
	const words = text.replace(/ WhatsApp\b/g, '');
	return words.charAt(0) + words.slice(1).toLowerCase();
};

test('every operation is listed', () => {
	expect(operations.map((operation) => operation.value)).toEqual([
		'sendDynamic',
		'sendAndWait',
		'getDeliveryReport',
		'getBalance',
		'checkWhatsApp',
	]);
});

test.each(operations.map((operation) => [operation.name, operation]))(
	'%s: the action is its name in sentence case, and the canvas subtitle is the action',
	(_name, operation) => {
		expect(operation.action).toBe(sentenceCase(operation.name));
		expect(subtitles[String(operation.value)]).toBe(operation.action);
	},
);
