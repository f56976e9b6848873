#!/usr/bin/env node
'use strict';
/**
 * `npm run dev`: a real n8n editor with this package installed from the current build, talking to the local
 * Picky Assist sandbox; nothing reaches the real Picky Assist. See CONTRIBUTING.md ("npm run dev").
 *
 *   node scripts/dev.js [--line 1|2] [--port 5678] [--sandbox-port 8866] [--no-build]
 *
 * The dev user folder lives in the cache, OUTSIDE the repository (default
 * ~/.cache/n8n-nodes-pickyassist/dev-n8n-<version>, override with PICKY_DEV_USER_FOLDER): inside the repo,
 * `require('n8n-workflow')` from the installed package would find the repo's own node_modules/n8n-workflow (a
 * devDependency) before n8n's copy, which a user never gets. Ctrl-C stops n8n and the sandbox.
 */
const { spawnSync } = require('child_process');
const path = require('path');

const lines = require('../test/tooling/n8n-lines');
const stack = require('../test/tooling/dev-stack');
const { portFree } = require('../test/tooling/ports');
const { parseCommandLine, usageError } = require('./lib/cli');
// The sandbox and the n8n server harness are TypeScript: tsx compiles them on require.
require('tsx/cjs');
const { N8nServer } = require('../test/tooling/n8n-server.ts');
const { startSandbox } = require('../test/sandbox');

const OWNER = {
	email: 'dev@example.com',
	password: 'PickyDev123',
	firstName: 'Dev',
	lastName: 'Owner',
};

const t0 = Date.now();
const log = (...a) => console.log(`[dev +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

function parseOptions() {
	const { values } = parseCommandLine(__filename, {
		line: { type: 'string' },
		port: { type: 'string', default: '5678' },
		'sandbox-port': { type: 'string', default: '8866' },
		'no-build': { type: 'boolean', default: false },
	});
	const port = (name) => {
		const n = Number(values[name]);
		if (!Number.isInteger(n) || n < 0 || n > 65535)
			usageError(__filename, `--${name} must be a port number, got ${values[name]}`);
		return n;
	};
	if (values.line !== undefined && values.line !== '1' && values.line !== '2')
		usageError(__filename, `--line must be 1 or 2, got ${values.line}`);
	return {
		line: Number(values.line) || null,
		port: port('port'),
		sandboxPort: port('sandbox-port'),
		build: !values['no-build'],
	};
}

/** The n8n line asked for (else 2.x when installed, else 1.x), installed into the cache first when missing. */
function chooseLine(asked) {
	const n = asked || (lines.line(2).installed ? 2 : 1);
	if (!lines.line(n).installed) {
		log(
			`n8n ${lines.line(n).n8nVersion} is not in ${lines.cacheDir()} yet: installing it now, once ` +
				`(${n === 1 ? '1.8' : '3.1'} GB); building sqlite3 needs a C++ compiler, make and Python 3`,
		);
		const installer = path.join(__dirname, 'e2e', 'install-n8n.js');
		spawnSync(process.execPath, [installer, '--line', String(n)], { stdio: 'inherit' });
	}
	const line = lines.line(n);
	if (!line.installed) throw new Error(`could not install n8n ${line.n8nVersion}`);
	return line;
}

/**
 * Starts n8n and stops it with the sandbox on Ctrl-C, or when n8n ends on its own; resolves with the server once
 * it serves the editor, or with nothing when it stopped first.
 */
async function startEditor(line, env, sandbox) {
	const server = N8nServer.launch({ line, env, onLog: (l) => console.log(`[n8n] ${l}`) });
	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n and the sandbox');
		await server.stop(20_000);
		await sandbox.close();
		log('stopped');
		process.exit(code);
	};
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	void server.exited().then(({ code, signal }) => {
		if (stopping) return;
		log(`n8n exited on its own (code ${code}, signal ${signal})`);
		void stop(code || 1);
	});
	await server.ready().catch((e) => {
		log(e.message);
		return stop(1);
	});
	return stopping ? undefined : server;
}

/** The owner account: the editor asks for one on first open; created here so the user can log in. */
async function ownerNote(server) {
	const how = await server.setupOwner(OWNER).catch(() => undefined);
	if (how === 'created') return `created owner account ${OWNER.email} / ${OWNER.password}`;
	if (how) return `log in with ${OWNER.email} / ${OWNER.password}`;
	return `log in with the owner account you created (${OWNER.email} / ${OWNER.password} does not sign in)`;
}

async function main() {
	const args = parseOptions();
	const line = chooseLine(args.line);
	const nodeVersion = spawnSync(line.nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim();
	log(`using n8n ${line.n8nVersion} on Node ${nodeVersion}`);

	const userFolder = path.resolve(
		process.env.PICKY_DEV_USER_FOLDER || path.join(lines.cacheDir(), `dev-n8n-${line.n8nVersion}`),
	);
	if (args.build && spawnSync('npm', ['run', 'build'], { stdio: 'inherit' }).status !== 0)
		throw new Error('npm run build failed');
	const version = stack.installCurrentBuild({ line, userFolder });
	log(
		`installed n8n-nodes-pickyassist ${version} (current build) into ${path.join(userFolder, '.n8n', 'nodes')}`,
	);

	// The sandbox on its usual port, or on a free one when that is taken.
	const sandboxPort = (await portFree(args.sandboxPort)) ? args.sandboxPort : 0;
	if (!sandboxPort) log(`port ${args.sandboxPort} is taken: the sandbox gets a free port instead`);
	const sandbox = await startSandbox({
		port: sandboxPort,
		tokens: [stack.SANDBOX_TOKEN],
		log: (l) => console.log(`[sandbox] ${l}`),
	});
	log(`sandbox listening on ${sandbox.url} (push endpoint ${sandbox.baseUrl()}/push)`);
	if (!(await portFree(args.port)))
		throw new Error(`port ${args.port} is in use (another n8n?). Use --port.`);
	const encryptionKey = 'picky-dev-encryption-key-not-secret';
	const logLevel = process.env.N8N_LOG_LEVEL || 'info';
	const env = await stack.n8nEnv({ line, userFolder, port: args.port, encryptionKey, logLevel });
	const sandboxBaseUrl = sandbox.baseUrl();
	const { examples } = stack.importCredentialsAndExamples({
		line,
		env,
		userFolder,
		sandboxBaseUrl,
		log,
	});

	log(`starting n8n ${line.n8nVersion} (first start takes ~20-40 s)`);
	const server = await startEditor(line, env, sandbox);
	if (!server) return;
	const note = await ownerNote(server);
	const workflows = examples.map((e) => `"${e.wf.name}"`).join(', ') || '(none in examples/)';
	console.log(
		[
			'',
			'='.repeat(80),
			` n8n ${line.n8nVersion} (Node ${nodeVersion}) is running:  http://localhost:${args.port}`,
			` Login: ${note}`,
			` Picky Assist sandbox: ${sandbox.url}  (credential "${stack.CRED_NAME}", token "${stack.SANDBOX_TOKEN}", host: custom URL ${sandboxBaseUrl})`,
			` Workflows: ${workflows} — open one and click "Execute workflow";`,
			'   the sandbox logs every push below as [sandbox] lines. Search the node panel for "Picky Assist".',
			` Package: n8n-nodes-pickyassist ${version} from this checkout's build, loaded as a community package.`,
			` User folder: ${userFolder}  (delete it to start from scratch)`,
			' Rebuild + restart: Ctrl-C, then npm run dev again.   Ctrl-C stops n8n and the sandbox.',
			'='.repeat(80),
			'',
		].join('\n'),
	);
}

main().catch((e) => {
	console.error(`[dev] ${e && e.stack ? e.stack : e}`);
	process.exit(1);
});
