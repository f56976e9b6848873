'use strict';
/**
 * The bench's report: the dated Markdown section printed and appended to test/bench/RESULTS.md. The send part gets
 * one table and one target table per line and row source; template, delivery and webhook show the two lines side
 * by side. Targets are PASS or MISS from medians; a target nothing was measured for is n/a, never a PASS.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const { KINDS, SOURCES } = require('./workflows');
const { DR_KINDS, PER_PUSH } = require('./delivery');
const { WH_KINDS } = require('./webhook');

const ROOT = path.resolve(__dirname, '..', '..');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const firstLine = (text) => String(text).split('\n')[0];
const notMeasured = (name) => ({ name, status: 'n/a', detail: 'not measured' });
const joinOr = (xs, sep) => xs.filter(Boolean).join(sep) || '—';

// ------------------------------------------------------------------------------------------------ figures

const fmt = (x, d = 0) =>
	x === null || x === undefined || Number.isNaN(x)
		? '—'
		: x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function median(xs) {
	const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return !s.length ? null : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** median, min, max of a field over the ok runs, and how many runs there were, ok and verified. */
function stats(ms, field = 'nodeMs') {
	const ok = ms.filter((m) => m.ok);
	const xs = ok.map((m) => m[field]).filter((x) => typeof x === 'number' && Number.isFinite(x));
	const [min, max] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [null, null];
	const verified = ok.filter((m) => !m.problems || m.problems.length === 0).length;
	return { runs: ms.length, ok: ok.length, verified, median: median(xs), min, max };
}

/** The send and template measurements grouped per line, source, workflow and row count (the --json summary). */
function summarise(measurements) {
	const groups = new Map();
	for (const m of measurements) {
		const key = `${m.line}|${m.source}|${m.kind}|${m.rows}`;
		groups.set(key, [...(groups.get(key) ?? []), m]);
	}
	return [...groups.values()].map((ms) => {
		const ok = ms.filter((m) => m.ok);
		const medianOf = (value) => median(ok.map(value));
		const [{ line, source, kind, rows }] = ms;
		const s = stats(ms);
		return {
			...{ line, source, kind, rows, runs: ms.length, okRuns: ok.length, verified: s.verified },
			...{ pushes: [...new Set(ok.map((m) => m.pushes))], nodeMs: s.median, minMs: s.min },
			...{ maxMs: s.max, peakMb: medianOf((m) => m.memory && m.memory.peakKb / 1024) },
			...{ rowsNodeMs: medianOf((m) => m.rowsNodeMs), serverMs: medianOf((m) => m.serverMs) },
			wallMs: median(ms.map((m) => m.wallMs)),
			parts:
				kind === 'diy'
					? Object.fromEntries(KINDS.diy.measured.map((n) => [n, medianOf((m) => m.parts[n])]))
					: null,
			errors: ms.filter((m) => !m.ok).map((m) => m.error),
			problems: ok.flatMap((m) => m.problems),
		};
	});
}

// ------------------------------------------------------------------------------------------------ tables

/** A Markdown table: the header cells separated by '|', one alignment letter per column (l, r), rows of cells. */
const mdTable = (head, align, rows) =>
	[
		`| ${head.split('|').join(' | ')} |`,
		`|${[...align].map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`,
		...rows.map((cells) => `| ${cells.join(' | ')} |`),
	].join('\n');

/** PASS when no run failed, found a problem or `isBad`, with `passDetail`; else MISS naming each such run. */
function everyRunPasses(ms, { isBad = () => false, why, prefix = () => '' }, passDetail) {
	const bad = ms.filter((m) => !m.ok || m.problems.length || isBad(m));
	if (!bad.length) return { status: 'PASS', detail: passDetail };
	const whyOf = (m) => prefix(m) + (m.ok ? why(m) : firstLine(m.error));
	return { status: 'MISS', detail: bad.map(whyOf).join(' | ') };
}

/** "a ≤ limit × b" on medians, for the side-by-side parts. */
function ratioResult(a, b, limit, what) {
	if (!a || a.median === null || !b || b.median === null) return notMeasured();
	const r = a.median / b.median;
	const detail = `${fmt(r, 2)}× (${fmt(a.median)} vs ${fmt(b.median)} ms${what ? `, ${what}` : ''})`;
	return { status: r <= limit ? 'PASS' : 'MISS', detail };
}

// ------------------------------------------------------------------------------------------------ send

const ORDER = ['picky100', 'picky1000', 'template1000', 'diy', 'http', 'pass', 'codepass'];
const byRowsAndKind = (a, b) => a.rows - b.rows || ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind);

function lineTable(summary, line, source) {
	const mine = summary.filter((s) => s.line === line && s.source === source).sort(byRowsAndKind);
	const rows = mine.map((s) => {
		const diy = mine.find((d) => d.kind === 'diy' && d.rows === s.rows);
		const ratio = diy && diy.nodeMs && s.nodeMs !== null ? s.nodeMs / diy.nodeMs : null;
		const diyParts =
			s.kind === 'diy' && s.parts
				? ` (${Object.values(s.parts)
						.map((v) => fmt(v))
						.join(' + ')} ms)`
				: '';
		const failedChecks = s.verified < s.okRuns ? ` (${s.okRuns - s.verified} failed checks)` : '';
		const per1k = s.nodeMs === null ? null : (s.nodeMs / s.rows) * 1000;
		return [
			`${KINDS[s.kind].label}${diyParts}${s.kind === 'http' ? ' ¹' : ''}`,
			...[fmt(s.rows), `${s.okRuns}/${s.runs}${failedChecks}`],
			s.pushes.length === 1 ? fmt(s.pushes[0]) : s.pushes.join('/') || '—',
			...[fmt(s.nodeMs), `${fmt(s.minMs)}–${fmt(s.maxMs)}`, fmt(per1k, 1), fmt(s.peakMb)],
			ratio === null ? '—' : s.kind === 'diy' ? '1.00' : fmt(ratio, 2),
		];
	});
	const head =
		'workflow|rows|runs ok/total|pushes|node time ms (median)|min–max ms|ms per 1k rows|peak RSS MB (median)|ratio to DIY';
	return mdTable(head, 'lrrrrrrrr', rows);
}

function contextTable(summary, line) {
	const mine = summary
		.filter((s) => s.line === line)
		.sort((a, b) => a.source.localeCompare(b.source) || byRowsAndKind(a, b));
	const head =
		'row source|workflow|rows|sandbox time per run ms ²|"Rows" node ms|`n8n execute` wall s';
	const cells = (s) => [
		s.source,
		KINDS[s.kind].label,
		fmt(s.rows),
		fmt(s.serverMs),
		fmt(s.rowsNodeMs),
	];
	return mdTable(
		head,
		'llrrrr',
		mine.map((s) => [...cells(s), fmt(s.wallMs / 1000, 1)]),
	);
}

/**
 * Every Picky Assist run made the fewest pushes the batch size allows and passed its checks. A number never goes
 * twice into one push (its msg_id could not be told apart), so the n-th row of a number goes in the n-th round of
 * pushes: ⌈rows / batch size⌉ per round. checks.js counts them (its problems name a wrong count).
 */
function pushTarget(measurements, line, source) {
	const name =
		'pushes = ⌈rows / batch size⌉ per round of repeated numbers, exactly (and every row received intact, one accepted item per row)';
	const picky = measurements.filter(
		(m) => m.line === line && m.source === source && ['picky100', 'picky1000'].includes(m.kind),
	);
	if (!picky.length) return { name, status: 'n/a', detail: 'no Picky Assist run' };
	const seen = (m) => `${fmt(m.rows)} rows / batch ${KINDS[m.kind].batchSize} → ${m.pushes}`;
	const why = (m) => `${m.pushes} pushes; ${m.problems.join('; ')}`;
	const prefix = (m) => `${m.kind} ${m.rows} run ${m.run}: `;
	const passDetail = `${picky.length} runs: ${[...new Set(picky.map(seen))].join(', ')}`;
	return { name, ...everyRunPasses(picky, { why, prefix }, passDetail) };
}

/**
 * A target "a's `field` ≤ limit × b's": PASS or MISS with both figures, n/a when either was not measured.
 * `outOfReach` adds, next to a MISS of a time, when the sandbox alone already took more than 1.5× b's time: no node
 * that makes those pushes could meet the target (the sandbox answers in this same machine's time).
 */
function ratioTarget(name, a, b, { limit, field = 'nodeMs', unit = 'ms', outOfReach = false }) {
	if (!a || a[field] === null || !b || b[field] === null) return notMeasured(name);
	const r = a[field] / b[field];
	const reach =
		outOfReach && r > limit && a.serverMs !== null && a.serverMs > 1.5 * b.nodeMs
			? `; out of reach for any node that sends the rows: the sandbox alone spent ${fmt(a.serverMs)} ms answering the pushes, more than 1.5× the floor`
			: '';
	const detail = `${fmt(a[field])} ${unit} vs ${fmt(b[field])} ${unit} → ${fmt(r, 2)}${limit === 1 ? '' : '×'}${reach}`;
	return { name, status: r <= limit ? 'PASS' : 'MISS', detail };
}

function sendTargets(summary, measurements, line, source) {
	const get = (kind, rows) =>
		summary.find(
			(s) => s.line === line && s.source === source && s.kind === kind && s.rows === rows,
		);
	const targets = [pushTarget(measurements, line, source)];
	for (const kind of ['picky1000', 'picky100']) {
		const [b, p] = [KINDS[kind].batchSize, get(kind, 10000)];
		const diyName = `10k rows, batch ${b}: node time ≤ DIY chain (ratio ≤ 1.0)`;
		const passName = `10k rows, batch ${b}: node time ≤ 1.5× pass-through`;
		targets.push(
			ratioTarget(diyName, p, get('diy', 10000), { limit: 1 }),
			ratioTarget(passName, p, get('pass', 10000), { limit: 1.5, outOfReach: true }),
		);
	}
	const [p10, p100, f100] = [
		get('picky1000', 10000),
		get('picky1000', 100000),
		get('pass', 100000),
	];
	const complete = notMeasured('100k rows complete (batch 1000)');
	if (p100)
		Object.assign(complete, {
			status: p100.okRuns === p100.runs && p100.verified === p100.okRuns ? 'PASS' : 'MISS',
			detail: `${p100.okRuns}/${p100.runs} runs ok, ${p100.verified} verified${p100.errors.length ? `: ${firstLine(p100.errors[0])}` : ''}`,
		});
	const scaling = notMeasured('10k → 100k node time within 12× (batch 1000)');
	if (p10 && p10.nodeMs !== null && p100 && p100.nodeMs !== null) {
		const r = p100.nodeMs / p10.nodeMs;
		scaling.status = r <= 12 ? 'PASS' : 'MISS';
		scaling.detail = `${fmt(p10.nodeMs)} ms → ${fmt(p100.nodeMs)} ms = ${fmt(r, 1)}×`;
	}
	const [timeName, rssName] = [
		'node time ≤ 1.5× pass-through',
		'peak RSS ≤ 1.3× the pass-through run',
	];
	targets.push(
		complete,
		ratioTarget(`100k rows: ${timeName}`, p100, f100, { limit: 1.5, outOfReach: true }),
		ratioTarget(`100k rows: ${rssName}`, p100, f100, { limit: 1.3, field: 'peakMb', unit: 'MB' }),
		scaling,
	);
	return mdTable(
		'target|result|measured',
		'lll',
		targets.map((t) => [t.name, `**${t.status}**`, t.detail]),
	);
}

/** The send part of one line: per row source its table and targets, then the context table and the failures. */
function sendLineSection(n, meta, { opts, measurements, summary }) {
	const line = Number(n);
	const md = ['', `### Line ${n}: n8n ${meta.n8nVersion} on Node ${meta.nodeVersion}`, ''];
	md.push(`Environment beyond the e2e defaults: ${envText(meta.env)}`);
	if (meta.setupError) return [...md, '', `**Setup failed:** ${firstLine(meta.setupError)}`];
	for (const source of opts.sources) {
		const table = lineTable(summary, line, source);
		const targets = sendTargets(summary, measurements, line, source);
		md.push('', `#### Rows: ${SOURCES[source].label} (\`${source}\`)`, '', table, '', targets);
	}
	md.push('', '<details><summary>Context: sandbox time, the Rows node, CLI wall time</summary>');
	md.push('', contextTable(summary, line), '', '</details>');
	const errs = summary.filter((s) => s.line === line && (s.errors.length || s.problems.length));
	if (errs.length) md.push('', 'Failures:');
	for (const s of errs)
		md.push(
			`- ${s.source} ${s.kind} ${s.rows}: ${[...s.errors.map(firstLine), ...s.problems].join(' | ')}`,
		);
	return md;
}

// ------------------------------------------------------------------------------------------------ side by side

/** A table with a column per line; `rows`: { head: [cells], cell: (line) => text }. */
const sideBySide = (header, lines, rows) =>
	mdTable(
		[header, ...lines.map((l) => l.title)].join('|'),
		'll' + 'r'.repeat(lines.length),
		rows.map((r) => [...r.head, ...lines.map((l) => r.cell(l.n))]),
	);

/** The targets with a column per line; `result(line)` null shows n/a. */
function targetTable(lines, targets) {
	const cell = (r) => (r ? `**${r.status}** ${r.detail}` : 'n/a');
	const rows = targets.map((t) => [t.name, ...lines.map((l) => cell(t.result(l.n)))]);
	return mdTable(
		['target', ...lines.map((l) => l.title)].join('|'),
		'l'.repeat(lines.length + 1),
		rows,
	);
}

/** A block of the side-by-side parts: title, figures, targets and notes. */
const block = (title, header, lines, table, targets, ...notes) =>
	[title, '', sideBySide(header, lines, table), '', targetTable(lines, targets), ...notes].join(
		'\n',
	);

function cellMs(s) {
	if (s.median === null) return s.runs ? `failed (${s.runs - s.ok}/${s.runs} runs)` : '—';
	const failedChecks = s.verified < s.ok ? `, ${s.ok - s.verified} failed checks` : '';
	return `${fmt(s.median)} ms (${fmt(s.min)}–${fmt(s.max)}, ${s.ok}/${s.runs} runs${failedChecks})`;
}

function templateSection(measurements, lines, templateRows) {
	const runsOf = (n, kind, rows) =>
		measurements.filter(
			(m) => m.line === n && m.source === 'table' && m.kind === kind && m.rows === rows,
		);
	const get = (n, kind, rows) => stats(runsOf(n, kind, rows));
	const rowsList = templateRows.filter((rows) =>
		measurements.some((m) => m.kind === 'template1000' && m.rows === rows),
	);
	if (!rowsList.length) return '';
	const text =
		'Content "Text": message `Hi {{ $json.name }}, your order {{ $json.order }} is ready 🎉`';
	const template = 'Content "WhatsApp Template": variables `{{ $json.name }}`, `{{ $json.order }}`';
	const ratio = (a, b) => (a.median !== null && b.median ? `${fmt(a.median / b.median, 2)}×` : '—');
	const table = rowsList.flatMap((rows) => [
		{ head: [fmt(rows), text], cell: (n) => cellMs(get(n, 'picky1000', rows)) },
		{ head: [fmt(rows), template], cell: (n) => cellMs(get(n, 'template1000', rows)) },
		{
			head: [fmt(rows), 'ratio Template / Text'],
			cell: (n) => ratio(get(n, 'template1000', rows), get(n, 'picky1000', rows)),
		},
	]);
	// The push count is checked by checks.js, rounds of repeated numbers included.
	const pushResult = (ms) => {
		if (!ms.length) return null;
		const r = everyRunPasses(
			ms,
			{ why: (m) => m.problems.join('; ') },
			`${ms.length} runs, ${ms[0].pushes} pushes each`,
		);
		return { ...r, detail: r.detail.slice(0, 400) };
	};
	const targets = rowsList.flatMap((rows) => [
		{
			name: `${fmt(rows)} rows: Template node time ≤ 1.1× Text`,
			result: (n) => ratioResult(get(n, 'template1000', rows), get(n, 'picky1000', rows), 1.1),
		},
		{
			name: `${fmt(rows)} rows: every template push carries template_id and language, each row exactly its two values; pushes = ⌈rows / 1000⌉; one accepted item per row`,
			result: (n) => pushResult(runsOf(n, 'template1000', rows)),
		},
	]);
	const title = '### WhatsApp Template vs Text, rows as plain objects (batch 1000)';
	return block(title, 'rows|workflow (node time)', lines, table, targets);
}

/** The rows of the delivery table at one row count. `runsOf(n, kind)` gives a line's runs of a workflow. */
function deliveryRowsAt(rows, dm, runsOf) {
	const row = (what, cell) => ({
		head: [`${fmt(rows)} (${fmt(rows / PER_PUSH)} pushes)`, what],
		cell,
	});
	const okRuns = (n, kind) => runsOf(n, kind).filter((m) => m.ok);
	const calls = (n, kind) =>
		[...new Set(okRuns(n, kind).map((m) => m.reportCalls))].join('/') || '—';
	const medianOf = (n, kind, value) => median(okRuns(n, kind).map(value));
	const peakMb = (m) => m.memory.peakKb / 1024;
	const diyParts = (n, kind) => {
		const parts = DR_KINDS[kind].measured.map((name) =>
			fmt(medianOf(n, kind, (m) => m.parts[name])),
		);
		return okRuns(n, kind).length
			? `${kind === 'drCode' ? 'Code join' : 'Merge'}: ${parts.join(' + ')}`
			: null;
	};
	const workflowRow = (kind) =>
		row(DR_KINDS[kind].label, (n) => {
			const s = stats(runsOf(n, kind));
			return s.runs ? `${cellMs(s)}; ${calls(n, kind)} calls` : '—';
		});
	const nodePeak = (n) =>
		stats(runsOf(n, 'drNode')).median === null ? null : medianOf(n, 'drNode', peakMb);
	return [
		...Object.keys(DR_KINDS)
			.filter((kind) => dm.some((m) => m.kind === kind && m.rows === rows))
			.map(workflowRow),
		row('DIY parts (median ms)', (n) =>
			joinOr([diyParts(n, 'drCode'), diyParts(n, 'drMerge')], '; '),
		),
		row(
			'sandbox time answering the reports, node run (median)',
			(n) => `${fmt(medianOf(n, 'drNode', (m) => m.serverMs))} ms`,
		),
		row(
			'peak RSS, node run / DIY Code-join run (median)',
			(n) => `${fmt(nodePeak(n))} / ${fmt(medianOf(n, 'drCode', peakMb))} MB`,
		),
	];
}

/** The delivery targets at one row count: one report call per push, and the node against the fastest DIY chain. */
function deliveryTargetsAt(rows, runsOf) {
	const pushes = rows / PER_PUSH;
	const callsResult = (n) => {
		const ms = runsOf(n, 'drNode');
		if (!ms.length) return null;
		const isBad = (m) => m.reportCalls !== pushes;
		const why = (m) => `${m.reportCalls} calls; ${m.problems.join('; ')}`;
		const r = everyRunPasses(ms, { isBad, why }, `${ms.length} runs × ${fmt(pushes)} calls`);
		return { ...r, detail: r.detail.slice(0, 400) };
	};
	const fastestResult = (n) => {
		const node = stats(runsOf(n, 'drNode'));
		const diys = ['drCode', 'drMerge']
			.map((k) => ({ k, s: stats(runsOf(n, k)) }))
			.filter((d) => d.s.median !== null && d.s.verified === d.s.ok)
			.sort((a, b) => a.s.median - b.s.median);
		if (!diys.length) return { status: 'n/a', detail: 'no DIY run' };
		const [best, ...others] = diys;
		const r = ratioResult(node, best.s, 1.0, best.k === 'drCode' ? 'Code join' : 'Merge');
		const vsOthers = others.map((d) => `; ${fmt(node.median / d.s.median, 2)}× the Merge chain`);
		return { ...r, detail: r.detail + vsOthers.join('') };
	};
	return [
		{
			name: `${fmt(rows)} rows: delivery-report calls at the sandbox = ${fmt(pushes)} exactly (one per push), every row answered with its status`,
			result: callsResult,
		},
		{
			name: `${fmt(rows)} rows: node time ≤ 1.0× the fastest DIY chain measured`,
			result: fastestResult,
		},
	];
}

function deliverySection(measurements, lines, { deliveryRows, deliveryMergeMax }) {
	const dm = measurements.filter((m) => m.part === 'delivery');
	if (!dm.length) return '';
	const runsAt = (rows) => (n, kind) =>
		dm.filter((m) => m.line === n && m.kind === kind && m.rows === rows);
	const table = deliveryRows.flatMap((rows) => deliveryRowsAt(rows, dm, runsAt(rows)));
	const targets = deliveryRows.flatMap((rows) => deliveryTargetsAt(rows, runsAt(rows)));
	const title = '### Get Delivery Report, rows as plain objects ({push_id, msg_id}, 500 per push)';
	const note =
		`The Merge chain runs only up to ${fmt(deliveryMergeMax)} rows (--delivery-merge-max): n8n's Merge node (v3, combine ` +
		'by field) compares every input-1 item with every input-2 item, so its time grows with the square of the rows. ' +
		'"DIY parts" are Code + HTTP Request + Split Out + the join.';
	return block(title, 'rows|workflow (node time)', lines, table, targets, '', note);
}

/** The rows of the webhook table for one workflow. */
function webhookRowsOf(kind, wm, calls) {
	const runsOf = (n) => wm.filter((m) => m.line === n && m.kind === kind);
	const get = (n, field) => stats(runsOf(n), field);
	const row = (what, cell) => ({ head: [WH_KINDS[kind].label, what], cell });
	const perSecond = (s) => (s.median ? fmt((calls / s.median) * 1000) : '—');
	const latency = (p50, p99) =>
		p50.median === null ? '—' : `${fmt(p50.median, 1)} / ${fmt(p99.median, 1)} ms`;
	const msOrDash = (s) => (s.median === null ? '—' : `${fmt(s.median)} ms`);
	const lost = (m) => `${m.lost} (${m.non2xx} / ${m.errors} / ${m.missingExecutions})`;
	return [
		row('time to accept the burst', (n) => cellMs(get(n, 'acceptMs'))),
		row('calls per second (median run)', (n) => perSecond(get(n, 'acceptMs'))),
		row('latency per call p50 / p99 (median of runs)', (n) =>
			latency(get(n, 'latencyP50'), get(n, 'latencyP99')),
		),
		row('until every execution had run', (n) => msOrDash(get(n, 'allDoneMs'))),
		row(
			'lost calls (non-2xx / no answer / execution or entries missing)',
			(n) => runsOf(n).map(lost).join(', ') || '—',
		),
	];
}

/** Per line: no call lost in any burst (a MISS too when the part could not run). */
function lostCallsResult(wm, errs, n) {
	const e = errs.find((m) => m.line === n);
	if (e) return { status: 'MISS', detail: `not run: ${firstLine(e.error).slice(0, 300)}` };
	const ms = wm.filter((m) => m.line === n);
	if (!ms.length) return null;
	const [lost, calls] = ['lost', 'calls'].map((field) => ms.reduce((a, m) => a + m[field], 0));
	const first = ms.find((m) => m.badSample.length);
	const example = first ? `; e.g. ${JSON.stringify(first.badSample[0]).slice(0, 200)}` : '';
	return {
		status: lost ? 'MISS' : 'PASS',
		detail: `${fmt(lost)} of ${fmt(calls)} calls lost${example}`,
	};
}

function webhookSection(measurements, lines, opts) {
	const wm = measurements.filter((m) => m.part === 'webhook');
	const errs = measurements.filter((m) => m.part === 'webhook-error');
	if (!wm.length && !errs.length) return '';
	const accept = (n, kind) =>
		stats(
			wm.filter((m) => m.line === n && m.kind === kind),
			'acceptMs',
		);
	const table = Object.keys(WH_KINDS)
		.filter((k) => wm.some((m) => m.kind === k))
		.flatMap((kind) => webhookRowsOf(kind, wm, opts.webhookCalls));
	const serverPeak = (m) => (m ? `${fmt(m.serverPeakMb)} MB` : '—');
	table.push({
		head: ['n8n server', 'peak RSS over all bursts (process group)'],
		cell: (n) => serverPeak(wm.find((x) => x.line === n && x.serverPeakMb)),
	});
	const targets = [
		{
			name: 'lost calls = 0, every workflow (every call 2xx, its execution counted with all its entries)',
			result: (n) => lostCallsResult(wm, errs, n),
		},
		{
			name: 'time to accept the burst: Picky Assist Trigger ≤ 1.2× the Webhook node',
			result: (n) =>
				wm.some((m) => m.line === n)
					? ratioResult(accept(n, 'whTrigger'), accept(n, 'whWebhook'), 1.2)
					: null,
		},
	];
	const title = `### Webhook burst: ${fmt(opts.webhookCalls)} Event Webhook calls × ${opts.webhookEntries} entries, ${opts.webhookConcurrency} in flight, into an active workflow (n8n server)`;
	return block(title, 'workflow|figure', lines, table, targets);
}

// ------------------------------------------------------------------------------------------------ section

function machineInfo() {
	const [cpu] = os.cpus();
	const cores = os.cpus().length;
	const osName = `${os.type()} ${os.release()}`;
	return {
		cpu: cpu ? cpu.model.trim() : 'unknown',
		cores,
		ramGb: os.totalmem() / 1024 ** 3,
		os: osName,
	};
}

function gitInfo() {
	const git = (args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
	const shipped = ['nodes', 'credentials', 'index.ts', 'package.json'];
	const dirty = git(['status', '--porcelain', '--', ...shipped]) !== '';
	return `${git(['rev-parse', '--short', 'HEAD']) || 'unknown'}${dirty ? ' + uncommitted changes in the package' : ''}`;
}

function distInfo() {
	const f = path.join(ROOT, 'dist/nodes/PickyAssist/actions/message/sendDynamic.operation.js');
	if (!fs.existsSync(f)) return 'dist missing';
	return `dist built ${fs.statSync(f).mtime.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

const envText = (env) =>
	Object.entries(env)
		.map(([k, v]) => `\`${k}=${v}\``)
		.join(', ');

/** What ran, after the command: the parts' sizes. */
function commandDetails(o) {
	const details = {
		send: `; send: row sources ${o.sources.join(', ')}, rows ${o.rows.join(', ')}, per-row HTTP at ${o.httpRows.join(', ') || '—'} rows`,
		template: `; template vs text: ${o.templateRows.join(', ')} rows`,
		delivery: `; Get Delivery Report: ${o.deliveryRows.join(', ')} rows (Merge chain up to ${o.deliveryMergeMax})`,
		webhook: `; webhook burst: ${o.webhookCalls} calls × ${o.webhookEntries} entries, ${o.webhookConcurrency} in flight, ${o.webhookRuns} run(s) per workflow`,
	};
	return Object.keys(details)
		.map((part) => (o.parts.includes(part) ? details[part] : ''))
		.join('');
}

/** The section's title and its list: machine, package, command, duration (and each line, without a send part). */
function headerLines({ started, opts, args, machine, load0, load1, totalMs, lineMeta }) {
	const allParts = opts.parts.length === 4;
	const full = opts.runs === null && allParts && args.length === 0;
	const mode = opts.quick ? (allParts ? 'quick' : 'quick, custom') : full ? 'full' : 'custom';
	const stamp = started.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
	const loads = (l) => l.map((x) => x.toFixed(2)).join(' ');
	const metas = Object.entries(lineMeta);
	const durations = metas.map(
		([n, m]) => `; line ${n} ${m.durationMs ? secs(m.durationMs) : 'failed'}`,
	);
	const setupFailed = (m) =>
		m.setupError ? ` — **setup failed:** ${firstLine(m.setupError)}` : '';
	return [
		`## ${stamp} — ${mode} run, line${opts.lines.length > 1 ? 's' : ''} ${opts.lines.join(' + ')}${allParts ? '' : `, parts: ${opts.parts.join(', ')}`}`,
		'',
		`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb.toFixed(1)} GB RAM, ${machine.os}; load average at start ${loads(load0)}, at end ${loads(load1)}`,
		`- Package: ${gitInfo()}; ${distInfo()}`,
		`- Command: \`node test/bench/run.js ${args.join(' ')}\`; runs ${opts.runs ?? '3 at 1k/10k, 2 at 100k'} (medians reported)${commandDetails(opts)}`,
		`- Bench duration: ${secs(totalMs)}${durations.join('')}`,
		...(opts.parts.includes('send') ? [] : metas).map(
			([n, m]) =>
				`- Line ${n}: n8n ${m.n8nVersion} on Node ${m.nodeVersion}${setupFailed(m)}; environment beyond the e2e defaults: ${envText(m.env)}`,
		),
	];
}

const SEND_NOTE =
	'Node time: `runData[<node>][0].executionTime` (DIY: Code + HTTP Request + Split Out, their medians shown in brackets). ' +
	'Pushes: counted by the sandbox. Peak RSS: the `n8n execute` process plus its children (task runner on 2.x), the larger of ' +
	'its exact maxRSS and the highest sampled sum (50 ms). ¹ per-row HTTP runs at the row counts listed above only; its ms per 1k rows ' +
	'is measured there (not run at 100k). ² sum of the time the in-process sandbox spent on each request (headers in → answer out), ' +
	'included in the node time of the sequential Picky Assist node.';
const PARTS_NOTE =
	'Node time: `runData[<node>][0].executionTime`, summed over the nodes of a DIY chain; medians with min–max.';

/**
 * The dated Markdown section of one bench run. run: { started, opts, args (the command line), machine, load0,
 * load1, totalMs, lineMeta, measurements, summary }.
 */
function renderSection(run) {
	const { opts, lineMeta, measurements } = run;
	const has = (part) => opts.parts.includes(part);
	const md = headerLines(run);
	if (has('send'))
		for (const [n, meta] of Object.entries(lineMeta)) md.push(...sendLineSection(n, meta, run));
	const lines = Object.entries(lineMeta).map(([n, m]) => ({
		n: Number(n),
		title: `n8n ${m.n8nVersion} / Node ${String(m.nodeVersion).replace(/^v/, '').split('.')[0]}`,
	}));
	const parts = [
		has('template') ? templateSection(measurements, lines, opts.templateRows) : '',
		has('delivery') ? deliverySection(measurements, lines, opts) : '',
		has('webhook') ? webhookSection(measurements, lines, opts) : '',
	].filter(Boolean);
	if (parts.length) md.push('', parts.join('\n\n'));
	md.push('');
	if (has('send') || has('template') || has('delivery'))
		md.push(has('send') ? SEND_NOTE : PARTS_NOTE);
	return md.join('\n');
}

module.exports = { summarise, renderSection, commandDetails, machineInfo, distInfo, fmt };
