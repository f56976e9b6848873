'use strict';
/**
 * The bench's report: per row source one Markdown table with the n8n lines side by side (medians of the runs,
 * min–max, ratio to the DIY chain, pushes, peak RSS), then the targets, PASS or MISS from the medians. A target
 * nothing was measured for is left out, never a PASS.
 */
const os = require('os');
const { runSync } = require('../tooling/child');
const { KINDS, SOURCES } = require('./workflows');

const fmt = (x, d = 0) =>
	Number.isFinite(x)
		? x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
		: '—';
const median = (xs) => {
	const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
	return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : null;
};
/** A Markdown table; `right`: the columns aligned right. */
const mdTable = (head, rows, right = []) =>
	[head, head.map((_, i) => (right.includes(i) ? '---:' : '---')), ...rows]
		.map((r) => `| ${r.join(' | ')} |`)
		.join('\n');

/** The runs of one line, source, workflow and row count, summed up. */
function stats(ms) {
	const ok = ms.filter((m) => !m.error);
	const xs = ok.map((m) => m.nodeMs);
	const medianOf = (f) => median(ok.map(f));
	const parts = KINDS[ms[0].kind].measured.map((n) => medianOf((m) => m.parts[n]));
	return {
		runs: ms.length,
		median: median(xs),
		min: Math.min(...xs),
		max: Math.max(...xs),
		peakMb: medianOf((m) => m.peakMb),
		serverMs: medianOf((m) => m.serverMs),
		parts,
		pushes: [...new Set(ok.map((m) => m.pushes))].join('/'),
		problems: ms.flatMap((m) => (m.error ? [m.error.split('\n')[0]] : m.problems)),
	};
}

function cell(s, diy) {
	if (!s) return '';
	if (s.median === null) return `**failed**: ${s.problems[0]}`;
	const parts = s.parts.length > 1 ? ` [${s.parts.map((x) => fmt(x)).join(' + ')}]` : '';
	const spread = s.runs > 1 ? ` (${fmt(s.min)}–${fmt(s.max)})` : '';
	const ratio = diy?.median ? ` · ${fmt(s.median / diy.median, 2)}× DIY` : '';
	const failed = s.problems.length ? ` · **${s.problems.length} failed checks**` : '';
	return `${fmt(s.median)} ms${spread}${parts}${ratio} · ${s.pushes} pushes · ${fmt(s.peakMb)} MB${failed}`;
}

/**
 * The targets as [name, kind, rows, kind, rows, limit, field]: a's median ≤ limit × b's. Next to a MISS against
 * the pass-through the report says when no node that sends the rows could meet it: when the sandbox alone spent
 * more than 1.5× the floor answering the pushes.
 */
const TARGETS = [
	['10k rows, batch 1000: node time ≤ DIY chain', 'picky1000', 1e4, 'diy', 1e4, 1],
	['10k rows, batch 100: node time ≤ DIY chain', 'picky100', 1e4, 'diy', 1e4, 1],
	['10k rows, batch 1000: node time ≤ 1.5× pass-through', 'picky1000', 1e4, 'pass', 1e4, 1.5],
	['10k rows, batch 100: node time ≤ 1.5× pass-through', 'picky100', 1e4, 'pass', 1e4, 1.5],
	['100k rows: node time ≤ 1.5× pass-through', 'picky1000', 1e5, 'pass', 1e5, 1.5],
	['100k rows: peak RSS ≤ 1.3× the pass-through run', 'picky1000', 1e5, 'pass', 1e5, 1.3, 'peakMb'],
	['10k → 100k rows: node time within 12×', 'picky1000', 1e5, 'picky1000', 1e4, 12],
	['10k rows: WhatsApp Template ≤ 1.1× Text', 'template1000', 1e4, 'picky1000', 1e4, 1.1],
	['100k rows: WhatsApp Template ≤ 1.1× Text', 'template1000', 1e5, 'picky1000', 1e5, 1.1],
];

function target([, ka, ra, kb, rb, limit, field = 'median'], get) {
	const [a, b] = [get(ka, ra), get(kb, rb)];
	if (!Number.isFinite(a?.[field]) || !Number.isFinite(b?.[field])) return null;
	const r = a[field] / b[field];
	const reach =
		r > limit && kb === 'pass' && field === 'median' && a.serverMs > 1.5 * b.median
			? `; out of reach: the sandbox alone took ${fmt(a.serverMs)} ms`
			: '';
	return `**${r <= limit ? 'PASS' : 'MISS'}** ${fmt(r, 2)}× (${fmt(a[field])} vs ${fmt(b[field])})${reach}`;
}

/** The checks of every run (and 100k rows completing) as one target. */
function checksTarget(all) {
	const bad = all.filter((s) => s.problems.length);
	if (!all.length) return null;
	if (!bad.length) return `**PASS** ${all.reduce((n, s) => n + s.runs, 0)} runs`;
	return `**MISS** ${bad.map((s) => `${s.kind} ${s.rows}: ${s.problems[0]}`).join('; ')}`;
}

/** The table and the targets of one row source, a column per line. */
function sourceSection(source, lines, measurements) {
	const order = Object.keys(KINDS);
	const mine = measurements.filter((m) => m.source === source);
	const runsOf = (line, kind, rows) =>
		mine.filter((m) => m.line === line && m.kind === kind && m.rows === rows);
	const get = (line) => (kind, rows) => {
		const ms = runsOf(line, kind, rows);
		return ms.length ? { ...ms[0], ...stats(ms) } : null;
	};
	const pairs = [...new Set(mine.map((m) => `${m.rows} ${m.kind}`))].map((k) => k.split(' '));
	pairs.sort(([ra, ka], [rb, kb]) => ra - rb || order.indexOf(ka) - order.indexOf(kb));
	const table = pairs.map(([rows, kind]) => [
		...[fmt(Number(rows)), KINDS[kind].label],
		...lines.map((l) =>
			cell(get(l.n)(kind, Number(rows)), kind !== 'diy' && get(l.n)('diy', Number(rows))),
		),
	]);
	const all = (line) => pairs.map(([rows, kind]) => get(line)(kind, Number(rows))).filter(Boolean);
	const checks = ['every run completed: rows intact, fewest pushes, one accepted item per row'];
	const targets = [
		[...checks, ...lines.map((l) => checksTarget(all(l.n)))],
		...TARGETS.map((t) => [t[0], ...lines.map((l) => target(t, get(l.n)))]),
	].filter((t) => t.slice(1).some(Boolean));
	const head = (first) => [...first, ...lines.map((l) => l.title)];
	return [
		`### ${SOURCES[source]}`,
		mdTable(head(['rows', 'workflow']), table, [0, ...lines.map((_, i) => i + 2)]),
		mdTable(head(['target']), targets),
	].join('\n\n');
}

/** The Markdown section of a run: what ran where, then a table and targets per row source. */
function renderSection({ started, args, lines, measurements, sources, pkg }) {
	const commit = pkg ?? runSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname }).trim();
	const load = os.loadavg().map((x) => x.toFixed(1));
	const env = (l) => Object.entries(l.env).map(([k, v]) => `\`${k}=${v}\``);
	return [
		`## ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
		'',
		`- Machine: ${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores, load average ${load.join(' ')} at the end`,
		`- Package: ${commit}; command: \`npm run bench -- ${args.join(' ')}\``,
		...lines.map((l) => `- ${l.title}: ${env(l).join(', ')}`),
		'',
		...sources.map((s) => sourceSection(s, lines, measurements) + '\n'),
		"Cells: `executionTime` of the measured nodes, median (min–max) of the runs, the DIY chain's " +
			'[Code + HTTP Request + Split Out]; pushes counted by the sandbox; peak RSS of `n8n execute` and its ' +
			'children (the task runner on 2.x).',
	].join('\n');
}

module.exports = { renderSection, fmt };
