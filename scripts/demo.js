#!/usr/bin/env node
'use strict';
/**
 * `npm start` (after `npm run build`): runs the example workflow "Spreadsheet rows → Picky Assist" through n8n's
 * engine (in-process) against the bundled sandbox on 127.0.0.1, then shows what each row became and what the
 * sandbox received. No Picky Assist account and no network are needed.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

// n8n's engine keeps an encryption key in $N8N_USER_FOLDER/.n8n/config — by default the user's own n8n folder — and
// logs a line when it creates one. The demo gives it a folder of its own, removed on exit, and a key, so that it
// leaves nothing behind and prints only the demo. Set before the harness loads n8n-core, which reads them.
const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-demo-n8n-'));
process.on('exit', () => fs.rmSync(userFolder, { recursive: true, force: true }));
Object.assign(process.env, {
	N8N_USER_FOLDER: userFolder,
	N8N_ENCRYPTION_KEY: 'picky-demo-encryption-key-not-secret',
	N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'silent',
});

// The in-process harness and the sandbox are TypeScript: tsx compiles them on require.
require('tsx/cjs');
const { startSandbox } = require('../test/sandbox');
const { readWorkflow, runWorkflow } = require('../test/tooling/harness.ts');

const DEMO_TOKEN = 'demo-token-not-a-real-one';

async function main() {
	const sandbox = await startSandbox({ tokens: [DEMO_TOKEN], balance: 25 });
	try {
		const workflow = readWorkflow('examples/spreadsheet-rows-to-picky-assist.json');
		console.log(`Workflow: ${workflow.name}  (examples/spreadsheet-rows-to-picky-assist.json)`);
		console.log(
			`Sandbox:  ${sandbox.baseUrl()}  (credential "Picky Assist sandbox", API Host: Custom URL)\n`,
		);

		const result = await runWorkflow(workflow, {
			credentials: { apiToken: DEMO_TOKEN, apiHost: 'custom', customUrl: sandbox.baseUrl() },
		});
		if (result.error) {
			console.error(`The workflow failed: ${result.error.message}`);
			process.exitCode = 1;
			return;
		}

		const inputRows = result.run.data.resultData.runData['Spreadsheet rows'][0].data.main[0];
		const rows = result.output.map((item) => {
			const row = item.pairedItem.item;
			const details =
				typeof item.json.error === 'object' && item.json.error !== null ? item.json.error : {};
			return {
				row,
				name: inputRows[row].json.name,
				'phone in sheet': inputRows[row].json.phone,
				'number sent': item.json.number || details.number || '',
				state: item.json.state || details.state,
				msg_id: item.json.msg_id || '',
				push_id: item.json.push_id || details.push_id || '',
			};
		});
		console.log('What each row became (one output item per msg_id, paired to its row):');
		console.table(rows);

		console.log(`\nWhat the sandbox received: ${sandbox.pushes().length} push(es)`);
		for (const push of sandbox.pushes()) {
			const { token, data, ...rest } = push.body;
			console.log(
				`\nPOST ${push.path}  token=${token ? '***' : '(none)'}  ${JSON.stringify(rest)}`,
			);
			console.table(data.map(({ number, message }) => ({ number, message })));
		}
		console.log(`\nSandbox balance left: ${sandbox.balance}`);
		console.log(
			'\nNext: "npm test" runs every test; "npm run sandbox" starts the sandbox for your own n8n (see README).',
		);
	} finally {
		await sandbox.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
