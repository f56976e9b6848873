'use strict';
/**
 * One real n8n install (a "line" of test/tooling/n8n-lines.js) set up for the benchmark: a user folder with the
 * packed package installed the way n8n installs a community package, the bench helper nodes next to it, one
 * credential and every bench workflow imported once; then one `n8n execute --id … --rawOutput` per measurement,
 * its output written to files (the bench process does no work while n8n runs) and the process tree's memory
 * sampled from /proc.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

require('tsx/cjs');
const n8nCli = require('../tooling/n8n-cli.ts');
const lines = require('../tooling/n8n-lines');
const { installCommunityPackage } = require('../tooling/community-package');
const { runProcess } = require('../tooling/child');
const { TreeMemorySampler } = require('./proc');

const ROOT = path.resolve(__dirname, '..', '..');
const HELPERS_DIR = path.join(__dirname, 'helper-nodes');
const PRELOAD = path.join(__dirname, 'maxrss-preload.js');

/**
 * Settings the bench adds on top of the e2e environment (reported in RESULTS.md). Without
 * EXECUTIONS_DATA_SAVE_ON_SUCCESS=none `n8n execute` writes every finished execution (100k rows in several nodes)
 * into SQLite: after the workflow ran, so not in executionTime, but hundreds of MB and wall time per bench.
 */
const BENCH_ENV = {
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
};

/** Copies helper-nodes/ into <userFolder>/.n8n/nodes/node_modules/<name> and records it as n8n does. */
function installBenchHelpers(userFolder) {
	const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
	const pj = readJson(path.join(HELPERS_DIR, 'package.json'));
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.cpSync(HELPERS_DIR, path.join(nodesDir, 'node_modules', pj.name), { recursive: true });
	const nodesPkgJson = path.join(nodesDir, 'package.json');
	const nodesPj = readJson(nodesPkgJson); // written by installCommunityPackage
	nodesPj.dependencies = { ...nodesPj.dependencies, [pj.name]: pj.version };
	fs.writeFileSync(nodesPkgJson, JSON.stringify(nodesPj, null, 2));
}

/**
 * The run JSON in `n8n execute --rawOutput` output (2.x prints log lines first). Searched in the text as a whole:
 * at 100k rows the output is too large to split into lines cheaply.
 */
function parseRunJson(text) {
	const start = text.startsWith('{\n') ? 0 : text.indexOf('\n{\n') + 1;
	if (start === 0 && !text.startsWith('{\n')) return undefined;
	for (let end = text.lastIndexOf('\n}'); end > start; end = text.lastIndexOf('\n}', end - 1)) {
		try {
			return JSON.parse(text.slice(start, end + 2));
		} catch {
			// an earlier closing brace
		}
	}
	return undefined;
}

/** The end of a file ('' when it cannot be read). */
function readTail(file) {
	try {
		return fs.readFileSync(file, 'utf8').slice(-3000);
	} catch {
		return '';
	}
}

class BenchLine {
	/** n: 1 | 2; opts: { tarball, keep, log } */
	constructor(n, opts) {
		Object.assign(this, { n, opts, info: lines.line(n) });
		this.nodeVersion = spawnSync(this.info.nodeBinary, ['--version'], {
			encoding: 'utf8',
		}).stdout.trim();
	}

	async setup(workflows, credential) {
		const { info } = this;
		if (!info.installed)
			throw new Error(
				`n8n ${info.n8nVersion} (line ${this.n}) is not installed: run node scripts/e2e/install-n8n.js --line ${this.n}`,
			);
		this.userFolder = n8nCli.mkTemp(`picky-bench-n8n${this.n}-`);
		this.outDir = path.join(this.userFolder, 'bench-out');
		fs.mkdirSync(this.outDir, { recursive: true });
		const { nodeBinary } = info;
		installCommunityPackage({
			nodeBinary,
			userFolder: this.userFolder,
			tarball: this.opts.tarball,
		});
		installBenchHelpers(this.userFolder);
		const ports = { n8n: await n8nCli.freePort(), broker: await n8nCli.freePort() };
		this.env = { ...n8nCli.n8nEnv(info, this.userFolder, ports), ...BENCH_ENV };
		const cli = (args) => n8nCli.runCli(info, this.env, args, 15 * 60 * 1000);
		await n8nCli.importCredentialsAndWorkflows(cli, [credential], workflows);
		return this;
	}

	/**
	 * Executes one imported workflow (`nodeArgs`, `env`: for the profiler); returns { ok, run, cli, error }, `cli`
	 * being { code, signal, ms, memory }.
	 */
	async execute(id, { tag = id, nodeArgs = [], env = {} } = {}) {
		const [stdoutFile, stderrFile, maxRssFile] = ['stdout', 'stderr', 'maxrss'].map((ext) =>
			path.join(this.outDir, `${tag}.${ext}`),
		);
		fs.rmSync(maxRssFile, { force: true });
		const [out, err] = [fs.openSync(stdoutFile, 'w'), fs.openSync(stderrFile, 'w')];
		let sampler = null;
		const { nodeBinary, n8nBin } = this.info;
		const r = await runProcess(
			nodeBinary,
			[...nodeArgs, '--require', PRELOAD, n8nBin, 'execute', `--id=${id}`, '--rawOutput'],
			{
				env: { ...this.env, ...env, BENCH_MAXRSS_FILE: maxRssFile },
				...{ cwd: this.userFolder, stdio: ['ignore', out, err], timeoutMs: 15 * 60 * 1000 },
				onStart: (pid) => {
					[out, err].forEach((fd) => fs.closeSync(fd));
					if (pid) sampler = new TreeMemorySampler(pid, 50).start();
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
		const cli = { code: r.code, signal: r.signal, ms: r.ms, memory };
		const tail = () =>
			`--- stdout (tail) ---\n${readTail(stdoutFile)}\n--- stderr (tail) ---\n${readTail(stderrFile)}`;
		const failed = (error, run) => ({ ok: false, run, cli, error: `${error}\n${tail()}` });
		let run;
		try {
			run = parseRunJson(fs.readFileSync(stdoutFile, 'utf8'));
		} catch (e) {
			return failed(`could not read the run output: ${e.message}`);
		}
		if (!run)
			return failed(`no run JSON in the output (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})`);
		const e = run.data && run.data.resultData && run.data.resultData.error;
		const why = e ? `${e.message} ${e.description || ''}` : '';
		if (r.code !== 0 || e) return failed(`execution failed (exit ${r.code}): ${why}`, run);
		fs.rmSync(stdoutFile); // the run output of 100k rows is large; a failed run's stays for --keep
		return { ok: true, run, cli };
	}

	cleanup() {
		if (this.userFolder && !this.opts.keep)
			fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

module.exports = { BenchLine, BENCH_ENV, ROOT };
