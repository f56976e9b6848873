/**
 * A user creates a Picky Assist credential against the sandbox (API Host: Custom URL) in the credentials page and
 * n8n tests it on save: a wrong token gets Picky Assist's message, the right one passes. Both tests reach the
 * sandbox (its check-balance calls are counted), so a test that never left the browser cannot pass.
 */
import { Editor } from './editor';
import { linesUnderTest } from './state';

describe.each(linesUnderTest())('%s: the credential', (_label, n) => {
	let editor: Editor;
	beforeAll(async () => {
		editor = await Editor.open(n);
		await editor.signIn();
	});
	afterAll(async () => editor?.close());

	const balanceChecks = async () =>
		(await editor.sandbox<unknown[]>('GET', '/__sandbox/requests?endpoint=check-balance')).length;

	test('a Picky Assist credential with a Custom URL: the wrong token is refused with its message, the right one passes', async () => {
		const { page } = editor;
		await page.goto(`${editor.baseUrl}/home/credentials/create`);
		await page.locator('[data-test-id="new-credential-type-select"] input').fill('Picky Assist');
		await page
			.locator('[data-test-id="new-credential-type-select-option"]', { hasText: 'Picky Assist' })
			.first()
			.click();
		await page.locator('[data-test-id="new-credential-type-button"]').click();
		const dialog = page.locator('[data-test-id="credential-edit-dialog"]');
		await dialog.waitFor();
		const modal = page.locator('[data-test-id="editCredential-modal"]').first();

		const checksBefore = await balanceChecks();
		await dialog.locator('[data-test-id="parameter-input-apiToken"] input').fill('not-the-token');
		await editor.choose('apiHost', /custom url/i);
		await dialog
			.locator('[data-test-id="parameter-input-customUrl"] input')
			.fill(editor.state.sandboxBaseUrl);
		await page.locator('[data-test-id="credential-save-button"]').click();
		// n8n shows "Couldn't connect with these settings" and, under "More details", the node's message.
		await dialog.getByText(/couldn.t connect/i).waitFor();
		await dialog
			.getByText(/more details/i)
			.first()
			.click();
		await page
			.getByText(/Authentication Failed \(status 401\)/)
			.first()
			.waitFor();
		await editor.shot('10-credential-wrong-token');
		expect(await balanceChecks()).toBe(checksBefore + 1);

		await dialog
			.locator('[data-test-id="parameter-input-apiToken"] input')
			.fill(editor.state.sandboxToken);
		await page.locator('[data-test-id="credential-save-button"]').click();
		await dialog.getByText(/connection tested successfully/i).waitFor();
		await expect(dialog.getByText(/couldn.t connect/i).count()).resolves.toBe(0);
		await editor.shot('11-credential-tested');
		await editor.picture(
			modal,
			'credential.png',
			dialog.locator('[data-test-id="parameter-input-customUrl"]'),
		);
		expect(await balanceChecks()).toBe(checksBefore + 2);
	});

	test('no browser console error names the package', () => {
		expect(editor.packageErrors()).toEqual([]);
	});
});
