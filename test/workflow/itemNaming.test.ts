/**
 * A node error names the item it is about once. n8n's editor appends " [item N]" to an error's message when the
 * error carries an item index and the message does not already contain "item N" — so a row error says "item N"
 * itself, and an error about several items (a whole push) carries no single item index.
 */
import { startSandbox, type Sandbox } from '../sandbox';
import { rowsOf, runError, send, TOKEN } from './helpers';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [TOKEN], balance: 100000 });
});
afterEach(() => sandbox.reset());
afterAll(async () => await sandbox.close());

/** What n8n's editor shows as the error's title (its `addItemIndexSuffix`, with more than one input item). */
function shownInEditor(error: unknown): string {
	const { message, context } = error as { message: string; context?: { itemIndex?: number } };
	const itemIndex = context?.itemIndex;
	if (itemIndex === undefined || message.includes(`item ${itemIndex}`)) return message;
	return `${message} [item ${itemIndex}]`;
}

test('an invalid row: the message names the item, and the editor adds nothing', async () => {
	const rows = [...rowsOf(2), { number: '07700 900003', message: 'x' }];
	const result = await send(sandbox, rows);
	const error = result.error as unknown as { context: { itemIndex?: number } };
	expect(error.context.itemIndex).toBe(2);
	expect(shownInEditor(result.error)).toBe(
		'In item 2, "Number" starts with 0 (national format) and no Default Country Code is set; write it with the country code or set the option; nothing was sent',
	);
});

test('a refused push of several items names them in the message and carries no single item index', async () => {
	sandbox.addFault({ kind: 'status', status: 403 });
	const result = await send(sandbox, rowsOf(3));
	const error = result.error as unknown as { context: { itemIndex?: number } };
	expect(error.context.itemIndex).toBeUndefined();
	expect(runError(result).message).toContain('push 1 of 1 (items 0–2)');
	expect(shownInEditor(result.error)).toBe(runError(result).message);
});

test('a refused push of one item carries its index, and the message already names it', async () => {
	sandbox.addFault({ kind: 'status', status: 403 });
	const result = await send(sandbox, rowsOf(1));
	const error = result.error as unknown as { context: { itemIndex?: number } };
	expect(error.context.itemIndex).toBe(0);
	expect(runError(result).message).toContain('push 1 of 1 (item 0)');
	expect(shownInEditor(result.error)).toBe(runError(result).message);
});
