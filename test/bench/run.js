/**
 * Benchmark: the Picky Assist node against what users build without it, in real n8n (both lines of
 * scripts/e2e/install-n8n.js), against the local sandbox with its rate limit off. See test/bench/README.md.
 *
 * Parts (--parts): send (Send Dynamic Messages vs the DIY chain, per-row HTTP and the pass-through floor, rows as
 * plain objects or from a Code node), template (WhatsApp Template vs Text), delivery (Get Delivery Report vs DIY
 * chains, delivery.js), webhook (a burst of Event Webhook calls: the Picky Assist Trigger vs n8n's Webhook node,
 * webhook.js).
 *
 *   node test/bench/run.js                    # everything: both lines, 1k/10k/100k rows, 3 runs (2 at 100k)
 *   node test/bench/run.js --quick            # 1k + 10k rows, 1 run, small sizes for the other parts too
 *
 * Options:
 *   --line 1|2|1,2       n8n line(s) (default both)
 *   --rows LIST          row counts (default 1000,10000,100000)
 *   --runs N             runs per measurement (default 3 at ≤10k rows, 2 at 100k)
 *   --quick              --rows 1000,10000 --runs 1
 *   --source LIST        row source(s): table, code (default both)
 *   --http-rows LIST     row counts at which the per-row HTTP workflow runs (default 1000; never above 10000)
 *   --parts LIST         send, template, delivery, webhook (default all four)
 *   --template-rows LIST row counts of the template-vs-text pair (default 10000,100000; --quick 10000)
 *   --delivery-rows LIST Get Delivery Report row counts, multiples of 500 (default 100000; --quick 10000)
 *   --delivery-merge-max N  largest row count at which the DIY chain with n8n's Merge node runs (default 10000:
 *                        the Merge node's match by field is quadratic)
 *   --webhook-calls N    calls per burst (default 1000; --quick 200)
 *   --webhook-entries N  delivery-report entries per call (default 100)
 *   --webhook-concurrency N  calls in flight (default 20)
 *   --webhook-runs N     bursts per workflow (default 2; --quick 1)
 *   --webhook-kinds LIST workflows of the burst (default whTrigger,whWebhook; diagnostics: whTriggerNoDedup — the
 *                        trigger with Drop Repeated Events off —, whWebhookSplit — Webhook → Split Out body.data)
 *   --no-write           do not append to test/bench/RESULTS.md
 *   --keep               keep the temporary n8n user folders (printed)
 *   --json FILE          also write every raw measurement to FILE
 *
 * Every run is checked (checks.js): the rows the sandbox received equal the generated rows and the output has one
 * accepted item per row. Results are printed and appended as a dated section to test/bench/RESULTS.md.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startTimedSandbox } = require('./sandbox');
const { packPackage } = require('../tooling/community-package');
const { parseCommandLine, usageError, numberList } = require('../../scripts/lib/cli');
const { BenchLine, BENCH_ENV, ROOT } = require('./n8n');
const { KINDS, SOURCES, credentialOf, buildWorkflow } = require('./workflows');
const { verify } = require('./checks');
const report = require('./report');
const delivery = require('./delivery');
const webhook = require('./webhook');

const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
const PARTS = ['send', 'template', 'delivery', 'webhook'];
const T0 = Date.now();
const { fmt } = report;
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => console.log(`[bench +${secs(Date.now() - T0)}]`, ...a);

// ------------------------------------------------------------------------------------------------ arguments

/** The whole-number options: name, default, --quick default, smallest and largest value. */
const COUNTS = [
	// 0: the Merge chain runs at no row count
	['delivery-merge-max', '10000', null, 0, 1e7],
	['webhook-calls', '1000', '200', 1, 100000],
	['webhook-entries', '100', null, 1, 10000],
	['webhook-concurrency', '20', null, 1, 1000],
	['webhook-runs', '2', '1', 1, 100],
];
/** The list options: name, default, --quick default, the values allowed (none: row counts, sorted). */
const LISTS = [
	['line', '1,2', null, [1, 2]],
	['rows', '1000,10000,100000', '1000,10000'],
	['source', 'table,code', null, Object.keys(SOURCES)],
	['http-rows', '1000'],
	['parts', PARTS.join(','), null, PARTS],
	['template-rows', '10000,100000', '10000'],
	['delivery-rows', '100000', '10000'],
	['webhook-kinds', 'whTrigger,whWebhook', null, Object.keys(webhook.WH_KINDS)],
];
const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());

function parseOptions() {
	const options = { runs: { type: 'string' }, json: { type: 'string' } };
	for (const [name] of [...COUNTS, ...LISTS]) options[name] = { type: 'string' };
	for (const name of ['quick', 'no-write', 'keep'])
		options[name] = { type: 'boolean', default: false };
	const { values: v } = parseCommandLine(__filename, options);
	const fail = (message) => usageError(__filename, message);
	const valueOf = ([name, normal, quick]) => v[name] ?? (v.quick && quick ? quick : normal);
	const o = { quick: v.quick, write: !v['no-write'], keep: v.keep };
	o.json = v.json ? path.resolve(v.json) : null;
	o.runs = v.runs !== undefined ? Number(v.runs) : v.quick ? 1 : null;
	if (o.runs !== null && !(Number.isInteger(o.runs) && o.runs >= 1))
		fail('--runs must be a positive integer');
	for (const option of COUNTS) {
		const [name, , , min, max] = option;
		const x = Number(valueOf(option));
		if (!Number.isInteger(x) || x < min || x > max)
			fail(`--${name} must be an integer from ${min} to ${max}, got ${x}`);
		o[camel(name)] = x;
	}
	for (const option of LISTS) {
		const [name, , , allowed] = option;
		const numbers = name === 'line' || !allowed;
		const list = [
			...new Set(
				String(valueOf(option))
					.split(',')
					.map((x) => (numbers ? numberList(x)[0] : x.trim())),
			),
		];
		if (allowed)
			for (const x of list)
				if (!allowed.includes(x)) fail(`--${name} takes ${allowed.join(', ')}; got ${x}`);
		if (!allowed && list.some((r) => !Number.isInteger(r) || r < 1))
			fail(`bad --${name} value ${valueOf(option)}`);
		o[camel(name)] = allowed ? list : list.sort((a, b) => a - b);
	}
	for (const r of o.deliveryRows)
		if (r % delivery.PER_PUSH)
			fail(`--delivery-rows must be multiples of ${delivery.PER_PUSH}, got ${r}`);
	const { line, source, ...rest } = o;
	return { ...rest, lines: line, sources: source, httpRows: o.httpRows.filter((r) => r <= 10000) };
}

/**
 * The send workflows measured at a row count and source (per-row HTTP only where asked; never at 100k), and the
 * template-vs-text pair (plain rows only) at the template row counts.
 */
function kindsAt(rows, source, opts) {
	const kinds = [];
	if (opts.parts.includes('send') && opts.rows.includes(rows)) {
		kinds.push(...(rows <= 10000 ? ['picky100'] : []), 'picky1000', 'diy', 'pass');
		if (rows <= 10000) kinds.push('codepass');
		if (opts.httpRows.includes(rows)) kinds.push('http');
	}
	if (opts.parts.includes('template') && source === 'table' && opts.templateRows.includes(rows))
		kinds.push(...(kinds.includes('picky1000') ? [] : ['picky1000']), 'template1000');
	return kinds;
}
/** Every row count the send loop visits. */
const allRows = (opts) =>
	[
		...new Set([
			...(opts.parts.includes('send') ? opts.rows : []),
			...(opts.parts.includes('template') ? opts.templateRows : []),
		]),
	].sort((a, b) => a - b);
/** The delivery workflows at a row count: the Merge chain only up to --delivery-merge-max rows. */
const deliveryKindsAt = (rows, opts) => [
	'drNode',
	'drCode',
	...(rows <= opts.deliveryMergeMax ? ['drMerge'] : []),
];
const runsAt = (rows, opts) => opts.runs ?? (rows >= 100000 ? 2 : 3);

// ------------------------------------------------------------------------------------------------ parts

/**
 * The execute-based measurements of one line, each described by { workflow, tag, title, measured, prepare(),
 * check(run), fields(run), figures(m) }: the send and template ones of every row source, then Get Delivery Report
 * (the sandbox given its pushes again before each), grouped by row count.
 */
function executePlan(n, { opts, sb, rowsFileOf }) {
	const pushUrl = `${sb.baseUrl()}/push`;
	const send = (rows) =>
		opts.sources.flatMap((source) =>
			kindsAt(rows, source, opts).map((kind) => ({
				workflow: buildWorkflow(kind, rows, { pushUrl, source }),
				...{ tag: `${source}-${kind}-${rows}`, title: `${source.padEnd(5)} ${kind.padEnd(9)}` },
				...{ measured: KINDS[kind].measured, prepare: () => sb.reset() },
				check: (runJson) => verify(kind, rows, runJson, sb),
				fields: (run) => ({
					part: kind === 'template1000' ? 'template' : 'send',
					...{ source, kind, rows, run, pushes: sb.pushes().length },
				}),
				figures: (m) => `node ${fmt(m.nodeMs)} ms, ${m.pushes} pushes`,
			})),
		);
	const reportUrl = `${sb.baseUrl()}/delivery-report`;
	const deliveryAt = (rows) =>
		deliveryKindsAt(rows, opts).map((kind) => {
			let [rowsData, seq0] = [[], 0];
			const reportCalls = () =>
				sb.requests.slice(seq0).filter((q) => q.endpoint === 'delivery-report').length;
			return {
				workflow: delivery.buildDeliveryWorkflow(kind, rows, {
					reportUrl,
					rowsFile: rowsFileOf(rows),
				}),
				...{ tag: `delivery-${kind}-${rows}`, title: `delivery ${kind.padEnd(7)}` },
				measured: delivery.DR_KINDS[kind].measured,
				prepare: async () => {
					rowsData = await delivery.prepare(sb, rows, rowsFileOf(rows));
					seq0 = sb.requests.length;
				},
				check: (runJson) => delivery.verifyDelivery(kind, rowsData, runJson, sb),
				fields: (run) => ({ part: 'delivery', kind, rows, run, reportCalls: reportCalls() }),
				figures: (m) => {
					const parts = Object.entries(m.parts ?? {}).map(([k, v]) => `${k} ${fmt(v)}`);
					return `node ${fmt(m.nodeMs)} ms (${parts.join(', ')}), ${m.reportCalls} report calls`;
				},
			};
		});
	const deliveryRows = opts.parts.includes('delivery') ? opts.deliveryRows : [];
	return [
		...allRows(opts).map((rows) => ({ rows, entries: send(rows) })),
		...deliveryRows.map((rows) => ({ rows, entries: deliveryAt(rows) })),
	];
}

/**
 * Executes one workflow and measures it: wall time, peak memory, the sandbox's time, and the executionTime of
 * the `measured` nodes (`nodeMs` is their sum). `m.failed` is true when the run failed or a check did.
 */
async function measure(bl, sandbox, entry, run) {
	sandbox.resetTiming();
	const r = await bl.execute(entry.workflow.id, { tag: `${entry.tag}-${run}` });
	const m = { line: bl.n, ...entry.fields(run), ok: r.ok, wallMs: r.cli.ms, memory: r.cli.memory };
	Object.assign(m, { serverMs: sandbox.serverMs(), problems: [] });
	if (!r.ok) return Object.assign(m, { error: r.error, failed: true });
	const runData = r.run.data.resultData.runData;
	const timeOf = (name) => runData[name]?.[0]?.executionTime ?? NaN;
	m.parts = Object.fromEntries(entry.measured.map((name) => [name, timeOf(name)]));
	m.nodeMs = Object.values(m.parts).reduce((a, b) => a + b, 0);
	m.rowsNodeMs = runData.Rows ? timeOf('Rows') : null;
	m.problems = entry.check(r.run);
	m.failed = m.problems.length > 0;
	return m;
}

/** One log line of a measurement: its figures, or why it failed. */
function describe(m, figures) {
	if (!m.ok) return `FAILED: ${m.error.slice(0, 2000)}`;
	const problems = m.problems.length ? `  CHECK FAILED: ${m.problems.join('; ')}` : '';
	return `${figures}, peak ${fmt(m.memory.peakKb / 1024)} MB, wall ${secs(m.wallMs)}${problems}`;
}

/** Per row count `runs` rounds of every workflow of the plan (interleaved); true when a run or its checks failed. */
async function measureRounds(bl, { opts, sandbox, measurements }, plan) {
	let failed = false;
	for (const { rows, entries } of plan)
		for (let run = 1, runs = runsAt(rows, opts); run <= runs; run++)
			for (const entry of entries) {
				await entry.prepare();
				const m = await measure(bl, sandbox, entry, run);
				measurements.push(m);
				failed ||= m.failed;
				const what = `${entry.title} ${String(rows).padStart(6)} rows run ${run}/${runs}`;
				log(`line ${bl.n} ${what}: ${describe(m, entry.figures(m))}`);
			}
	return failed;
}

/**
 * One line: sets it up (packages, credential, workflows), then measures the execute-based parts and the webhook
 * part. Records the line's versions (and a set-up failure) in
 * `lineMeta`; returns true when anything failed.
 */
async function benchLine(n, ctx) {
	const { opts, sb, dataDir, measurements } = ctx;
	const lineStarted = Date.now();
	const bl = new BenchLine(n, { tarball: ctx.tarball, keep: opts.keep });
	const { info } = bl;
	const meta = {
		n8nVersion: info.n8nVersion,
		nodeVersion: bl.nodeVersion,
		env: { ...info.env, ...BENCH_ENV },
	};
	ctx.lineMeta[n] = meta;
	log(
		`line ${n}: n8n ${info.n8nVersion} on Node ${bl.nodeVersion}: setting up (install packages, import credential + workflows)`,
	);
	const plan = executePlan(n, ctx);
	const webhooks = (opts.parts.includes('webhook') ? opts.webhookKinds : []).map((kind) =>
		webhook.buildWebhookWorkflow(kind, path.join(dataDir, `line${n}-${kind}.txt`)),
	);
	try {
		await bl.setup(
			[...plan.flatMap((g) => g.entries.map((e) => e.workflow)), ...webhooks],
			credentialOf(sb),
		);
	} catch (e) {
		log(`line ${n}: SETUP FAILED: ${e.message}`);
		meta.setupError = e.message;
		return true;
	}
	log(`line ${n}: ready in ${secs(Date.now() - lineStarted)} (user folder ${bl.userFolder})`);
	let failed = false;
	try {
		failed = await measureRounds(bl, ctx, plan);
		sb.reset();
		if (webhooks.length)
			try {
				const ms = await webhook.runWebhookPart({ bl, sb, opts, log, countDir: dataDir });
				measurements.push(...ms);
				failed ||= ms.some((m) => m.lost);
			} catch (e) {
				log(`line ${n}: WEBHOOK PART FAILED: ${e.message}`);
				measurements.push({ line: n, part: 'webhook-error', ok: false, error: e.message });
				failed = true;
			}
	} finally {
		sb.reset();
		if (opts.keep) log(`line ${n}: kept user folder ${bl.userFolder}`);
		bl.cleanup();
	}
	meta.durationMs = Date.now() - lineStarted;
	log(`line ${n}: done in ${secs(meta.durationMs)}`);
	return failed;
}

/** Prints the run's section, appends it to RESULTS.md and writes the raw measurements, as asked. */
function publish({ opts, started, machine, load0, lineMeta, measurements }) {
	const totalMs = Date.now() - T0;
	const summary = report.summarise(
		measurements.filter((m) => m.part === 'send' || m.part === 'template'),
	);
	const run = { started, opts, args: process.argv.slice(2), machine, load0, load1: os.loadavg() };
	const section = report.renderSection({ ...run, totalMs, lineMeta, measurements, summary });
	console.log('\n' + section + '\n');
	if (opts.write) {
		const header =
			'# Benchmark results\n\nWritten by `npm run bench` (`node test/bench/run.js`); every run appends a dated section, newest last. ' +
			'See test/bench/run.js for what is measured and test/bench/README.md for how.\n';
		if (!fs.existsSync(RESULTS_FILE)) fs.writeFileSync(RESULTS_FILE, header);
		fs.appendFileSync(RESULTS_FILE, `\n${section}\n`);
		log(`appended to ${path.relative(ROOT, RESULTS_FILE)}`);
	}
	if (opts.json) {
		const raw = { started, machine, lineMeta, measurements, summary };
		fs.writeFileSync(opts.json, JSON.stringify(raw, null, 2));
		log(`raw measurements in ${opts.json}`);
	}
	log(`bench took ${secs(totalMs)}`);
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
	const opts = parseOptions();
	const [started, load0, machine] = [new Date(), os.loadavg(), report.machineInfo()];
	const loads = load0.map((x) => x.toFixed(2)).join(' ');
	log(
		`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb.toFixed(1)} GB RAM; load average ${loads}`,
	);
	log(
		`lines ${opts.lines.join(', ')}; parts ${opts.parts.join(', ')}; runs ${opts.runs ?? '3 (2 at 100k)'}${report.commandDetails(opts)}`,
	);
	if (!fs.existsSync(path.join(ROOT, 'dist/nodes/PickyAssist/PickyAssist.node.js')))
		throw new Error(
			'dist/ is missing: run `npm run build` first (the bench packs the built package)',
		);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-pack-'));
	// The delivery rows file and the webhook counters, shared by both lines (the sandbox hands out the same ids).
	const dataDir = path.join(packDir, 'data');
	fs.mkdirSync(dataDir, { recursive: true });
	const { tarball } = packPackage(packDir);
	log(`packed ${path.basename(tarball)} (${report.distInfo()})`);
	const sandbox = await startTimedSandbox();
	log(
		`sandbox on ${sandbox.sb.url} (rate limit off${sandbox.timed ? ', server time measured' : ''})`,
	);
	const [measurements, lineMeta] = [[], {}];
	const rowsFileOf = (rows) => path.join(dataDir, `delivery-rows-${rows}.json`);
	const ctx = {
		opts,
		tarball,
		sandbox,
		sb: sandbox.sb,
		dataDir,
		rowsFileOf,
		measurements,
		lineMeta,
	};
	let failed = false;
	try {
		for (const n of opts.lines) failed = (await benchLine(n, ctx)) || failed;
	} finally {
		await sandbox.sb.close();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	publish({ opts, started, machine, load0, lineMeta, measurements });
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	console.error(process.env.BENCH_DEBUG ? e : `bench: ${e && e.message ? e.message : e}`);
	process.exit(1);
});
