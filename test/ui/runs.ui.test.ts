/**
 * Workflows run from the editor with "Execute workflow", against the sandbox: the example's rows come out as one
 * item per message with the msg_id the sandbox gave it; a row that is not a phone number stops the node with an
 * error naming it, before anything is sent; a template send shows its values in the panel and sends them.
 */
import { acceptedMsgIds, Editor, PICKY_NODE, waitUntil } from './editor';
import { linesUnderTest } from './state';

interface PushRequest {
	body?: {
		template_id?: string;
		language?: string;
		data?: Array<{ number: string; template_message?: string[]; language?: string }>;
	};
}

describe.each(linesUnderTest())('%s: runs from the editor', (_label, n) => {
	let editor: Editor;
	beforeAll(async () => {
		editor = await Editor.open(n);
		await editor.signIn();
	});
	afterAll(async () => editor?.close());

	/** Runs the open workflow and waits until the Picky Assist node shows a result (success or error). */
	async function run(status: 'success' | 'error') {
		await editor.executeWorkflow();
		// n8n marks a node that failed with its "issues" sign, one that ran with a success mark.
		const mark = status === 'success' ? 'canvas-node-status-success' : 'node-issues';
		await editor.page
			.locator(`${PICKY_NODE} [data-test-id="${mark}"]`)
			.first()
			.waitFor({ timeout: 90_000 });
	}

	test('the example workflow sends every row; the output panel lists their msg_ids', async () => {
		const before = await acceptedMsgIds(editor);
		await editor.openWorkflow('Spreadsheet rows → Picky Assist');
		await run('success');
		const sent = (await acceptedMsgIds(editor)).slice(before.length);
		expect(sent.length).toBeGreaterThanOrEqual(3);
		await editor.openNode(PICKY_NODE);
		const output = editor.page.locator('[data-test-id="output-panel"]');
		await output.getByText('msg_id', { exact: true }).first().waitFor();
		for (const id of sent) await output.getByText(id, { exact: true }).first().waitFor();
		await editor.shot('20-output-msg-ids');
		await editor.picture(output, 'output-msg-ids.png', output.locator('table').first());
	});

	test('a row that is not a phone number stops the node with an error naming the row; nothing is sent', async () => {
		const pushesBefore = (await editor.sandbox<unknown[]>('GET', '/__sandbox/accepted-pushes'))
			.length;
		await editor.openWorkflow('UI: one invalid row');
		await run('error');
		await editor.openNode(PICKY_NODE);
		const output = editor.page.locator('[data-test-id="output-panel"]');
		// Row 2 of 3 (n8n counts items from 0) and the value that is not a number.
		await output
			.getByText(/item 1\b/i)
			.first()
			.waitFor();
		await output
			.getByText(/call me maybe/)
			.first()
			.waitFor();
		await editor.shot('21-invalid-row-error');
		const pushesAfter = (await editor.sandbox<unknown[]>('GET', '/__sandbox/accepted-pushes'))
			.length;
		expect(pushesAfter).toBe(pushesBefore);
	});

	test('a template send shows its values in the panel and sends them', async () => {
		const requestsBefore = (
			await editor.sandbox<PushRequest[]>('GET', '/__sandbox/requests?endpoint=push')
		).length;
		await editor.openWorkflow('Template reminder from a sheet');
		await run('success');
		await editor.openNode(PICKY_NODE);
		const panel = editor.page.locator('[data-test-id="node-parameters"]');
		// The expressions' previews show the first row's values under each template variable.
		const previews = panel.locator('[data-test-id="parameter-expression-preview-value"]');
		await waitUntil(async () => (await previews.count()) >= 3, 'the template values');
		// The previews write spaces as no-break spaces.
		const values = (await previews.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim());
		expect(values).toEqual(['Ana', '12.40', '1 Dec']);
		await panel.getByText('pt_BR', { exact: true }).first().waitFor();
		await editor.page
			.locator('[data-test-id="output-panel"]')
			.getByText('msg_id', { exact: true })
			.first()
			.waitFor();
		await editor.shot('22-template-values');
		const pushes = (
			await editor.sandbox<PushRequest[]>('GET', '/__sandbox/requests?endpoint=push')
		).slice(requestsBefore);
		expect(pushes).toHaveLength(1);
		const body = pushes[0].body!;
		expect(body.template_id).toBe('bill_reminder');
		expect(body.data?.[0].template_message).toEqual(['Ana', '12.40', '1 Dec']);
	});

	test('no browser console error names the package', () => {
		expect(editor.packageErrors()).toEqual([]);
	});
});
