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
	const first = [
		'Ana',
		'João',
		'Priya',
		'Raj',
		'Olivia',
		'Mohammed',
		'Fatima',
		'Wei',
		'Yuki',
		'Chidi',
		'Siobhán',
		'José',
		'Zoë',
		'Łukasz',
		'Søren',
		'Ólafur',
		'Amélie',
		'Nguyễn Văn',
		'Aarav',
		'Isabella',
		'Lucas',
		'Mei',
		'Omar',
		'Emma',
		'Liam',
		'Sofía',
		'Mateo',
		'Ananya',
		'Kwame',
		'Ngozi',
		'Hiroshi',
		'Elena',
		'Dmitri',
		'Айгерим',
		'محمد',
		'Đorđe',
		'Björn',
		'Chloé',
		'Tomás',
		'Leila',
	];
	const last = [
		'Silva',
		'Sharma',
		"O'Brien",
		'Müller',
		'García',
		'Kowalski',
		'Nakamura',
		'Okafor',
		'Al-Farsi',
		'Dubois',
		'Rossi',
		'Smith',
		'Nguyen',
		'Kim',
		'Andersson',
		'Papadopoulos',
		'van der Berg',
		'Patel',
		'Santos',
		'Mensah',
		'Ivanova',
		'Jensen',
		'Costa',
		'Fernández',
		'Chen',
		'Haddad',
		'Murphy',
		'Schmidt',
		'Tanaka',
		'Oliveira',
	];
	const emoji = ['🌸', '⚽', '✨', '🙂', '🇧🇷'];
	const rows = new Array(n);
	for (let i = 0; i < n; i++) {
		let name = pick(first) + ' ' + pick(last);
		if (rand() < 0.03) name += ' ' + pick(emoji);
		const order = 'PA-' + String(100000 + i);
		let phone;
		let expected;
		const format = Math.floor(rand() * 11);
		if (format === 0) {
			// UK mobile with spaces
			const d = digits(6);
			phone = '+44 7700 ' + d;
			expected = '447700' + d;
		} else if (format === 1) {
			// India with the 00 international prefix
			const d = pick(['9', '8', '7']) + digits(9);
			phone = '0091 ' + d.slice(0, 5) + ' ' + d.slice(5);
			expected = '91' + d;
		} else if (format === 2) {
			// Brazil, bracketed +55, dash
			const d = '9' + digits(8);
			phone = '(+55) 11 ' + d.slice(0, 5) + '-' + d.slice(5);
			expected = '5511' + d;
		} else if (format === 3) {
			// a spreadsheet cell that became a JS number
			const d = digits(6);
			phone = Number('447700' + d);
			expected = '447700' + d;
		} else if (format === 4) {
			// US
			const d = digits(4);
			phone = '+1 (415) 555-' + d;
			expected = '1415555' + d;
		} else if (format === 5) {
			// Germany
			const d = digits(8);
			phone = '+49 151 ' + d;
			expected = '49151' + d;
		} else if (format === 6) {
			// UAE
			const d = digits(7);
			phone = '+971 50 ' + d.slice(0, 3) + ' ' + d.slice(3);
			expected = '97150' + d;
		} else if (format === 7) {
			// Spain, pairs
			const d = '6' + digits(8);
			phone = '+34 ' + d.slice(0, 3) + ' ' + d.slice(3, 5) + ' ' + d.slice(5, 7) + ' ' + d.slice(7);
			expected = '34' + d;
		} else if (format === 8) {
			// already clean digits (Brazil, Rio)
			const d = '9' + digits(8);
			phone = '5521' + d;
			expected = phone;
		} else if (format === 9) {
			// Mexico with dots
			const d = digits(8);
			phone = '+52.55.' + d.slice(0, 4) + '.' + d.slice(4);
			expected = '5255' + d;
		} else {
			// India with dashes
			const d = pick(['9', '8', '7']) + digits(9);
			phone = '+91-' + d.slice(0, 5) + '-' + d.slice(5);
			expected = '91' + d;
		}
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
