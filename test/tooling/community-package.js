'use strict';
/**
 * Packs this package and installs the tarball into an n8n user folder exactly the way n8n
 * installs a community package from the editor (used by the e2e tests and scripts/dev.js).
 * Plain CommonJS, no dependencies.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { cleanEnv } = require('./n8n-lines');

const ROOT = path.resolve(__dirname, '..', '..');
/** The shipped package, what n8n installs: the repository root. */
const PACKAGE_DIR = ROOT;
const PACKAGE_NAME = JSON.parse(
	fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'),
).name;

function cleanNpmEnv(extraPathDir) {
	const env = cleanEnv();
	if (extraPathDir) env.PATH = `${extraPathDir}${path.delimiter}${env.PATH}`;
	env.npm_config_update_notifier = 'false';
	return env;
}

/** `npm pack` of the package (no scripts run: build first) into destDir. Returns {tarball, files}. */
function packPackage(destDir) {
	fs.mkdirSync(destDir, { recursive: true });
	const r = spawnSync(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', destDir],
		{
			cwd: PACKAGE_DIR,
			encoding: 'utf8',
			env: cleanNpmEnv(),
		},
	);
	if (r.status !== 0)
		throw new Error(`npm pack failed (exit ${r.status}): ${r.stderr}\n${r.stdout}`);
	const info = JSON.parse(r.stdout)[0];
	const tarball = path.join(destDir, info.filename);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack reported ${tarball} but it is not there`);
	return { tarball, files: info.files.map((f) => f.path), version: info.version };
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` exactly like n8n does. Both 1.123.81 and
 * 2.41.1 (CommunityPackagesService.ensurePackageJson + downloadPackage in
 * dist/modules/community-packages/community-packages.service.js):
 *   - ~/.n8n/nodes/package.json = {"name":"installed-nodes","private":true,"dependencies":{}}
 *   - `npm pack <name>@<version>` (here: the local tarball instead of the registry), then
 *     `tar -xzf <tgz> -C ~/.n8n/nodes/node_modules/<name> --strip-components=1`
 *   - delete devDependencies, peerDependencies and optionalDependencies from its package.json
 *   - `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *      --ignore-scripts=true --package-lock=false` inside the package folder
 *   - record "<name>": "<version>" in ~/.n8n/nodes/package.json dependencies.
 * So the n8n-workflow peer is NOT installed next to the package: `require('n8n-workflow')` from
 * the package resolves through the NODE_PATH n8n sets to its own module paths at start-up
 * (LoadNodesAndCredentials.init) — provided no node_modules folder above the user folder has one.
 *
 * nodeBinary: the Node that runs this n8n (its folder goes first on PATH for npm).
 */
function installCommunityPackage({ nodeBinary, userFolder, tarball }) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const pkgDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(pkgDir, { recursive: true, force: true });
	fs.mkdirSync(pkgDir, { recursive: true });
	const nodesPkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(nodesPkgJson))
		fs.writeFileSync(
			nodesPkgJson,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	const t = spawnSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (t.status !== 0) throw new Error(`tar -xzf ${tarball} failed: ${t.stderr}`);
	const pjPath = path.join(pkgDir, 'package.json');
	const pj = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
	delete pj.devDependencies;
	delete pj.peerDependencies;
	delete pj.optionalDependencies;
	fs.writeFileSync(pjPath, JSON.stringify(pj, null, 2));
	const args = [
		'install',
		'--audit=false',
		'--fund=false',
		'--bin-links=false',
		'--install-strategy=shallow',
		'--ignore-scripts=true',
		'--package-lock=false',
		'--loglevel=error',
	];
	const r = spawnSync('npm', args, {
		cwd: pkgDir,
		env: cleanNpmEnv(nodeBinary && path.dirname(nodeBinary)),
		encoding: 'utf8',
	});
	if (r.status !== 0)
		throw new Error(`npm ${args.join(' ')} in ${pkgDir} failed:\n${r.stderr}\n${r.stdout}`);
	const nodesPj = JSON.parse(fs.readFileSync(nodesPkgJson, 'utf8'));
	nodesPj.dependencies = { ...(nodesPj.dependencies || {}), [PACKAGE_NAME]: pj.version };
	fs.writeFileSync(nodesPkgJson, JSON.stringify(nodesPj, null, 2));
	return pkgDir;
}

/**
 * Where `require(request)` from pkgDir resolves inside the n8n process of the given install
 * (n8n prepends its own module.paths to NODE_PATH at start-up). Run with that n8n's Node.
 */
function resolveFromPackage({ nodeBinary, n8nDir, pkgDir, request }) {
	const cliDir = path.join(n8nDir, 'node_modules', 'n8n', 'dist');
	const code = `
		const Module = require('module');
		process.env.NODE_PATH = Module._nodeModulePaths(${JSON.stringify(cliDir)}).join(${JSON.stringify(path.delimiter)});
		Module._initPaths();
		process.stdout.write(require.resolve(${JSON.stringify(request)}, { paths: [${JSON.stringify(pkgDir)}] }));`;
	const r = spawnSync(nodeBinary, ['-e', code], { encoding: 'utf8', cwd: pkgDir });
	if (r.status !== 0) throw new Error(`cannot resolve ${request} from ${pkgDir}: ${r.stderr}`);
	return r.stdout;
}

/** Every pickyAssistApi credential reference (id → name) in the given workflow objects. */
function credentialRefs(workflows, type = 'pickyAssistApi') {
	const refs = new Map();
	for (const wf of workflows)
		for (const node of wf.nodes || [])
			for (const [t, ref] of Object.entries(node.credentials || {}))
				if (t === type && ref && ref.id && ref.name) refs.set(ref.id, ref.name);
	return refs;
}

module.exports = {
	ROOT,
	PACKAGE_DIR,
	PACKAGE_NAME,
	packPackage,
	installCommunityPackage,
	resolveFromPackage,
	credentialRefs,
	cleanNpmEnv,
};
