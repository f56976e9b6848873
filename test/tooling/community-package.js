'use strict';
/**
 * Packs this package and installs the tarball into an n8n user folder exactly the way n8n installs a community
 * package from the editor. Plain CommonJS, no dependencies.
 */
const fs = require('fs');
const path = require('path');
const { cleanEnv } = require('./n8n-lines');
const { runSync: run } = require('./child');

/** The shipped package, what n8n installs: the repository root. */
const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = require('../../package.json').name;

/** `npm pack` of the built package (no scripts run) into destDir. Returns {tarball, files, version}. */
function packPackage(destDir) {
	if (!fs.existsSync(path.join(PACKAGE_DIR, 'dist/nodes/PickyAssist/PickyAssist.node.js')))
		throw new Error('dist/ is missing: run `npm run build` first (the built package is packed)');
	fs.mkdirSync(destDir, { recursive: true });
	const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', destDir];
	const [info] = JSON.parse(run('npm', args, { cwd: PACKAGE_DIR, env: cleanEnv() }));
	const tarball = path.join(destDir, info.filename);
	if (!fs.existsSync(tarball)) throw new Error(`npm pack reported ${tarball} but it is not there`);
	return { tarball, files: info.files.map((f) => f.path), version: info.version };
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, data) => fs.writeFileSync(file, JSON.stringify(data, null, 2));

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` as n8n's CommunityPackagesService does (the same in both lines):
 * `{"name":"installed-nodes","private":true,"dependencies":{}}` as ~/.n8n/nodes/package.json, the tarball extracted
 * into node_modules/<name> (n8n gets it with `npm pack <name>@<version>`), its dev, peer and optional dependencies
 * deleted, `npm install` with n8n's flags inside it, and the version recorded in ~/.n8n/nodes/package.json.
 * So the n8n-workflow peer is NOT installed next to the package: `require('n8n-workflow')` from the package
 * resolves through the NODE_PATH n8n sets to its own module paths at start-up (LoadNodesAndCredentials.init) —
 * provided no node_modules folder above the user folder has one.
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
		writeJson(nodesPkgJson, { name: 'installed-nodes', private: true, dependencies: {} });
	run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
	const pjPath = path.join(pkgDir, 'package.json');
	const pj = readJson(pjPath);
	for (const deps of ['devDependencies', 'peerDependencies', 'optionalDependencies'])
		delete pj[deps];
	writeJson(pjPath, pj);
	const flags = [
		'--audit=false',
		'--fund=false',
		'--bin-links=false',
		'--install-strategy=shallow',
	];
	const quiet = ['--ignore-scripts=true', '--package-lock=false', '--loglevel=error'];
	const env = cleanEnv({ PATH: `${path.dirname(nodeBinary)}${path.delimiter}${process.env.PATH}` });
	run('npm', ['install', ...flags, ...quiet], { cwd: pkgDir, env });
	const nodesPj = readJson(nodesPkgJson);
	nodesPj.dependencies = { ...nodesPj.dependencies, [PACKAGE_NAME]: pj.version };
	writeJson(nodesPkgJson, nodesPj);
	return pkgDir;
}

/**
 * Where `require(request)` from pkgDir resolves inside the n8n process of `line` (n8n-lines.js), which prepends
 * its own module.paths to NODE_PATH at start-up. Run with that line's Node.
 */
function resolveFromPackage({ nodeBinary, dir }, pkgDir, request) {
	const cliDir = path.join(dir, 'node_modules', 'n8n', 'dist');
	const code = `
		const Module = require('module');
		process.env.NODE_PATH = Module._nodeModulePaths(${JSON.stringify(cliDir)}).join(${JSON.stringify(path.delimiter)});
		Module._initPaths();
		process.stdout.write(require.resolve(${JSON.stringify(request)}, { paths: [${JSON.stringify(pkgDir)}] }));`;
	return run(nodeBinary, ['-e', code], { cwd: pkgDir });
}

/** Every workflow JSON file in a folder (sorted), parsed: `{ file, wf }`. */
function readWorkflows(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(dir, f))
		.map((file) => ({ file, wf: readJson(file) }));
}

/** Every pickyAssistApi credential reference (id → name) in the given workflow objects. */
function credentialRefs(workflows) {
	const refs = new Map();
	for (const wf of workflows)
		for (const node of wf.nodes || []) {
			const ref = node.credentials?.pickyAssistApi;
			if (ref?.id && ref.name) refs.set(ref.id, ref.name);
		}
	return refs;
}

module.exports = {
	PACKAGE_DIR,
	PACKAGE_NAME,
	packPackage,
	installCommunityPackage,
	resolveFromPackage,
	credentialRefs,
	readWorkflows,
};
