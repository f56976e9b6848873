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
const { spawnSync } = require('child_process');

const { startTimedSandbox } = require('./sandbox');
const { packPackage } = require('../e2e/community-package');
const lines = require('../e2e/lines');
const { BenchLine, BENCH_ENV, ROOT } = require('./n8n');
const { KINDS, SOURCES, TOKEN, CREDENTIAL, buildWorkflow, workflowName } = require('./workflows');
const { generateRows, expectedMessage } = require('../../bench/helper-nodes/rows');

const RESULTS_FILE = path.join(ROOT, 'bench', 'RESULTS.md');
const T0 = Date.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[bench +${secs(Date.now() - T0)}]`, ...a);

// ------------------------------------------------------------------------------------------------ arguments

function parseArgs(argv) {
	const o = { lines: [1, 2], rows: [1000, 10000, 100000], sources: ['table', 'code'], runs: null, quick: false, httpRows: [1000], write: true, keep: false, json: null };
	const list = (s) => String(s).split(',').map((x) => Number(x.trim().replace(/k$/i, '000')));
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
		const val = () => (inline !== undefined ? inline : argv[++i]);
		if (flag === '--line' || flag === '--lines') o.lines = list(val());
		else if (flag === '--rows') o.rows = list(val());
		else if (flag === '--runs') o.runs = Number(val());
		else if (flag === '--quick') o.quick = true;
		else if (flag === '--source' || flag === '--sources') o.sources = String(val()).split(',').map((x) => x.trim());
		else if (flag === '--http-rows') o.httpRows = list(val());
		else if (flag === '--no-write') o.write = false;
		else if (flag === '--keep') o.keep = true;
		else if (flag === '--json') o.json = path.resolve(val());
		else if (flag === '-h' || flag === '--help') {
			console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(2, 28).join('\n'));
			process.exit(0);
		} else throw new Error(`unknown argument ${argv[i]} (see --help)`);
	}
	if (o.quick) {
		if (!argv.some((a) => a.startsWith('--rows'))) o.rows = [1000, 10000];
		if (o.runs === null) o.runs = 1;
	}
	for (const n of o.lines) if (n !== 1 && n !== 2) throw new Error(`--line must be 1 or 2, got ${n}`);
	for (const src of o.sources) if (!SOURCES[src]) throw new Error(`--source must be table and/or code, got ${src}`);
	o.sources = [...new Set(o.sources)];
	for (const r of o.rows) if (!Number.isInteger(r) || r < 1) throw new Error(`bad --rows value ${r}`);
	if (o.runs !== null && !(Number.isInteger(o.runs) && o.runs >= 1)) throw new Error('--runs must be a positive integer');
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

// ------------------------------------------------------------------------------------------------ checks

const expectedCache = new Map();
function expectedFor(rows) {
	if (!expectedCache.has(rows)) {
		expectedCache.set(
			rows,
			generateRows(rows, true).map((r) => ({ number: r.expected, message: expectedMessage(r) })),
		);
	}
	return expectedCache.get(rows);
}

function outputItems(run, nodeName) {
	const r = run.data.resultData.runData[nodeName];
	return (r && r[0] && r[0].data && r[0].data.main && r[0].data.main[0]) || [];
}

/** Checks what the sandbox received and what the workflow output. Returns a list of problems (empty = fine). */
function verify(kind, rows, run, sb) {
	const problems = [];
	const expected = expectedFor(rows);
	const pushes = sb.pushes();
	const k = KINDS[kind];
	if (kind === 'pass' || kind === 'codepass') {
		if (pushes.length !== 0) problems.push(`${pushes.length} pushes from the pass-through workflow`);
		const out = outputItems(run, k.measured[0]).length;
		if (out !== rows) problems.push(`pass-through output ${out} items, expected ${rows}`);
		return problems;
	}
	if (sb.acceptedPushes.length !== pushes.length) problems.push(`${pushes.length - sb.acceptedPushes.length} of ${pushes.length} pushes not accepted by the sandbox`);
	const received = [];
	for (const p of pushes) {
		const data = (p.body && p.body.data) || [];
		if (kind !== 'http' && data.length > k.batchSize) problems.push(`a push held ${data.length} rows (batch size ${k.batchSize})`);
		for (const d of data) received.push({ number: d.number, message: d.message });
	}
	const wantPushes = Math.ceil(rows / k.batchSize);
	if (pushes.length !== wantPushes) problems.push(`${pushes.length} pushes, expected ⌈${rows}/${k.batchSize}⌉ = ${wantPushes}`);
	if (received.length !== rows) problems.push(`sandbox received ${received.length} rows, expected ${rows}`);
	const key = (r) => `${r.number}\u0000${r.message}`;
	if (kind === 'http') {
		// Requests run concurrently: compare as multisets.
		const want = expected.map(key).sort();
		const got = received.map(key).sort();
		const bad = want.findIndex((w, i) => w !== got[i]);
		if (bad >= 0 || want.length !== got.length) problems.push('the rows received differ from the generated rows');
	} else {
		let bad = 0;
		let first = -1;
		for (let i = 0; i < Math.min(rows, received.length); i++) {
			if (received[i].number !== expected[i].number || received[i].message !== expected[i].message) {
				bad++;
				if (first < 0) first = i;
			}
		}
		if (bad) problems.push(`${bad} rows received differ from the generated rows (first: row ${first}: got ${JSON.stringify(received[first])}, want ${JSON.stringify(expected[first])})`);
	}
	if (kind === 'picky100' || kind === 'picky1000') {
		const out = outputItems(run, 'Picky Assist');
		const accepted = out.filter((it) => it.json && it.json.state === 'accepted').length;
		if (out.length !== rows || accepted !== rows) problems.push(`node output ${out.length} items, ${accepted} accepted; expected ${rows} accepted`);
	} else if (kind === 'diy') {
		const out = outputItems(run, 'Split Out').length;
		if (out !== rows) problems.push(`Split Out output ${out} items, expected ${rows}`);
	} else if (kind === 'http') {
		const out = outputItems(run, 'HTTP Request');
		const ok = out.filter((it) => it.json && it.json.status === 100).length;
		if (ok !== rows) problems.push(`${ok} of ${out.length} per-row requests answered status 100`);
	}
	return problems;
}

// ------------------------------------------------------------------------------------------------ statistics

function median(xs) {
	const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (!s.length) return null;
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarise(measurements) {
	const groups = new Map();
	for (const m of measurements) {
		const key = `${m.line}|${m.source}|${m.kind}|${m.rows}`;
		if (!groups.has(key)) groups.set(key, []);
		groups.get(key).push(m);
	}
	const rows = [];
	for (const ms of groups.values()) {
		const ok = ms.filter((m) => m.ok);
		const times = ok.map((m) => m.nodeMs);
		rows.push({
			line: ms[0].line,
			source: ms[0].source,
			kind: ms[0].kind,
			rows: ms[0].rows,
			runs: ms.length,
			okRuns: ok.length,
			verified: ok.filter((m) => m.problems.length === 0).length,
			pushes: [...new Set(ok.map((m) => m.pushes))],
			nodeMs: median(times),
			minMs: times.length ? Math.min(...times) : null,
			maxMs: times.length ? Math.max(...times) : null,
			peakMb: median(ok.map((m) => m.memory && m.memory.peakKb / 1024)),
			rowsNodeMs: median(ok.map((m) => m.rowsNodeMs)),
			serverMs: median(ok.map((m) => m.serverMs)),
			wallMs: median(ms.map((m) => m.wallMs)),
			parts: ms[0].kind === 'diy' ? Object.fromEntries(KINDS.diy.measured.map((n) => [n, median(ok.map((m) => m.parts[n]))])) : null,
			errors: ms.filter((m) => !m.ok).map((m) => m.error),
			problems: ok.flatMap((m) => m.problems),
		});
	}
	return rows;
}

// ------------------------------------------------------------------------------------------------ report

const ORDER = ['picky100', 'picky1000', 'diy', 'http', 'pass', 'codepass'];
const fmt = (x, d = 0) => (x === null || x === undefined ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));

function lineTable(summary, line, source) {
	const mine = summary.filter((s) => s.line === line && s.source === source).sort((a, b) => a.rows - b.rows || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
	const out = [
		'| workflow | rows | runs ok/total | pushes | node time ms (median) | min–max ms | ms per 1k rows | peak RSS MB (median) | ratio to DIY |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const s of mine) {
		const diy = mine.find((d) => d.kind === 'diy' && d.rows === s.rows);
		const ratio = diy && diy.nodeMs && s.nodeMs !== null ? s.nodeMs / diy.nodeMs : null;
		const per1k = s.nodeMs !== null ? (s.nodeMs / s.rows) * 1000 : null;
		let label = KINDS[s.kind].label;
		if (s.kind === 'diy' && s.parts) label += ` (${Object.values(s.parts).map((v) => fmt(v)).join(' + ')} ms)`;
		if (s.kind === 'http') label += ' ¹';
		const pushes = s.pushes.length === 1 ? fmt(s.pushes[0]) : s.pushes.length ? s.pushes.join('/') : '—';
		const okTxt = `${s.okRuns}/${s.runs}${s.verified < s.okRuns ? ` (${s.okRuns - s.verified} failed checks)` : ''}`;
		out.push(
			`| ${label} | ${fmt(s.rows)} | ${okTxt} | ${pushes} | ${fmt(s.nodeMs)} | ${fmt(s.minMs)}–${fmt(s.maxMs)} | ${fmt(per1k, 1)} | ${fmt(s.peakMb)} | ${ratio === null ? '—' : s.kind === 'diy' ? '1.00' : fmt(ratio, 2)} |`,
		);
	}
	return out.join('\n');
}

function contextTable(summary, line) {
	const mine = summary
		.filter((s) => s.line === line)
		.sort((a, b) => a.source.localeCompare(b.source) || a.rows - b.rows || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
	const out = [
		'| row source | workflow | rows | sandbox time per run ms ² | "Rows" node ms | `n8n execute` wall s |',
		'|---|---|---:|---:|---:|---:|',
	];
	for (const s of mine) out.push(`| ${s.source} | ${KINDS[s.kind].label} | ${fmt(s.rows)} | ${fmt(s.serverMs)} | ${fmt(s.rowsNodeMs)} | ${fmt(s.wallMs / 1000, 1)} |`);
	return out.join('\n');
}

function targets(summary, measurements, line, source) {
	const get = (kind, rows) => summary.find((s) => s.line === line && s.source === source && s.kind === kind && s.rows === rows);
	const res = [];
	const add = (name, status, detail) => res.push({ name, status, detail });
	// The sandbox answers in this same machine's time; when its own time for the pushes is already above 1.5× the
	// floor, no node that makes those pushes can meet the target. Said next to the MISS, which stays a MISS.
	const outOfReach = (p, f) =>
		p.serverMs !== null && p.serverMs > 1.5 * f.nodeMs
			? `; out of reach for any node that sends the rows: the sandbox alone spent ${fmt(p.serverMs)} ms answering the pushes, more than 1.5× the floor`
			: '';
	const na = (name, why) => add(name, 'n/a', why);

	// 1. pushes = ⌈valid rows / batch size⌉ exactly (every Picky Assist run; all generated rows are valid)
	const picky = measurements.filter((m) => m.line === line && m.source === source && (m.kind === 'picky100' || m.kind === 'picky1000'));
	if (!picky.length) na('pushes = ⌈valid rows / batch size⌉ exactly', 'no Picky Assist run');
	else {
		const bad = picky.filter((m) => !m.ok || m.pushes !== Math.ceil(m.rows / KINDS[m.kind].batchSize) || m.problems.length);
		add(
			'pushes = ⌈valid rows / batch size⌉ exactly (and every row received intact, one accepted item per row)',
			bad.length ? 'MISS' : 'PASS',
			bad.length
				? bad.map((m) => `${m.kind} ${m.rows} run ${m.run}: ${m.ok ? `${m.pushes} pushes; ${m.problems.join('; ')}` : m.error.split('\n')[0]}`).join(' | ')
				: `${picky.length} runs: ${[...new Set(picky.map((m) => `${fmt(m.rows)} rows / batch ${KINDS[m.kind].batchSize} → ${m.pushes}`))].join(', ')}`,
		);
	}
	// 2./3. at 10k: ≤ DIY chain, ≤ 1.5× pass-through
	for (const kind of ['picky1000', 'picky100']) {
		const p = get(kind, 10000);
		const d = get('diy', 10000);
		const f = get('pass', 10000);
		const b = KINDS[kind].batchSize;
		if (!p || p.nodeMs === null || !d || d.nodeMs === null) na(`10k rows, batch ${b}: node time ≤ DIY chain (ratio ≤ 1.0)`, 'not measured');
		else {
			const r = p.nodeMs / d.nodeMs;
			add(`10k rows, batch ${b}: node time ≤ DIY chain (ratio ≤ 1.0)`, r <= 1.0 ? 'PASS' : 'MISS', `${fmt(p.nodeMs)} ms vs ${fmt(d.nodeMs)} ms → ${fmt(r, 2)}`);
		}
		if (!p || p.nodeMs === null || !f || f.nodeMs === null) na(`10k rows, batch ${b}: node time ≤ 1.5× pass-through`, 'not measured');
		else {
			const r = p.nodeMs / f.nodeMs;
			add(`10k rows, batch ${b}: node time ≤ 1.5× pass-through`, r <= 1.5 ? 'PASS' : 'MISS', `${fmt(p.nodeMs)} ms vs ${fmt(f.nodeMs)} ms → ${fmt(r, 2)}×${r <= 1.5 ? '' : outOfReach(p, f)}`);
		}
	}
	// 4. 100k
	const p100 = get('picky1000', 100000);
	const f100 = get('pass', 100000);
	if (!p100) na('100k rows complete (batch 1000)', 'not measured');
	else
		add(
			'100k rows complete (batch 1000)',
			p100.okRuns === p100.runs && p100.verified === p100.okRuns ? 'PASS' : 'MISS',
			`${p100.okRuns}/${p100.runs} runs ok, ${p100.verified} verified${p100.errors.length ? `: ${p100.errors[0].split('\n')[0]}` : ''}`,
		);
	if (!p100 || p100.nodeMs === null || !f100 || f100.nodeMs === null) na('100k rows: node time ≤ 1.5× pass-through', 'not measured');
	else {
		const r = p100.nodeMs / f100.nodeMs;
		add('100k rows: node time ≤ 1.5× pass-through', r <= 1.5 ? 'PASS' : 'MISS', `${fmt(p100.nodeMs)} ms vs ${fmt(f100.nodeMs)} ms → ${fmt(r, 2)}×${r <= 1.5 ? '' : outOfReach(p100, f100)}`);
	}
	if (!p100 || p100.peakMb === null || !f100 || f100.peakMb === null) na('100k rows: peak RSS ≤ 1.3× the pass-through run', 'not measured');
	else {
		const r = p100.peakMb / f100.peakMb;
		add('100k rows: peak RSS ≤ 1.3× the pass-through run', r <= 1.3 ? 'PASS' : 'MISS', `${fmt(p100.peakMb)} MB vs ${fmt(f100.peakMb)} MB → ${fmt(r, 2)}×`);
	}
	// 5. scaling
	const p10 = get('picky1000', 10000);
	if (!p10 || p10.nodeMs === null || !p100 || p100.nodeMs === null) na('10k → 100k node time within 12× (batch 1000)', 'not measured');
	else {
		const r = p100.nodeMs / p10.nodeMs;
		add('10k → 100k node time within 12× (batch 1000)', r <= 12 ? 'PASS' : 'MISS', `${fmt(p10.nodeMs)} ms → ${fmt(p100.nodeMs)} ms = ${fmt(r, 1)}×`);
	}
	return res;
}

function targetTable(ts) {
	return ['| target | result | measured |', '|---|---|---|', ...ts.map((t) => `| ${t.name} | **${t.status}** | ${t.detail} |`)].join('\n');
}

function machineInfo() {
	const cpus = os.cpus();
	return {
		cpu: cpus[0] ? cpus[0].model.trim() : 'unknown',
		cores: cpus.length,
		ramGb: os.totalmem() / 1024 ** 3,
		os: `${os.type()} ${os.release()}`,
	};
}

function gitInfo() {
	const r = (args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
	const head = r(['rev-parse', '--short', 'HEAD']);
	const dirty = r(['status', '--porcelain', '--', 'packages/n8n-nodes-pickyassist']) !== '';
	return `${head || 'unknown'}${dirty ? ' + uncommitted changes in packages/n8n-nodes-pickyassist' : ''}`;
}

function distInfo() {
	const f = path.join(ROOT, 'packages', 'n8n-nodes-pickyassist', 'dist', 'nodes', 'PickyAssist', 'actions', 'message', 'sendDynamic.operation.js');
	try {
		return `dist built ${fs.statSync(f).mtime.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
	} catch {
		return 'dist missing';
	}
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
	const opts = parseArgs(process.argv.slice(2));
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
	const mode = opts.quick ? 'quick' : opts.runs === null && opts.rows.join(',') === '1000,10000,100000' && opts.sources.length === 2 ? 'full' : 'custom';
	const stamp = started.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
	const md = [];
	md.push(`## ${stamp} — ${mode} run, line${opts.lines.length > 1 ? 's' : ''} ${opts.lines.join(' + ')}`);
	md.push('');
	md.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb.toFixed(1)} GB RAM, ${machine.os}; load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')}`);
	md.push(`- Package: ${gitInfo()}; ${distInfo()}`);
	md.push(`- Command: \`node scripts/bench/run.js ${process.argv.slice(2).join(' ')}\`; row sources ${opts.sources.join(', ')}; rows ${opts.rows.join(', ')}; runs ${opts.runs ?? '3 at 1k/10k, 2 at 100k'} (medians reported); per-row HTTP at ${opts.httpRows.join(', ') || '—'} rows`);
	md.push(`- Bench duration: ${secs(totalMs)}${Object.entries(lineMeta).map(([n, m]) => `; line ${n} ${m.durationMs ? secs(m.durationMs) : 'failed'}`).join('')}`);
	for (const [n, meta] of Object.entries(lineMeta)) {
		md.push('');
		md.push(`### Line ${n}: n8n ${meta.n8nVersion} on Node ${meta.nodeVersion}`);
		md.push('');
		md.push(`Environment beyond the e2e defaults: ${Object.entries(meta.env).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`);
		if (meta.setupError) {
			md.push('');
			md.push(`**Setup failed:** ${meta.setupError.split('\n')[0]}`);
			continue;
		}
		for (const source of opts.sources) {
			md.push('');
			md.push(`#### Rows: ${SOURCES[source].label} (\`${source}\`)`);
			md.push('');
			md.push(lineTable(summary, Number(n), source));
			md.push('');
			md.push(targetTable(targets(summary, measurements, Number(n), source)));
		}
		md.push('');
		md.push('<details><summary>Context: sandbox time, the Rows node, CLI wall time</summary>');
		md.push('');
		md.push(contextTable(summary, Number(n)));
		md.push('');
		md.push('</details>');
		const errs = summary.filter((s) => s.line === Number(n) && (s.errors.length || s.problems.length));
		if (errs.length) {
			md.push('');
			md.push('Failures:');
			for (const s of errs) md.push(`- ${s.source} ${s.kind} ${s.rows}: ${[...s.errors.map((e) => e.split('\n')[0]), ...s.problems].join(' | ')}`);
		}
	}
	md.push('');
	md.push(
		'Node time: `runData[<node>][0].executionTime` (DIY: Code + HTTP Request + Split Out, their medians shown in brackets). ' +
			'Pushes: counted by the sandbox. Peak RSS: the `n8n execute` process plus its children (task runner on 2.x), the larger of ' +
			'its exact maxRSS and the highest sampled sum (50 ms). ¹ per-row HTTP runs at the row counts listed above only; its ms per 1k rows ' +
			'is measured there (not run at 100k). ² sum of the time the in-process sandbox spent on each request (headers in → answer out), ' +
			'included in the node time of the sequential Picky Assist node.',
	);
	const section = md.join('\n');
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
