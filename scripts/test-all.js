#!/usr/bin/env node
'use strict';
/**
 * `npm test`: every test of the project, in order of cost, with one plain summary line at the end.
 *   1. build (tsc + gulp) — the tests load the node from dist/ as n8n does;
 *   2. unit and in-process workflow tests (jest.config.js);
 *   3. end-to-end tests in real n8n 1.x and 2.x (scripts/e2e/run.js installs them into a cache on first use);
 *   4. the browser suite: the n8n editor of both lines in headless Chromium (scripts/ui/run.js; Debian's chromium);
 *   5. queue mode: both lines as main + workers + webhook processor on Redis and PostgreSQL (scripts/queue/run.js;
 *      Debian's redis-server and postgresql).
 * No system package is ever installed here. Steps 4 and 5 run where their programs are installed; elsewhere each
 * is skipped with one line saying what is missing and how to install it (tooling/suite-services.js). With
 * PICKY_REQUIRE_ALL_SUITES=1 (CI, which installs them first) such a suite counts as a failure instead.
 *
 *   node scripts/test-all.js           # everything (npm test)
 *   node scripts/test-all.js --fast    # steps 1 and 2 only (npm test -- --fast, npm run test:fast)
 *
 * The last line reads "N passed, N failed" (CI reads that line), also when the arguments are wrong.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs, stripVTControlCharacters } = require('node:util');
const { helpText } = require('./lib/cli');
const { suiteGate } = require('../tooling/suite-services');

const ROOT = path.resolve(__dirname, '..');

let options;
try {
	options = parseArgs({
		options: { fast: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
	}).values;
} catch (error) {
	// Not through lib/cli.js's usage error: CI must still find its summary line, and a failed run exits 1.
	console.error(`test-all.js: ${error.message} (see --help)`);
	console.log('\n0 passed, 1 failed');
	process.exit(1);
}
if (options.help) {
	console.log(helpText(__filename));
	process.exit(0);
}
const fast = options.fast;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pickyassist-tests-'));

function run(label, command, args) {
	console.log(`\n=== ${label}: ${command} ${args.join(' ')}`);
	const started = Date.now();
	const { status } = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
	console.log(`=== ${label}: exit ${status} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return status;
}

function counts(file) {
	if (!fs.existsSync(file)) return undefined;
	const report = JSON.parse(fs.readFileSync(file, 'utf8'));
	// A suite that failed to run (compile error, crash in setup) counts as a failure even with no test inside.
	const brokenSuites = report.testResults.filter(
		(suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
	).length;
	// CI shows only the end of the log: the first distinct failure messages go into the summary.
	const messages = new Set();
	for (const suite of report.testResults) {
		const texts = suite.assertionResults.flatMap((a) => a.failureMessages ?? []);
		if (suite.status === 'failed' && texts.length === 0 && suite.message) texts.push(suite.message);
		for (const t of texts) {
			const short = stripVTControlCharacters(t).split('\n').filter((l) => l.trim()).slice(0, 4);
			messages.add(`${path.basename(suite.name)}: ${short.join(' | ').slice(0, 600)}`);
		}
	}
	return {
		failures: [...messages].slice(0, 5),
		passed: report.numPassedTests,
		failed: report.numFailedTests + brokenSuites,
		skipped: report.numPendingTests + (report.numTodoTests ?? 0),
	};
}

const jestBin = require.resolve('jest/bin/jest');
let passed = 0;
let failed = 0;
let skipped = 0;
const add = (label, status, file) => {
	const result = counts(file);
	if (!result) {
		console.log(`${label}: no results were written (exit ${status}); counted as 1 failure`);
		failed += 1;
		return;
	}
	if (status !== 0 && result.failed === 0) result.failed = 1; // jest failed outside any test (e.g. global setup)
	console.log(
		`${label}: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`,
	);
	for (const f of result.failures) console.log(`  ✕ ${f}`);
	passed += result.passed;
	failed += result.failed;
	skipped += result.skipped;
};

if (run('build', 'npm', ['run', 'build']) !== 0) {
	console.log('\n0 passed, 1 failed');
	process.exit(1);
}

const mainFile = path.join(resultsDir, 'main.json');
const mainStatus = run('unit + workflow tests', process.execPath, [
	jestBin,
	'--json',
	`--outputFile=${mainFile}`,
]);

/** A suite of real n8n (scripts/<dir>/run.js), its jest results written to a file of its own. */
const suites = [
	{ label: 'end-to-end', title: 'end-to-end tests in real n8n', dir: 'e2e' },
	{ label: 'browser', title: "browser tests of n8n's editor", dir: 'ui' },
	{ label: 'queue mode', title: 'queue-mode tests (Redis, PostgreSQL, workers)', dir: 'queue' },
];
const results = [];
if (!fast) {
	for (const suite of suites) {
		const file = path.join(resultsDir, `${suite.dir}.json`);
		// A suite whose system programs are missing: one line, then skipped (or failed, when every suite is required).
		const gate = suiteGate(suite.dir);
		if (gate) {
			console.log(`\n=== ${gate.line}`);
			results.push({ suite, gate });
			continue;
		}
		const status = run(suite.title, process.execPath, [
			path.join(ROOT, `scripts/${suite.dir}/run.js`),
			'--',
			'--json',
			`--outputFile=${file}`,
		]);
		results.push({ suite, status, file });
	}
}

console.log('\n=== summary');
add('unit + workflow', mainStatus, mainFile);
const skippedSuites = [];
for (const { suite, gate, status, file } of results) {
	if (!gate) add(suite.label, status, file);
	else {
		console.log(gate.line);
		if (gate.skipped) skippedSuites.push(suite.label);
		else failed += 1;
	}
}
const skippedText = [
	skipped ? `${skipped} skipped` : '',
	skippedSuites.length
		? `${skippedSuites.length} suite${skippedSuites.length > 1 ? 's' : ''} skipped (${skippedSuites.join(', ')})`
		: '',
].filter(Boolean);
console.log(`\n${[`${passed} passed`, `${failed} failed`, ...skippedText].join(', ')}`);
process.exit(failed > 0 ? 1 : 0);
