'use strict';
/**
 * The checks of every send and template run: what the sandbox received equals the generated rows (numbers
 * normalised, messages byte-exact, in order except for the concurrent per-row HTTP workflow), the pushes are
 * ⌈rows / batch size⌉, and the workflow output has one (accepted) item per row. The node never puts one number
 * twice into a push: the n-th row of a number goes out in the n-th round of pushes, each round split by the batch
 * size, so for the node the order and the push count are those of its rounds. A run that fails them shows as
 * "failed checks" in the report and makes the bench exit with 1.
 */
const { generateRows, expectedMessage } = require('./helper-nodes/rows');
const { KINDS, TEMPLATE } = require('./workflows');

const expectedCache = new Map();
function expectedFor(rows) {
	if (!expectedCache.has(rows))
		expectedCache.set(
			rows,
			generateRows(rows, true).map((r) => ({ number: r.expected, message: expectedMessage(r) })),
		);
	return expectedCache.get(rows);
}

/** Rows in the order the node sends them, and how many pushes that takes: the rounds of repeated numbers. */
function inRounds(expected, batchSize) {
	const seen = new Map();
	const rounds = [];
	for (const row of expected) {
		const round = seen.get(row.number) ?? 0;
		seen.set(row.number, round + 1);
		(rounds[round] ??= []).push(row);
	}
	const pushes = rounds.reduce((sum, round) => sum + Math.ceil(round.length / batchSize), 0);
	return { order: rounds.flat(), pushes };
}

/**
 * A template row as the text the Text workflow sends for it, so both are checked against the same expectation:
 * exactly the two values, in order, and nothing else (no message, no per-row language).
 */
function templateText(d) {
	const v = d.template_message;
	const exact =
		Array.isArray(v) &&
		v.length === TEMPLATE.fields.length &&
		d.message === undefined &&
		d.language === undefined;
	return exact
		? expectedMessage({ name: v[0], order: v[1] })
		: `bad template entry ${JSON.stringify(d)}`;
}

const outputItems = (run, nodeName) =>
	run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] || [];

/** The rows the sandbox received, in push order; flags pushes over the batch size or without the template. */
function receivedRows(kind, pushes, problems) {
	const { batchSize } = KINDS[kind];
	const template = kind === 'template1000';
	const received = [];
	let badTop = 0;
	for (const p of pushes) {
		const data = (p.body && p.body.data) || [];
		if (kind !== 'http' && data.length > batchSize)
			problems.push(`a push held ${data.length} rows (batch size ${batchSize})`);
		if (template && (p.body.template_id !== TEMPLATE.id || p.body.language !== TEMPLATE.language))
			badTop++;
		for (const d of data)
			received.push({ number: d.number, message: template ? templateText(d) : d.message });
	}
	if (badTop)
		problems.push(
			`${badTop} template pushes without template_id ${TEMPLATE.id} / language ${TEMPLATE.language}`,
		);
	return received;
}

/** Whether the rows received are the rows generated: in order, or as multisets for concurrent requests. */
function compareRows(kind, expected, received, rows) {
	const key = (r) => `${r.number}\u0000${r.message}`;
	if (kind === 'http') {
		// Requests run concurrently: compare as multisets.
		const [want, got] = [expected.map(key).sort(), received.map(key).sort()];
		const same = want.length === got.length && want.every((w, i) => w === got[i]);
		return same ? [] : ['the rows received differ from the generated rows'];
	}
	const differs = (row, i) =>
		row.number !== expected[i].number || row.message !== expected[i].message;
	const bad = received.slice(0, rows).filter(differs).length;
	if (!bad) return [];
	const first = received.slice(0, rows).findIndex(differs);
	return [
		`${bad} rows received differ from the generated rows (first: row ${first}: got ${JSON.stringify(received[first])}, want ${JSON.stringify(expected[first])})`,
	];
}

/** What the measured nodes output: one accepted item (or one answer, or one split row) per row. */
function outputProblems(kind, run, rows) {
	if (kind === 'diy') {
		const out = outputItems(run, 'Split Out').length;
		return out !== rows ? [`Split Out output ${out} items, expected ${rows}`] : [];
	}
	if (kind === 'http') {
		const out = outputItems(run, 'HTTP Request');
		const ok = out.filter((it) => it.json && it.json.status === 100).length;
		return ok !== rows ? [`${ok} of ${out.length} per-row requests answered status 100`] : [];
	}
	const out = outputItems(run, 'Picky Assist');
	const accepted = out.filter((it) => it.json && it.json.state === 'accepted').length;
	return out.length !== rows || accepted !== rows
		? [`node output ${out.length} items, ${accepted} accepted; expected ${rows} accepted`]
		: [];
}

/** Checks what the sandbox received and what the workflow output. Returns a list of problems (empty = fine). */
function verify(kind, rows, run, sb) {
	const problems = [];
	const k = KINDS[kind];
	const pushes = sb.pushes();
	if (kind === 'pass' || kind === 'codepass') {
		if (pushes.length !== 0)
			problems.push(`${pushes.length} pushes from the pass-through workflow`);
		const out = outputItems(run, k.measured[0]).length;
		if (out !== rows) problems.push(`pass-through output ${out} items, expected ${rows}`);
		return problems;
	}
	const byNode = ['picky100', 'picky1000', 'template1000'].includes(kind);
	const rounds = byNode ? inRounds(expectedFor(rows), k.batchSize) : undefined;
	const notAccepted = pushes.length - sb.acceptedPushes.length;
	if (notAccepted)
		problems.push(`${notAccepted} of ${pushes.length} pushes not accepted by the sandbox`);
	const received = receivedRows(kind, pushes, problems);
	const wantPushes = rounds ? rounds.pushes : Math.ceil(rows / k.batchSize);
	if (pushes.length !== wantPushes)
		problems.push(`${pushes.length} pushes, expected ${wantPushes} (batch size ${k.batchSize})`);
	if (received.length !== rows)
		problems.push(`sandbox received ${received.length} rows, expected ${rows}`);
	const expected = rounds ? rounds.order : expectedFor(rows);
	problems.push(...compareRows(kind, expected, received, rows), ...outputProblems(kind, run, rows));
	return problems;
}

module.exports = { verify, outputItems };
