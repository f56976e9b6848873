'use strict';
/**
 * The benchmark's input rows, produced INSIDE n8n by one of two "Rows" nodes: the Bench Rows node of this package
 * (plain objects, like a spreadsheet node) or a Code node. `generateRows` is self-contained (no closures, no
 * requires) because its source text is pasted into that Code node; the bench runs the same function to know what
 * the sandbox must receive.
 *
 * Deterministic (mulberry32 PRNG, fixed seed): row i is the same in every workflow, run and line.
 * Each row: { name, phone, order } — realistic names from many languages (accents, non-Latin scripts, a few
 * display names with emoji), phone numbers in the mixed formats people paste into sheets ("+44 7700 900123",
 * "0091 98765 43210", "(+55) 11 98765-4321", 447700900123 as a JS number, …). Every row is valid: each format
 * has exactly one correct Picky Assist number (country code + digits), returned as `expected` when asked.
 */

function generateRows(n, withExpected) {
	let seed = 20261127 >>> 0;
	const rand = () => {
		seed = (seed + 0x6d2b79f5) >>> 0;
		let t = seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const pick = (list) => list[Math.floor(rand() * list.length)];
	const digits = (count) => {
		let s = '';
		for (let i = 0; i < count; i++) s += Math.floor(rand() * 10);
		return s;
	};
	const first = (
		'Ana|João|Priya|Raj|Olivia|Mohammed|Fatima|Wei|Yuki|Chidi|Siobhán|José|Zoë|Łukasz|Søren|Ólafur|Amélie|' +
		'Nguyễn Văn|Aarav|Isabella|Lucas|Mei|Omar|Emma|Liam|Sofía|Mateo|Ananya|Kwame|Ngozi|Hiroshi|Elena|Dmitri|' +
		'Айгерим|محمد|Đorđe|Björn|Chloé|Tomás|Leila'
	).split('|');
	const last = (
		"Silva|Sharma|O'Brien|Müller|García|Kowalski|Nakamura|Okafor|Al-Farsi|Dubois|Rossi|Smith|Nguyen|Kim|" +
		'Andersson|Papadopoulos|van der Berg|Patel|Santos|Mensah|Ivanova|Jensen|Costa|Fernández|Chen|Haddad|' +
		'Murphy|Schmidt|Tanaka|Oliveira'
	).split('|');
	const emoji = ['🌸', '⚽', '✨', '🙂', '🇧🇷'];
	const india = () => pick(['9', '8', '7']) + digits(9);
	// Each format: [the phone as typed, the Picky Assist number] from the random digits it draws.
	const formats = [
		(d = digits(6)) => ['+44 7700 ' + d, '447700' + d], // UK mobile with spaces
		(d = india()) => ['0091 ' + d.slice(0, 5) + ' ' + d.slice(5), '91' + d], // India, 00 prefix
		(d = '9' + digits(8)) => ['(+55) 11 ' + d.slice(0, 5) + '-' + d.slice(5), '5511' + d], // Brazil
		(d = digits(6)) => [Number('447700' + d), '447700' + d], // a sheet cell that became a number
		(d = digits(4)) => ['+1 (415) 555-' + d, '1415555' + d], // US
		(d = digits(8)) => ['+49 151 ' + d, '49151' + d], // Germany
		(d = digits(7)) => ['+971 50 ' + d.slice(0, 3) + ' ' + d.slice(3), '97150' + d], // UAE
		(d = '6' + digits(8)) => [
			'+34 ' + d.slice(0, 3) + ' ' + d.slice(3, 5) + ' ' + d.slice(5, 7) + ' ' + d.slice(7),
			'34' + d,
		], // Spain, in pairs
		(d = '9' + digits(8)) => ['5521' + d, '5521' + d], // already clean digits
		(d = digits(8)) => ['+52.55.' + d.slice(0, 4) + '.' + d.slice(4), '5255' + d], // Mexico, dots
		(d = india()) => ['+91-' + d.slice(0, 5) + '-' + d.slice(5), '91' + d], // India, dashes
	];
	const rows = new Array(n);
	for (let i = 0; i < n; i++) {
		let name = pick(first) + ' ' + pick(last);
		if (rand() < 0.03) name += ' ' + pick(emoji);
		const order = 'PA-' + String(100000 + i);
		const [phone, expected] = formats[Math.floor(rand() * 11)]();
		rows[i] = withExpected ? { name, phone, order, expected } : { name, phone, order };
	}
	return rows;
}

/** The message every workflow builds for a row (same text as the Picky Assist node's Message template). */
function expectedMessage(row) {
	return `Hi ${row.name}, your order ${row.order} is ready 🎉`;
}

/** JavaScript for the "Rows" Code node (mode: run once for all items): N rows, generated inside n8n. */
function rowsCode(n) {
	return [
		`// ${n} deterministic benchmark rows (test/bench/helper-nodes/rows.js); generated here, inside n8n.`,
		`const N = ${n};`,
		generateRows.toString(),
		'return generateRows(N, false).map((json) => ({ json }));',
	].join('\n');
}

module.exports = { generateRows, expectedMessage, rowsCode };
