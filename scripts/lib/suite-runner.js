'use strict';
/**
 * What the runners of the suites in real n8n share (scripts/e2e, scripts/ui, scripts/queue): their options (`--line`
 * is theirs, everything else goes to jest unchanged and in order), child processes with n8n's clean environment,
 * the preparation steps run in parallel, and jest run in band with the suite's own config.
 */
const path = require('path');
const { runProcess } = require('../../test/tooling/child');
const { cleanEnv } = require('../../test/tooling/n8n-lines');
const { suiteGate } = require('../../test/tooling/suite-services');
const { parseCommandLine, usageError } = require('./cli');

const ROOT = path.resolve(__dirname, '..', '..');
const INSTALL_N8N = path.join(ROOT, 'scripts', 'e2e', 'install-n8n.js');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command in the repository root, output shown; resolves with its exit code (127 when it cannot start). */
async function runInRoot(cmd, args, env = {}) {
	const r = await runProcess(cmd, args, { cwd: ROOT, stdio: 'inherit', env: cleanEnv(env) });
	if (r.error) console.error(r.error);
	return { code: r.error ? 127 : (r.code ?? (r.signal ? 128 : 1)), ms: r.ms };
}

/**
 * Parses the runner's arguments: `--line` (1, 2 or 1,2) and the runner's own `options` are its own; every other
 * argument goes to jest unchanged and in order: whatever follows `--`, and options given before it (`-t name`).
 * Non-strict parsing keeps unknown options as tokens, and each token's index gives back the argument as typed.
 */
function parseSuiteOptions(script, options = {}) {
	const args = process.argv.slice(2);
	const ours = new Set(['line', 'help', ...Object.keys(options)]);
	const { values, tokens } = parseCommandLine(
		script,
		{ line: { type: 'string', default: '1,2' }, ...options },
		{ args, strict: false, allowPositionals: true, tokens: true },
	);
	if (typeof values.line !== 'string' || !/^[12](,[12])?$/.test(values.line))
		usageError(script, '--line needs a value: 1, 2 or 1,2');
	const passed = new Set();
	for (const token of tokens) {
		// An unknown option followed by its value reads as option + positional: both are passed on, in order.
		// A group of short options (-abc) gives one token per letter, all with the same index: the Set keeps one.
		if (token.kind === 'positional' || (token.kind === 'option' && !ours.has(token.name)))
			passed.add(token.index);
	}
	return { values, jestArgs: [...passed].sort((a, b) => a - b).map((i) => args[i]) };
}

/**
 * One suite run: installs the wanted n8n lines (when missing) and builds the package, in parallel; then jest with
 * `test/<dir>/jest.config.js`; exits with jest's exit code.
 * A line whose install failed fails its tests with the reason (the suite's global setup records it).
 * A suite whose system programs are missing does none of that: one line says what is missing, and it exits 0
 * (skipped), or 1 when PICKY_REQUIRE_ALL_SUITES=1 (test/tooling/suite-services.js).
 */
async function runSuite({ name, dir, line, jestArgs, jestEnv = {} }) {
	const gate = suiteGate(dir);
	if (gate) {
		console.log(gate.line);
		process.exit(gate.skipped ? 0 : 1);
	}
	const t0 = Date.now();
	const log = (...a) => console.log(`[${dir}-run +${secs(Date.now() - t0)}]`, ...a);
	const steps = [
		{ label: 'install-n8n.js', cmd: process.execPath, args: [INSTALL_N8N, '--line', line] },
		{ label: 'build', cmd: 'npm', args: ['run', 'build'], required: true },
	];
	log(`in parallel: ${steps.map((s) => s.label).join(', ')} (installs only what is missing)`);
	const results = await Promise.all(steps.map((s) => runInRoot(s.cmd, s.args)));
	log(
		steps.map((s, i) => `${s.label} exit ${results[i].code} in ${secs(results[i].ms)}`).join('; '),
	);
	const failed = results.find((r, i) => steps[i].required && r.code !== 0);
	if (failed) {
		log(`a preparation failed: not running the ${name}`);
		process.exit(failed.code);
	}
	const jestBin = require.resolve('jest/bin/jest', { paths: [ROOT] });
	const config = path.join('test', dir, 'jest.config.js');
	const jest = await runInRoot(
		process.execPath,
		[jestBin, '-c', config, '--runInBand', ...jestArgs],
		jestEnv,
	);
	log(`jest exit ${jest.code} in ${secs(jest.ms)}; whole ${name} ${secs(Date.now() - t0)}`);
	process.exit(jest.code);
}

/**
 * The environment of a suite whose global setup is test/e2e/global-setup.js (e2e, queue): the lines to set up, and
 * that the runner has already built the package and installed the lines.
 */
const e2eSetupEnv = (line) => ({
	PICKY_E2E_SKIP_BUILD: '1',
	PICKY_E2E_LINES: line,
	PICKY_E2E_NO_INSTALL: '1',
});

module.exports = { parseSuiteOptions, runSuite, e2eSetupEnv, ROOT };
