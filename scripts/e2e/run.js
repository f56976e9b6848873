#!/usr/bin/env node
'use strict';
/**
 * What CI calls for the end-to-end tests (`npm run test:e2e`):
 *   1. makes sure n8n 1.123.81 (Node 20) and n8n 2.41.1 (Node 24) are in the cache
 *      (scripts/e2e/install-n8n.js; ~10-15 min on a cold cache, seconds when warm),
 *      while building the package at the same time (`npm run build`),
 *   2. runs `jest -c test/e2e/jest.config.js --runInBand` (its globalSetup packs the build),
 *   3. exits with jest's exit code.
 *
 *   node scripts/e2e/run.js                 # both lines
 *   node scripts/e2e/run.js --line 2        # one line only
 *   node scripts/e2e/run.js -- -t batching  # anything after -- goes to jest
 *
 * Environment: PICKY_N8N_CACHE (cache folder), PICKY_NODE20 (Node binary for line 1),
 * PICKY_E2E_KEEP=1 (keep the temp n8n user folders for inspection).
 */
const { spawn } = require('child_process');
const path = require('path');
const { cleanEnv } = require('./lines');

const ROOT = path.resolve(__dirname, '..', '..');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[e2e-run +${secs(Date.now() - t0)}]`, ...a);

function run(cmd, args, opts = {}) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: cleanEnv(opts.env), ...opts.spawn });
		child.on('error', (e) => {
			console.error(e);
			resolve({ code: 127, ms: Date.now() - started });
		});
		child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), ms: Date.now() - started }));
	});
}

async function main() {
	const argv = process.argv.slice(2);
	const dd = argv.indexOf('--');
	const own = dd >= 0 ? argv.slice(0, dd) : argv;
	const jestArgs = dd >= 0 ? argv.slice(dd + 1) : [];
	let wanted = '1,2';
	for (let i = 0; i < own.length; i++) {
		if (own[i] === '--line') wanted = own[++i];
		else if (own[i].startsWith('--line=')) wanted = own[i].slice(7);
		else jestArgs.push(own[i]);
	}

	log(`installing n8n line(s) ${wanted} (if missing) and building the package in parallel`);
	const [install, build] = await Promise.all([
		run(process.execPath, [path.join(__dirname, 'install-n8n.js'), '--line', wanted]),
		run('npm', ['run', 'build']),
	]);
	log(`install-n8n.js exit ${install.code} in ${secs(install.ms)}; build exit ${build.code} in ${secs(build.ms)}`);
	if (build.code !== 0) {
		log('build failed, not running the e2e tests');
		process.exit(build.code);
	}
	// If an install failed, the tests of that line fail with the reason (they are only skipped when
	// the line cannot be installed on this platform at all). Do not retry the install inside jest.
	const jestBin = require.resolve('jest/bin/jest', { paths: [ROOT] });
	const jest = await run(process.execPath, [jestBin, '-c', path.join('test', 'e2e', 'jest.config.js'), '--runInBand', ...jestArgs], {
		env: { PICKY_E2E_SKIP_BUILD: '1', PICKY_E2E_LINES: wanted, PICKY_E2E_NO_INSTALL: '1' },
	});
	log(`jest exit ${jest.code} in ${secs(jest.ms)}; whole e2e run ${secs(Date.now() - t0)}`);
	process.exit(jest.code);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
