'use strict';
/**
 * Bench part "delivery": Get Delivery Report over N rows from N / 500 pushes against DIY chains of n8n's own nodes
 * (test/bench/README.md, "Get Delivery Report"). The sandbox's id counters restart at every reset, so each run gets
 * the same push_ids and msg_ids and the {push_id, msg_id} rows file is written once.
 *
 *   drNode   the Picky Assist node, Get Delivery Report, Max Requests per Minute 0
 *   drMerge  Code (one request per push_id) → HTTP Request → Split Out → Merge (by msg_id, Enrich Input 1). Merge v3
 *            compares every input-1 item with every input-2 item, so it only runs up to --delivery-merge-max rows.
 *   drCode   the same first three nodes → a Code node joining the entries by msg_id in a Map (the fastest DIY)
 */
const fs = require('fs');

require('tsx/cjs');
const { httpRequest } = require('../tooling/n8n-server.ts');
const { pairedIndex } = require('../tooling/n8n-cli.ts');
const { outputItems } = require('./checks');
const wf = require('./workflows');

const PER_PUSH = 500;
/** One message in ten fails: the sandbox fails the msg_ids divisible by 10. */
const FAILURE_SHARE = 0.1;

const DIY_FIRST = ['Build requests', 'HTTP Request', 'Split Out'];
const DR_KINDS = {
	drNode: {
		label: 'Picky Assist node, Get Delivery Report',
		code: 'RN',
		measured: ['Picky Assist'],
	},
	drMerge: {
		label: 'DIY: Code → HTTP Request → Split Out → Merge (by msg_id)',
		...{ code: 'RM', measured: [...DIY_FIRST, 'Merge'] },
	},
	drCode: {
		label: 'DIY: Code → HTTP Request → Split Out → Code (join by msg_id)',
		...{ code: 'RC', measured: [...DIY_FIRST, 'Join'] },
	},
};
const drWorkflowId = (kind, rows) =>
	wf.checkedId(`bench${DR_KINDS[kind].code}D${String(rows).padStart(8, '0')}`);

const BUILD_REQUESTS = [
	'// One delivery-report request per distinct push_id, the token in the body as Picky Assist wants it.',
	`const token = '${wf.TOKEN}';`,
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

/** The nodes after "Rows" of each kind; the DIY chains' first three run after Rows. */
function measuredNodes(kind, reportUrl) {
	if (kind === 'drNode') {
		const ids = { pushId: '={{ $json.push_id }}', msgId: '={{ $json.msg_id }}' };
		const parameters = { resource: 'message', operation: 'getDeliveryReport', ...ids };
		Object.assign(parameters, { options: { maxRequestsPerMinute: 0 } });
		return [
			wf.node('Picky Assist', wf.PICKY_TYPE, 1, 220, parameters, { credentials: wf.credentials }),
		];
	}
	const diy = [
		wf.codeNode('Build requests', 220, BUILD_REQUESTS),
		wf.httpNode(440, reportUrl, '={{ $json }}'),
		wf.splitOut(660, 'data'),
	];
	if (kind === 'drCode') return [...diy, wf.codeNode('Join', 880, JOIN)];
	return [
		...diy,
		wf.node('Merge', 'n8n-nodes-base.merge', 3.2, 880, {
			...{ mode: 'combine', combineBy: 'combineByFields', fieldsToMatchString: 'msg_id' },
			...{ joinMode: 'enrichInput1', options: {} },
		}),
	];
}

/** The workflow JSON of one kind at a row count. rowsFile: the JSON file of {push_id, msg_id} rows. */
function buildDeliveryWorkflow(kind, rows, { reportUrl, rowsFile }) {
	if (!DR_KINDS[kind]) throw new Error(`unknown delivery workflow kind ${kind}`);
	const nodes = [
		...wf.leadNodes(`settle-${kind}-${rows}`, { rows, file: rowsFile }),
		...measuredNodes(kind, reportUrl),
	];
	const names = nodes.map((n) => n.name);
	// Linear up to the last node, except that a Merge takes the rows as input 1 and the entries as input 2.
	const connections = wf.chain(kind === 'drMerge' ? names.slice(0, -1) : names);
	const to = (node, index) => ({ node, type: 'main', index });
	if (kind === 'drMerge') {
		connections.Rows.main[0].push(to('Merge', 0));
		connections['Split Out'] = { main: [[to('Merge', 1)]] };
	}
	const name = `Bench ${kind} ${rows} delivery rows`;
	return wf.workflowJson(drWorkflowId(kind, rows), name, nodes, connections);
}

/**
 * Resets the sandbox and lets it accept rows / 500 pushes of 500 rows; returns the {push_id, msg_id} rows in push
 * order. The sandbox's failureShare is FAILURE_SHARE for these pushes and restored afterwards.
 */
async function acceptPushes(sb, rows) {
	sb.reset();
	sb.configure({ failureShare: FAILURE_SHARE });
	const out = [];
	try {
		for (let p = 0; p < rows / PER_PUSH; p++) {
			const data = Array.from({ length: PER_PUSH }, (_, i) => ({
				number: `4477009${String(p * PER_PUSH + i).padStart(5, '0')}`,
				message: `Hi, your order PA-${100000 + p * PER_PUSH + i} is ready`,
			}));
			const { json: answer, text } = await httpRequest(`${sb.baseUrl()}/push`, {
				body: { token: wf.TOKEN, application: '8', priority: '0', globalmessage: '', data },
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

/**
 * Prepares the sandbox for one measurement: the pushes accepted again, and the rows file written (first time) or
 * checked to hold exactly the ids the sandbox handed out this time.
 */
async function prepare(sb, rows, rowsFile) {
	const got = await acceptPushes(sb, rows);
	if (!fs.existsSync(rowsFile)) fs.writeFileSync(rowsFile, JSON.stringify(got));
	else if (fs.readFileSync(rowsFile, 'utf8') !== JSON.stringify(got))
		throw new Error(
			'the sandbox handed out other ids than in the rows file (did reset() stop restoring its id counters?)',
		);
	return got;
}

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
	const out = outputItems(run, DR_KINDS[kind].measured.at(-1));
	if (out.length !== rowsData.length)
		problems.push(`output ${out.length} items, expected ${rowsData.length}`);
	const itemOk = (j, row, i) => {
		const fails = BigInt(row.msg_id) % BigInt(Math.round(1 / FAILURE_SHARE)) === 0n;
		if (String(j.msg_id) !== row.msg_id) return false;
		if (kind !== 'drNode') return String(j.status) === (fails ? '2' : '1');
		return (
			j.push_id === row.push_id &&
			j.status === (fails ? 'failed' : 'delivered') &&
			pairedIndex(out[i]) === i
		);
	};
	const bad = rowsData
		.slice(0, out.length)
		.map((row, i) => (itemOk(out[i].json || {}, row, i) ? -1 : i))
		.filter((i) => i >= 0);
	if (bad.length) {
		const [i] = bad;
		const first = `item ${i}: ${JSON.stringify(out[i].json || {}).slice(0, 200)} for row ${JSON.stringify(rowsData[i])}`;
		problems.push(`${bad.length} items without the row's msg_id and status (first: ${first})`);
	}
	return problems;
}

module.exports = {
	DR_KINDS,
	PER_PUSH,
	drWorkflowId,
	buildDeliveryWorkflow,
	prepare,
	verifyDelivery,
};
