'use strict';
/**
 * Drives one real n8n install (a "line" from test/tooling/n8n-lines.js) for the benchmark: one user folder per line
 * with the packed Picky Assist package installed the way n8n installs community packages
 * (test/tooling/community-package.js), the bench helper nodes (pass-through, Bench Rows) next to it, one
 * credential and every bench workflow imported once; then `n8n execute --id … --rawOutput` per measurement, with
 * the process tree's memory sampled from /proc and the output written to a file (the bench process does no work
 * while n8n runs).
 *
 * Shares the n8n environment with the e2e tests: test/tooling/n8n-cli.ts (n8nEnv, freePort, mkTemp), TypeScript
 * compiled on require by tsx. The bench keeps its own parseRunJson (below), which searches the output as one string.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

require('tsx/cjs');
const n8nCli = require('../tooling/n8n-cli.ts');
const lines = require('../tooling/n8n-lines');
const communityPackage = require('../tooling/community-package');
const { TreeMemorySampler } = require('./proc');
const { runProcess } = require('../tooling/child');

const ROOT = path.resolve(__dirname, '..', '..');
const HELPERS_PKG_DIR = path.join(__dirname, 'helper-nodes');
const PRELOAD = path.join(__dirname, 'maxrss-preload.js');

/**
 * Settings the bench adds on top of the e2e environment (reported in RESULTS.md):
 * - EXECUTIONS_DATA_SAVE_ON_SUCCESS=none: `n8n execute` otherwise writes every finished execution (100k rows in
 *   several nodes) into the SQLite database; that happens after the workflow ran (it does not change
 *   executionTime) but it makes the user folder grow by hundreds of MB per bench and adds wall time.
 * Nothing else is needed for 100k rows: no payload or heap setting on either line.
 */
const BENCH_ENV = {
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
};

function nodeVersion(bin) {
	return spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** Copies test/bench/helper-nodes into <userFolder>/.n8n/nodes/node_modules/<name> and records it like n8n does. */
function installBenchHelpers(userFolder) {
	const pj = JSON.parse(fs.readFileSync(path.join(HELPERS_PKG_DIR, 'package.json'), 'utf8'));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const dest = path.join(nodesDir, 'node_modules', pj.name);
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(dest), { recursive: true });
	fs.cpSync(HELPERS_PKG_DIR, dest, { recursive: true });
	const nodesPkgJson = path.join(nodesDir, 'package.json');
	const nodesPj = fs.existsSync(nodesPkgJson)
		? JSON.parse(fs.readFileSync(nodesPkgJson, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	nodesPj.dependencies = { ...(nodesPj.dependencies || {}), [pj.name]: pj.version };
	fs.writeFileSync(nodesPkgJson, JSON.stringify(nodesPj, null, 2));
	return dest;
}

/** Finds the run JSON in `n8n execute --rawOutput` output (2.x prints log lines first). */
function parseRunJson(text) {
	let start = text.startsWith('{\n') ? 0 : text.indexOf('\n{\n');
	if (start < 0) return undefined;
	if (text[start] === '\n') start++;
	let end = text.lastIndexOf('\n}');
	while (end > start) {
		try {
			return JSON.parse(text.slice(start, end + 2));
		} catch {
			end = text.lastIndexOf('\n}', end - 1);
		}
	}
	return undefined;
}

/** The last `max` characters of a file ('' when it cannot be read). */
function readTail(file, max = 3000) {
	try {
		const size = fs.statSync(file).size;
		const fd = fs.openSync(file, 'r');
		const buf = Buffer.alloc(Math.min(size, max));
		fs.readSync(fd, buf, 0, buf.length, size - buf.length);
		fs.closeSync(fd);
		return buf.toString('utf8');
	} catch {
		return '';
	}
}

class BenchLine {
	/** n: 1 | 2; opts: { sandboxBaseUrl, tarball, workdir?, extraEnv?, log } */
	constructor(n, opts) {
		this.n = n;
		this.info = lines.line(n);
		this.opts = opts;
		this.log = opts.log || (() => undefined);
		this.nodeVersion = nodeVersion(this.info.nodeBinary);
	}

	async setup(workflows, credential) {
		const { info } = this;
		if (!info.installed)
			throw new Error(
				`n8n ${info.n8nVersion} (line ${this.n}) is not installed: run node scripts/e2e/install-n8n.js --line ${this.n}`,
			);
		this.userFolder = this.opts.workdir || n8nCli.mkTemp(`picky-bench-n8n${this.n}-`);
		this.outDir = path.join(this.userFolder, 'bench-out');
		fs.mkdirSync(this.outDir, { recursive: true });
		communityPackage.installCommunityPackage({
			nodeBinary: info.nodeBinary,
			userFolder: this.userFolder,
			tarball: this.opts.tarball,
		});
		installBenchHelpers(this.userFolder);
		this.env = {
			...n8nCli.n8nEnv(info, this.userFolder, {
				n8n: await n8nCli.freePort(),
				broker: await n8nCli.freePort(),
			}),
			...BENCH_ENV,
			...(this.opts.extraEnv || {}),
		};

		const credFile = path.join(this.userFolder, 'bench-credentials.json');
		fs.writeFileSync(credFile, JSON.stringify([credential], null, 2));
		const ic = await this.cli(['import:credentials', `--input=${credFile}`]);
		fs.rmSync(credFile);
		if (ic.code !== 0) throw new Error(`import:credentials failed (exit ${ic.code}): ${ic.tail}`);

		const wfDir = path.join(this.userFolder, 'bench-workflows');
		fs.mkdirSync(wfDir, { recursive: true });
		for (const wf of workflows)
			fs.writeFileSync(path.join(wfDir, `${wf.id}.json`), JSON.stringify(wf, null, 2));
		const iw = await this.cli(['import:workflow', '--separate', `--input=${wfDir}`]);
		if (iw.code !== 0) throw new Error(`import:workflow failed (exit ${iw.code}): ${iw.tail}`);
		return this;
	}

	/** Runs an n8n CLI command; output to files. Returns {code, signal, ms, stdoutFile, stderrFile, tail, memory}. */
	async cli(
		args,
		{
			sampleMemory = false,
			nodeArgs = [],
			env = {},
			timeoutMs = 15 * 60 * 1000,
			tag = args[0].replace(/\W/g, '_'),
		} = {},
	) {
		const { info } = this;
		const file = (ext) => path.join(this.outDir, `${tag}.${ext}`);
		const [stdoutFile, stderrFile, maxRssFile] = ['stdout', 'stderr', 'maxrss'].map(file);
		fs.rmSync(maxRssFile, { force: true });
		const out = fs.openSync(stdoutFile, 'w');
		const err = fs.openSync(stderrFile, 'w');
		let sampler = null;
		const r = await runProcess(
			info.nodeBinary,
			[...nodeArgs, '--require', PRELOAD, info.n8nBin, ...args],
			{
				env: { ...this.env, ...env, BENCH_MAXRSS_FILE: maxRssFile },
				cwd: this.userFolder,
				stdio: ['ignore', out, err],
				timeoutMs,
				onStart: (pid) => {
					fs.closeSync(out);
					fs.closeSync(err);
					if (sampleMemory && pid) sampler = new TreeMemorySampler(pid, 50).start();
				},
			},
		);
		const memory = sampler ? sampler.stop() : null;
		if (r.error) throw r.error;
		const exactMainKb = Number(readTail(maxRssFile)) || null; // '' when killed before its exit hook
		if (memory && exactMainKb) {
			memory.mainMaxRssKb = exactMainKb;
			memory.peakKb = Math.max(memory.peakKb, exactMainKb);
		}
		const tail = `--- stdout (tail) ---\n${readTail(stdoutFile)}\n--- stderr (tail) ---\n${readTail(stderrFile)}`;
		return { code: r.code, signal: r.signal, ms: r.ms, stdoutFile, stderrFile, memory, tail };
	}

	/** Executes one imported workflow; returns { ok, run, cli, error }. */
	async execute(id, { tag = id, nodeArgs, env } = {}) {
		const r = await this.cli(['execute', `--id=${id}`, '--rawOutput'], {
			sampleMemory: true,
			tag,
			nodeArgs,
			env,
		});
		let run;
		try {
			run = parseRunJson(fs.readFileSync(r.stdoutFile, 'utf8'));
		} catch (e) {
			return { ok: false, cli: r, error: `could not read the run output: ${e.message}\n${r.tail}` };
		}
		if (!this.opts.keepOutput) fs.rmSync(r.stdoutFile, { force: true });
		if (!run)
			return {
				ok: false,
				cli: r,
				error: `no run JSON in the output (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})\n${r.tail}`,
			};
		const err = run.data && run.data.resultData && run.data.resultData.error;
		if (r.code !== 0 || err)
			return {
				ok: false,
				run,
				cli: r,
				error: `execution failed (exit ${r.code}): ${err ? `${err.message} ${err.description || ''}` : ''}\n${r.tail}`,
			};
		return { ok: true, run, cli: r };
	}

	cleanup() {
		if (this.userFolder && !this.opts.keep && !this.opts.workdir)
			fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

module.exports = { BenchLine, parseRunJson, installBenchHelpers, nodeVersion, BENCH_ENV, ROOT };
