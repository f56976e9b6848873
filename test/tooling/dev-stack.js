'use strict';
/**
 * The parts of `npm run dev` that the browser suite (test/ui) needs too: build and install the current checkout as
 * a community package into an n8n user folder, the n8n environment, and the sandbox credential plus the example
 * workflows imported with n8n's CLI. scripts/dev.js adds the install of a missing line, the process handling and
 * the banner; test/ui/global-setup.ts starts one such stack per line. Plain CommonJS without dependencies.
 */
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const lines = require('./n8n-lines');
const { freePort, portFree } = require('./ports');
const { settledNotices } = require('./n8n-editor-env');
const {
	ROOT,
	PACKAGE_DIR,
	packPackage,
	installCommunityPackage,
	credentialRefs,
} = require('./community-package');

const SANDBOX_TOKEN = 'dev-sandbox-token';
const CRED_ID_DEFAULT = 'PickyAssistSbx01';
const CRED_NAME = 'Picky Assist sandbox';
const EXAMPLES_DIR = path.join(ROOT, 'examples');

function sha(file) {
	return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** `npm run build` of the package, output shown. */
function buildPackage() {
	const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
	if (b.status !== 0) throw new Error('npm run build failed');
}

/** Packs the current build and installs it into `<userFolder>/.n8n/nodes` as n8n would. Returns its version. */
function installCurrentBuild({ line, userFolder }) {
	if (!fs.existsSync(path.join(PACKAGE_DIR, 'dist', 'nodes', 'PickyAssist', 'PickyAssist.node.js')))
		throw new Error('dist/ is missing: build the package first');
	fs.mkdirSync(userFolder, { recursive: true });
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-dev-pack-'));
	try {
		const { tarball, version } = packPackage(packDir);
		installCommunityPackage({ nodeBinary: line.nodeBinary, userFolder, tarball });
		return version;
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

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
		...settledNotices(line),
	});
}

/** Every examples/*.json workflow: `{ file, wf }`, sorted by file name. */
function exampleWorkflows() {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(EXAMPLES_DIR, f))
		.map((file) => ({ file, wf: JSON.parse(fs.readFileSync(file, 'utf8')) }));
}

/**
 * Imports the credential(s) the examples use, pointing at the sandbox (again when its URL changed), and every
 * example workflow (again only when its file changed, so edits made in the editor survive a restart). What was
 * imported is kept in `<userFolder>/picky-dev-state.json`. Returns `{ examples, refs, state, statePath }`.
 */
function importCredentialsAndExamples({ line, env, userFolder, sandboxBaseUrl, log = () => {} }) {
	const cli = (cliArgs) => {
		const r = spawnSync(line.nodeBinary, [line.n8nBin, ...cliArgs], {
			env,
			cwd: userFolder,
			encoding: 'utf8',
		});
		if (r.status !== 0)
			throw new Error(
				`n8n ${cliArgs.join(' ')} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`,
			);
		return r;
	};
	const examples = exampleWorkflows();
	const refs = credentialRefs(examples.map((e) => e.wf));
	if (!refs.size) refs.set(CRED_ID_DEFAULT, CRED_NAME);
	const statePath = path.join(userFolder, 'picky-dev-state.json');
	const state = fs.existsSync(statePath)
		? JSON.parse(fs.readFileSync(statePath, 'utf8'))
		: { examples: {} };
	const credKey = JSON.stringify([sandboxBaseUrl, [...refs]]);
	if (state.credentials !== credKey) {
		const credFile = path.join(userFolder, 'picky-dev-credentials.json');
		const creds = [...refs].map(([id, name]) => ({
			id,
			name,
			type: 'pickyAssistApi',
			data: { apiToken: SANDBOX_TOKEN, apiHost: 'custom', customUrl: sandboxBaseUrl },
		}));
		fs.writeFileSync(credFile, JSON.stringify(creds, null, 2));
		try {
			log(
				`importing credential(s) ${[...refs.values()].map((v) => `"${v}"`).join(', ')} → ${sandboxBaseUrl}`,
			);
			cli(['import:credentials', `--input=${credFile}`]);
		} finally {
			fs.rmSync(credFile, { force: true });
		}
		state.credentials = credKey;
	}
	const changed = examples.filter((e) => state.examples[path.basename(e.file)] !== sha(e.file));
	if (changed.length) {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-dev-wf-'));
		for (const e of changed) fs.copyFileSync(e.file, path.join(dir, path.basename(e.file)));
		log(
			`importing ${changed.length} example workflow(s): ${changed.map((e) => e.wf.name).join(', ')}`,
		);
		try {
			cli(['import:workflow', '--separate', `--input=${dir}`]);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		for (const e of changed) state.examples[path.basename(e.file)] = sha(e.file);
	}
	fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
	return { examples, refs, state, statePath };
}

module.exports = {
	SANDBOX_TOKEN,
	CRED_NAME,
	portFree,
	freePort,
	buildPackage,
	installCurrentBuild,
	n8nEnv,
	exampleWorkflows,
	importCredentialsAndExamples,
};
