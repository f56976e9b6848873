'use strict';
/**
 * A node that returns its input items unchanged: the time n8n records for it is n8n's own per-node cost
 * (input preparation, paired-item bookkeeping, run-data recording) for that many items — the floor any node pays.
 * Plain JS without dependencies (not even n8n-workflow); it sits at the package root, not in dist/, because the
 * repository's .gitignore ignores every dist/ folder.
 */
const { description } = require('./description');

class BenchPassThrough {
	constructor() {
		this.description = description({
			...{ name: 'benchPassThrough', displayName: 'Bench Pass Through', defaults: 'Pass Through' },
			description: 'Returns its input items unchanged (benchmark floor)',
		});
	}

	async execute() {
		return [this.getInputData()];
	}
}

module.exports = { BenchPassThrough };
