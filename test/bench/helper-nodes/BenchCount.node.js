'use strict';
/**
 * The last node of the webhook-burst workflows: for every execution it appends "<first msg_id> <entries> <items>"
 * to a file, so the bench counts executions and the Event Webhook entries that reached the workflow without
 * reading n8n's database (the bench runs with execution saving off, like a busy instance). A Webhook node item
 * counts its `body.data` entries, any other item (the Picky Assist Trigger gives one per entry) one.
 */
const fs = require('fs');
const { description } = require('./description');

class BenchCount {
	constructor() {
		this.description = description({
			...{ name: 'benchCount', displayName: 'Bench Count', defaults: 'Count' },
			description:
				'Appends "<first msg_id> <entries> <items>" per execution to a file (benchmark counter)',
			properties: [{ displayName: 'File', name: 'file', type: 'string', default: '' }],
		});
	}

	async execute() {
		const items = this.getInputData();
		let [entries, first] = [0, ''];
		for (const { json } of items) {
			const data = json && json.body && Array.isArray(json.body.data) ? json.body.data : [json];
			entries += data.length;
			if (first === '' && data[0]) first = String(data[0].msg_id);
		}
		fs.appendFileSync(
			this.getNodeParameter('file', 0),
			`${first || '-'} ${entries} ${items.length}\n`,
		);
		return [items];
	}
}

module.exports = { BenchCount };
