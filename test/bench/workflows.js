'use strict';
/**
 * The benchmark workflows. Every one starts Manual Trigger → "Warm up" → "Settle" → "Rows" → the workflow under
 * test. "Warm up" is a Code node returning one item: it starts the task runner on n8n 2.x (slow the first time)
 * and loads the Code node's sandbox on 1.x, so the DIY chain's Code node is not charged for that. "Settle" (a Wait
 * node, 2 s, in-process) lets n8n's start-up work that runs in the background finish, so it does not land in the
 * executionTime of the first node measured — a long-running n8n has neither cost per execution. "Rows" generates
 * the same N rows inside n8n (test/bench/helper-nodes/rows.js) from one of two sources:
 *
 *   table   the Bench Rows node (test/bench/helper-nodes): plain objects, as Google Sheets, Airtable, databases and
 *           webhooks hand rows to the next node — the case the node is built for
 *   code    a Code node: on n8n 1.x its output items are vm2 proxies, which n8n 1.x copies before the next node
 *           runs (a cost of this source that lands in the next node's executionTime)
 *
 * The workflows under test:
 *
 *   picky100 / picky1000  the Picky Assist node, Batch Size 100 / 1000, pacing off (Max Pushes per Minute 0)
 *   template1000          the same node and rows with Content "WhatsApp Template": Template ID 1234, language en,
 *                         two variables from the row ({{ $json.name }}, {{ $json.order }}) — against picky1000
 *                         (Content "Text", one message built from the same two fields)
 *   diy                   what users build today: Code (aggregate rows into push bodies of 1000, naive number cleanup)
 *                         → HTTP Request (POST JSON, body = the item) → Split Out on `data`
 *   http                  n8n's HTTP Request node, one push per row
 *   pass                  a node that returns its input unchanged (test/bench/helper-nodes): n8n's per-node floor
 *   codepass              a Code node that returns its input (`return $input.all();`): not a floor, but what a
 *                         "do nothing" step costs when it is written as a Code node (reference, ≤ 10k rows)
 *
 * `measured` lists the nodes whose run-data executionTime is summed for the workflow's time.
 */
const { rowsCode } = require('./helper-nodes/rows');

const PICKY_TYPE = 'n8n-nodes-pickyassist.pickyAssist';
const HELPERS = 'n8n-nodes-bench-helpers';
const PASS_TYPE = `${HELPERS}.benchPassThrough`;
const ROWS_TYPE = `${HELPERS}.benchRows`;

const SETTLE_SECONDS = 2;

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

/** The DIY user's cleanup: strip everything that is not a digit, then a leading 00. */
const NAIVE_NUMBER = "String(json.phone).replace(/\\D/g, '').replace(/^00/, '')";

const KINDS = {
	picky100: {
		label: 'Picky Assist node (batch 100)',
		code: 'PA',
		batchSize: 100,
		measured: ['Picky Assist'],
	},
	picky1000: {
		label: 'Picky Assist node (batch 1000)',
		code: 'PB',
		batchSize: 1000,
		measured: ['Picky Assist'],
	},
	template1000: {
		label: 'Picky Assist node, WhatsApp Template (batch 1000)',
		code: 'TM',
		batchSize: 1000,
		measured: ['Picky Assist'],
	},
	diy: {
		label: 'DIY: Code → HTTP Request → Split Out',
		code: 'DI',
		batchSize: 1000,
		measured: ['Build push bodies', 'HTTP Request', 'Split Out'],
	},
	http: {
		label: 'HTTP Request, one push per row',
		code: 'HT',
		batchSize: 1,
		measured: ['HTTP Request'],
	},
	pass: {
		label: 'pass-through node (n8n floor)',
		code: 'PT',
		batchSize: null,
		measured: ['Pass Through'],
	},
	codepass: {
		label: 'Code node returning its input (reference)',
		code: 'CP',
		batchSize: null,
		measured: ['Code Pass Through'],
	},
};

function workflowId(kind, rows, source) {
	const id = `bench${KINDS[kind].code}${SOURCES[source].letter}${String(rows).padStart(8, '0')}`;
	if (!/^[A-Za-z0-9]{16}$/.test(id)) throw new Error(`bad workflow id ${id}`);
	return id;
}

let uuidCounter = 0;
function node(name, type, typeVersion, x, parameters, extra = {}) {
	uuidCounter++;
	return {
		id: `b0000000-0000-4000-8000-${String(uuidCounter).padStart(12, '0')}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	};
}

function chain(names) {
	const connections = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function diyCode() {
	return [
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
}

/** A Picky Assist Send node at x = 440 with these parameters besides the common ones. */
const pickyNode = (k, parameters) =>
	node(
		'Picky Assist',
		PICKY_TYPE,
		1,
		440,
		{
			resource: 'message',
			operation: 'sendDynamic',
			application: 8,
			...parameters,
			options: { batchSize: k.batchSize, maxPushesPerMinute: 0 },
		},
		{ credentials: { pickyAssistApi: { ...CREDENTIAL } } },
	);

/** An HTTP Request node POSTing `jsonBody` to the push URL. */
const httpNode = (x, pushUrl, jsonBody) =>
	node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, x, {
		...{ method: 'POST', url: pushUrl, sendBody: true, specifyBody: 'json', jsonBody },
		options: {},
	});

/** The per-row push body of the `http` workflow: one row per push, the DIY number cleanup. */
const HTTP_ROW_BODY =
	`={{ { token: '${TOKEN}', application: '8', priority: '0', globalmessage: '', ` +
	"data: [{ number: String($json.phone).replace(/\\D/g, '').replace(/^00/, ''), " +
	"message: 'Hi ' + $json.name + ', your order ' + $json.order + ' is ready 🎉' }] } }}";

/** The nodes after "Rows" of each kind: what is measured. */
const MEASURED_NODES = {
	template1000: (k) => [
		pickyNode(k, {
			content: 'template',
			templateId: TEMPLATE.id,
			templateLanguage: TEMPLATE.language,
			templateVariables: {
				variables: TEMPLATE.fields.map((f) => ({ value: `={{ $json.${f} }}` })),
			},
			number: '={{ $json.phone }}',
		}),
	],
	picky100: (k) => [
		pickyNode(k, {
			number: '={{ $json.phone }}',
			message: '=Hi {{ $json.name }}, your order {{ $json.order }} is ready 🎉',
		}),
	],
	diy: (k, pushUrl) => [
		node('Build push bodies', 'n8n-nodes-base.code', 2, 440, { jsCode: diyCode() }),
		httpNode(660, pushUrl, '={{ $json }}'),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, 880, { fieldToSplitOut: 'data', options: {} }),
	],
	http: (k, pushUrl) => [httpNode(440, pushUrl, HTTP_ROW_BODY)],
	pass: () => [node('Pass Through', PASS_TYPE, 1, 440, {})],
	codepass: () => [
		node('Code Pass Through', 'n8n-nodes-base.code', 2, 440, { jsCode: 'return $input.all();' }),
	],
};
MEASURED_NODES.picky1000 = MEASURED_NODES.picky100;

/**
 * The nodes every bench workflow starts with: Manual Trigger → Warm up → Settle (SETTLE_SECONDS; `settleId` is its
 * webhook id) → the given Rows node.
 */
const leadNodes = (settleId, rowsNode) => [
	node('Start', 'n8n-nodes-base.manualTrigger', 1, -660, {}),
	node('Warm up', 'n8n-nodes-base.code', 2, -440, {
		jsCode: 'return [{ json: { warm: true } }];',
	}),
	node(
		'Settle',
		'n8n-nodes-base.wait',
		1.1,
		-220,
		{ resume: 'timeInterval', amount: SETTLE_SECONDS, unit: 'seconds' },
		{ webhookId: settleId },
	),
	rowsNode(),
];

/** An inactive workflow as n8n's import:workflow reads it. */
const workflowJson = (id, name, nodes, connections) => ({
	id,
	name,
	active: false,
	nodes,
	connections,
	settings: { executionOrder: 'v1' },
	pinData: {},
	tags: [],
});

/** Builds the workflow JSON for one kind, row count and row source. pushUrl: the sandbox's …/api/v2/push. */
function buildWorkflow(kind, rows, { pushUrl, source = 'table' }) {
	const k = KINDS[kind];
	if (!k) throw new Error(`unknown workflow kind ${kind}`);
	if (!SOURCES[source]) throw new Error(`unknown row source ${source}`);
	const nodes = [
		...leadNodes(`settle-${kind}-${rows}-${source}`, () =>
			source === 'code'
				? node('Rows', 'n8n-nodes-base.code', 2, 0, { jsCode: rowsCode(rows) })
				: node('Rows', ROWS_TYPE, 1, 0, { rows }),
		),
		...MEASURED_NODES[kind](k, pushUrl),
	];
	const names = nodes.map((n) => n.name);
	return workflowJson(
		workflowId(kind, rows, source),
		workflowName(kind, rows, source),
		nodes,
		chain(names),
	);
}

function workflowName(kind, rows, source) {
	return `Bench ${kind} ${rows} rows from ${source}`;
}

module.exports = {
	KINDS,
	SOURCES,
	TOKEN,
	CREDENTIAL,
	TEMPLATE,
	HELPERS,
	node,
	chain,
	leadNodes,
	workflowJson,
	httpNode,
	PICKY_TYPE,
	PASS_TYPE,
	ROWS_TYPE,
	workflowId,
	workflowName,
	buildWorkflow,
};
