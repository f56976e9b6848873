/**
 * A fast path for the two per-row parameters, Number and Message.
 *
 * Evaluating an expression through n8n costs about 0.7 ms per row and parameter on n8n 2.x (a workflow data proxy
 * is built each time) — 14 s for 10,000 rows, a hundred times the work of the node itself. Almost every real
 * mapping is a plain template over the row's own fields, such as `={{ $json.phone }}` or
 * `=Hi {{ $json.name }}, your bill is {{ $json["amount due"] }}`. Those are evaluated here, directly.
 *
 * The contract: whatever this returns is exactly what n8n's own evaluation returns, on n8n 1.x and 2.x alike
 * (property tests compare them on generated rows and templates). Anything it is not sure of — another expression,
 * a value that is not a string, finite number or boolean, a missing field — returns undefined, and the caller asks
 * n8n.
 */

type Json = Record<string, unknown>;

export type ItemTemplate = (json: Json) => { value: string | number | boolean } | undefined;

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const QUOTED = `\\[\\s*(?:"[^"\\\\]*"|'[^'\\\\]*')\\s*\\]`;
const PATH = new RegExp(`^\\s*\\$json((?:\\.${IDENTIFIER}|${QUOTED})+)\\s*$`);
const SEGMENT = new RegExp(`\\.(${IDENTIFIER})|\\[\\s*(?:"([^"\\\\]*)"|'([^'\\\\]*)')\\s*\\]`, 'g');
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** What n8n 1.x and 2.x look for before evaluating an expression, to refuse it. */
const CONSTRUCTOR = /\.\s*constructor/;

/** `$json.a.b` / `$json["a b"]` → ['a', 'b'] / ['a b']; undefined for any other expression. */
function parsePath(expression: string): string[] | undefined {
	const match = PATH.exec(expression);
	if (!match) return undefined;
	const keys: string[] = [];
	for (const segment of match[1].matchAll(SEGMENT)) {
		const key = segment[1] ?? segment[2] ?? segment[3];
		if (UNSAFE_KEYS.has(key)) return undefined;
		keys.push(key);
	}
	return keys;
}

function lookup(json: Json, keys: readonly string[]): string | number | boolean | undefined {
	let current: unknown = json;
	for (const key of keys) {
		if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
		if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
		current = (current as Json)[key];
	}
	if (typeof current === 'string' || typeof current === 'boolean') return current;
	if (typeof current === 'number' && Number.isFinite(current) && !Object.is(current, -0))
		return current;
	return undefined;
}

/**
 * Compiles a parameter's raw value (as stored in the workflow) into a per-row function, or returns undefined
 * when the value is not a template this fast path handles.
 */
export function compileItemTemplate(raw: unknown): ItemTemplate | undefined {
	if (typeof raw !== 'string') return undefined;
	if (!raw.startsWith('=')) {
		// A fixed value: n8n returns it unchanged for every row.
		return () => ({ value: raw });
	}
	const template = raw.slice(1);
	// n8n refuses a whole expression that has ".constructor" anywhere in it, in its text or a field's name too.
	if (CONSTRUCTOR.test(template)) return undefined;
	const literals: string[] = [];
	const paths: string[][] = [];
	let position = 0;
	while (position <= template.length) {
		const open = template.indexOf('{{', position);
		const literal = template.slice(position, open === -1 ? undefined : open);
		// Braces and backslashes outside an expression are left to n8n, which gives them meanings of its own.
		if (/[{}\\]/.test(literal)) return undefined;
		literals.push(literal);
		if (open === -1) break;
		const close = template.indexOf('}}', open + 2);
		if (close === -1) return undefined;
		const keys = parsePath(template.slice(open + 2, close));
		if (!keys) return undefined;
		paths.push(keys);
		position = close + 2;
	}
	if (paths.length === 0) return undefined;

	if (paths.length === 1 && literals[0] === '' && literals[1] === '') {
		// A lone expression keeps the value's type (a number stays a number), as in n8n.
		const keys = paths[0];
		return (json) => {
			const value = lookup(json, keys);
			return value === undefined ? undefined : { value };
		};
	}
	return (json) => {
		let text = literals[0];
		for (let i = 0; i < paths.length; i++) {
			const value = lookup(json, paths[i]);
			if (value === undefined) return undefined;
			text += String(value) + literals[i + 1];
		}
		return { value: text };
	};
}
