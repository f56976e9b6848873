/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * The n8n lines a suite in real n8n runs on, as its global setup found them (test/e2e/global-setup.js writes
 * $PICKY_E2E_STATE: which lines are installed, the packed tarball and its files). Shared by the e2e and queue
 * suites.
 */
import * as fs from 'fs';

import { lineInfo, type LineInfo } from '../tooling/n8n-cli';

export interface LineState {
	status: 'installed' | 'impossible' | 'install-failed' | 'not-requested';
	reason?: string;
}

export interface E2EState {
	lines: Record<string, LineState>;
	tarball: string;
	packedFiles: string[];
}

export function e2eState(): E2EState {
	const statePath = process.env.PICKY_E2E_STATE;
	if (!statePath)
		throw new Error(
			'PICKY_E2E_STATE is not set: run through jest (npm run test:e2e), whose e2e project sets it',
		);
	return JSON.parse(fs.readFileSync(statePath, 'utf8')) as E2EState;
}

/**
 * One `describe` per line. A line that is not run here (not requested, or not installable on this platform) is a
 * to-do naming why, in the summary, never a test that passes; a line whose install failed runs, and fails.
 */
export function describeEachLine(
	state: E2EState,
	titleOf: (line: LineInfo) => string,
	suite: (line: LineInfo, st: LineState) => void,
): void {
	for (const n of [1, 2] as const) {
		const st: LineState = state.lines[String(n)] ?? {
			status: 'not-requested',
			reason: 'not requested',
		};
		const line = lineInfo(n);
		const title = `${titleOf(line)} (line ${n})`;
		if (st.status === 'impossible' || st.status === 'not-requested') {
			console.log(`[e2e] SKIPPING ${title}: ${st.reason}`);
			test.todo(`${title} — skipped: ${st.reason}`);
			continue;
		}
		describe(title, () => suite(line, st));
	}
}
