'use strict';
/**
 * A node that returns its input items unchanged: the time n8n records for it is n8n's own per-node cost
 * (input preparation, paired-item bookkeeping, run-data recording) for that many items — the floor any node pays.
 * Plain JS, no dependencies (not even n8n-workflow), loaded by n8n as the community package
 * n8n-nodes-bench-helpers (type `n8n-nodes-bench-helpers.benchPassThrough`). The file sits at the package
 * root, not in dist/, because the repository's .gitignore ignores every dist/ folder.
 */
class BenchPassThrough {
	constructor() {
		this.description = {
			displayName: 'Bench Pass Through',
			name: 'benchPassThrough',
			group: ['transform'],
			version: 1,
			description: 'Returns its input items unchanged (benchmark floor)',
			defaults: { name: 'Pass Through' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}

	async execute() {
		return [this.getInputData()];
	}
}

module.exports = { BenchPassThrough };
