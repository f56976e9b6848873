'use strict';
/**
 * The bench rows as plain objects: what a Google Sheets, Airtable, Postgres or Webhook node hands the next node
 * (the Code-node source gives n8n 1.x vm2 proxies instead, which it spends seconds copying). Both sources produce
 * the same rows (rows.js). With "File" set, the rows are the JSON array in that file (the delivery part's
 * {push_id, msg_id} rows).
 */
const fs = require('fs');
const { generateRows } = require('./rows');
const { description } = require('./description');

class BenchRows {
	constructor() {
		const file =
			'A JSON file holding an array of row objects, output instead of the generated rows';
		this.description = description({
			...{ name: 'benchRows', displayName: 'Bench Rows', group: 'input', defaults: 'Rows' },
			description:
				'Outputs N deterministic benchmark rows as plain objects (like a spreadsheet node)',
			properties: [
				{ displayName: 'Rows', name: 'rows', type: 'number', default: 1000 },
				{ displayName: 'File', name: 'file', type: 'string', default: '', description: file },
			],
		});
	}

	async execute() {
		const file = this.getNodeParameter('file', 0, '');
		const rows = file
			? JSON.parse(fs.readFileSync(file, 'utf8'))
			: generateRows(this.getNodeParameter('rows', 0), false);
		// One trigger item in; every row is paired to it, as a spreadsheet node pairs the rows it read to its input.
		return [rows.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

module.exports = { BenchRows };
