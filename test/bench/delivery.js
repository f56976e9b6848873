'use strict';
/**
 * Bench part "delivery": Get Delivery Report over N rows from N / 500 pushes (100,000 rows from 200 pushes in the
 * full run), against what users build from n8n's own nodes.
 *
 * Before every measurement the sandbox is reset and accepts the pushes (500 rows each, posted by the bench
 * itself; the sandbox's id counters restart at reset, so every run gets the same push_ids and msg_ids). One in
 * ten messages fails (failureShare 0.1: the msg_ids divisible by 10), the others are delivered. The
 * {push_id, msg_id} rows are written once to a JSON file, which the Bench Rows node outputs as plain objects —
 * the rows a sheet holds after a Send. The workflows (each Manual Trigger → Warm up → Settle → Rows → …):
 *
 *   drNode   the Picky Assist node, Get Delivery Report (Push ID {{ $json.push_id }}, Message ID
 *            {{ $json.msg_id }}, Max Requests per Minute 0)
 *   drMerge  DIY with n8n's Merge node: Code (one {token, push_id} request per distinct push_id) → HTTP Request
 *            (POST delivery-report, body {{ $json }}) → Split Out (data) → Merge (combine by field msg_id,
 *            "Enrich Input 1", input 1 = the rows). n8n's Merge by fields compares every input-1 item with every
 *            input-2 item (Merge v3 helpers/utils.js findMatches), so it only runs up to --delivery-merge-max rows.
 *   drCode   DIY with a Code-node join (the fastest DIY): the same first three nodes, then a Code node that
 *            indexes the report entries by msg_id in a Map and enriches $('Rows').all() from it.
 *
 * Checked every run: exactly one delivery-report call per push at the sandbox, one output item per row with the
 * row's msg_id (the node's also paired to its row and with its push_id) and the status the sandbox set.
 */
const fs = require('fs');
const path = require('path');

require('tsx/cjs');
const { httpRequest } = require('../tooling/n8n-server.ts');
const { pairedIndex } = require('../tooling/n8n-cli.ts');
const { outputItems } = require('./checks');
const {
	TOKEN,
	CREDENTIAL,
	PICKY_TYPE,
	ROWS_TYPE,
	node,
	leadNodes,
	workflowJson,
	httpNode,
} = require('./workflows');

const PER_PUSH = 500;
const FAILURE_SHARE = 0.1;

const DR_KINDS = {
	drNode: {
		label: 'Picky Assist node, Get Delivery Report',
		code: 'RN',
		measured: ['Picky Assist'],
	},
	drMerge: {
		label: 'DIY: Code → HTTP Request → Split Out → Merge (by msg_id)',
		code: 'RM',
		measured: ['Build requests', 'HTTP Request', 'Split Out', 'Merge'],
	},
	drCode: {
		label: 'DIY: Code → HTTP Request → Split Out → Code (join by msg_id)',
		code: 'RC',
		measured: ['Build requests', 'HTTP Request', 'Split Out', 'Join'],
	},
};

function drWorkflowId(kind, rows) {
	const id = `bench${DR_KINDS[kind].code}D${String(rows).padStart(8, '0')}`;
	if (!/^[A-Za-z0-9]{16}$/.test(id)) throw new Error(`bad workflow id ${id}`);
	return id;
}
const drWorkflowName = (kind, rows) => `Bench ${kind} ${rows} delivery rows`;

const BUILD_REQUESTS = [
	'// One delivery-report request per distinct push_id, the token in the body as Picky Assist wants it.',
	`const token = '${TOKEN}';`,
	'const seen = new Set();',
	'const out = [];',
	'for (const { json } of $input.all()) {',
	'  if (seen.has(json.push_id)) continue;',
	'  seen.add(json.push_id);',
	'  out.push({ json: { token, push_id: json.push_id } });',
	'}',
	'return out;',
].join('\n');

const JOIN = [
	'// Every row with its report entry, found by msg_id.',
	'const report = new Map();',
	'for (const { json } of $input.all()) report.set(String(json.msg_id), json);',
	"return $('Rows').all().map(({ json }, i) => ({",
	"  json: { ...json, ...(report.get(String(json.msg_id)) || { status: 'pending' }) },",
	'  pairedItem: { item: i },',
	'}));',
].join('\n');

/** The nodes after "Rows" of each kind, and their connections (`link(from, to, input)`). */
const MEASURED_NODES = {
	drNode: (reportUrl, link) => {
		link('Rows', 'Picky Assist');
		return [
			node(
				'Picky Assist',
				PICKY_TYPE,
				1,
				220,
				{
					resource: 'message',
					operation: 'getDeliveryReport',
					pushId: '={{ $json.push_id }}',
					msgId: '={{ $json.msg_id }}',
					options: { maxRequestsPerMinute: 0 },
				},
				{ credentials: { pickyAssistApi: { ...CREDENTIAL } } },
			),
		];
	},
	drMerge: (reportUrl, link) => {
		const diy = diyRequestNodes(reportUrl, link);
		link('Rows', 'Merge', 0);
		link('Split Out', 'Merge', 1);
		return [
			...diy,
			node('Merge', 'n8n-nodes-base.merge', 3.2, 880, {
				mode: 'combine',
				combineBy: 'combineByFields',
				fieldsToMatchString: 'msg_id',
				joinMode: 'enrichInput1',
				options: {},
			}),
		];
	},
	drCode: (reportUrl, link) => {
		const diy = diyRequestNodes(reportUrl, link);
		link('Split Out', 'Join');
		return [...diy, node('Join', 'n8n-nodes-base.code', 2, 880, { jsCode: JOIN })];
	},
};

/** The DIY chains' first three nodes: Code (the requests) → HTTP Request → Split Out. */
function diyRequestNodes(reportUrl, link) {
	link('Rows', 'Build requests');
	link('Build requests', 'HTTP Request');
	link('HTTP Request', 'Split Out');
	return [
		node('Build requests', 'n8n-nodes-base.code', 2, 220, { jsCode: BUILD_REQUESTS }),
		httpNode(440, reportUrl, '={{ $json }}'),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, 660, { fieldToSplitOut: 'data', options: {} }),
	];
}

/** The workflow JSON of one kind at a row count. rowsFile: the JSON file of {push_id, msg_id} rows. */
function buildDeliveryWorkflow(kind, rows, { reportUrl, rowsFile }) {
	if (!DR_KINDS[kind]) throw new Error(`unknown delivery workflow kind ${kind}`);
	const connections = {};
	const link = (from, to, index = 0) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index });
	};
	const nodes = leadNodes(`settle-${kind}-${rows}`, () =>
		node('Rows', ROWS_TYPE, 1, 0, { rows, file: rowsFile }),
	);
	link('Start', 'Warm up');
	link('Warm up', 'Settle');
	link('Settle', 'Rows');
	nodes.push(...MEASURED_NODES[kind](reportUrl, link));
	return workflowJson(drWorkflowId(kind, rows), drWorkflowName(kind, rows), nodes, connections);
}

// ------------------------------------------------------------------------------------------------ the pushes

/**
 * Resets the sandbox and lets it accept rows / 500 pushes of 500 rows; returns the {push_id, msg_id} rows in push
 * order. The sandbox's failureShare is FAILURE_SHARE for these pushes and restored afterwards.
 */
async function acceptPushes(sb, rows) {
	if (rows % PER_PUSH)
		throw new Error(`delivery rows must be a multiple of ${PER_PUSH}, got ${rows}`);
	sb.reset();
	sb.configure({ failureShare: FAILURE_SHARE });
	const out = [];
	try {
		for (let p = 0; p < rows / PER_PUSH; p++) {
			const data = [];
			for (let i = 0; i < PER_PUSH; i++) {
				const n = p * PER_PUSH + i;
				data.push({
					number: `4477009${String(n).padStart(5, '0')}`,
					message: `Hi, your order PA-${100000 + n} is ready`,
				});
			}
			const { json: answer, text } = await httpRequest(`${sb.baseUrl()}/push`, {
				body: { token: TOKEN, application: '8', priority: '0', globalmessage: '', data },
			});
			if (answer?.status !== 100)
				throw new Error(`the sandbox refused push ${p + 1}: ${text.slice(0, 300)}`);
			for (const e of answer.data) out.push({ push_id: answer.push_id, msg_id: e.msg_id });
		}
	} finally {
		sb.configure({ failureShare: 0 });
	}
	return out;
}

/** The status the sandbox reports for a msg_id (failureShare 0.1 = 1/10: the msg_ids divisible by 10 fail). */
const failsExpected = (msgId) => BigInt(msgId) % BigInt(Math.round(1 / FAILURE_SHARE)) === 0n;

/**
 * Prepares the sandbox for one measurement: the pushes accepted again, and the rows file written (first time) or
 * checked to hold exactly the ids the sandbox handed out this time.
 */
async function prepare(sb, rows, rowsFile) {
	const got = await acceptPushes(sb, rows);
	if (!fs.existsSync(rowsFile)) {
		fs.mkdirSync(path.dirname(rowsFile), { recursive: true });
		fs.writeFileSync(rowsFile, JSON.stringify(got));
		return got;
	}
	const want = JSON.parse(fs.readFileSync(rowsFile, 'utf8'));
	if (
		want.length !== got.length ||
		want.some((r, i) => r.push_id !== got[i].push_id || r.msg_id !== got[i].msg_id)
	)
		throw new Error(
			'the sandbox handed out other ids than in the rows file (did reset() stop restoring its id counters?)',
		);
	return got;
}

// ------------------------------------------------------------------------------------------------ checks

/** Problems with one run (empty = fine): report calls at the sandbox, one item per row, statuses. */
function verifyDelivery(kind, rowsData, run, sb) {
	const problems = [];
	const pushes = rowsData.length / PER_PUSH;
	const calls = sb.requests.filter((r) => r.endpoint === 'delivery-report');
	if (calls.length !== pushes)
		problems.push(`${calls.length} delivery-report calls, expected ${pushes} (one per push)`);
	const asked = new Set(calls.map((r) => r.body && String(r.body.push_id)));
	if (asked.size !== calls.length)
		problems.push(`${calls.length - asked.size} delivery-report calls repeated a push_id`);
	const out = outputItems(run, DR_KINDS[kind].measured[DR_KINDS[kind].measured.length - 1]);
	if (out.length !== rowsData.length)
		problems.push(`output ${out.length} items, expected ${rowsData.length}`);
	let bad = 0;
	let first = '';
	for (let i = 0; i < Math.min(out.length, rowsData.length); i++) {
		const j = out[i].json || {};
		const row = rowsData[i];
		const fails = failsExpected(row.msg_id);
		let ok = String(j.msg_id) === row.msg_id;
		if (kind === 'drNode')
			ok =
				ok &&
				j.push_id === row.push_id &&
				j.status === (fails ? 'failed' : 'delivered') &&
				pairedIndex(out[i]) === i;
		else ok = ok && String(j.status) === (fails ? '2' : '1');
		if (!ok) {
			bad++;
			if (!first)
				first = `item ${i}: ${JSON.stringify(j).slice(0, 200)} for row ${JSON.stringify(row)}`;
		}
	}
	if (bad) problems.push(`${bad} items without the row's msg_id and status (first: ${first})`);
	return problems;
}

module.exports = {
	DR_KINDS,
	PER_PUSH,
	FAILURE_SHARE,
	drWorkflowId,
	drWorkflowName,
	buildDeliveryWorkflow,
	prepare,
	verifyDelivery,
};
