#!/usr/bin/env node
'use strict';
/**
 * The browser suite (`npm run test:ui`): the real n8n editor in headless Chromium, on both n8n lines.
 *   1. in parallel: makes sure n8n 1.123.81 (Node 20) and 2.41.1 (Node 24) are in the cache
 *      (scripts/e2e/install-n8n.js; minutes on a cold cache, seconds when warm), that Debian's Chromium is
 *      installed (scripts/ui/chromium.js: apt-get, about a minute the first time), and builds the package,
 *   2. runs `jest -c test/ui/jest.config.js --runInBand` (its globalSetup starts n8n + sandbox per line),
 *   3. exits with jest's exit code.
 *
 *   node scripts/ui/run.js                        # both lines
 *   node scripts/ui/run.js --line 2               # one line only
 *   node scripts/ui/run.js --update-pictures      # also rewrite the README's pictures in docs/ (newest line)
 *   node scripts/ui/run.js -- --json --outputFile=ui.json   # anything after -- goes to jest
 *
 * Screenshots of every step: test/ui/artifacts/line-<n>/. Environment: PICKY_N8N_CACHE, PICKY_NODE20 (as for
 * test:e2e), PICKY_CHROMIUM (another Chromium binary), PICKY_UI_KEEP=1 (keep the n8n user folders).
 */
const { spawn } = require('child_process');
const path = require('path');
const { cleanEnv } = require('../../tooling/n8n-lines');
const { parseCommandLine, usageError } = require('../lib/cli');

const ROOT = path.resolve(__dirname, '..', '..');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[ui-run +${secs(Date.now() - t0)}]`, ...a);

function run(cmd, args, env = {}) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env: cleanEnv(env) });
		child.on('error', (e) => {
			console.error(e);
			resolve({ code: 127, ms: Date.now() - started });
		});
		child.on('close', (code, signal) =>
			resolve({ code: code ?? (signal ? 128 : 1), ms: Date.now() - started }),
		);
	});
}

/** --line, --update-pictures (and --help) are ours; everything else goes to jest in order, as in test:e2e. */
function parseOptions() {
	const args = process.argv.slice(2);
	const ours = new Set(['line', 'update-pictures', 'help']);
	const { values, tokens } = parseCommandLine(
		__filename,
		{ line: { type: 'string', default: '1,2' }, 'update-pictures': { type: 'boolean' } },
		{ args, strict: false, allowPositionals: true, tokens: true },
	);
	if (typeof values.line !== 'string' || !/^[12](,[12])?$/.test(values.line))
		usageError(__filename, `--line must be 1, 2 or 1,2, got ${values.line}`);
	const passed = new Set();
	for (const token of tokens)
		if (token.kind === 'positional' || (token.kind === 'option' && !ours.has(token.name)))
			passed.add(token.index);
	return {
		wanted: values.line,
		pictures: values['update-pictures'] === true,
		jestArgs: [...passed].sort((a, b) => a - b).map((i) => args[i]),
	};
}

async function main() {
	const { wanted, pictures, jestArgs } = parseOptions();
	log(`installing n8n line(s) ${wanted} and Chromium (if missing) and building, in parallel`);
	const [install, browser, build] = await Promise.all([
		run(process.execPath, [path.join(ROOT, 'scripts', 'e2e', 'install-n8n.js'), '--line', wanted]),
		run(process.execPath, [path.join(__dirname, 'chromium.js')]),
		run('npm', ['run', 'build']),
	]);
	log(
		`install-n8n.js exit ${install.code} in ${secs(install.ms)}; chromium exit ${browser.code} in ${secs(browser.ms)}; build exit ${build.code} in ${secs(build.ms)}`,
	);
	if (build.code !== 0 || browser.code !== 0) {
		log('no browser or no build: not running the browser suite');
		process.exit(build.code || browser.code);
	}
	// A line whose install failed fails its tests with the reason (global setup records it).
	const jestBin = require.resolve('jest/bin/jest', { paths: [ROOT] });
	const jest = await run(
		process.execPath,
		[jestBin, '-c', path.join('test', 'ui', 'jest.config.js'), '--runInBand', ...jestArgs],
		{
			PICKY_UI_SKIP_BUILD: '1',
			PICKY_UI_LINES: wanted,
			...(pictures ? { PICKY_UI_PICTURES: '1' } : {}),
		},
	);
	log(`jest exit ${jest.code} in ${secs(jest.ms)}; whole browser suite ${secs(Date.now() - t0)}`);
	process.exit(jest.code);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
