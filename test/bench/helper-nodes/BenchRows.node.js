'use strict';
/**
 * The bench rows as plain objects: what a Google Sheets, Airtable, Postgres or Webhook node hands the next node.
 * The other row source of the bench, a Code node, gives n8n 1.x (Code nodes run in vm2 there) proxies instead,
 * and n8n 1.x then spends seconds copying them before the next node runs — a cost of that source, not of the
 * node measured after it. Both sources produce the same rows (rows.js, deterministic).
 * With "File" set, the rows are instead the JSON array in that file (the Get Delivery Report bench writes its
 * {push_id, msg_id} rows there): still plain objects, still paired to the one trigger item.
 * Plain JS, no dependencies, loaded by n8n as type `n8n-nodes-bench-helpers.benchRows`.
 */
const fs = require('fs');
const { generateRows } = require('./rows');

class BenchRows {
	constructor() {
		this.description = {
			displayName: 'Bench Rows',
			name: 'benchRows',
			group: ['input'],
			version: 1,
			description:
				'Outputs N deterministic benchmark rows as plain objects (like a spreadsheet node)',
			defaults: { name: 'Rows' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Rows', name: 'rows', type: 'number', default: 1000 },
				{
					displayName: 'File',
					name: 'file',
					type: 'string',
					default: '',
					description:
						'A JSON file holding an array of row objects, output instead of the generated rows',
				},
			],
		};
	}

	async execute() {
		const n = this.getNodeParameter('rows', 0);
		const file = this.getNodeParameter('file', 0, '');
		const rows = file ? JSON.parse(fs.readFileSync(file, 'utf8')) : generateRows(n, false);
		// One trigger item in; every row is paired to it, as a spreadsheet node pairs the rows it read to its input.
		return [rows.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

module.exports = { BenchRows };
