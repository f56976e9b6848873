'use strict';
/**
 * The report of the bench parts added after the send benchmark — WhatsApp Template vs Text, Get Delivery Report,
 * the webhook burst — each as one Markdown block with the two n8n lines side by side: a table of the figures
 * (medians, min–max) and a table of targets with PASS/MISS per line.
 */
const { DR_KINDS, PER_PUSH } = require('./delivery');
const { WH_KINDS } = require('./webhook');

const fmt = (x, d = 0) =>
	x === null || x === undefined || Number.isNaN(x)
		? '—'
		: x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function median(xs) {
	const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (!s.length) return null;
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** median, min, max of a field over the ok runs; plus runs ok / total and the problems. */
function stats(ms, field = 'nodeMs') {
	const ok = ms.filter((m) => m.ok);
	const xs = ok.map((m) => m[field]).filter((x) => typeof x === 'number' && Number.isFinite(x));
	return {
		runs: ms.length,
		ok: ok.length,
		verified: ok.filter((m) => !m.problems || m.problems.length === 0).length,
		median: median(xs),
		min: xs.length ? Math.min(...xs) : null,
		max: xs.length ? Math.max(...xs) : null,
		problems: ms.flatMap((m) => [
			...(m.ok ? [] : [String(m.error || 'failed').split('\n')[0]]),
			...(m.problems || []),
		]),
	};
}

const cellMs = (s) =>
	s.median === null
		? s.runs
			? `failed (${s.runs - s.ok}/${s.runs} runs)`
			: '—'
		: `${fmt(s.median)} ms (${fmt(s.min)}–${fmt(s.max)}, ${s.ok}/${s.runs} runs${s.verified < s.ok ? `, ${s.ok - s.verified} failed checks` : ''})`;

function sideBySide(header, lines, rows) {
	const out = [
		`| ${header.join(' | ')} | ${lines.map((l) => l.title).join(' | ')} |`,
		`|${header.map(() => '---').join('|')}|${lines.map(() => '---:').join('|')}|`,
	];
	for (const r of rows)
		out.push(`| ${r.head.join(' | ')} | ${lines.map((l) => r.cell(l.n)).join(' | ')} |`);
	return out.join('\n');
}

function targetTable(lines, targets) {
	const out = [
		`| target | ${lines.map((l) => l.title).join(' | ')} |`,
		`|---|${lines.map(() => '---').join('|')}|`,
	];
	for (const t of targets)
		out.push(
			`| ${t.name} | ${lines
				.map((l) => {
					const r = t.result(l.n);
					return r ? `**${r.status}** ${r.detail}` : 'n/a';
				})
				.join(' | ')} |`,
		);
	return out.join('\n');
}

const ratioResult = (a, b, limit, what) => {
	if (!a || a.median === null || !b || b.median === null)
		return { status: 'n/a', detail: 'not measured' };
	const r = a.median / b.median;
	return {
		status: r <= limit ? 'PASS' : 'MISS',
		detail: `${fmt(r, 2)}× (${fmt(a.median)} vs ${fmt(b.median)} ms${what ? `, ${what}` : ''})`,
	};
};

// ------------------------------------------------------------------------------------------------ template

/** Per line, whether every template run sent ⌈rows / 1000⌉ pushes and passed its checks. */
function templatePushResult(measurements, n, rows) {
	const ms = measurements.filter(
		(m) => m.line === n && m.source === 'table' && m.kind === 'template1000' && m.rows === rows,
	);
	if (!ms.length) return null;
	// The push count is checked by checks.js, rounds of repeated numbers included.
	const bad = ms.filter((m) => !m.ok || m.problems.length);
	const why = (m) => (m.ok ? m.problems.join('; ') : String(m.error).split('\n')[0]);
	return {
		status: bad.length ? 'MISS' : 'PASS',
		detail: bad.length
			? bad.map(why).join(' | ').slice(0, 400)
			: `${ms.length} runs, ${ms[0].pushes} pushes each`,
	};
}

function templateSection(measurements, lines, templateRows) {
	const get = (n, kind, rows) =>
		stats(
			measurements.filter(
				(m) => m.line === n && m.source === 'table' && m.kind === kind && m.rows === rows,
			),
		);
	const rowsList = templateRows.filter((rows) =>
		measurements.some((m) => m.kind === 'template1000' && m.rows === rows),
	);
	if (!rowsList.length) return '';
	const table = rowsList.flatMap((rows) => [
		{
			head: [
				fmt(rows),
				'Content "Text": message `Hi {{ $json.name }}, your order {{ $json.order }} is ready 🎉`',
			],
			cell: (n) => cellMs(get(n, 'picky1000', rows)),
		},
		{
			head: [
				fmt(rows),
				'Content "WhatsApp Template": variables `{{ $json.name }}`, `{{ $json.order }}`',
			],
			cell: (n) => cellMs(get(n, 'template1000', rows)),
		},
		{
			head: [fmt(rows), 'ratio Template / Text'],
			cell: (n) => {
				const [a, b] = [get(n, 'template1000', rows), get(n, 'picky1000', rows)];
				return a.median !== null && b.median ? `${fmt(a.median / b.median, 2)}×` : '—';
			},
		},
	]);
	const targets = rowsList.flatMap((rows) => [
		{
			name: `${fmt(rows)} rows: Template node time ≤ 1.1× Text`,
			result: (n) => ratioResult(get(n, 'template1000', rows), get(n, 'picky1000', rows), 1.1),
		},
		{
			name: `${fmt(rows)} rows: every template push carries template_id and language, each row exactly its two values; pushes = ⌈rows / 1000⌉; one accepted item per row`,
			result: (n) => templatePushResult(measurements, n, rows),
		},
	]);
	return [
		'### WhatsApp Template vs Text, rows as plain objects (batch 1000)',
		'',
		sideBySide(['rows', 'workflow (node time)'], lines, table),
		'',
		targetTable(lines, targets),
	].join('\n');
}

// ------------------------------------------------------------------------------------------------ delivery

/** The rows of the delivery table at one row count. `runsOf(n, kind)` gives a line's runs of a workflow. */
function deliveryRowsAt(rows, dm, runsOf) {
	const head = (what) => [`${fmt(rows)} (${fmt(rows / PER_PUSH)} pushes)`, what];
	const okRuns = (n, kind) => runsOf(n, kind).filter((m) => m.ok);
	const calls = (n, kind) =>
		[...new Set(okRuns(n, kind).map((m) => m.reportCalls))].join('/') || '—';
	const medianOf = (n, kind, value) => median(okRuns(n, kind).map(value));
	const peakMb = (m) => m.memory.peakKb / 1024;
	const diyParts = (n, kind) =>
		okRuns(n, kind).length
			? `${kind === 'drCode' ? 'Code join' : 'Merge'}: ${DR_KINDS[kind].measured.map((name) => fmt(medianOf(n, kind, (m) => m.parts[name]))).join(' + ')}`
			: null;
	const table = Object.keys(DR_KINDS)
		.filter((kind) => dm.some((m) => m.kind === kind && m.rows === rows))
		.map((kind) => ({
			head: head(DR_KINDS[kind].label),
			cell: (n) => {
				const s = stats(runsOf(n, kind));
				return s.runs ? `${cellMs(s)}; ${calls(n, kind)} calls` : '—';
			},
		}));
	table.push(
		{
			head: head('DIY parts (median ms)'),
			cell: (n) =>
				['drCode', 'drMerge']
					.map((kind) => diyParts(n, kind))
					.filter(Boolean)
					.join('; ') || '—',
		},
		{
			head: head('sandbox time answering the reports, node run (median)'),
			cell: (n) => `${fmt(medianOf(n, 'drNode', (m) => m.serverMs))} ms`,
		},
		{
			head: head('peak RSS, node run / DIY Code-join run (median)'),
			cell: (n) =>
				`${fmt(stats(runsOf(n, 'drNode')).median === null ? null : medianOf(n, 'drNode', peakMb))} / ${fmt(medianOf(n, 'drCode', peakMb))} MB`,
		},
	);
	return table;
}

/** The delivery targets at one row count: one report call per push, and the node against the fastest DIY chain. */
function deliveryTargetsAt(rows, runsOf) {
	const pushes = rows / PER_PUSH;
	const why = (m) =>
		m.ok ? `${m.reportCalls} calls; ${m.problems.join('; ')}` : String(m.error).split('\n')[0];
	const callsResult = (n) => {
		const ms = runsOf(n, 'drNode');
		if (!ms.length) return null;
		const bad = ms.filter((m) => !m.ok || m.reportCalls !== pushes || m.problems.length);
		return {
			status: bad.length ? 'MISS' : 'PASS',
			detail: bad.length
				? bad.map(why).join(' | ').slice(0, 400)
				: `${ms.length} runs × ${fmt(pushes)} calls`,
		};
	};
	const fastestResult = (n) => {
		const node = stats(runsOf(n, 'drNode'));
		const diys = ['drCode', 'drMerge']
			.map((k) => ({ k, s: stats(runsOf(n, k)) }))
			.filter((d) => d.s.median !== null && d.s.verified === d.s.ok);
		if (!diys.length) return { status: 'n/a', detail: 'no DIY run' };
		const best = diys.sort((a, b) => a.s.median - b.s.median)[0];
		const r = ratioResult(node, best.s, 1.0, `${best.k === 'drCode' ? 'Code join' : 'Merge'}`);
		const others = diys
			.filter((d) => d !== best)
			.map((d) => `; ${fmt(node.median / d.s.median, 2)}× the Merge chain`);
		return { ...r, detail: r.detail + others.join('') };
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
	return [
		'### Get Delivery Report, rows as plain objects ({push_id, msg_id}, 500 per push)',
		'',
		sideBySide(['rows', 'workflow (node time)'], lines, table),
		'',
		targetTable(lines, targets),
		'',
		`The Merge chain runs only up to ${fmt(deliveryMergeMax)} rows (--delivery-merge-max): n8n's Merge node (v3, combine ` +
			'by field) compares every input-1 item with every input-2 item, so its time grows with the square of the rows. ' +
			'"DIY parts" are Code + HTTP Request + Split Out + the join.',
	].join('\n');
}

// ------------------------------------------------------------------------------------------------ webhook burst

/** The rows of the webhook table for one workflow. */
function webhookRowsOf(kind, wm, calls) {
	const label = WH_KINDS[kind].label;
	const runsOf = (n) => wm.filter((m) => m.line === n && m.kind === kind);
	const get = (n, field) => stats(runsOf(n), field);
	const msOrDash = (s) => (s.median === null ? '—' : `${fmt(s.median)} ms`);
	return [
		{ head: [label, 'time to accept the burst'], cell: (n) => cellMs(get(n, 'acceptMs')) },
		{
			head: [label, 'calls per second (median run)'],
			cell: (n) => {
				const s = get(n, 'acceptMs');
				return s.median ? fmt((calls / s.median) * 1000) : '—';
			},
		},
		{
			head: [label, 'latency per call p50 / p99 (median of runs)'],
			cell: (n) =>
				get(n, 'latencyP50').median === null
					? '—'
					: `${fmt(get(n, 'latencyP50').median, 1)} / ${fmt(get(n, 'latencyP99').median, 1)} ms`,
		},
		{ head: [label, 'until every execution had run'], cell: (n) => msOrDash(get(n, 'allDoneMs')) },
		{
			head: [label, 'lost calls (non-2xx / no answer / execution or entries missing)'],
			cell: (n) =>
				runsOf(n)
					.map((m) => `${m.lost} (${m.non2xx} / ${m.errors} / ${m.missingExecutions})`)
					.join(', ') || '—',
		},
	];
}

/** Per line: no call lost in any burst (a MISS too when the part could not run). */
function lostCallsResult(wm, errs, n) {
	const e = errs.find((m) => m.line === n);
	if (e)
		return { status: 'MISS', detail: `not run: ${String(e.error).split('\n')[0].slice(0, 300)}` };
	const ms = wm.filter((m) => m.line === n);
	if (!ms.length) return null;
	const lost = ms.reduce((a, m) => a + m.lost, 0);
	const calls = ms.reduce((a, m) => a + m.calls, 0);
	const first = ms.find((m) => m.badSample.length);
	return {
		status: lost ? 'MISS' : 'PASS',
		detail: `${fmt(lost)} of ${fmt(calls)} calls lost${first ? `; e.g. ${JSON.stringify(first.badSample[0]).slice(0, 200)}` : ''}`,
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
	table.push({
		head: ['n8n server', 'peak RSS over all bursts (process group)'],
		cell: (n) => {
			const m = wm.find((x) => x.line === n && x.serverPeakMb);
			return m ? `${fmt(m.serverPeakMb)} MB` : '—';
		},
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
	return [
		`### Webhook burst: ${fmt(opts.webhookCalls)} Event Webhook calls × ${opts.webhookEntries} entries, ${opts.webhookConcurrency} in flight, into an active workflow (n8n server)`,
		'',
		sideBySide(['workflow', 'figure'], lines, table),
		'',
		targetTable(lines, targets),
	].join('\n');
}

/** The blocks of the new parts, separated by blank lines ('' when none ran). */
function renderParts({ measurements, lineMeta, opts }) {
	const lines = Object.entries(lineMeta).map(([n, m]) => ({
		n: Number(n),
		title: `n8n ${m.n8nVersion} / Node ${String(m.nodeVersion).replace(/^v/, '').split('.')[0]}`,
	}));
	const blocks = [];
	if (opts.parts.includes('template'))
		blocks.push(templateSection(measurements, lines, opts.templateRows));
	if (opts.parts.includes('delivery')) blocks.push(deliverySection(measurements, lines, opts));
	if (opts.parts.includes('webhook')) blocks.push(webhookSection(measurements, lines, opts));
	return blocks.filter(Boolean).join('\n\n');
}

module.exports = { renderParts, fmt, median };
