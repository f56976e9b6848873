'use strict';
/**
 * The check of every run: what the sandbox received equals the generated rows (numbers normalised, messages
 * byte-exact, in order except for the concurrent per-row HTTP workflow), the pushes are as few as the batch size
 * allows, and the workflow output has one accepted item per row. The node never puts one number twice into a push:
 * the n-th row of a number belongs to the n-th round; the rounds, one after another, are cut into pushes of the
 * batch size, a push closing early where its next row's number is in it already, and each push holds its rows in
 * input order. For the node the order and the push count are those. A run that fails its check makes the bench
 * exit 1.
 */
const { generateRows, expectedMessage } = require('./helper-nodes/rows');
const { KINDS, TEMPLATE } = require('./workflows');

/** What the sandbox must receive for `rows` generated rows, in generation order. */
const expectedFor = (rows) =>
	generateRows(rows, true).map((r) => ({ number: r.expected, message: expectedMessage(r) }));

/** Rows in the order the node sends them, and how many pushes that takes: the rounds of repeated numbers. */
function inRounds(expected, batchSize) {
	const seen = new Map();
	const rounds = [];
	expected.forEach((row, index) => {
		const round = seen.get(row.number) ?? 0;
		seen.set(row.number, round + 1);
		(rounds[round] ??= []).push(index);
	});
	const pushes = [[]];
	let numbersIn = new Set();
	for (const index of rounds.flat()) {
		const { number } = expected[index];
		if (pushes.at(-1).length === batchSize || numbersIn.has(number)) {
			pushes.push([]);
			numbersIn = new Set();
		}
		pushes.at(-1).push(index);
		numbersIn.add(number);
	}
	const order = pushes.flatMap((push) => push.sort((a, b) => a - b).map((i) => expected[i]));
	return { order, pushes: pushes.length };
}

/** A template row as the text the Text workflow sends: exactly the two values, and nothing else. */
function templateText(d) {
	const v = d.template_message;
	const exact = Array.isArray(v) && v.length === 2 && d.message === undefined && !d.language;
	return exact ? expectedMessage({ name: v[0], order: v[1] }) : `bad entry ${JSON.stringify(d)}`;
}

const outputItems = (run, name) => run.data.resultData.runData[name]?.[0]?.data?.main?.[0] || [];

/** The rows the sandbox received, in push order; flags pushes over the batch size or without the template. */
function receivedRows(kind, pushes, problems) {
	const { batchSize } = KINDS[kind];
	const template = kind === 'template1000';
	const received = [];
	for (const { body } of pushes) {
		const data = body?.data || [];
		if (data.length > batchSize) problems.push(`a push held ${data.length} rows`);
		if (template && (body.template_id !== TEMPLATE.id || body.language !== TEMPLATE.language))
			problems.push('a template push without its template_id and language');
		for (const d of data)
			received.push({ number: d.number, message: template ? templateText(d) : d.message });
	}
	return received;
}

/** Whether the rows received are the rows expected: in order, or as multisets for concurrent requests. */
function compareRows(kind, expected, received) {
	const key = (r) => `${r.number}\u0000${r.message}`;
	if (kind === 'http') {
		const [want, got] = [expected.map(key).sort(), received.map(key).sort()];
		return want.join('\n') === got.join('\n')
			? []
			: ['the rows received differ from the rows generated'];
	}
	const first = received.findIndex((row, i) => key(row) !== key(expected[i] ?? {}));
	if (first < 0) return [];
	const [got, want] = [received[first], expected[first]].map((r) => JSON.stringify(r));
	return [`row ${first} received differs from the row generated: got ${got}, want ${want}`];
}

/** What the measured nodes output: one accepted item (one answer, one split row) per row. */
function outputProblems(kind, run, rows) {
	const last = KINDS[kind].measured.at(-1);
	const out = outputItems(run, last);
	const ok =
		kind === 'diy' || kind === 'pass' || kind === 'codepass'
			? out.length
			: out.filter((it) =>
					kind === 'http' ? it.json?.status === 100 : it.json?.state === 'accepted',
				).length;
	return ok === rows && out.length === rows
		? []
		: [`${last} output ${out.length} items, ${ok} of them accepted; expected ${rows}`];
}

/** Checks what the sandbox received and what the workflow output; returns the problems (none: fine). */
function verify(kind, rows, run, sb) {
	const problems = outputProblems(kind, run, rows);
	const pushes = sb.pushes();
	const { batchSize } = KINDS[kind];
	if (!batchSize) return pushes.length ? [...problems, `${pushes.length} pushes`] : problems;
	const rounds = kind.startsWith('picky') || kind === 'template1000';
	const { order, pushes: want } = rounds
		? inRounds(expectedFor(rows), batchSize)
		: { order: expectedFor(rows), pushes: Math.ceil(rows / batchSize) };
	if (pushes.length !== want) problems.push(`${pushes.length} pushes, expected ${want}`);
	const notAccepted = pushes.length - sb.acceptedPushes.length;
	if (notAccepted) problems.push(`${notAccepted} pushes not accepted by the sandbox`);
	const received = receivedRows(kind, pushes, problems);
	if (received.length !== rows) problems.push(`the sandbox received ${received.length} rows`);
	return [...problems, ...compareRows(kind, order, received)];
}

module.exports = { verify };
