/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/** Teardown of the ui project (test/setup/serial-runner.js): stops every n8n and sandbox global-setup.ts started, removes its folders. */
import * as fs from 'fs';

import type { Running } from './global-setup';

export default async function globalTeardown(): Promise<void> {
	const running = (globalThis as { __PICKY_UI__?: Running }).__PICKY_UI__;
	if (!running) return;
	await Promise.all(running.servers.map((s) => s.stop()));
	await Promise.all(running.sandboxes.map((s) => s.close()));
	if (process.env.PICKY_UI_KEEP !== '1')
		for (const f of running.folders) fs.rmSync(f, { recursive: true, force: true });
}
