/**
 * Benchmark: Send Dynamic Messages against what users build without the node, in real n8n (both lines of
 * scripts/e2e/install-n8n.js), against the local sandbox with its rate limit off. See test/bench/README.md.
 *
 *   npm run bench                  both lines, 1k/10k/100k rows, both row sources, 3 runs (2 at 100k)
 *   npm run bench -- --quick       1k + 10k rows, 1 run
 *
 * Options:
 *   --line 1|2|1,2     n8n line(s) (default both)
 *   --rows LIST        row counts (default 1000,10000,100000; --quick 1000,10000)
 *   --source LIST      row sources: table (plain objects), code (a Code node); default both
 *   --kind LIST        workflows (default all): picky1000, picky100, template1000, diy, http, pass, codepass
 *   --runs N           runs per measurement (default 3, 2 at 100k rows; --quick 1)
 *   --quick            the sizes above
 *   --write            replace test/bench/RESULTS.md with this run's tables
 *   --tarball FILE     measure this packed build (say, an older commit's `npm pack`) instead of packing this one
 *
 * Every run is checked (checks.js); a failed run or check makes the bench exit with 1.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const { packPackage } = require('../tooling/community-package');
const { parseCommandLine, usageError, numberList } = require('../../scripts/lib/cli');
const { BenchLine, BENCH_ENV, startTimedSandbox } = require('./n8n');
const { KINDS, SOURCES, buildWorkflow, credentialOf } = require('./workflows');
const { verify } = require('./checks');
const { renderSection, fmt } = require('./report');

const T0 = Date.now();
const log = (...a) => console.log(`[bench +${((Date.now() - T0) / 1000).toFixed(0)} s]`, ...a);

function parseOptions() {
	const [text, flag] = [(d) => ({ type: 'string', default: d }), { type: 'boolean' }];
	const { values: v } = parseCommandLine(__filename, {
		line: text('1,2'),
		rows: { type: 'string' },
		source: text('table,code'),
		kind: text(Object.keys(KINDS).join(',')),
		runs: { type: 'string' },
		quick: flag,
		write: flag,
		tarball: { type: 'string' },
	});
	const list = (name, allowed) => {
		const xs = v[name].split(',').map((x) => x.trim());
		const bad = xs.find((x) => !allowed.includes(x));
		if (bad) usageError(__filename, `--${name} takes ${allowed.join(', ')}; got ${bad}`);
		return xs;
	};
	const rows = numberList(v.rows ?? (v.quick ? '1000,10000' : '1000,10000,100000'));
	const runs = v.runs ? Number(v.runs) : v.quick ? 1 : null;
	if (rows.some((r) => !Number.isInteger(r) || r < 1) || (runs !== null && !(runs >= 1)))
		usageError(__filename, '--rows and --runs take whole numbers');
	const lines = list('line', ['1', '2']).map(Number);
	if (v.tarball && !fs.existsSync(v.tarball))
		usageError(__filename, `--tarball: no file ${v.tarball}`);
	return {
		lines,
		rows,
		runs,
		sources: list('source', Object.keys(SOURCES)),
		kinds: list('kind', Object.keys(KINDS)),
		write: v.write,
		tarball: v.tarball && path.resolve(v.tarball),
	};
}

/** The workflows measured at a row count: per-row HTTP at 1k at most, Template vs Text on plain rows from 10k. */
function kindsAt(rows, source, kinds) {
	const at = {
		...{ picky100: rows <= 1e4, codepass: rows <= 1e4, http: rows <= 1000 },
		template1000: source === 'table' && rows >= 1e4,
	};
	return kinds.filter((k) => at[k] ?? true);
}

/** Executes one workflow and measures it; `m.error` or `m.problems` say what failed. */
async function measure(bl, sb, { workflow, source, kind, rows }, run) {
	sb.reset();
	sb.resetTiming();
	const r = await bl.execute(workflow.id);
	const m = {
		line: bl.n,
		source,
		kind,
		rows,
		run,
		pushes: sb.pushes().length,
		serverMs: sb.serverMs(),
	};
	if (r.error) return { ...m, error: r.error, problems: [] };
	const runData = r.run.data.resultData.runData;
	m.parts = Object.fromEntries(
		KINDS[kind].measured.map((n) => [n, runData[n]?.[0]?.executionTime ?? NaN]),
	);
	m.nodeMs = Object.values(m.parts).reduce((a, b) => a + b, 0);
	return { ...m, peakMb: r.peakMb, problems: verify(kind, rows, r.run, sb) };
}

/** One line: set up once, then per row count `runs` rounds of every workflow (interleaved). */
async function benchLine(n, { opts, sb, tarball, measurements }) {
	const bl = new BenchLine(n);
	const url = `${sb.baseUrl()}/push`;
	const plan = opts.rows.map((rows) =>
		opts.sources.flatMap((source) =>
			kindsAt(rows, source, opts.kinds).map((kind) => ({
				workflow: buildWorkflow(kind, rows, source, url),
				source,
				kind,
				rows,
			})),
		),
	);
	const title = `n8n ${bl.info.n8nVersion} / Node ${bl.nodeVersion.replace(/^v/, '').split('.')[0]}`;
	log(`line ${n}: ${title}: setting up`);
	try {
		await bl.setup(
			tarball,
			plan.flat().map((e) => e.workflow),
			credentialOf(sb),
		);
		for (const entries of plan)
			for (let run = 1, runs = opts.runs ?? (entries[0]?.rows >= 1e5 ? 2 : 3); run <= runs; run++)
				for (const entry of entries) {
					const m = await measure(bl, sb, entry, run);
					measurements.push(m);
					const what = `${entry.source} ${entry.kind} ${entry.rows} rows, run ${run}/${runs}`;
					const figures = `${fmt(m.nodeMs)} ms, ${m.pushes} pushes, peak ${fmt(m.peakMb)} MB`;
					const trouble = m.error ?? m.problems.join('; ');
					log(`line ${n} ${what}: ${trouble ? `FAILED: ${trouble}` : figures}`);
				}
	} finally {
		bl.cleanup();
	}
	return { n, title, env: { ...bl.info.env, ...BENCH_ENV } };
}

async function main() {
	const opts = parseOptions();
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-pack-'));
	const sb = await startTimedSandbox();
	const [started, measurements, lines] = [new Date(), [], []];
	try {
		const tarball = opts.tarball ?? packPackage(packDir).tarball;
		for (const n of opts.lines) lines.push(await benchLine(n, { opts, sb, tarball, measurements }));
	} finally {
		await sb.close();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	const args = process.argv.slice(2);
	const pkg = opts.tarball && path.basename(opts.tarball);
	const section = renderSection({ started, args, lines, measurements, sources: opts.sources, pkg });
	console.log(`\n${section}\n`);
	if (opts.write) {
		const file = path.join(__dirname, 'RESULTS.md');
		const head = fs.readFileSync(file, 'utf8').split('\n## ')[0];
		fs.writeFileSync(file, `${head}\n${section}\n`);
		log('wrote test/bench/RESULTS.md');
	}
	process.exitCode = measurements.some((m) => m.error || m.problems.length) ? 1 : 0;
}

main().catch((e) => {
	console.error(`bench: ${e?.stack ?? e}`);
	process.exit(1);
});
