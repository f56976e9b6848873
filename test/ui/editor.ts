/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * One browser on one line's n8n editor, as the UI tests use it: Debian's Chromium driven by playwright-core (which
 * never downloads a browser of its own), signed in as the owner, a screenshot per step, the README's pictures, and
 * every console error kept so a test can fail on one that names the package.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { httpRequest } from '../tooling/n8n-server';
import { waitUntil as poll } from '../tooling/wait';
import { lineState, PICTURES, picturesWanted, type UiLineState } from './state';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../tooling/suite-services.js') as {
	chromiumPath(): string;
	assertServices(dir: 'ui'): void;
};
export const CHROMIUM = services.chromiumPath();
/** Without the background-networking flags Chromium's own connections are refused by the closed network. */
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
/**
 * A console error counts against the package when its text names it, or when it is a failed load from the n8n
 * server of a path that names it (its icon, say). Not: the editor's call to the public npm registry for the
 * package's page (blocked offline), nor n8n's 404 for a never-run workflow whose id starts with "PickyAssist".
 */
const NAMES_PACKAGE = /picky ?assist(?![a-z0-9])/i;

/** Toasts, tooltips (n8n shows some unasked) and the feedback link: not part of what a picture shows. */
const HIDDEN_IN_PICTURES =
	'.el-notification, .el-popper, [data-test-id="node-feature-request"] { visibility: hidden !important; }';

export const PICKY_NODE = '[data-test-id="canvas-node"][data-node-type$=".pickyAssist"]';
export const PICKY_TRIGGER = '[data-test-id="canvas-node"][data-node-type$=".pickyAssistTrigger"]';

export class Editor {
	/** Every console error, for the artifacts; those that name the package fail the suite. */
	readonly consoleErrors: string[] = [];
	private readonly packageConsoleErrors: string[] = [];

	private constructor(
		readonly state: UiLineState,
		private readonly browser: Browser,
		readonly page: Page,
	) {
		page.on('console', (m) => {
			if (m.type() !== 'error') return;
			const from = m.location().url;
			this.consoleErrors.push(`${m.text()} (${from})`);
			if (
				NAMES_PACKAGE.test(m.text()) ||
				(from.startsWith(state.baseUrl) && NAMES_PACKAGE.test(from))
			)
				this.packageConsoleErrors.push(`${m.text()} (${from})`);
		});
		page.on('pageerror', (e) => {
			const text = `${e.message}\n${e.stack ?? ''}`;
			this.consoleErrors.push(text);
			if (NAMES_PACKAGE.test(text)) this.packageConsoleErrors.push(text);
		});
	}

	/** A fresh browser (playwright gives it a fresh profile folder) on line n's editor, not signed in yet. */
	static async open(n: 1 | 2, theme: 'light' | 'dark' = 'light'): Promise<Editor> {
		const state = lineState(n);
		services.assertServices('ui');
		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
		});
		const context = await browser.newContext({
			viewport: { width: 1440, height: 900 },
			colorScheme: theme,
		});
		// n8n keeps the theme the user picked in localStorage; "system" follows colorScheme above.
		await context.addInitScript((t) => {
			// Runs in the page (typed here without the DOM library).
			const page = globalThis as unknown as {
				localStorage: { setItem(k: string, v: string): void };
			};
			page.localStorage.setItem('N8N_THEME', t);
			// Seen already: n8n's one-time "you can pin this output" hint would cover the output panel.
			page.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_NDV', 'true');
			page.localStorage.setItem('N8N_PIN_DATA_DISCOVERY_CANVAS', 'true');
		}, theme);
		context.setDefaultTimeout(60_000);
		return new Editor(state, browser, await context.newPage());
	}

	get baseUrl(): string {
		return this.state.baseUrl;
	}

	async signIn(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.locator('input[name="emailOrLdapLoginId"]').fill(this.state.owner.email);
		await this.page.locator('input[name="password"]').fill(this.state.owner.password);
		await this.page.locator('[data-test-id="form-submit-button"]').click();
		await this.page.waitForURL((u) => !u.pathname.includes('/signin'));
	}

	/** Opens a workflow by name (an example or one of test/ui/workflows) and waits for its canvas. */
	async openWorkflow(name: string): Promise<void> {
		const id = this.state.workflows[name];
		if (!id) throw new Error(`no workflow "${name}" in ${Object.keys(this.state.workflows)}`);
		await this.page.goto(`${this.baseUrl}/workflow/${id}`);
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor();
	}

	/** Runs the open workflow with its "Execute workflow" button. */
	async executeWorkflow(): Promise<void> {
		await this.page.locator('[data-test-id="execute-workflow-button"]').click();
	}

	/** Opens a node's panel (NDV) from the canvas. */
	async openNode(selector: string): Promise<Locator> {
		await this.page.locator(selector).first().dblclick();
		const ndv = this.page.locator('[data-test-id="ndv"]');
		await ndv.waitFor();
		return ndv;
	}

	/** Picks an entry of an options parameter in the open panel by its label. */
	async choose(parameter: string, option: RegExp): Promise<void> {
		await this.page.locator(`[data-test-id="parameter-input-${parameter}"]`).click();
		await this.page
			.locator('.el-select-dropdown__item:visible', { hasText: option })
			.first()
			.click();
	}

	/** The step's screenshot: test/ui/artifacts/line-<n>/<name>.png. */
	async shot(name: string): Promise<void> {
		await this.page.screenshot({ path: path.join(this.state.artifacts, `${name}.png`) });
	}

	/**
	 * With PICKY_UI_PICTURES=1, on the newest line of the run: a cropped picture for the README in docs/ — the
	 * element, down to the bottom of `until` when given (a panel's empty space left out), without n8n's toasts.
	 */
	async picture(locator: Locator, file: string, until?: Locator): Promise<void> {
		if (!picturesWanted(this.state.line)) return;
		fs.mkdirSync(PICTURES, { recursive: true });
		// Away from buttons whose tooltips would cover the picture.
		await this.page.mouse.move(1, 1);
		const box = await locator.boundingBox();
		const end = until && (await until.boundingBox());
		if (!box) throw new Error(`nothing to picture for ${file}: the element is not shown`);
		const bottom = end ? Math.min(box.y + box.height, end.y + end.height + 12) : box.y + box.height;
		await this.page.screenshot({
			path: path.join(PICTURES, file),
			clip: { x: box.x, y: box.y, width: box.width, height: bottom - box.y },
			animations: 'disabled',
			style: HIDDEN_IN_PICTURES,
		});
	}

	/** Console errors and uncaught page errors that name the package. */
	packageErrors(): string[] {
		return [...this.packageConsoleErrors];
	}

	/** A request to the line's sandbox (API or /__sandbox control endpoint); returns the parsed JSON. */
	async sandbox<T = unknown>(method: string, p: string, body?: unknown): Promise<T> {
		const r = await httpRequest(`${this.state.sandboxUrl}${p}`, { method, body });
		if (r.status !== 200) throw new Error(`${method} ${p}: HTTP ${r.status} ${r.text}`);
		return r.json as T;
	}

	/** Closes the browser; its console errors go to the artifacts (console-errors.log) for a look after a run. */
	async close(): Promise<void> {
		if (this.consoleErrors.length)
			fs.appendFileSync(
				path.join(this.state.artifacts, 'console-errors.log'),
				this.consoleErrors.map((e) => `${e}\n`).join(''),
			);
		await this.browser.close();
	}
}

/** The msg_ids of every push the sandbox accepted, in order. */
export async function acceptedMsgIds(editor: Editor): Promise<string[]> {
	const pushes = await editor.sandbox<Array<{ response: { data?: Array<{ msg_id: string }> } }>>(
		'GET',
		'/__sandbox/accepted-pushes',
	);
	return pushes.flatMap((p) => (p.response.data ?? []).map((d) => String(d.msg_id)));
}

/** Polls `check` until it gives true; fails with `what` after `timeoutMs`. */
export async function waitUntil(
	check: () => Promise<boolean>,
	what = 'condition',
	timeoutMs = 30_000,
): Promise<void> {
	await poll(check, { what, timeoutMs });
}
