'use strict';
/**
 * The bench rows as plain objects: what a Google Sheets, Airtable, Postgres or Webhook node hands the next node
 * (the Code-node source gives n8n 1.x vm2 proxies instead, which it spends seconds copying). Both sources produce
 * the same rows (rows.js).
 */
const { generateRows } = require('./rows');
const { description } = require('./description');

class BenchRows {
	constructor() {
		this.description = description({
			...{ name: 'benchRows', displayName: 'Bench Rows', group: 'input', defaults: 'Rows' },
			description:
				'Outputs N deterministic benchmark rows as plain objects (like a spreadsheet node)',
			properties: [{ displayName: 'Rows', name: 'rows', type: 'number', default: 1000 }],
		});
	}

	async execute() {
		const rows = generateRows(this.getNodeParameter('rows', 0), false);
		// One trigger item in; every row is paired to it, as a spreadsheet node pairs the rows it read to its input.
		return [rows.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

module.exports = { BenchRows };
