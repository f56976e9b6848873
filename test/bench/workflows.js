'use strict';
/**
 * The send and template workflows (test/bench/README.md, "What runs"), and what the delivery and webhook parts
 * build theirs from. Every one starts Manual Trigger → "Warm up" → "Settle" → "Rows" → what is measured:
 * "Warm up" (a Code node) starts the task runner on 2.x and the Code sandbox on 1.x, so the DIY chain's Code node is
 * not charged for it; "Settle" (Wait, 2 s) lets n8n's start-up work in the background finish before the first
 * measured node — a long-running n8n pays neither per execution. "Rows" gives the same rows
 * (helper-nodes/rows.js) as plain objects (source `table`, the Bench Rows node) or from a Code node (`code`: vm2
 * proxies on 1.x, which n8n 1.x copies before the next node runs). `measured`: the nodes whose run-data
 * executionTime is summed for the workflow's time.
 */
const { rowsCode } = require('./helper-nodes/rows');

const PICKY_TYPE = 'n8n-nodes-pickyassist.pickyAssist';
const HELPERS = 'n8n-nodes-bench-helpers';

/** Where the rows come from; `letter` goes into the workflow id. */
const SOURCES = {
	table: { label: 'plain rows (like a spreadsheet node)', letter: 'T' },
	code: { label: 'rows from a Code node', letter: 'C' },
};
const CREDENTIAL = { id: 'benchPickyCred01', name: 'Picky Assist bench sandbox' };
/** Any token works on the sandbox; the DIY / per-row workflows carry it in their body like users do. */
const TOKEN = 'bench-token-not-a-secret';
/** The template of the template1000 workflow: its id, language and the row fields of {{1}} and {{2}}. */
const TEMPLATE = { id: '1234', language: 'en', fields: ['name', 'order'] };
const MESSAGE = '=Hi {{ $json.name }}, your order {{ $json.order }} is ready 🎉';

const kind = (label, code, batchSize, measured) => ({ label, code, batchSize, measured });
const [PICKY, DIY_NODES] = [['Picky Assist'], ['Build push bodies', 'HTTP Request', 'Split Out']];
const KINDS = {
	picky100: kind('Picky Assist node (batch 100)', 'PA', 100, PICKY),
	picky1000: kind('Picky Assist node (batch 1000)', 'PB', 1000, PICKY),
	template1000: kind('Picky Assist node, WhatsApp Template (batch 1000)', 'TM', 1000, PICKY),
	diy: kind('DIY: Code → HTTP Request → Split Out', 'DI', 1000, DIY_NODES),
	http: kind('HTTP Request, one push per row', 'HT', 1, ['HTTP Request']),
	pass: kind('pass-through node (n8n floor)', 'PT', null, ['Pass Through']),
	// Not a floor: what a "do nothing" step costs when it is written as a Code node.
	codepass: kind('Code node returning its input (reference)', 'CP', null, ['Code Pass Through']),
};

/** A workflow id as n8n wants it: 16 letters and digits. */
function checkedId(id) {
	if (!/^[A-Za-z0-9]{16}$/.test(id)) throw new Error(`bad workflow id ${id}`);
	return id;
}
const workflowId = (kind, rows, source) =>
	checkedId(`bench${KINDS[kind].code}${SOURCES[source].letter}${String(rows).padStart(8, '0')}`);

let uuidCounter = 0;
function node(name, type, typeVersion, x, parameters, extra = {}) {
	const id = `b0000000-0000-4000-8000-${String(++uuidCounter).padStart(12, '0')}`;
	return { id, name, type, typeVersion, position: [x, 0], parameters, ...extra };
}

/** Connections that run the nodes one after the other. */
const chain = (names) =>
	Object.fromEntries(
		names
			.slice(0, -1)
			.map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

/** The DIY user's cleanup of a number: strip everything that is not a digit, then a leading 00. */
const NAIVE_NUMBER = "String(json.phone).replace(/\\D/g, '').replace(/^00/, '')";
const DIY_CODE = [
	'// What a user writes today: group the rows into Picky Assist push bodies of 1000 with a naive number cleanup.',
	`const token = '${TOKEN}';`,
	'const rows = $input.all();',
	'const bodies = [];',
	'for (let i = 0; i < rows.length; i += 1000) {',
	'  const data = rows.slice(i, i + 1000).map(({ json }) => ({',
	`    number: ${NAIVE_NUMBER},`,
	'    message: `Hi ${json.name}, your order ${json.order} is ready 🎉`,',
	'  }));',
	"  bodies.push({ json: { token, application: '8', priority: '0', globalmessage: '', data } });",
	'}',
	'return bodies;',
].join('\n');
/** The per-row push body of the `http` workflow: one row per push, the DIY number cleanup. */
const HTTP_ROW_BODY =
	`={{ { token: '${TOKEN}', application: '8', priority: '0', globalmessage: '', ` +
	`data: [{ number: ${NAIVE_NUMBER.replace('json.', '$json.')}, ` +
	"message: 'Hi ' + $json.name + ', your order ' + $json.order + ' is ready 🎉' }] } }}";

const credentials = { pickyAssistApi: { ...CREDENTIAL } };
/** The Picky Assist node at x = 440, Send Dynamic Messages with pacing off. */
function pickyNode(k, parameters) {
	const options = { batchSize: k.batchSize, maxPushesPerMinute: 0 };
	const all = {
		resource: 'message',
		operation: 'sendDynamic',
		application: 8,
		...parameters,
		options,
	};
	return node('Picky Assist', PICKY_TYPE, 1, 440, all, { credentials });
}

/** An HTTP Request node POSTing `jsonBody` to `url`. */
const httpNode = (x, url, jsonBody) =>
	node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, x, {
		...{ method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options: {} },
	});
const splitOut = (x, fieldToSplitOut) =>
	node('Split Out', 'n8n-nodes-base.splitOut', 1, x, { fieldToSplitOut, options: {} });
const codeNode = (name, x, jsCode) => node(name, 'n8n-nodes-base.code', 2, x, { jsCode });

/** The nodes after "Rows" of each kind: what is measured. */
const MEASURED_NODES = {
	template1000: (k) => [
		pickyNode(k, {
			...{ content: 'template', templateId: TEMPLATE.id, templateLanguage: TEMPLATE.language },
			templateVariables: {
				variables: TEMPLATE.fields.map((f) => ({ value: `={{ $json.${f} }}` })),
			},
			number: '={{ $json.phone }}',
		}),
	],
	picky100: (k) => [pickyNode(k, { number: '={{ $json.phone }}', message: MESSAGE })],
	picky1000: (k) => MEASURED_NODES.picky100(k),
	diy: (k, pushUrl) => [
		codeNode('Build push bodies', 440, DIY_CODE),
		httpNode(660, pushUrl, '={{ $json }}'),
		splitOut(880, 'data'),
	],
	http: (k, pushUrl) => [httpNode(440, pushUrl, HTTP_ROW_BODY)],
	pass: () => [node('Pass Through', `${HELPERS}.benchPassThrough`, 1, 440, {})],
	codepass: () => [codeNode('Code Pass Through', 440, 'return $input.all();')],
};

const SETTLE = { resume: 'timeInterval', amount: 2, unit: 'seconds' };
/** Manual Trigger → Warm up → Settle (`settleId`: its webhook id) → the Rows node; `rows` are its parameters. */
const leadNodes = (settleId, rows) => [
	node('Start', 'n8n-nodes-base.manualTrigger', 1, -660, {}),
	codeNode('Warm up', -440, 'return [{ json: { warm: true } }];'),
	node('Settle', 'n8n-nodes-base.wait', 1.1, -220, SETTLE, { webhookId: settleId }),
	rows.jsCode ? codeNode('Rows', 0, rows.jsCode) : node('Rows', `${HELPERS}.benchRows`, 1, 0, rows),
];

/** An inactive workflow as n8n's import:workflow reads it. */
const workflowJson = (id, name, nodes, connections) => ({
	...{ id, name, active: false, nodes, connections },
	...{ settings: { executionOrder: 'v1' }, pinData: {}, tags: [] },
});

/** The workflow JSON for one kind, row count and row source. pushUrl: the sandbox's …/api/v2/push. */
function buildWorkflow(kind, rows, { pushUrl, source = 'table' }) {
	if (!KINDS[kind] || !SOURCES[source])
		throw new Error(`unknown workflow kind ${kind} or row source ${source}`);
	const rowsNode = source === 'code' ? { jsCode: rowsCode(rows) } : { rows };
	const nodes = [
		...leadNodes(`settle-${kind}-${rows}-${source}`, rowsNode),
		...MEASURED_NODES[kind](KINDS[kind], pushUrl),
	];
	const name = `Bench ${kind} ${rows} rows from ${source}`;
	return workflowJson(workflowId(kind, rows, source), name, nodes, chain(nodes.map((n) => n.name)));
}

/** The Picky Assist credential every bench workflow uses: API Host "Custom URL" → the sandbox. */
const credentialOf = (sb) => ({
	...{ ...CREDENTIAL, type: 'pickyAssistApi' },
	data: { apiToken: TOKEN, apiHost: 'custom', customUrl: sb.baseUrl() },
});

module.exports = {
	...{ KINDS, SOURCES, TOKEN, TEMPLATE, HELPERS, PICKY_TYPE, credentials, credentialOf },
	...{
		node,
		chain,
		leadNodes,
		workflowJson,
		httpNode,
		splitOut,
		codeNode,
		checkedId,
		workflowId,
		buildWorkflow,
	},
};
