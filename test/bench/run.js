#!/usr/bin/env node
'use strict';
/**
 * Benchmark: the Picky Assist node against what users build today, in the same real n8n per line
 * (n8n 1.123.81 on Node 20, n8n 2.41.1 on Node 24 — installed by scripts/e2e/install-n8n.js), against the local
 * sandbox (rate limit off), on the same deterministic rows generated inside n8n — from two sources: a node that
 * outputs plain objects like a spreadsheet node ("table") and a Code node ("code"; on n8n 1.x its items are vm2
 * proxies that n8n copies before the next node runs).
 *
 * Besides sending (part "send"), three more parts, each printed with the two lines side by side:
 *   template  the same rows sent with Content "WhatsApp Template" (two variables from the row) vs "Text"
 *   delivery  Get Delivery Report over {push_id, msg_id} rows from pushes of 500 (100,000 rows = 200 pushes) vs
 *             DIY chains of n8n's own nodes (test/bench/delivery.js)
 *   webhook   a burst of Event Webhook calls into an active workflow (n8n started as a server): the Picky Assist
 *             Trigger vs n8n's Webhook node (test/bench/webhook.js)
 *
 *   node test/bench/run.js                    # everything: both lines, 1k/10k/100k rows, 3 runs (2 at 100k)
 *   node test/bench/run.js --quick            # 1k + 10k rows, 1 run, small sizes for the other parts too
 *   node test/bench/run.js --line 2 --rows 1000,10000 --runs 5
 *   node test/bench/run.js --parts template,delivery,webhook --quick      # only the parts added last
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
 * Workflows: see test/bench/workflows.js. Node time = run data `executionTime` of the measured node(s) (the
 * DIY chain: the sum of its three nodes). Pushes are counted by the sandbox, and every run is checked: the rows
 * the sandbox received equal the generated rows (numbers normalised, messages byte-exact) and the node's output
 * has one accepted item per row. Peak RSS: the `n8n execute` process and its children (test/bench/proc.js).
 * Results are printed and appended as a dated section to test/bench/RESULTS.md.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const { startTimedSandbox } = require('./sandbox');
const { packPackage } = require('../tooling/community-package');
const lines = require('../tooling/n8n-lines');
const { parseCommandLine, usageError, numberList } = require('../../scripts/lib/cli');
const { BenchLine, BENCH_ENV, ROOT } = require('./n8n');
const { KINDS, SOURCES, TOKEN, CREDENTIAL, buildWorkflow, workflowName } = require('./workflows');
const { verify } = require('./checks');
const { summarise, renderSection, machineInfo, distInfo, fmt } = require('./report');
const delivery = require('./delivery');
const webhook = require('./webhook');

const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
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
		parts: { type: 'string', default: 'send,template,delivery,webhook' },
		'template-rows': { type: 'string' },
		'delivery-rows': { type: 'string' },
		'delivery-merge-max': { type: 'string', default: '10000' },
		'webhook-calls': { type: 'string' },
		'webhook-entries': { type: 'string', default: '100' },
		'webhook-concurrency': { type: 'string', default: '20' },
		'webhook-runs': { type: 'string' },
		'webhook-kinds': { type: 'string', default: 'whTrigger,whWebhook' },
		'no-write': { type: 'boolean', default: false },
		keep: { type: 'boolean', default: false },
		json: { type: 'string' },
	});
	const list = (text) => [
		...new Set(
			String(text)
				.split(',')
				.map((x) => x.trim()),
		),
	];
	const quick = (ifQuick, otherwise) => (v.quick ? ifQuick : otherwise);
	const o = {
		lines: [...new Set(numberList(v.line ?? v.lines ?? '1,2'))],
		rows: numberList(v.rows ?? quick('1000,10000', '1000,10000,100000')),
		sources: list(v.source ?? v.sources ?? 'table,code'),
		runs: v.runs !== undefined ? Number(v.runs) : quick(1, null),
		quick: v.quick,
		httpRows: numberList(v['http-rows']),
		write: !v['no-write'],
		keep: v.keep,
		json: v.json !== undefined ? path.resolve(v.json) : null,
		parts: list(v.parts),
		templateRows: numberList(v['template-rows'] ?? quick('10000', '10000,100000')),
		deliveryRows: numberList(v['delivery-rows'] ?? quick('10000', '100000')),
		deliveryMergeMax: Number(v['delivery-merge-max']),
		webhookCalls: Number(v['webhook-calls'] ?? quick(200, 1000)),
		webhookEntries: Number(v['webhook-entries']),
		webhookConcurrency: Number(v['webhook-concurrency']),
		webhookRuns: Number(v['webhook-runs'] ?? quick(1, 2)),
		webhookKinds: list(v['webhook-kinds']),
	};
	validateOptions(o);
	const sorted = (xs) => [...new Set(xs)].sort((a, b) => a - b);
	o.rows = sorted(o.rows);
	o.templateRows = sorted(o.templateRows);
	o.deliveryRows = sorted(o.deliveryRows);
	o.httpRows = o.httpRows.filter((r) => r <= 10000);
	return o;
}

/** Exits with a usage error naming the first option out of range. */
function validateOptions(o) {
	const fail = (message) => usageError(__filename, message);
	for (const k of o.webhookKinds)
		if (!webhook.WH_KINDS[k])
			fail(`--webhook-kinds takes ${Object.keys(webhook.WH_KINDS).join(', ')}; got ${k}`);
	for (const part of o.parts)
		if (!PARTS.includes(part)) fail(`--parts takes ${PARTS.join(', ')}; got ${part}`);
	for (const r of [...o.templateRows, ...o.deliveryRows])
		if (!Number.isInteger(r) || r < 1) fail(`bad row count ${r}`);
	for (const r of o.deliveryRows)
		if (r % delivery.PER_PUSH)
			fail(`--delivery-rows must be multiples of ${delivery.PER_PUSH}, got ${r}`);
	for (const [name, x, max] of [
		['--delivery-merge-max', o.deliveryMergeMax, 1e7],
		['--webhook-calls', o.webhookCalls, 100000],
		['--webhook-entries', o.webhookEntries, 10000],
		['--webhook-concurrency', o.webhookConcurrency, 1000],
		['--webhook-runs', o.webhookRuns, 100],
	])
		if (!Number.isInteger(x) || x < 0 || x > max || (x === 0 && name !== '--delivery-merge-max'))
			fail(`${name} must be an integer from 1 to ${max}, got ${x}`);
	for (const n of o.lines) if (n !== 1 && n !== 2) fail(`--line must be 1 or 2, got ${n}`);
	for (const src of o.sources)
		if (!SOURCES[src]) fail(`--source must be table and/or code, got ${src}`);
	for (const r of o.rows) if (!Number.isInteger(r) || r < 1) fail(`bad --rows value ${r}`);
	if (o.runs !== null && !(Number.isInteger(o.runs) && o.runs >= 1))
		fail('--runs must be a positive integer');
}

const PARTS = ['send', 'template', 'delivery', 'webhook'];

/**
 * The send workflows measured at a row count and source (per-row HTTP only where asked; never at 100k), and the
 * template-vs-text pair (plain rows only) at the template row counts.
 */
function kindsAt(rows, source, opts) {
	const kinds = [];
	if (opts.parts.includes('send') && opts.rows.includes(rows)) {
		kinds.push('picky1000', 'diy', 'pass');
		if (rows <= 10000) kinds.unshift('picky100');
		if (rows <= 10000) kinds.push('codepass');
		if (opts.httpRows.includes(rows)) kinds.push('http');
	}
	if (opts.parts.includes('template') && source === 'table' && opts.templateRows.includes(rows)) {
		if (!kinds.includes('picky1000')) kinds.push('picky1000');
		kinds.push('template1000');
	}
	return kinds;
}
/** Every row count the execute loop visits. */
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
 * Executes one workflow and measures it: wall time, peak memory, the sandbox's time, and the executionTime of
 * the `measured` nodes (`nodeMs` is their sum). `check(run)` lists what the run got wrong. `m.failed` is true when
 * the run failed or a check did.
 */
async function measure(bl, sandbox, { workflowId, tag, measured, check, fields }) {
	sandbox.resetTiming();
	const r = await bl.execute(workflowId, { tag });
	const m = {
		line: bl.n,
		...fields(),
		ok: r.ok,
		wallMs: r.cli.ms,
		memory: r.cli.memory,
		serverMs: sandbox.serverMs(),
		problems: [],
	};
	if (!r.ok) return Object.assign(m, { error: r.error, failed: true });
	const runData = r.run.data.resultData.runData;
	const timeOf = (name) =>
		runData[name] && runData[name][0] ? runData[name][0].executionTime : NaN;
	m.parts = Object.fromEntries(measured.map((name) => [name, timeOf(name)]));
	m.nodeMs = Object.values(m.parts).reduce((a, b) => a + b, 0);
	m.rowsNodeMs = runData.Rows ? timeOf('Rows') : null;
	m.problems = check(r.run);
	m.failed = m.problems.length > 0;
	return m;
}

/** One log line of a measurement: its figures, or why it failed. */
function describe(m, figures) {
	if (!m.ok) return `FAILED: ${m.error.slice(0, 2000)}`;
	const problems = m.problems.length ? `  CHECK FAILED: ${m.problems.join('; ')}` : '';
	return `${figures}, peak ${fmt(m.memory.peakKb / 1024)} MB, wall ${secs(m.wallMs)}${problems}`;
}

/** The send and template measurements on one line: per row count, `runs` rounds of every workflow. */
async function sendPart(bl, sb, sandbox, opts, workflows, measurements) {
	let failed = false;
	for (const rows of allRows(opts)) {
		const runs = runsAt(rows, opts);
		const measuredAt = opts.sources.flatMap((source) =>
			kindsAt(rows, source, opts).map((kind) => ({ source, kind })),
		);
		for (let run = 1; run <= runs; run++)
			for (const { source, kind } of measuredAt) {
				sb.reset();
				const m = await measure(bl, sandbox, {
					workflowId: workflows.find((w) => w.name === workflowName(kind, rows, source)).id,
					tag: `${source}-${kind}-${rows}-${run}`,
					measured: KINDS[kind].measured,
					check: (runJson) => verify(kind, rows, runJson, sb),
					fields: () => ({
						part: kind === 'template1000' ? 'template' : 'send',
						...{ source, kind, rows, run, pushes: sb.pushes().length },
					}),
				});
				measurements.push(m);
				failed ||= m.failed;
				log(
					`line ${bl.n} ${source.padEnd(5)} ${kind.padEnd(9)} ${String(rows).padStart(6)} rows run ${run}/${runs}: ` +
						describe(m, `node ${fmt(m.nodeMs)} ms, ${m.pushes} pushes`),
				);
			}
	}
	return failed;
}

/**
 * Get Delivery Report measurements on one line: per row count, `runs` rounds of every delivery workflow, the
 * sandbox reset and given its pushes again before each. Returns true when a run failed or its checks did.
 */
async function deliveryPart(bl, sb, sandbox, opts, rowsFileOf, measurements) {
	let failed = false;
	const reportCallsSince = (seq) =>
		sb.requests.slice(seq).filter((q) => q.endpoint === 'delivery-report').length;
	for (const rows of opts.deliveryRows) {
		const runs = runsAt(rows, opts);
		for (let run = 1; run <= runs; run++)
			for (const kind of deliveryKindsAt(rows, opts)) {
				const rowsData = await delivery.prepare(sb, rows, rowsFileOf(rows));
				const seq0 = sb.requests.length;
				const m = await measure(bl, sandbox, {
					workflowId: delivery.drWorkflowId(kind, rows),
					tag: `delivery-${kind}-${rows}-${run}`,
					measured: delivery.DR_KINDS[kind].measured,
					check: (runJson) => delivery.verifyDelivery(kind, rowsData, runJson, sb),
					fields: () => ({
						part: 'delivery',
						...{ kind, rows, run },
						reportCalls: reportCallsSince(seq0),
					}),
				});
				measurements.push(m);
				failed ||= m.failed;
				const parts = Object.entries(m.parts ?? {}).map(([k, v]) => `${k} ${fmt(v)}`);
				log(
					`line ${bl.n} delivery ${kind.padEnd(7)} ${String(rows).padStart(6)} rows run ${run}/${runs}: ` +
						describe(
							m,
							`node ${fmt(m.nodeMs)} ms (${parts.join(', ')}), ${m.reportCalls} report calls`,
						),
				);
			}
	}
	sb.reset();
	return failed;
}

/** The webhook measurements on one line (test/bench/webhook.js). Returns true when a call was lost or it failed. */
async function webhookPart(bl, sb, opts, dataDir, measurements) {
	try {
		const ms = await webhook.runWebhookPart({ bl, sb, opts, log, countDir: dataDir });
		measurements.push(...ms);
		return ms.some((m) => m.lost);
	} catch (e) {
		log(`line ${bl.n}: WEBHOOK PART FAILED: ${e.message}`);
		measurements.push({ line: bl.n, part: 'webhook-error', ok: false, error: e.message });
		return true;
	}
}

/** Every workflow a line imports: the send and template ones, and those of the delivery and webhook parts. */
function lineWorkflows(n, sb, opts, dataDir, rowsFileOf) {
	const workflows = [];
	for (const source of opts.sources)
		for (const rows of allRows(opts))
			for (const kind of kindsAt(rows, source, opts))
				workflows.push(buildWorkflow(kind, rows, { pushUrl: `${sb.baseUrl()}/push`, source }));
	if (opts.parts.includes('delivery'))
		for (const rows of opts.deliveryRows)
			for (const kind of deliveryKindsAt(rows, opts))
				workflows.push(
					delivery.buildDeliveryWorkflow(kind, rows, {
						reportUrl: `${sb.baseUrl()}/delivery-report`,
						rowsFile: rowsFileOf(rows),
					}),
				);
	if (opts.parts.includes('webhook'))
		for (const kind of opts.webhookKinds)
			workflows.push(
				webhook.buildWebhookWorkflow(kind, path.join(dataDir, `line${n}-${kind}.txt`)),
			);
	return workflows;
}

/**
 * One line: sets it up (packages, credential, workflows), then runs every wanted part. Records the line's
 * versions (and a set-up failure) in `lineMeta`; returns true when anything failed.
 */
async function benchLine(
	n,
	{ opts, packed, sandbox, dataDir, rowsFileOf, measurements, lineMeta },
) {
	const { sb } = sandbox;
	const lineStarted = Date.now();
	const info = lines.line(n);
	const bl = new BenchLine(n, { tarball: packed.tarball, keep: opts.keep, log });
	const meta = (lineMeta[n] = {
		n8nVersion: info.n8nVersion,
		nodeVersion: bl.nodeVersion,
		env: { ...info.env, ...BENCH_ENV },
	});
	log(
		`line ${n}: n8n ${info.n8nVersion} on Node ${bl.nodeVersion}: setting up (install packages, import credential + workflows)`,
	);
	const workflows = lineWorkflows(n, sb, opts, dataDir, rowsFileOf);
	try {
		await bl.setup(workflows, {
			...CREDENTIAL,
			type: 'pickyAssistApi',
			data: { apiToken: TOKEN, apiHost: 'custom', customUrl: sb.baseUrl() },
		});
	} catch (e) {
		log(`line ${n}: SETUP FAILED: ${e.message}`);
		meta.setupError = e.message;
		return true;
	}
	log(`line ${n}: ready in ${secs(Date.now() - lineStarted)} (user folder ${bl.userFolder})`);
	let failed = false;
	try {
		failed = await sendPart(bl, sb, sandbox, opts, workflows, measurements);
		if (opts.parts.includes('delivery'))
			failed = (await deliveryPart(bl, sb, sandbox, opts, rowsFileOf, measurements)) || failed;
		if (opts.parts.includes('webhook'))
			failed = (await webhookPart(bl, sb, opts, dataDir, measurements)) || failed;
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
function report({ opts, started, machine, load0, lineMeta, measurements }) {
	const totalMs = Date.now() - T0;
	const summary = summarise(measurements.filter((m) => m.part === 'send' || m.part === 'template'));
	const section = renderSection({
		...{ started, opts, args: process.argv.slice(2), machine, load0, load1: os.loadavg() },
		...{ totalMs, lineMeta, measurements, summary },
	});
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

/** What is about to be measured, in the log. */
function logPlan(opts, machine, load0) {
	log(
		`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb.toFixed(1)} GB RAM; load average ${load0.map((x) => x.toFixed(2)).join(' ')}`,
	);
	log(
		`lines ${opts.lines.join(', ')}; parts ${opts.parts.join(', ')}; row sources ${opts.sources.join(', ')}; rows ${opts.rows.join(', ')}; runs ${opts.runs ?? '3 (2 at 100k)'}; per-row HTTP at ${opts.httpRows.join(', ') || 'none'}`,
	);
	if (opts.parts.includes('template'))
		log(`template vs text at ${opts.templateRows.join(', ')} rows`);
	if (opts.parts.includes('delivery'))
		log(
			`Get Delivery Report at ${opts.deliveryRows.join(', ')} rows (Merge chain up to ${opts.deliveryMergeMax})`,
		);
	if (opts.parts.includes('webhook'))
		log(
			`webhook burst: ${opts.webhookCalls} calls × ${opts.webhookEntries} entries, ${opts.webhookConcurrency} in flight, ${opts.webhookRuns} runs`,
		);
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
	const opts = parseOptions();
	const started = new Date();
	const load0 = os.loadavg();
	const machine = machineInfo();
	logPlan(opts, machine, load0);
	const distJs = path.join(ROOT, 'dist', 'nodes', 'PickyAssist', 'PickyAssist.node.js');
	if (!fs.existsSync(distJs))
		throw new Error(
			'dist/ is missing: run `npm run build` first (the bench packs the built package)',
		);
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-pack-'));
	// The delivery rows file and the webhook counters, shared by both lines (the sandbox hands out the same ids).
	const dataDir = path.join(packDir, 'data');
	fs.mkdirSync(dataDir, { recursive: true });
	const rowsFileOf = (rows) => path.join(dataDir, `delivery-rows-${rows}.json`);
	const packed = packPackage(packDir);
	log(`packed ${path.basename(packed.tarball)} (${distInfo()})`);

	const sandbox = await startTimedSandbox();
	log(
		`sandbox on ${sandbox.sb.url} (rate limit off${sandbox.timed ? ', server time measured' : ''})`,
	);
	const measurements = [];
	const lineMeta = {};
	let failed = false;
	try {
		const context = { opts, packed, sandbox, dataDir, rowsFileOf, measurements, lineMeta };
		for (const n of opts.lines) failed = (await benchLine(n, context)) || failed;
	} finally {
		await sandbox.sb.close();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
	report({ opts, started, machine, load0, lineMeta, measurements });
	process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
	console.error(process.env.BENCH_DEBUG ? e : `bench: ${e && e.message ? e.message : e}`);
	process.exit(1);
});
