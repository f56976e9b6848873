'use strict';
/**
 * The last lines of every run of the root jest.config.js: CI shows only the end of its log and reads its last line.
 *
 *     browser suite skipped: no Chromium at /usr/bin/chromium — install it with ...   (a suite this machine lacks)
 *       ✕ send.test.ts: expect(received).toBe(expected) | Expected: 2 | Received: 3    (the first distinct failures)
 *
 *     1311 passed, 2 failed, 4 skipped, 1 suite skipped (ui)
 *
 * A file that failed to run (a compile error, a project setup or teardown that threw: test/setup/serial-runner.js)
 * counts as one failure, as does an error of the run itself. Built from the results Jest hands its reporters, never
 * from `--json`, which serialises every failure's details and throws on a circular one (an HTTP client's error
 * holds its socket), losing every result.
 */
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');

const STAND_IN = path.join(__dirname, 'missing-services.test.js');
const SHOWN_FAILURES = 5;

/** A failure message as one line: its first non-empty lines, colours and stack frames removed. */
function oneLine(text) {
	const lines = stripVTControlCharacters(String(text))
		.split('\n')
		.filter((l) => l.trim() && !/^\s*at /.test(l));
	return lines.slice(0, 4).join(' | ').slice(0, 600);
}

/** The counts and the lines to print above them, from Jest's aggregated results of the run. */
function summarise(results) {
	let passed = 0;
	let failed = 0;
	let skipped = 0;
	const skippedSuites = [];
	const gateLines = [];
	const failures = new Set();
	for (const suite of results.testResults) {
		const file = path.relative(process.cwd(), suite.testFilePath);
		const standIn = suite.testFilePath === STAND_IN;
		passed += suite.numPassingTests;
		failed += suite.numFailingTests;
		const notRun = suite.numPendingTests + suite.numTodoTests;
		if (standIn && notRun) {
			skippedSuites.push(suite.displayName?.name ?? file);
			gateLines.push(...suite.testResults.map((t) => t.title));
		} else skipped += notRun;
		const messages = suite.testResults.flatMap((t) => t.failureMessages ?? []);
		if (suite.testExecError) {
			// A file that could not run, or one that failed outside its tests: one failure, with its reason.
			if (suite.numFailingTests === 0) failed += 1;
			messages.push(suite.testExecError.message ?? suite.failureMessage ?? '');
		}
		for (const m of messages) failures.add(`${file}: ${oneLine(m)}`);
	}
	if (results.runExecError) {
		failed += 1;
		failures.add(`the run: ${oneLine(results.runExecError.message)}`);
	}
	const parts = [`${passed} passed`, `${failed} failed`];
	if (skipped) parts.push(`${skipped} skipped`);
	if (skippedSuites.length)
		parts.push(
			`${skippedSuites.length} suite${skippedSuites.length > 1 ? 's' : ''} skipped (${skippedSuites.join(', ')})`,
		);
	return { gateLines, failures: [...failures].slice(0, SHOWN_FAILURES), last: parts.join(', ') };
}

class SummaryReporter {
	onRunComplete(_contexts, results) {
		const { gateLines, failures, last } = summarise(results);
		const out = ['', ...gateLines, ...failures.map((f) => `  ✕ ${f}`), '', last];
		// Printed as the process exits: Jest's own summary (its last reporter), an error that ended the run and the
		// warning about handles left open all come after onRunComplete, and the last line must be this one.
		process.once('exit', () => process.stdout.write(`${out.join('\n')}\n`));
	}
}

module.exports = SummaryReporter;
