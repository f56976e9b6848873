'use strict';
/**
 * One real n8n install (a line of test/tooling/n8n-lines.js) set up for the bench: a user folder with the packed
 * package installed the way n8n installs a community package, the helper nodes next to it, one credential and
 * every bench workflow imported once; then one `n8n execute --id … --rawOutput` per measurement, its output
 * written to files (the bench process does no work while n8n runs) and the process tree's memory sampled from
 * /proc. Also the bench's sandbox, which times the requests it serves.
 */
const fs = require('fs');
const http = require('http');
const path = require('path');

require('tsx/cjs');
const n8nCli = require('../tooling/n8n-cli.ts');
const lines = require('../tooling/n8n-lines');
const { installCommunityPackage } = require('../tooling/community-package');
const { runProcess, runSync } = require('../tooling/child');
const { startSandbox } = require('../sandbox');

const HELPERS_DIR = path.join(__dirname, 'helper-nodes');
const PRELOAD = path.join(__dirname, 'maxrss-preload.js');

/**
 * What the bench adds to the e2e environment. Without EXECUTIONS_DATA_SAVE_ON_SUCCESS=none `n8n execute` writes
 * every finished execution (100k rows in several nodes) into SQLite: not in executionTime, but hundreds of MB and
 * wall time per run.
 */
const BENCH_ENV = {
	EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
	EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
	EXECUTIONS_DATA_SAVE_ON_PROGRESS: 'false',
};

/**
 * The sandbox with the rate limit off, plus a timer on every request it serves (headers in → answer out), so the
 * report can say how much of a node's time was the server's. The sandbox does not expose its http.Server, so
 * http.createServer is wrapped while it starts.
 */
async function startTimedSandbox() {
	const createServer = http.createServer;
	let [server, ns] = [null, 0n];
	http.createServer = (...a) => (server = createServer.apply(http, a));
	const sb = await startSandbox({ rateLimitPerMinute: null, balance: 1e9 }).finally(
		() => (http.createServer = createServer),
	);
	server?.prependListener('request', (req, res) => {
		const t = process.hrtime.bigint();
		res.once('finish', () => (ns += process.hrtime.bigint() - t));
	});
	return Object.assign(sb, {
		resetTiming: () => (ns = 0n),
		serverMs: () => Number(ns / 1000n) / 1000,
	});
}

/** The sum of VmRSS over a process and its descendants (/proc, Linux), in kB. */
function treeRssKb(pid) {
	const read = (file) => {
		try {
			return fs.readFileSync(file, 'utf8');
		} catch {
			return ''; // the process is gone
		}
	};
	let kb = 0;
	for (const stack = [pid]; stack.length; ) {
		const p = stack.pop();
		kb += Number(/^VmRSS:\s+(\d+)/m.exec(read(`/proc/${p}/status`))?.[1] ?? 0);
		stack.push(...read(`/proc/${p}/task/${p}/children`).split(/\s+/).filter(Boolean).map(Number));
	}
	return kb;
}

/** Copies helper-nodes/ into the user folder's community packages and records it as n8n does. */
function installBenchHelpers(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const { name, version } = require('./helper-nodes/package.json');
	fs.cpSync(HELPERS_DIR, path.join(nodesDir, 'node_modules', name), { recursive: true });
	const pkgFile = path.join(nodesDir, 'package.json'); // written by installCommunityPackage
	const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
	pkg.dependencies = { ...pkg.dependencies, [name]: version };
	fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
}

class BenchLine {
	constructor(n) {
		Object.assign(this, { n, info: lines.line(n) });
		this.nodeVersion = runSync(this.info.nodeBinary, ['--version']).trim();
	}

	async setup(tarball, workflows, credential) {
		const { info, n } = this;
		if (!info.installed)
			throw new Error(
				`n8n ${info.n8nVersion} is not installed: node scripts/e2e/install-n8n.js --line ${n}`,
			);
		this.userFolder = n8nCli.mkTemp(`picky-bench-n8n${n}-`);
		installCommunityPackage({ nodeBinary: info.nodeBinary, userFolder: this.userFolder, tarball });
		installBenchHelpers(this.userFolder);
		const ports = { n8n: await n8nCli.freePort(), broker: await n8nCli.freePort() };
		this.env = { ...n8nCli.n8nEnv(info, this.userFolder, ports), ...BENCH_ENV };
		const cli = (args) => n8nCli.runCli(info, this.env, args, 15 * 60 * 1000);
		await n8nCli.importCredentialsAndWorkflows(cli, [credential], workflows);
	}

	/**
	 * Executes one imported workflow (`nodeArgs`, `env`: for the profiler). Returns { run, ms, peakMb } or
	 * { error }; peakMb is the larger of the process's exact maxRSS and the highest sampled sum of its tree.
	 */
	async execute(id, { nodeArgs = [], env = {} } = {}) {
		const file = (ext) => path.join(this.userFolder, `bench.${ext}`);
		const [out, err] = [fs.openSync(file('out'), 'w'), fs.openSync(file('err'), 'w')];
		fs.rmSync(file('maxrss'), { force: true });
		let [peakKb, timer] = [0, null];
		const { nodeBinary, n8nBin } = this.info;
		const r = await runProcess(
			nodeBinary,
			[...nodeArgs, '--require', PRELOAD, n8nBin, 'execute', `--id=${id}`, '--rawOutput'],
			{
				env: { ...this.env, ...env, BENCH_MAXRSS_FILE: file('maxrss') },
				...{ cwd: this.userFolder, stdio: ['ignore', out, err], timeoutMs: 15 * 60 * 1000 },
				onStart: (pid) => {
					[out, err].forEach((fd) => fs.closeSync(fd));
					timer = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(pid))), 50);
				},
			},
		);
		clearInterval(timer);
		if (r.error) throw r.error;
		const read = (ext) => (fs.existsSync(file(ext)) ? fs.readFileSync(file(ext), 'utf8') : '');
		peakKb = Math.max(peakKb, Number(read('maxrss')) || 0); // none when killed before its exit hook
		const run = n8nCli.parseRunJson(read('out'));
		const e = run?.data?.resultData?.error;
		if (r.code === 0 && run && !e) return { run, ms: r.ms, peakMb: peakKb / 1024 };
		const why = e ? `${e.message} ${e.description ?? ''}` : `no run JSON in the output`;
		return {
			error: `exit ${r.code ?? r.signal}: ${why}\n${read('out').slice(-2000)}\n${read('err').slice(-2000)}`,
		};
	}

	cleanup() {
		if (this.userFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

module.exports = { BenchLine, BENCH_ENV, startTimedSandbox };
