'use strict';
/**
 * n8n prints a block of deprecation notices when it starts, about settings it will change. For an n8n that serves
 * the editor (`npm run dev`, the browser suite) this sets the ones that can be settled now — mostly to n8n's coming
 * defaults — so that what it prints is about the package; `remainingNotices` says why the others stay. Plain
 * CommonJS without dependencies. The end-to-end suite keeps the line's own settings: it checks behaviour, not
 * start-up output.
 */

/** Settings that answer a notice, for `line` (from ./n8n-lines). Added after the line's own `env`. */
function settledNotices(line) {
	if (line.line === 1) {
		return {
			// n8n 1.x runs Code nodes in its JavaScript task runner on Node 20 too; without it, it warns that running
			// without task runners is deprecated. (2.x has no such setting: it always uses them.)
			N8N_RUNNERS_ENABLED: 'true',
			// The coming defaults: nothing here reads environment variables in expressions or uses bare Git repos.
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
			N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
		};
	}
	return {
		// This package is installed unverified (from a tarball); say so explicitly, as 2.x asks.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// The coming defaults, set now: the examples' Code nodes and no workflow here come near them.
		N8N_RUNNERS_TASK_TIMEOUT: '60',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
	};
}

/** The notices n8n still prints with those settings, each with why it stays — shown before n8n starts. */
function remainingNotices(line) {
	if (line.line === 1) {
		return [
			'N8N_EXPRESSION_ENGINE=legacy: n8n 1.x on Node 20 needs it — the default "vm" engine uses the native ' +
				'module isolated-vm, which does not build on Node 20 (n8n 2.x on Node 24 uses the default engine).',
		];
	}
	return [
		'N8N_RUNNERS_MODE (internal): the other mode needs a separate task-runner launcher process; internal is ' +
			'what a plain `n8n start` uses.',
		'"Running n8n outside a container is deprecated" (printed unless n8n runs in Docker): n8n 2.x recommends ' +
			'its Docker image for production; a local editor for trying the node is fine without it.',
	];
}

module.exports = { settledNotices, remainingNotices };
