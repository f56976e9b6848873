'use strict';
/**
 * The bench's report: medians per workflow, row count, row source and line; the Markdown section printed and
 * appended to test/bench/RESULTS.md (tables, targets with PASS/MISS, the machine and the package measured).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const { KINDS, SOURCES } = require('./workflows');
const { renderParts, fmt, median } = require('./report-parts');

const ROOT = path.resolve(__dirname, '..', '..');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ------------------------------------------------------------------------------------------------ statistics

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
			parts:
				ms[0].kind === 'diy'
					? Object.fromEntries(
							KINDS.diy.measured.map((n) => [n, median(ok.map((m) => m.parts[n]))]),
						)
					: null,
			errors: ms.filter((m) => !m.ok).map((m) => m.error),
			problems: ok.flatMap((m) => m.problems),
		});
	}
	return rows;
}

// ------------------------------------------------------------------------------------------------ report

const ORDER = ['picky100', 'picky1000', 'template1000', 'diy', 'http', 'pass', 'codepass'];
function lineTable(summary, line, source) {
	const mine = summary
		.filter((s) => s.line === line && s.source === source)
		.sort((a, b) => a.rows - b.rows || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
	const out = [
		'| workflow | rows | runs ok/total | pushes | node time ms (median) | min–max ms | ms per 1k rows | peak RSS MB (median) | ratio to DIY |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const s of mine) {
		const diy = mine.find((d) => d.kind === 'diy' && d.rows === s.rows);
		const ratio = diy && diy.nodeMs && s.nodeMs !== null ? s.nodeMs / diy.nodeMs : null;
		const per1k = s.nodeMs !== null ? (s.nodeMs / s.rows) * 1000 : null;
		let label = KINDS[s.kind].label;
		if (s.kind === 'diy' && s.parts)
			label += ` (${Object.values(s.parts)
				.map((v) => fmt(v))
				.join(' + ')} ms)`;
		if (s.kind === 'http') label += ' ¹';
		const pushes =
			s.pushes.length === 1 ? fmt(s.pushes[0]) : s.pushes.length ? s.pushes.join('/') : '—';
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
		.sort(
			(a, b) =>
				a.source.localeCompare(b.source) ||
				a.rows - b.rows ||
				ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind),
		);
	const out = [
		'| row source | workflow | rows | sandbox time per run ms ² | "Rows" node ms | `n8n execute` wall s |',
		'|---|---|---:|---:|---:|---:|',
	];
	for (const s of mine)
		out.push(
			`| ${s.source} | ${KINDS[s.kind].label} | ${fmt(s.rows)} | ${fmt(s.serverMs)} | ${fmt(s.rowsNodeMs)} | ${fmt(s.wallMs / 1000, 1)} |`,
		);
	return out.join('\n');
}

/**
 * Target 1: every Picky Assist run made the fewest pushes the batch size allows and passed its checks. A number
 * never goes twice into one push (its msg_id could not be told apart), so the n-th row of a number goes in the
 * n-th round of pushes: ⌈rows / batch size⌉ per round. checks.js counts them (its problems name a wrong count).
 */
function pushTarget(measurements, line, source) {
	const name =
		'pushes = ⌈rows / batch size⌉ per round of repeated numbers, exactly (and every row received intact, one accepted item per row)';
	const picky = measurements.filter(
		(m) =>
			m.line === line && m.source === source && (m.kind === 'picky100' || m.kind === 'picky1000'),
	);
	if (!picky.length) return { name, status: 'n/a', detail: 'no Picky Assist run' };
	const bad = picky.filter((m) => !m.ok || m.problems.length);
	const why = (m) =>
		m.ok ? `${m.pushes} pushes; ${m.problems.join('; ')}` : m.error.split('\n')[0];
	const seen = (m) => `${fmt(m.rows)} rows / batch ${KINDS[m.kind].batchSize} → ${m.pushes}`;
	return {
		name,
		status: bad.length ? 'MISS' : 'PASS',
		detail: bad.length
			? bad.map((m) => `${m.kind} ${m.rows} run ${m.run}: ${why(m)}`).join(' | ')
			: `${picky.length} runs: ${[...new Set(picky.map(seen))].join(', ')}`,
	};
}

/**
 * A target "a's `field` ≤ limit × b's": PASS or MISS with both figures, n/a when either was not measured.
 * `outOfReach` adds, next to a MISS of a time, when the sandbox alone already took more than 1.5× b's time: no node
 * that makes those pushes could meet the target (the sandbox answers in this same machine's time).
 */
function ratioTarget(name, a, b, { limit, field = 'nodeMs', unit = 'ms', outOfReach = false }) {
	if (!a || a[field] === null || !b || b[field] === null)
		return { name, status: 'n/a', detail: 'not measured' };
	const r = a[field] / b[field];
	const reach =
		outOfReach && r > limit && a.serverMs !== null && a.serverMs > 1.5 * b.nodeMs
			? `; out of reach for any node that sends the rows: the sandbox alone spent ${fmt(a.serverMs)} ms answering the pushes, more than 1.5× the floor`
			: '';
	return {
		name,
		status: r <= limit ? 'PASS' : 'MISS',
		detail: `${fmt(a[field])} ${unit} vs ${fmt(b[field])} ${unit} → ${fmt(r, 2)}${limit === 1 ? '' : '×'}${reach}`,
	};
}

function targets(summary, measurements, line, source) {
	const get = (kind, rows) =>
		summary.find(
			(s) => s.line === line && s.source === source && s.kind === kind && s.rows === rows,
		);
	const res = [pushTarget(measurements, line, source)];
	for (const kind of ['picky1000', 'picky100']) {
		const b = KINDS[kind].batchSize;
		const p = get(kind, 10000);
		res.push(
			ratioTarget(
				`10k rows, batch ${b}: node time ≤ DIY chain (ratio ≤ 1.0)`,
				p,
				get('diy', 10000),
				{
					limit: 1,
				},
			),
			ratioTarget(`10k rows, batch ${b}: node time ≤ 1.5× pass-through`, p, get('pass', 10000), {
				limit: 1.5,
				outOfReach: true,
			}),
		);
	}
	const p100 = get('picky1000', 100000);
	const f100 = get('pass', 100000);
	const complete = '100k rows complete (batch 1000)';
	res.push(
		!p100
			? { name: complete, status: 'n/a', detail: 'not measured' }
			: {
					name: complete,
					status: p100.okRuns === p100.runs && p100.verified === p100.okRuns ? 'PASS' : 'MISS',
					detail: `${p100.okRuns}/${p100.runs} runs ok, ${p100.verified} verified${p100.errors.length ? `: ${p100.errors[0].split('\n')[0]}` : ''}`,
				},
		ratioTarget('100k rows: node time ≤ 1.5× pass-through', p100, f100, {
			limit: 1.5,
			outOfReach: true,
		}),
		ratioTarget('100k rows: peak RSS ≤ 1.3× the pass-through run', p100, f100, {
			limit: 1.3,
			field: 'peakMb',
			unit: 'MB',
		}),
		scalingTarget(get('picky1000', 10000), p100),
	);
	return res;
}

/** Target 5: from 10k to 100k rows the node time grows at most 12-fold. */
function scalingTarget(p10, p100) {
	const name = '10k → 100k node time within 12× (batch 1000)';
	if (!p10 || p10.nodeMs === null || !p100 || p100.nodeMs === null)
		return { name, status: 'n/a', detail: 'not measured' };
	const r = p100.nodeMs / p10.nodeMs;
	return {
		name,
		status: r <= 12 ? 'PASS' : 'MISS',
		detail: `${fmt(p10.nodeMs)} ms → ${fmt(p100.nodeMs)} ms = ${fmt(r, 1)}×`,
	};
}

function targetTable(ts) {
	return [
		'| target | result | measured |',
		'|---|---|---|',
		...ts.map((t) => `| ${t.name} | **${t.status}** | ${t.detail} |`),
	].join('\n');
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
	const shipped = ['nodes', 'credentials', 'index.ts', 'package.json'];
	const dirty = r(['status', '--porcelain', '--', ...shipped]) !== '';
	return `${head || 'unknown'}${dirty ? ' + uncommitted changes in the package' : ''}`;
}

function distInfo() {
	const f = path.join(
		ROOT,
		'dist',
		'nodes',
		'PickyAssist',
		'actions',
		'message',
		'sendDynamic.operation.js',
	);
	try {
		return `dist built ${fs.statSync(f).mtime.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
	} catch {
		return 'dist missing';
	}
}

// ------------------------------------------------------------------------------------------------ section

const envText = (env) =>
	Object.entries(env)
		.map(([k, v]) => `\`${k}=${v}\``)
		.join(', ');

/** The section's title and its list: machine, package, command, duration (and each line, without a send part). */
function headerLines({ started, opts, args, machine, load0, load1, totalMs, lineMeta }) {
	const allParts = opts.parts.length === 4;
	const full = opts.runs === null && allParts && args.length === 0;
	const mode = opts.quick ? (allParts ? 'quick' : 'quick, custom') : full ? 'full' : 'custom';
	const stamp = started.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
	const loads = (l) => l.map((x) => x.toFixed(2)).join(' ');
	const has = (part, text) => (opts.parts.includes(part) ? text : '');
	const md = [
		`## ${stamp} — ${mode} run, line${opts.lines.length > 1 ? 's' : ''} ${opts.lines.join(' + ')}${allParts ? '' : `, parts: ${opts.parts.join(', ')}`}`,
		'',
		`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb.toFixed(1)} GB RAM, ${machine.os}; load average at start ${loads(load0)}, at end ${loads(load1)}`,
		`- Package: ${gitInfo()}; ${distInfo()}`,
		`- Command: \`node test/bench/run.js ${args.join(' ')}\`; runs ${opts.runs ?? '3 at 1k/10k, 2 at 100k'} (medians reported)` +
			has(
				'send',
				`; send: row sources ${opts.sources.join(', ')}, rows ${opts.rows.join(', ')}, per-row HTTP at ${opts.httpRows.join(', ') || '—'} rows`,
			) +
			has('template', `; template vs text: ${opts.templateRows.join(', ')} rows`) +
			has(
				'delivery',
				`; Get Delivery Report: ${opts.deliveryRows.join(', ')} rows (Merge chain up to ${opts.deliveryMergeMax})`,
			) +
			has(
				'webhook',
				`; webhook burst: ${opts.webhookCalls} calls × ${opts.webhookEntries} entries, ${opts.webhookConcurrency} in flight, ${opts.webhookRuns} run(s) per workflow`,
			),
		`- Bench duration: ${secs(totalMs)}${Object.entries(lineMeta)
			.map(([n, m]) => `; line ${n} ${m.durationMs ? secs(m.durationMs) : 'failed'}`)
			.join('')}`,
	];
	if (!opts.parts.includes('send'))
		for (const [n, meta] of Object.entries(lineMeta))
			md.push(
				`- Line ${n}: n8n ${meta.n8nVersion} on Node ${meta.nodeVersion}${meta.setupError ? ` — **setup failed:** ${meta.setupError.split('\n')[0]}` : ''}; environment beyond the e2e defaults: ${envText(meta.env)}`,
			);
	return md;
}

/** The send part of one line: per row source its table and targets, then the context table and the failures. */
function sendLineSection(n, meta, { opts, measurements, summary }) {
	const line = Number(n);
	const md = ['', `### Line ${n}: n8n ${meta.n8nVersion} on Node ${meta.nodeVersion}`, ''];
	md.push(`Environment beyond the e2e defaults: ${envText(meta.env)}`);
	if (meta.setupError) return [...md, '', `**Setup failed:** ${meta.setupError.split('\n')[0]}`];
	for (const source of opts.sources)
		md.push(
			...['', `#### Rows: ${SOURCES[source].label} (\`${source}\`)`, ''],
			...[lineTable(summary, line, source), ''],
			targetTable(targets(summary, measurements, line, source)),
		);
	md.push(
		'',
		'<details><summary>Context: sandbox time, the Rows node, CLI wall time</summary>',
		'',
	);
	md.push(contextTable(summary, line), '', '</details>');
	const errs = summary.filter((s) => s.line === line && (s.errors.length || s.problems.length));
	if (errs.length) md.push('', 'Failures:');
	for (const s of errs)
		md.push(
			`- ${s.source} ${s.kind} ${s.rows}: ${[...s.errors.map((e) => e.split('\n')[0]), ...s.problems].join(' | ')}`,
		);
	return md;
}

const SEND_NOTE =
	'Node time: `runData[<node>][0].executionTime` (DIY: Code + HTTP Request + Split Out, their medians shown in brackets). ' +
	'Pushes: counted by the sandbox. Peak RSS: the `n8n execute` process plus its children (task runner on 2.x), the larger of ' +
	'its exact maxRSS and the highest sampled sum (50 ms). ¹ per-row HTTP runs at the row counts listed above only; its ms per 1k rows ' +
	'is measured there (not run at 100k). ² sum of the time the in-process sandbox spent on each request (headers in → answer out), ' +
	'included in the node time of the sequential Picky Assist node.';

/**
 * The dated Markdown section of one bench run. run: { started, opts, args (the command line), machine, load0,
 * load1, totalMs, lineMeta, measurements, summary }.
 */
function renderSection(run) {
	const { opts, lineMeta, measurements } = run;
	const send = opts.parts.includes('send');
	const md = headerLines(run);
	if (send)
		for (const [n, meta] of Object.entries(lineMeta)) md.push(...sendLineSection(n, meta, run));
	const parts = renderParts({ measurements, lineMeta, opts });
	if (parts) md.push('', parts);
	md.push('');
	if (send) md.push(SEND_NOTE);
	else if (opts.parts.includes('template') || opts.parts.includes('delivery'))
		md.push(
			'Node time: `runData[<node>][0].executionTime`, summed over the nodes of a DIY chain; medians with min–max.',
		);
	return md.join('\n');
}

module.exports = { summarise, renderSection, machineInfo, distInfo, fmt };
