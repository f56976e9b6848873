#!/usr/bin/env node
'use strict';
/**
 * What CI calls for the end-to-end tests (`npm run test:e2e`):
 *   1. makes sure n8n 1.123.81 (Node 20) and n8n 2.41.1 (Node 24) are in the cache
 *      (scripts/e2e/install-n8n.js; minutes on a cold cache, seconds when warm),
 *      while building the package at the same time (`npm run build`),
 *   2. runs `jest -c test/e2e/jest.config.js --runInBand` (its globalSetup packs the build),
 *   3. exits with jest's exit code.
 *
 *   node scripts/e2e/run.js                 # both lines
 *   node scripts/e2e/run.js --line 2        # one line only
 *   node scripts/e2e/run.js -- -t batching  # anything after -- goes to jest (so do options other than --line)
 *
 * Environment: PICKY_N8N_CACHE (cache folder), PICKY_NODE20 (Node binary for line 1),
 * PICKY_E2E_KEEP=1 (keep the temp n8n user folders for inspection).
 */
const { spawn } = require('child_process');
const path = require('path');
const { cleanEnv } = require('../../tooling/n8n-lines');
const { parseCommandLine, usageError } = require('../lib/cli');

const ROOT = path.resolve(__dirname, '..', '..');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[e2e-run +${secs(Date.now() - t0)}]`, ...a);

function run(cmd, args, opts = {}) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(cmd, args, {
			cwd: ROOT,
			stdio: 'inherit',
			env: cleanEnv(opts.env),
			...opts.spawn,
		});
		child.on('error', (e) => {
			console.error(e);
			resolve({ code: 127, ms: Date.now() - started });
		});
		child.on('close', (code, signal) =>
			resolve({ code: code ?? (signal ? 128 : 1), ms: Date.now() - started }),
		);
	});
}

/**
 * --line (and --help) are ours; every other argument goes to jest unchanged and in order: whatever follows `--`,
 * and also options given before it (`-t batching`), which this script has always passed on. Non-strict parsing
 * keeps such unknown options as tokens, and each token's index gives back the argument exactly as typed.
 */
function parseOptions() {
	const args = process.argv.slice(2);
	const { values, tokens } = parseCommandLine(
		__filename,
		{ line: { type: 'string', default: '1,2' } },
		{
			args,
			strict: false,
			allowPositionals: true,
			tokens: true,
		},
	);
	if (typeof values.line !== 'string') usageError(__filename, '--line needs a value: 1, 2 or 1,2');
	const passed = new Set();
	for (const token of tokens) {
		// An unknown option followed by its value reads as option + positional: both are passed on, in order.
		// A group of short options (-abc) gives one token per letter, all with the same index: the Set keeps one.
		if (
			token.kind === 'positional' ||
			(token.kind === 'option' && token.name !== 'line' && token.name !== 'help')
		)
			passed.add(token.index);
	}
	return { wanted: values.line, jestArgs: [...passed].sort((a, b) => a - b).map((i) => args[i]) };
}

async function main() {
	const { wanted, jestArgs } = parseOptions();

	log(`installing n8n line(s) ${wanted} (if missing) and building the package in parallel`);
	const [install, build] = await Promise.all([
		run(process.execPath, [path.join(__dirname, 'install-n8n.js'), '--line', wanted]),
		run('npm', ['run', 'build']),
	]);
	log(
		`install-n8n.js exit ${install.code} in ${secs(install.ms)}; build exit ${build.code} in ${secs(build.ms)}`,
	);
	if (build.code !== 0) {
		log('build failed, not running the e2e tests');
		process.exit(build.code);
	}
	// If an install failed, the tests of that line fail with the reason (they are only skipped when
	// the line cannot be installed on this platform at all). Do not retry the install inside jest.
	const jestBin = require.resolve('jest/bin/jest', { paths: [ROOT] });
	const jest = await run(
		process.execPath,
		[jestBin, '-c', path.join('test', 'e2e', 'jest.config.js'), '--runInBand', ...jestArgs],
		{
			env: { PICKY_E2E_SKIP_BUILD: '1', PICKY_E2E_LINES: wanted, PICKY_E2E_NO_INSTALL: '1' },
		},
	);
	log(`jest exit ${jest.code} in ${secs(jest.ms)}; whole e2e run ${secs(Date.now() - t0)}`);
	process.exit(jest.code);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
