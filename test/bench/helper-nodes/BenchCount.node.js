'use strict';
/**
 * The last node of the webhook-burst workflows: for every execution it appends one line to a file —
 * "<first msg_id> <entries> <items>" — so the bench can count executions and the Event Webhook entries that reached
 * the workflow without reading n8n's database (the bench runs with execution saving off, like a busy instance).
 * `entries` counts a Webhook node item's `body.data` entries, and every other item (the Picky Assist Trigger gives
 * one item per entry) as one. Its input is returned unchanged. Plain JS, no dependencies, loaded by n8n as type
 * `n8n-nodes-bench-helpers.benchCount`.
 */
const fs = require('fs');

class BenchCount {
	constructor() {
		this.description = {
			displayName: 'Bench Count',
			name: 'benchCount',
			group: ['transform'],
			version: 1,
			description:
				'Appends "<first msg_id> <entries> <items>" per execution to a file (benchmark counter)',
			defaults: { name: 'Count' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'File', name: 'file', type: 'string', default: '' }],
		};
	}

	async execute() {
		const items = this.getInputData();
		const file = this.getNodeParameter('file', 0);
		let entries = 0;
		let first = '';
		for (const { json } of items) {
			const data = json && json.body && Array.isArray(json.body.data) ? json.body.data : null;
			if (data) {
				entries += data.length;
				if (first === '' && data[0]) first = String(data[0].msg_id);
			} else {
				entries += 1;
				if (first === '') first = String(json.msg_id);
			}
		}
		fs.appendFileSync(file, `${first || '-'} ${entries} ${items.length}\n`);
		return [items];
	}
}

module.exports = { BenchCount };
