/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * Sign in, find the node in the node search (its icon, light and dark), and every parameter of each operation in
 * its panel. What must show is computed from the built node's own description (the build that n8n loaded), so the
 * test follows the node's parameters instead of repeating them, and does not depend on labels' casing.
 */
import * as path from 'path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import type { Locator } from 'playwright-core';

import { Editor, waitUntil } from './editor';
import { linesUnderTest } from './state';

const BUILT_NODE = path.resolve(__dirname, '../../dist/nodes/PickyAssist/PickyAssist.node.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PickyAssist } = require(BUILT_NODE) as {
	PickyAssist: new () => { description: INodeTypeDescription };
};
const PROPERTIES = new PickyAssist().description.properties;

type Values = Record<string, unknown>;

/** The top-level parameters n8n shows for these values (the node uses `show` conditions only). */
function shown(values: Values): INodeProperties[] {
	return PROPERTIES.filter((p) =>
		Object.entries(p.displayOptions?.show ?? {}).every(([k, allowed]) =>
			(allowed as unknown[]).includes(values[k]),
		),
	);
}

/** Searches the node creator for "Picky Assist"; returns the result's icon. */
async function searchIcon(editor: Editor) {
	await editor.openWorkflow('Spreadsheet rows → Picky Assist');
	await editor.page.locator('[data-test-id="node-creator-plus-button"]').click();
	await editor.page
		.locator(
			'[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]',
		)
		.first()
		.fill('Picky Assist');
	const item = editor.page
		.locator('[data-test-id="item-iterator-item"]')
		.filter({
			has: editor.page.locator('[data-test-id="node-creator-item-name"]', {
				hasText: /^Picky Assist$/,
			}),
		})
		.first();
	const icon = item.locator('img').first();
	await icon.waitFor();
	// Loaded, not a broken image: n8n serves the package's icon file under /icons/<package>/.
	await waitUntil(
		() =>
			icon.evaluate((el) => {
				const img = el as unknown as { complete: boolean; naturalWidth: number };
				return img.complete && img.naturalWidth > 0;
			}),
		'the icon to load',
	);
	const src = (await icon.getAttribute('src')) ?? '';
	expect(src).toContain('/icons/n8n-nodes-pickyassist/');
	return { item, src };
}

/**
 * Opens the panel's "Add option" menu and returns its entries, then closes it. A click while the panel is still
 * moving into place can open the menu above it instead: then it is closed and the click repeated.
 */
async function openedOptions(editor: Editor, panel: Locator, first: string): Promise<string[]> {
	const add = panel
		.locator('[data-test-id="collection-parameter-add"], .add-option .el-select')
		.first();
	const items = editor.page.locator('.el-select-dropdown__item:visible');
	for (let attempt = 1; ; attempt++) {
		await add.scrollIntoViewIfNeeded();
		await add.click();
		await items.first().waitFor();
		const names = (await items.allInnerTexts()).map((t) => t.trim());
		await editor.page.keyboard.press('Escape');
		// Closed before the step's screenshot, which would otherwise catch it fading out.
		await items.first().waitFor({ state: 'hidden' });
		if (names.includes(first) || attempt === 3) return names;
	}
}

/**
 * Whether a collection's option is offered for these values: an option's conditions name the node's top-level
 * parameters with a leading "/" (Template Header shows only with Content: WhatsApp Template).
 */
function offered(option: INodeProperties, values: Values): boolean {
	return Object.entries(option.displayOptions?.show ?? {}).every(([k, allowed]) =>
		(allowed as unknown[]).includes(values[k.replace(/^\//, '')]),
	);
}

/** Every parameter shown for `values` renders in the open panel; notices with their text, options in the menu. */
async function expectParameters(editor: Editor, values: Values) {
	const panel = editor.page.locator('[data-test-id="node-parameters"]');
	const expected = shown(values);
	expect(expected.length).toBeGreaterThan(1);
	for (const p of expected) {
		if (p.type === 'notice') {
			await expect(panel.getByText(p.displayName.slice(0, 60)).isVisible()).resolves.toBe(true);
		} else if (p.type === 'collection') {
			// The options are listed only when "Add option" is opened: each must be there by its name.
			const names = await openedOptions(
				editor,
				panel,
				(p.options as INodeProperties[])[0].displayName,
			);
			for (const o of p.options as INodeProperties[]) {
				if (offered(o, values)) expect(names).toContain(o.displayName);
				else expect(names).not.toContain(o.displayName);
			}
		} else if (p.type === 'fixedCollection') {
			await panel.locator(`[data-test-id="fixed-collection-${p.name}"]`).waitFor();
		} else {
			await panel.locator(`[data-test-id="parameter-input-${p.name}"]`).waitFor();
		}
	}
}

describe.each(linesUnderTest())('%s: the node in the editor', (_label, n) => {
	let editor: Editor;
	beforeAll(async () => {
		editor = await Editor.open(n);
	});
	afterAll(async () => editor?.close());

	test('the owner signs in', async () => {
		await editor.signIn();
		await editor.shot('01-signed-in');
	});

	test('the node search finds Picky Assist with its icon, in the light and the dark theme', async () => {
		const light = await searchIcon(editor);
		await editor.shot('02-node-search-light');
		const dark = await Editor.open(n, 'dark');
		try {
			await dark.signIn();
			const found = await searchIcon(dark);
			await dark.shot('03-node-search-dark');
			// The node has an icon per theme: the dark editor must load the dark one.
			expect(found.src).not.toBe(light.src);
			expect(dark.packageErrors()).toEqual([]);
		} finally {
			await dark.close();
		}
	});

	test('every parameter of each operation renders, with its notice (Send and Wait and Check WhatsApp Numbers too)', async () => {
		const { page } = editor;
		await page.keyboard.press('Escape');
		await editor.openWorkflow('Spreadsheet rows → Picky Assist');
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await page
			.locator(
				'[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]',
			)
			.first()
			.fill('Picky Assist');
		await page
			.locator('[data-test-id="node-creator-item-name"]', { hasText: /^Picky Assist$/ })
			.first()
			.click();
		await page
			.locator('[data-test-id="item-iterator-item"]', { hasText: /send dynamic messages/i })
			.first()
			.click();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor();

		const send = { resource: 'message', operation: 'sendDynamic', application: 8 };
		await expectParameters(editor, { ...send, content: 'text' });
		await editor.shot('04-send-text-parameters');
		const parameters = page
			.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]')
			.first();
		await editor.picture(
			parameters,
			'node-panel.png',
			parameters.locator('[data-test-id="collection-parameter-add"], .add-option').first(),
		);

		await editor.choose('content', /whatsapp template/i);
		await expectParameters(editor, { ...send, content: 'template' });
		// A template variable's label says which {{n}} it fills, since n8n cannot number the entries.
		const parametersPanel = page.locator('[data-test-id="node-parameters"]');
		await parametersPanel.locator('[data-test-id="fixed-collection-add"]').first().click();
		await parametersPanel.getByText('Value (Top to Bottom: {{1}}, {{2}}, …)').first().waitFor();
		await editor.shot('05-send-template-parameters');

		await editor.choose('operation', /send and wait for response/i);
		// Content stays as the Send step left it: WhatsApp Template.
		const wait = {
			resource: 'message',
			operation: 'sendAndWait',
			application: 8,
			content: 'template',
		};
		await expectParameters(editor, { ...wait, responseType: 'approval', approvalType: 'double' });
		await editor.shot('05b-send-and-wait-approval-parameters');
		await editor.choose('responseType', /free text/i);
		await expectParameters(editor, { ...wait, responseType: 'freeText' });
		await editor.shot('05c-send-and-wait-free-text-parameters');

		await editor.choose('operation', /get delivery report/i);
		await expectParameters(editor, { resource: 'message', operation: 'getDeliveryReport' });
		await editor.shot('06-delivery-report-parameters');

		await editor.choose('resource', /account/i);
		await expectParameters(editor, { resource: 'account', operation: 'getBalance' });
		await editor.shot('07-balance-parameters');

		await editor.choose('resource', /contact/i);
		await expectParameters(editor, {
			resource: 'contact',
			operation: 'checkWhatsApp',
			application: 8,
		});
		await editor.shot('08-check-whatsapp-parameters');
	});

	test('no browser console error names the package', () => {
		expect(editor.packageErrors()).toEqual([]);
	});
});
