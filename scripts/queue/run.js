#!/usr/bin/env node
'use strict';
/**
 * The queue-mode tests (`npm run test:queue`): n8n 1.123.81 (Node 20) and 2.41.1 (Node 24) each as main + 2 workers
 * + a webhook processor sharing Redis and PostgreSQL, against the sandbox.
 *   1. makes sure both n8n lines are in the cache (scripts/e2e/install-n8n.js) while building the package,
 *   2. runs `jest -c test/queue/jest.config.js --runInBand`; its global setup packs the build and starts Redis and
 *      PostgreSQL (tooling/queue-services.js: Debian's redis-server and postgresql, installed with apt-get when
 *      missing — root, or a user who may run apt-get and runuser), and its teardown stops them,
 *   3. exits with jest's exit code.
 *
 *   node scripts/queue/run.js                                   # both lines (about 8 minutes on a warm cache)
 *   node scripts/queue/run.js --line 2                          # one line only
 *   node scripts/queue/run.js -- --json --outputFile=out.json   # anything after -- goes to jest
 *
 * Environment: PICKY_N8N_CACHE (cache folder), PICKY_NODE20 (Node binary for line 1), PICKY_E2E_N8N_LOG=1 (print
 * every n8n process's log).
 */
const { spawn } = require('child_process');
const path = require('path');
const { cleanEnv } = require('../../tooling/n8n-lines');
const { parseCommandLine, usageError } = require('../lib/cli');

const ROOT = path.resolve(__dirname, '..', '..');
const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[queue-run +${secs(Date.now() - t0)}]`, ...a);

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

/** --line is ours; every other argument goes to jest unchanged and in order (as in scripts/e2e/run.js). */
function parseOptions() {
	const args = process.argv.slice(2);
	const { values, tokens } = parseCommandLine(
		__filename,
		{ line: { type: 'string', default: '1,2' } },
		{ args, strict: false, allowPositionals: true, tokens: true },
	);
	if (typeof values.line !== 'string' || !/^[12](,[12])?$/.test(values.line))
		usageError(__filename, '--line needs a value: 1, 2 or 1,2');
	const passed = new Set();
	for (const token of tokens)
		if (
			token.kind === 'positional' ||
			(token.kind === 'option' && token.name !== 'line' && token.name !== 'help')
		)
			passed.add(token.index);
	return { wanted: values.line, jestArgs: [...passed].sort((a, b) => a - b).map((i) => args[i]) };
}

async function main() {
	const { wanted, jestArgs } = parseOptions();
	log(`installing n8n line(s) ${wanted} (if missing) and building the package in parallel`);
	const [install, build] = await Promise.all([
		run(process.execPath, [path.join(ROOT, 'scripts', 'e2e', 'install-n8n.js'), '--line', wanted]),
		run('npm', ['run', 'build']),
	]);
	log(
		`install exit ${install.code} in ${secs(install.ms)}; build exit ${build.code} in ${secs(build.ms)}`,
	);
	if (build.code !== 0) process.exit(build.code);
	const jestBin = require.resolve('jest/bin/jest', { paths: [ROOT] });
	const jest = await run(
		process.execPath,
		[jestBin, '-c', path.join('test', 'queue', 'jest.config.js'), '--runInBand', ...jestArgs],
		{ PICKY_E2E_SKIP_BUILD: '1', PICKY_E2E_LINES: wanted, PICKY_E2E_NO_INSTALL: '1' },
	);
	log(`jest exit ${jest.code} in ${secs(jest.ms)}; whole queue run ${secs(Date.now() - t0)}`);
	process.exit(jest.code);
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
