/**
 * Generated templates and rows for the differential tests of the Number/Message fast path (helpers/itemTemplate.ts):
 * the same inputs are evaluated by n8n-workflow 1.x and 2.x directly (unit tier) and by n8n-core's getNodeParameter
 * in a running workflow (workflow tier).
 */
import fc from 'fast-check';

/** Field names a sheet has. */
const PLAIN_KEYS = ['name', 'phone', 'amount', 'first name', 'Ünïcödé', 'x_1', 'nested'];
/** Field names that mean something to n8n's evaluator or to JavaScript; rarer, so that most rows get an answer. */
const ODD_KEYS = [
	'length',
	'toString',
	'constructorName',
	'a.constructor',
	"it's",
	'a}}b',
	'{{',
	'',
];
const KEYS = [...PLAIN_KEYS, ...ODD_KEYS];

const reference = fc
	.oneof(
		{ weight: 6, arbitrary: fc.constantFrom(...PLAIN_KEYS) },
		{ weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) },
	)
	.chain((key) =>
		fc.constantFrom(
			/^[A-Za-z_]\w*$/.test(key) ? `$json.${key}` : `$json[${JSON.stringify(key)}]`,
			key.includes("'") ? `$json["${key}"]` : `$json['${key}']`,
			`$json.nested.inner`,
			`$json["nested"]["inner"]`,
		),
	);

const expression = fc.oneof(
	{
		weight: 12,
		arbitrary: reference.chain((path) =>
			fc.constantFrom(`{{ ${path} }}`, `{{${path}}}`, `{{  ${path}\t}}`),
		),
	},
	// Expressions the fast path must leave to n8n.
	{
		weight: 1,
		arbitrary: fc.constantFrom(
			'{{ $json.name.toUpperCase() }}',
			'{{ $json.amount + 1 }}',
			'{{ $json["phone"] ?? "none" }}',
			"{{ 'lit' }}",
			'{{ $json . name }}',
		),
	},
);

const literal = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.constantFrom('', ' ', 'Hi ', ', your bill is ', ' 🎉\n', 'مرحبا ', '您好 '),
	},
	fc.constantFrom(
		'',
		' ',
		'Hi ',
		', your bill is ',
		' 🎉\n',
		'مرحبا ',
		'您好 ',
		'€ ',
		'50%',
		'a{b',
		'x}y',
		'}}',
		'back\\slash',
		'$json',
		'Mr.constructor ',
		'. constructor',
		'`',
		'${name}',
	),
	fc.string({ maxLength: 12 }),
);

/** A parameter as a workflow stores it: `=` and text with `{{ … }}` parts. */
export const generatedTemplate = fc
	.array(fc.tuple(literal, expression), { minLength: 1, maxLength: 4 })
	.chain((parts) =>
		literal.map((tail) => `=${parts.map(([text, expr]) => text + expr).join('')}${tail}`),
	);

const value = fc.oneof(
	{ weight: 4, arbitrary: fc.string({ maxLength: 20 }) },
	{ weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }) },
	{ weight: 3, arbitrary: fc.integer() },
	{ weight: 2, arbitrary: fc.double({ noNaN: true }) },
	{
		weight: 2,
		arbitrary: fc.constantFrom(
			0,
			-0,
			1e21,
			1e-7,
			447700900123,
			0.1,
			-5,
			true,
			false,
			'',
			' ',
			null,
			'0',
			'null',
			'undefined',
			'{{ $json.name }}',
		),
	},
	{ weight: 1, arbitrary: fc.array(fc.integer(), { maxLength: 3 }) },
	{ weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'b'), fc.integer(), { maxKeys: 2 }) },
);

/** Rows mostly hold the referenced fields; sometimes one is missing, as in real sheets. */
export const generatedRows = fc.array(
	fc
		.record({
			...Object.fromEntries(KEYS.map((key) => [key, value])),
			nested: fc.oneof(
				{ weight: 4, arbitrary: fc.record({ inner: value }) },
				{ weight: 1, arbitrary: value },
			),
		})
		.chain((full) =>
			fc.subarray(Object.keys(full), { maxLength: 1 }).map((drop) => {
				const copy: Record<string, unknown> = { ...full };
				for (const key of drop) delete copy[key];
				return copy;
			}),
		),
	{ minLength: 1, maxLength: 8 },
);
