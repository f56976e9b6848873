/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/** What test/ui/global-setup.ts started, as the tests read it: one entry per n8n line. */
import * as fs from 'fs';
import * as path from 'path';

/** Screenshots and logs, one folder per line (gitignored; CI keeps it as an artifact). */
export const ARTIFACTS = path.join(__dirname, 'artifacts');
/** Where PICKY_UI_PICTURES=1 puts the README's pictures (not shipped: the package ships only its dist). */
export const PICTURES = path.resolve(__dirname, '..', '..', 'docs');

export interface UiLineState {
	line: 1 | 2;
	n8nVersion: string;
	baseUrl: string;
	sandboxUrl: string;
	sandboxBaseUrl: string;
	sandboxToken: string;
	credentialName: string;
	owner: { email: string; password: string };
	/** Workflow name → id: the examples and test/ui/workflows. */
	workflows: Record<string, string>;
	artifacts: string;
}

export interface UiState {
	lines: Record<string, UiLineState | { error: string }>;
}

/** The lines this run asked for, as jest's describe.each rows: [label, line]. */
export function linesUnderTest(): Array<[string, 1 | 2]> {
	return (process.env.PICKY_UI_LINES || '1,2')
		.split(',')
		.map((s) => Number(s.trim()) as 1 | 2)
		.map((n) => [`line ${n}`, n]);
}

/** The running stack of line n; throws (failing the test) when global setup could not start it. */
export function lineState(n: 1 | 2): UiLineState {
	const file = process.env.PICKY_UI_STATE;
	if (!file || !fs.existsSync(file))
		throw new Error('PICKY_UI_STATE is not set: run through jest (npm run test:ui), whose ui project sets it');
	const state = JSON.parse(fs.readFileSync(file, 'utf8')) as UiState;
	const entry = state.lines[n];
	if (!entry)
		throw new Error(`line ${n} was not started (PICKY_UI_LINES=${process.env.PICKY_UI_LINES})`);
	if ('error' in entry) throw new Error(`line ${n} did not start: ${entry.error}`);
	return entry;
}

/** Pictures come from one line only: the newest one this run tests. */
export function picturesWanted(n: 1 | 2): boolean {
	if (process.env.PICKY_UI_PICTURES !== '1') return false;
	return Math.max(...linesUnderTest().map(([, l]) => l)) === n;
}
