'use strict';
/**
 * The bench workflows (test/bench/README.md, "What runs"). Every one is Manual Trigger → "Warm up" → "Settle" →
 * "Rows" → what is measured. "Warm up" (a Code node) starts the task runner on 2.x and the Code sandbox on 1.x, so
 * the DIY chain's Code node is not charged for it; "Settle" (Wait, 2 s) lets n8n's start-up work in the background
 * finish first — a long-running n8n pays neither per execution. "Rows" gives the same rows (helper-nodes/rows.js)
 * as plain objects (source `table`, the Bench Rows node) or from a Code node (`code`). `measured`: the nodes whose
 * run-data executionTime is summed for the workflow's time.
 */
const { rowsCode } = require('./helper-nodes/rows');

const SOURCES = { table: 'rows as plain objects (Bench Rows node)', code: 'rows from a Code node' };
const CREDENTIAL = { id: 'benchPickyCred01', name: 'Picky Assist bench sandbox' };
/** Any token works on the sandbox; the DIY and per-row workflows carry it in their body like users do. */
const TOKEN = 'bench-token-not-a-secret';
const TEMPLATE = { id: '1234', language: 'en' };
const MESSAGE = '=Hi {{ $json.name }}, your order {{ $json.order }} is ready 🎉';

const kind = (label, batchSize, measured) => ({ label, batchSize, measured });
const PICKY = ['Picky Assist'];
const KINDS = {
	picky1000: kind('Picky Assist node, batch 1000', 1000, PICKY),
	picky100: kind('Picky Assist node, batch 100', 100, PICKY),
	template1000: kind('Picky Assist node, WhatsApp Template, batch 1000', 1000, PICKY),
	diy: kind('DIY: Code → HTTP Request → Split Out', 1000, ['Code', 'HTTP Request', 'Split Out']),
	http: kind('HTTP Request node, one request per row', 1, ['HTTP Request']),
	pass: kind('pass-through node (floor)', null, ['Pass Through']),
	// Not a floor: what a "do nothing" step costs when it is written as a Code node.
	codepass: kind('Code node returning its input (reference)', null, ['Code']),
};

/** The DIY user's cleanup of a number: strip everything that is not a digit, then a leading 00. */
const NAIVE_NUMBER = "String(json.phone).replace(/\\D/g, '').replace(/^00/, '')";
const DIY_CODE = `// What a user writes today: push bodies of 1000 rows with a naive number cleanup.
const bodies = [];
const rows = $input.all();
for (let i = 0; i < rows.length; i += 1000) {
  const data = rows.slice(i, i + 1000).map(({ json }) => ({
    number: ${NAIVE_NUMBER},
    message: \`Hi \${json.name}, your order \${json.order} is ready 🎉\`,
  }));
  bodies.push({ json: { token: '${TOKEN}', application: '8', priority: '0', globalmessage: '', data } });
}
return bodies;`;
/** The per-row push body of the `http` workflow: one row per push, the same number cleanup. */
const HTTP_ROW_BODY =
	`={{ { token: '${TOKEN}', application: '8', priority: '0', globalmessage: '', ` +
	`data: [{ number: ${NAIVE_NUMBER.replace('json.', '$json.')}, ` +
	"message: 'Hi ' + $json.name + ', your order ' + $json.order + ' is ready 🎉' }] } }}";

let uuid = 0;
const node = (name, type, typeVersion, parameters, extra = {}) => ({
	...{ id: `b0000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`, name, type },
	...{ typeVersion, position: [uuid * 220, 0], parameters, ...extra },
});
const code = (name, jsCode) => node(name, 'n8n-nodes-base.code', 2, { jsCode });
const http = (jsonBody, url) =>
	node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, {
		...{ method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options: {} },
	});
/** The Picky Assist node, Send Dynamic Messages, pacing off. */
const picky = (batchSize, parameters) =>
	node(
		'Picky Assist',
		'n8n-nodes-pickyassist.pickyAssist',
		1,
		{
			...{ resource: 'message', operation: 'sendDynamic', application: 8, ...parameters },
			options: { batchSize, maxPushesPerMinute: 0 },
			number: '={{ $json.phone }}',
		},
		{ credentials: { pickyAssistApi: { ...CREDENTIAL } } },
	);

/** The nodes after "Rows": what is measured. */
const MEASURED = {
	picky1000: () => [picky(1000, { message: MESSAGE })],
	picky100: () => [picky(100, { message: MESSAGE })],
	template1000: () => [
		picky(1000, {
			...{ content: 'template', templateId: TEMPLATE.id, templateLanguage: TEMPLATE.language },
			templateVariables: {
				variables: [{ value: '={{ $json.name }}' }, { value: '={{ $json.order }}' }],
			},
		}),
	],
	diy: (url) => [
		code('Code', DIY_CODE),
		http('={{ $json }}', url),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'data', options: {} }),
	],
	http: (url) => [http(HTTP_ROW_BODY, url)],
	pass: () => [node('Pass Through', 'n8n-nodes-bench-helpers.benchPassThrough', 1, {})],
	codepass: () => [code('Code', 'return $input.all();')],
};

/** The workflow JSON (as import:workflow reads it) of a kind, row count and row source; `url`: the push URL. */
function buildWorkflow(kindName, rows, source, url) {
	const id = `bench${Object.keys(KINDS).indexOf(kindName)}${source[0]}${String(rows).padStart(9, '0')}`;
	const nodes = [
		node('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		code('Warm up', 'return [{ json: { warm: true } }];'),
		node(
			'Settle',
			'n8n-nodes-base.wait',
			1.1,
			{ resume: 'timeInterval', amount: 2, unit: 'seconds' },
			{
				webhookId: `settle-${id}`,
			},
		),
		source === 'code'
			? code('Rows', rowsCode(rows))
			: node('Rows', 'n8n-nodes-bench-helpers.benchRows', 1, { rows }),
		...MEASURED[kindName](url),
	];
	const connections = Object.fromEntries(
		nodes
			.slice(1)
			.map((n, i) => [nodes[i].name, { main: [[{ node: n.name, type: 'main', index: 0 }]] }]),
	);
	const name = `Bench ${kindName}, ${rows} ${source} rows`;
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** The Picky Assist credential of every bench workflow: API Host "Custom URL" → the sandbox. */
const credentialOf = (sb) => ({
	...{ ...CREDENTIAL, type: 'pickyAssistApi' },
	data: { apiToken: TOKEN, apiHost: 'custom', customUrl: sb.baseUrl() },
});

module.exports = { KINDS, SOURCES, TEMPLATE, buildWorkflow, credentialOf };
