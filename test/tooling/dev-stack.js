'use strict';
/**
 * The parts of `npm run dev` that the browser suite (test/ui) needs too: install the current build as a community
 * package into an n8n user folder, the environment of an n8n serving the editor, and the sandbox credential plus
 * the example workflows imported with n8n's CLI. scripts/dev.js adds the install of a missing line, the process
 * handling and the banner; test/ui/global-setup.ts starts one such stack per line. Plain CommonJS.
 */
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const lines = require('./n8n-lines');
const { runSync } = require('./child');
const { freePort } = require('./ports');
const community = require('./community-package');

const SANDBOX_TOKEN = 'dev-sandbox-token';
const CRED_NAME = 'Picky Assist sandbox';

/** Packs the current build and installs it into `<userFolder>/.n8n/nodes` as n8n would. Returns its version. */
function installCurrentBuild({ line, userFolder }) {
	fs.mkdirSync(userFolder, { recursive: true });
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-dev-pack-'));
	try {
		const { tarball, version } = community.packPackage(packDir);
		community.installCommunityPackage({ nodeBinary: line.nodeBinary, userFolder, tarball });
		return version;
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

/**
 * n8n prints a block of deprecation notices when it starts, about settings it will change. For an n8n that serves
 * the editor these settle the ones that can be settled now — mostly to n8n's coming defaults — so that what it
 * prints is about the package (CONTRIBUTING.md says why the others stay). The end-to-end suite keeps the line's
 * own settings: it checks behaviour, not start-up output.
 */
const SETTLED_NOTICES = {
	1: {
		// n8n 1.x runs Code nodes in its JavaScript task runner on Node 20 too; without it, it warns that running
		// without task runners is deprecated. (2.x has no such setting: it always uses them.)
		N8N_RUNNERS_ENABLED: 'true',
		// The coming defaults: nothing here reads environment variables in expressions or uses bare Git repos.
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
	},
	2: {
		// This package is installed unverified (from a tarball); say so explicitly, as 2.x asks.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// The coming defaults, set now: the examples' Code nodes and no workflow here come near them.
		N8N_RUNNERS_TASK_TIMEOUT: '60',
		N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(256 * 1024 * 1024),
		N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '1000',
	},
};

/** The environment of an n8n serving the editor on 127.0.0.1:`port` from `userFolder`. */
async function n8nEnv({ line, userFolder, port, encryptionKey, logLevel = 'info' }) {
	const env = {};
	// The caller's N8N_* settings would override the quiet ones; npm_* are npm's, not n8n's.
	// NODE_ENV=test (set by jest) makes n8n exit at once without a word.
	for (const [k, v] of Object.entries(process.env))
		if (!/^(npm_|N8N_|NODE_ENV$|JEST_)/i.test(k)) env[k] = v;
	return Object.assign(env, {
		PATH: `${path.dirname(line.nodeBinary)}${path.delimiter}${process.env.PATH}`,
		...lines.quietN8nEnv({ userFolder, encryptionKey, logLevel }),
		N8N_SECURE_COOKIE: 'false',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: process.env.N8N_LISTEN_ADDRESS || '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...line.env,
		...SETTLED_NOTICES[line.line],
	});
}

/**
 * Imports the credential(s) the examples use, pointing at the sandbox (again when its URL changed), and every
 * example workflow (again only when its file changed, so edits made in the editor survive a restart). What was
 * imported is kept in `<userFolder>/picky-dev-state.json`. Returns `{ examples }`.
 */
function importCredentialsAndExamples({ line, env, userFolder, sandboxBaseUrl, log = () => {} }) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-dev-import-'));
	const importAll = (kind, files, what) => {
		log(`importing ${what}`);
		const args = [line.n8nBin, `import:${kind}`, '--separate', `--input=${dir}`];
		for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
		runSync(line.nodeBinary, args, { env, cwd: userFolder });
		for (const [name] of files) fs.rmSync(path.join(dir, name));
	};
	const examples = community.readWorkflows(path.join(community.PACKAGE_DIR, 'examples'));
	const refs = community.credentialRefs(examples.map((e) => e.wf));
	if (!refs.size) refs.set('PickyAssistSbx01', CRED_NAME);
	const statePath = path.join(userFolder, 'picky-dev-state.json');
	const state = fs.existsSync(statePath)
		? JSON.parse(fs.readFileSync(statePath, 'utf8'))
		: { examples: {} };
	const sha = (text) => crypto.createHash('sha256').update(text).digest('hex');
	try {
		const credKey = JSON.stringify([sandboxBaseUrl, [...refs]]);
		if (state.credentials !== credKey) {
			const data = { apiToken: SANDBOX_TOKEN, apiHost: 'custom', customUrl: sandboxBaseUrl };
			const creds = [...refs].map(([id, name]) => [
				`${id}.json`,
				JSON.stringify({ id, name, type: 'pickyAssistApi', data }),
			]);
			importAll(
				'credentials',
				creds,
				`credential(s) ${[...refs.values()].map((v) => `"${v}"`).join(', ')} → ${sandboxBaseUrl}`,
			);
			state.credentials = credKey;
		}
		const files = examples.map((e) => [
			path.basename(e.file),
			fs.readFileSync(e.file, 'utf8'),
			e.wf.name,
		]);
		const changed = files.filter(([name, text]) => state.examples[name] !== sha(text));
		if (changed.length) {
			importAll(
				'workflow',
				changed,
				`${changed.length} example workflow(s): ${changed.map((c) => c[2]).join(', ')}`,
			);
			for (const [name, text] of changed) state.examples[name] = sha(text);
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
	return { examples };
}

module.exports = {
	SANDBOX_TOKEN,
	CRED_NAME,
	freePort,
	installCurrentBuild,
	n8nEnv,
	importCredentialsAndExamples,
};
