#!/usr/bin/env node
'use strict';
/**
 * Benchmark (issue 5): the Picky Assist node against what users build today, in the same real n8n per line
 * (n8n 1.123.81 on Node 20, n8n 2.41.1 on Node 24 — installed by scripts/e2e/install-n8n.js), against the local
 * sandbox (rate limit off), on the same deterministic rows generated inside n8n — from two sources: a node that
 * outputs plain objects like a spreadsheet node ("table") and a Code node ("code"; on n8n 1.x its items are vm2
 * proxies that n8n copies before the next node runs).
 *
 *   node scripts/bench/run.js                    # both lines, 1k/10k/100k rows, 3 runs (2 at 100k)
 *   node scripts/bench/run.js --quick            # 1k + 10k rows, 1 run: a fast check
 *   node scripts/bench/run.js --line 2 --rows 1000,10000 --runs 5
 *
 * Options:
 *   --line 1|2|1,2       n8n line(s) (default both)
 *   --rows LIST          row counts (default 1000,10000,100000)
 *   --runs N             runs per measurement (default 3 at ≤10k rows, 2 at 100k)
 *   --quick              --rows 1000,10000 --runs 1
 *   --source LIST        row source(s): table, code (default both)
 *   --http-rows LIST     row counts at which the per-row HTTP workflow runs (default 1000; never above 10000)
 *   --no-write           do not append to bench/RESULTS.md
 *   --keep               keep the temporary n8n user folders (printed)
 *   --json FILE          also write every raw measurement to FILE
 *
 * Workflows: see scripts/bench/workflows.js. Node time = run data `executionTime` of the measured node(s) (the
 * DIY chain: the sum of its three nodes). Pushes are counted by the sandbox, and every run is checked: the rows
 * the sandbox received equal the generated rows (numbers normalised, messages byte-exact) and the node's output
 * has one accepted item per row. Peak RSS: the `n8n execute` process and its children (scripts/bench/proc.js).
 * Results are printed and appended as a dated section to bench/RESULTS.md.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startTimedSandbox } = require('./sandbox');
const { packPackage } = require('../../tooling/community-package');
const lines = require('../../tooling/n8n-lines');
const { parseCommandLine, usageError, numberList } = require('../lib/cli');
const { BenchLine, BENCH_ENV, ROOT } = require('./n8n');
const { KINDS, SOURCES, TOKEN, CREDENTIAL, buildWorkflow, workflowName } = require('./workflows');
const { verify } = require('./checks');
const { summarise, renderSection, machineInfo, distInfo, fmt } = require('./report');

const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');
const T0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[bench +${secs(Date.now() - T0)}]`, ...a);

// ------------------------------------------------------------------------------------------------ arguments

function parseOptions() {
	const { values: v } = parseCommandLine(__filename, {
		line: { type: 'string' },
		lines: { type: 'string' }, // the same as --line
		rows: { type: 'string' },
		runs: { type: 'string' },
		quick: { type: 'boolean', default: false },
		source: { type: 'string' },
		sources: { type: 'string' }, // the same as --source
		'http-rows': { type: 'string', default: '1000' },
		'no-write': { type: 'boolean', default: false },
		keep: { type: 'boolean', default: false },
		json: { type: 'string' },
	});
	const fail = (message) => usageError(__filename, message);
	const o = {
		lines: numberList(v.line ?? v.lines ?? '1,2'),
		rows: numberList(v.rows ?? (v.quick ? '1000,10000' : '1000,10000,100000')),
		sources: String(v.source ?? v.sources ?? 'table,code').split(',').map((x) => x.trim()),
		runs: v.runs !== undefined ? Number(v.runs) : v.quick ? 1 : null,
		quick: v.quick,
		httpRows: numberList(v['http-rows']),
		write: !v['no-write'],
		keep: v.keep,
		json: v.json !== undefined ? path.resolve(v.json) : null,
	};
	for (const n of o.lines) if (n !== 1 && n !== 2) fail(`--line must be 1 or 2, got ${n}`);
	for (const src of o.sources) if (!SOURCES[src]) fail(`--source must be table and/or code, got ${src}`);
	o.sources = [...new Set(o.sources)];
	for (const r of o.rows) if (!Number.isInteger(r) || r < 1) fail(`bad --rows value ${r}`);
	if (o.runs !== null && !(Number.isInteger(o.runs) && o.runs >= 1)) fail('--runs must be a positive integer');
	o.lines = [...new Set(o.lines)];
	o.rows = [...new Set(o.rows)].sort((a, b) => a - b);
	o.httpRows = o.httpRows.filter((r) => r <= 10000);
	return o;
}

/** The workflows measured at a row count (per-row HTTP only where asked; never at 100k). */
function kindsAt(rows, opts) {
	const kinds = ['picky1000', 'diy', 'pass'];
	if (rows <= 10000) kinds.unshift('picky100');
	if (rows <= 10000) kinds.push('codepass');
	if (opts.httpRows.includes(rows)) kinds.push('http');
	return kinds;
}
const runsAt = (rows, opts) => opts.runs ?? (rows >= 100000 ? 2 : 3);

// ------------------------------------------------------------------------------------------------ main

async function main() {
	const opts = parseOptions();
	const started = new Date();
	const load0 = os.loadavg();
	const machine = machineInfo();
	log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb.toFixed(1)} GB RAM; load average ${load0.map((x) => x.toFixed(2)).join(' ')}`);
	log(`lines ${opts.lines.join(', ')}; row sources ${opts.sources.join(', ')}; rows ${opts.rows.join(', ')}; runs ${opts.runs ?? '3 (2 at 100k)'}; per-row HTTP at ${opts.httpRows.join(', ') || 'none'}`);

	const distJs = path.join(ROOT, 'packages', 'n8n-nodes-pickyassist', 'dist', 'nodes', 'PickyAssist', 'PickyAssist.node.js');
	if (!fs.existsSync(distJs)) throw new Error('dist/ is missing: run `npm run build` first (the bench packs the built package)');
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-pack-'));
	const packed = packPackage(packDir);
	log(`packed ${path.basename(packed.tarball)} (${distInfo()})`);

	const sandbox = await startTimedSandbox();
	const { sb } = sandbox;
	log(`sandbox on ${sb.url} (rate limit off${sandbox.timed ? ', server time measured' : ''})`);

	const measurements = [];
	const lineMeta = {};
	let failed = false;
	try {
		for (const n of opts.lines) {
			const lineStarted = Date.now();
			const info = lines.line(n);
			const bl = new BenchLine(n, { tarball: packed.tarball, keep: opts.keep, log });
			lineMeta[n] = { n8nVersion: info.n8nVersion, nodeVersion: bl.nodeVersion, env: { ...info.env, ...BENCH_ENV } };
			log(`line ${n}: n8n ${info.n8nVersion} on Node ${bl.nodeVersion}: setting up (install packages, import credential + workflows)`);
			const workflows = [];
			for (const source of opts.sources)
				for (const rows of opts.rows)
					for (const kind of kindsAt(rows, opts)) workflows.push(buildWorkflow(kind, rows, { pushUrl: `${sb.baseUrl()}/push`, source }));
			try {
				await bl.setup(workflows, {
					...CREDENTIAL,
					type: 'pickyAssistApi',
					data: { apiToken: TOKEN, apiHost: 'custom', customUrl: sb.baseUrl() },
				});
			} catch (e) {
				log(`line ${n}: SETUP FAILED: ${e.message}`);
				lineMeta[n].setupError = e.message;
				failed = true;
				continue;
			}
			log(`line ${n}: ready in ${secs(Date.now() - lineStarted)} (user folder ${bl.userFolder})`);
			try {
				for (const rows of opts.rows) {
					const kinds = kindsAt(rows, opts);
					const runs = runsAt(rows, opts);
					for (let run = 1; run <= runs; run++) {
						for (const { source, kind } of opts.sources.flatMap((source) => kinds.map((kind) => ({ source, kind })))) {
							const wf = workflows.find((w) => w.name === workflowName(kind, rows, source));
							sb.reset();
							sandbox.resetTiming();
							const r = await bl.execute(wf.id, { tag: `${source}-${kind}-${rows}-${run}` });
							const m = { line: n, source, kind, rows, run, ok: r.ok, wallMs: r.cli.ms, memory: r.cli.memory, pushes: sb.pushes().length, serverMs: sandbox.serverMs(), problems: [] };
							if (r.ok) {
								const rd = r.run.data.resultData.runData;
								m.parts = {};
								for (const name of KINDS[kind].measured) m.parts[name] = rd[name] && rd[name][0] ? rd[name][0].executionTime : NaN;
								m.nodeMs = Object.values(m.parts).reduce((a, b) => a + b, 0);
								m.rowsNodeMs = rd.Rows && rd.Rows[0] ? rd.Rows[0].executionTime : null;
								m.problems = verify(kind, rows, r.run, sb);
							} else {
								m.error = r.error;
								failed = true;
							}
							measurements.push(m);
							log(
								`line ${n} ${source.padEnd(5)} ${kind.padEnd(9)} ${String(rows).padStart(6)} rows run ${run}/${runs}: ` +
									(r.ok
										? `node ${fmt(m.nodeMs)} ms, ${m.pushes} pushes, peak ${fmt(m.memory.peakKb / 1024)} MB, wall ${secs(m.wallMs)}${m.problems.length ? `  CHECK FAILED: ${m.problems.join('; ')}` : ''}`
										: `FAILED: ${r.error.slice(0, 2000)}`),
							);
							if (m.problems.length) failed = true;
						}
					}
				}
			} finally {
				sb.reset();
				if (opts.keep) log(`line ${n}: kept user folder ${bl.userFolder}`);
				bl.cleanup();
			}
			lineMeta[n].durationMs = Date.now() - lineStarted;
			log(`line ${n}: done in ${secs(lineMeta[n].durationMs)}`);
		}
	} finally {
		await sb.close();
		fs.rmSync(packDir, { recursive: true, force: true });
	}

	const totalMs = Date.now() - T0;
	const load1 = os.loadavg();
	const summary = summarise(measurements);
	const section = renderSection({ started, opts, args: process.argv.slice(2), machine, load0, load1, totalMs, lineMeta, measurements, summary });
	console.log('\n' + section + '\n');

	if (opts.write) {
		const header =
			'# Benchmark results\n\nWritten by `npm run bench` (`node scripts/bench/run.js`); every run appends a dated section, newest last. ' +
			'See scripts/bench/run.js for what is measured and bench/README.md for how.\n';
		if (!fs.existsSync(RESULTS_FILE)) fs.writeFileSync(RESULTS_FILE, header);
		fs.appendFileSync(RESULTS_FILE, `\n${section}\n`);
		log(`appended to ${path.relative(ROOT, RESULTS_FILE)}`);
	}
	if (opts.json) {
		fs.writeFileSync(opts.json, JSON.stringify({ started, machine, lineMeta, measurements, summary }, null, 2));
		log(`raw measurements in ${opts.json}`);
	}
	log(`bench took ${secs(totalMs)}`);
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	console.error(process.env.BENCH_DEBUG ? e : `bench: ${e && e.message ? e.message : e}`);
	process.exit(1);
});
