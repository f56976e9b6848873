'use strict';
/**
 * The report of the bench parts added after the send benchmark — WhatsApp Template vs Text, Get Delivery Report,
 * the webhook burst — each as one Markdown block with the two n8n lines side by side: a table of the figures
 * (medians, min–max) and a table of targets with PASS/MISS per line.
 */
const { KINDS } = require('./workflows');
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

function templateSection(measurements, lines, templateRows) {
	const md = ['### WhatsApp Template vs Text, rows as plain objects (batch 1000)', ''];
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
	const table = [];
	for (const rows of rowsList) {
		table.push({
			head: [
				fmt(rows),
				'Content "Text": message `Hi {{ $json.name }}, your order {{ $json.order }} is ready 🎉`',
			],
			cell: (n) => cellMs(get(n, 'picky1000', rows)),
		});
		table.push({
			head: [
				fmt(rows),
				'Content "WhatsApp Template": variables `{{ $json.name }}`, `{{ $json.order }}`',
			],
			cell: (n) => cellMs(get(n, 'template1000', rows)),
		});
		table.push({
			head: [fmt(rows), 'ratio Template / Text'],
			cell: (n) => {
				const a = get(n, 'template1000', rows);
				const b = get(n, 'picky1000', rows);
				return a.median !== null && b.median ? `${fmt(a.median / b.median, 2)}×` : '—';
			},
		});
	}
	md.push(sideBySide(['rows', 'workflow (node time)'], lines, table));
	md.push('');
	const targets = [];
	for (const rows of rowsList) {
		targets.push({
			name: `${fmt(rows)} rows: Template node time ≤ 1.1× Text`,
			result: (n) => ratioResult(get(n, 'template1000', rows), get(n, 'picky1000', rows), 1.1),
		});
		targets.push({
			name: `${fmt(rows)} rows: every template push carries template_id and language, each row exactly its two values; pushes = ⌈rows / 1000⌉; one accepted item per row`,
			result: (n) => {
				const ms = measurements.filter(
					(m) =>
						m.line === n && m.source === 'table' && m.kind === 'template1000' && m.rows === rows,
				);
				if (!ms.length) return null;
				const bad = ms.filter(
					(m) =>
						!m.ok ||
						m.problems.length ||
						m.pushes !== Math.ceil(rows / KINDS.template1000.batchSize),
				);
				return {
					status: bad.length ? 'MISS' : 'PASS',
					detail: bad.length
						? bad
								.map((m) => (m.ok ? m.problems.join('; ') : String(m.error).split('\n')[0]))
								.join(' | ')
								.slice(0, 400)
						: `${ms.length} runs, ${ms[0].pushes} pushes each`,
				};
			},
		});
	}
	md.push(targetTable(lines, targets));
	return md.join('\n');
}

// ------------------------------------------------------------------------------------------------ delivery

function deliverySection(measurements, lines, { deliveryRows, deliveryMergeMax }) {
	const md = [];
	const dm = measurements.filter((m) => m.part === 'delivery');
	if (!dm.length) return '';
	md.push('### Get Delivery Report, rows as plain objects ({push_id, msg_id}, 500 per push)');
	md.push('');
	const get = (n, kind, rows) =>
		stats(dm.filter((m) => m.line === n && m.kind === kind && m.rows === rows));
	const calls = (n, kind, rows) => {
		const xs = [
			...new Set(
				dm
					.filter((m) => m.line === n && m.kind === kind && m.rows === rows && m.ok)
					.map((m) => m.reportCalls),
			),
		];
		return xs.length ? xs.join('/') : '—';
	};
	const table = [];
	for (const rows of deliveryRows) {
		for (const kind of Object.keys(DR_KINDS)) {
			if (!dm.some((m) => m.kind === kind && m.rows === rows)) continue;
			table.push({
				head: [`${fmt(rows)} (${fmt(rows / PER_PUSH)} pushes)`, DR_KINDS[kind].label],
				cell: (n) => {
					const s = get(n, kind, rows);
					return s.runs ? `${cellMs(s)}; ${calls(n, kind, rows)} calls` : '—';
				},
			});
		}
		table.push({
			head: [`${fmt(rows)} (${fmt(rows / PER_PUSH)} pushes)`, 'DIY parts (median ms)'],
			cell: (n) =>
				['drCode', 'drMerge']
					.map((kind) => {
						const ms = dm.filter((m) => m.line === n && m.kind === kind && m.rows === rows && m.ok);
						if (!ms.length) return null;
						return `${kind === 'drCode' ? 'Code join' : 'Merge'}: ${DR_KINDS[kind].measured.map((name) => fmt(median(ms.map((m) => m.parts[name])))).join(' + ')}`;
					})
					.filter(Boolean)
					.join('; ') || '—',
		});
		table.push({
			head: [
				`${fmt(rows)} (${fmt(rows / PER_PUSH)} pushes)`,
				'sandbox time answering the reports, node run (median)',
			],
			cell: (n) =>
				`${fmt(median(dm.filter((m) => m.line === n && m.kind === 'drNode' && m.rows === rows && m.ok).map((m) => m.serverMs)))} ms`,
		});
		table.push({
			head: [
				`${fmt(rows)} (${fmt(rows / PER_PUSH)} pushes)`,
				'peak RSS, node run / DIY Code-join run (median)',
			],
			cell: (n) =>
				`${fmt(get(n, 'drNode', rows).median === null ? null : median(dm.filter((m) => m.line === n && m.kind === 'drNode' && m.rows === rows && m.ok).map((m) => m.memory.peakKb / 1024)))} / ${fmt(median(dm.filter((m) => m.line === n && m.kind === 'drCode' && m.rows === rows && m.ok).map((m) => m.memory.peakKb / 1024)))} MB`,
		});
	}
	md.push(sideBySide(['rows', 'workflow (node time)'], lines, table));
	md.push('');
	const targets = [];
	for (const rows of deliveryRows) {
		const pushes = rows / PER_PUSH;
		targets.push({
			name: `${fmt(rows)} rows: delivery-report calls at the sandbox = ${fmt(pushes)} exactly (one per push), every row answered with its status`,
			result: (n) => {
				const ms = dm.filter((m) => m.line === n && m.kind === 'drNode' && m.rows === rows);
				if (!ms.length) return null;
				const bad = ms.filter((m) => !m.ok || m.reportCalls !== pushes || m.problems.length);
				return {
					status: bad.length ? 'MISS' : 'PASS',
					detail: bad.length
						? bad
								.map((m) =>
									m.ok
										? `${m.reportCalls} calls; ${m.problems.join('; ')}`
										: String(m.error).split('\n')[0],
								)
								.join(' | ')
								.slice(0, 400)
						: `${ms.length} runs × ${fmt(pushes)} calls`,
				};
			},
		});
		targets.push({
			name: `${fmt(rows)} rows: node time ≤ 1.0× the fastest DIY chain measured`,
			result: (n) => {
				const node = get(n, 'drNode', rows);
				const diys = ['drCode', 'drMerge']
					.map((k) => ({ k, s: get(n, k, rows) }))
					.filter((d) => d.s.median !== null && d.s.verified === d.s.ok);
				if (!diys.length) return { status: 'n/a', detail: 'no DIY run' };
				const best = diys.sort((a, b) => a.s.median - b.s.median)[0];
				const r = ratioResult(node, best.s, 1.0, `${best.k === 'drCode' ? 'Code join' : 'Merge'}`);
				const others = diys
					.filter((d) => d !== best)
					.map((d) => `; ${fmt(node.median / d.s.median, 2)}× the Merge chain`);
				return { ...r, detail: r.detail + others.join('') };
			},
		});
	}
	md.push(targetTable(lines, targets));
	md.push('');
	md.push(
		`The Merge chain runs only up to ${fmt(deliveryMergeMax)} rows (--delivery-merge-max): n8n's Merge node (v3, combine ` +
			'by field) compares every input-1 item with every input-2 item, so its time grows with the square of the rows. ' +
			'"DIY parts" are Code + HTTP Request + Split Out + the join.',
	);
	return md.join('\n');
}

// ------------------------------------------------------------------------------------------------ webhook burst

function webhookSection(measurements, lines, opts) {
	const wm = measurements.filter((m) => m.part === 'webhook');
	const errs = measurements.filter((m) => m.part === 'webhook-error');
	if (!wm.length && !errs.length) return '';
	const md = [
		`### Webhook burst: ${fmt(opts.webhookCalls)} Event Webhook calls × ${opts.webhookEntries} entries, ${opts.webhookConcurrency} in flight, into an active workflow (n8n server)`,
		'',
	];
	const get = (n, kind, field) =>
		stats(
			wm.filter((m) => m.line === n && m.kind === kind),
			field,
		);
	const table = [];
	for (const kind of Object.keys(WH_KINDS).filter((k) => wm.some((m) => m.kind === k))) {
		table.push({
			head: [WH_KINDS[kind].label, 'time to accept the burst'],
			cell: (n) => cellMs(get(n, kind, 'acceptMs')),
		});
		table.push({
			head: [WH_KINDS[kind].label, 'calls per second (median run)'],
			cell: (n) => {
				const s = get(n, kind, 'acceptMs');
				return s.median ? fmt((opts.webhookCalls / s.median) * 1000) : '—';
			},
		});
		table.push({
			head: [WH_KINDS[kind].label, 'latency per call p50 / p99 (median of runs)'],
			cell: (n) => {
				const a = get(n, kind, 'latencyP50');
				const b = get(n, kind, 'latencyP99');
				return a.median === null ? '—' : `${fmt(a.median, 1)} / ${fmt(b.median, 1)} ms`;
			},
		});
		table.push({
			head: [WH_KINDS[kind].label, 'until every execution had run'],
			cell: (n) => {
				const s = get(n, kind, 'allDoneMs');
				return s.median === null ? '—' : `${fmt(s.median)} ms`;
			},
		});
		table.push({
			head: [
				WH_KINDS[kind].label,
				'lost calls (non-2xx / no answer / execution or entries missing)',
			],
			cell: (n) => {
				const ms = wm.filter((m) => m.line === n && m.kind === kind);
				if (!ms.length) return '—';
				return ms
					.map((m) => `${m.lost} (${m.non2xx} / ${m.errors} / ${m.missingExecutions})`)
					.join(', ');
			},
		});
	}
	table.push({
		head: ['n8n server', 'peak RSS over all bursts (process group)'],
		cell: (n) => {
			const m = wm.find((x) => x.line === n && x.serverPeakMb);
			return m ? `${fmt(m.serverPeakMb)} MB` : '—';
		},
	});
	md.push(sideBySide(['workflow', 'figure'], lines, table));
	md.push('');
	const targets = [
		{
			name: 'lost calls = 0, every workflow (every call 2xx, its execution counted with all its entries)',
			result: (n) => {
				const e = errs.find((m) => m.line === n);
				if (e)
					return {
						status: 'MISS',
						detail: `not run: ${String(e.error).split('\n')[0].slice(0, 300)}`,
					};
				const ms = wm.filter((m) => m.line === n);
				if (!ms.length) return null;
				const lost = ms.reduce((a, m) => a + m.lost, 0);
				const calls = ms.reduce((a, m) => a + m.calls, 0);
				const first = ms.find((m) => m.badSample.length);
				return {
					status: lost ? 'MISS' : 'PASS',
					detail: `${fmt(lost)} of ${fmt(calls)} calls lost${first ? `; e.g. ${JSON.stringify(first.badSample[0]).slice(0, 200)}` : ''}`,
				};
			},
		},
		{
			name: 'time to accept the burst: Picky Assist Trigger ≤ 1.2× the Webhook node',
			result: (n) =>
				wm.some((m) => m.line === n)
					? ratioResult(get(n, 'whTrigger', 'acceptMs'), get(n, 'whWebhook', 'acceptMs'), 1.2)
					: null,
		},
	];
	md.push(targetTable(lines, targets));
	return md.join('\n');
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

module.exports = { renderParts };
