'use strict';
/**
 * The bench rows as plain objects: what a Google Sheets, Airtable, Postgres or Webhook node hands the next node.
 * The other row source of the bench, a Code node, gives n8n 1.x (Code nodes run in vm2 there) proxies instead,
 * and n8n 1.x then spends seconds copying them before the next node runs — a cost of that source, not of the
 * node measured after it. Both sources produce the same rows (rows.js, deterministic).
 * Plain JS, no dependencies, loaded by n8n as type `n8n-nodes-bench-helpers.benchRows`.
 */
const { generateRows } = require('./rows');

class BenchRows {
	constructor() {
		this.description = {
			displayName: 'Bench Rows',
			name: 'benchRows',
			group: ['input'],
			version: 1,
			description: 'Outputs N deterministic benchmark rows as plain objects (like a spreadsheet node)',
			defaults: { name: 'Rows' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'Rows', name: 'rows', type: 'number', default: 1000 }],
		};
	}

	async execute() {
		const n = this.getNodeParameter('rows', 0);
		// One trigger item in; every row is paired to it, as a spreadsheet node pairs the rows it read to its input.
		return [generateRows(n, false).map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

module.exports = { BenchRows };
