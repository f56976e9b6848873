/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * The package's folders import only downward: the node files dispatch to `actions/` (the router, then one folder
 * per resource, then the modules shared by several resources: files directly under `actions/` and folders there
 * that hold no resource, such as the bulk run), the Trigger's code lives in `trigger/`, the only HTTP in
 * `transport/`, and `helpers/` holds pure code that imports no other folder of the node and nothing from n8n but
 * types. Read from the import lines of the source, so a file moved to the wrong place fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

const NODE_ROOT = join(__dirname, '..', '..', 'nodes', 'PickyAssist');

interface ImportLine {
	/** The importing file, relative to the node's folder, with forward slashes. */
	file: string;
	/** What it imports: a package name, or a path relative to the node's folder (no extension). */
	target: string;
	local: boolean;
	typeOnly: boolean;
}

function sourceFiles(folder: string): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const path = join(folder, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

const toPosix = (path: string) => path.split(sep).join(posix.sep);

/** Every `import … from '…'` and `export … from '…'` of a file, multi-line ones included. */
function importsOf(path: string): ImportLine[] {
	const file = toPosix(relative(NODE_ROOT, path));
	const text = readFileSync(path, 'utf8');
	const pattern = /^(import|export)(\s+type)?\s[^;]*?\sfrom\s+'([^']+)';/gms;
	return [...text.matchAll(pattern)].map((match) => {
		const specifier = match[3];
		const target = specifier.startsWith('.')
			? toPosix(relative(NODE_ROOT, join(dirname(path), specifier)))
			: specifier;
		return { file, target, local: specifier.startsWith('.'), typeOnly: match[2] !== undefined };
	});
}

const allFiles = sourceFiles(NODE_ROOT);
const allImports = allFiles.flatMap(importsOf);

/** The folders under `actions/` that are a resource: each holds its `<Name>.resource.ts`. */
const resourceFolders = new Set(
	allFiles
		.map((path) => toPosix(relative(NODE_ROOT, path)).split('/'))
		.filter(
			(parts) => parts.length === 3 && parts[0] === 'actions' && parts[2].endsWith('.resource.ts'),
		)
		.map((parts) => parts[1]),
);

/** The first folder of a path inside the node's folder ('' for a file at its top). */
const topFolder = (path: string) => (path.includes('/') ? path.split('/')[0] : '');
/** `message` for `actions/message/…`; undefined for a module shared by the resources (`actions/bulk/…`). */
const resourceOf = (path: string) => {
	const parts = path.split('/');
	return parts[0] === 'actions' && parts.length > 2 && resourceFolders.has(parts[1])
		? parts[1]
		: undefined;
};

/** Why an import goes the wrong way, or undefined when it is allowed. */
function wrongWay({ file, target, local, typeOnly }: ImportLine): string | undefined {
	const from = topFolder(file);
	if (!local) {
		return from === 'helpers' && target === 'n8n-workflow' && !typeOnly
			? 'helpers import only types from n8n'
			: undefined;
	}
	const to = topFolder(target);
	if (target.endsWith('.node')) return 'only n8n imports the node files';
	if (from === 'helpers' && ['actions', 'trigger', 'transport', 'methods'].includes(to)) {
		return 'helpers are pure: they import no other folder of the node';
	}
	if (from === 'transport' && ['actions', 'trigger'].includes(to)) {
		return 'the transport knows no operation and no trigger';
	}
	if (from === 'trigger' && to === 'actions') return 'the Trigger shares nothing with operations';
	if (from === 'actions' && to === 'actions') {
		const fromResource = resourceOf(file);
		const toResource = resourceOf(target);
		if (toResource === undefined || fromResource === toResource) return undefined;
		if (fromResource === undefined) {
			return file === 'actions/router.ts'
				? undefined
				: 'a module shared by the resources imports no resource folder';
		}
		return 'one resource folder imports no other: a shared piece goes one level up';
	}
	return undefined;
}

const describeImport = (line: ImportLine) => `${line.file} -> ${line.target}`;

test('the source is read: every folder of the node has imports', () => {
	const folders = new Set(allImports.map((line) => topFolder(line.file)));
	expect([...folders].sort()).toEqual([
		'',
		'actions',
		'helpers',
		'methods',
		'transport',
		'trigger',
	]);
	expect([...resourceFolders].sort()).toEqual(['account', 'contact', 'message']);
});

test('every import goes downward', () => {
	const wrong = allImports
		.map((line) => ({ line: describeImport(line), why: wrongWay(line) }))
		.filter((found) => found.why !== undefined);
	expect(wrong).toEqual([]);
});

/** Which part of the node a file belongs to, for telling whether a helper is shared or belongs to one part. */
function areaOf(file: string): string {
	if (file === 'PickyAssistTrigger.node.ts') return 'trigger';
	return topFolder(file) || file;
}

test('no helper serves the Trigger alone or the transport alone: such code lives in that folder', () => {
	const usersOf = new Map<string, Set<string>>();
	for (const { file, target, local } of allImports) {
		if (!local || !target.startsWith('helpers/')) continue;
		const users = usersOf.get(target) ?? new Set<string>();
		users.add(areaOf(file));
		usersOf.set(target, users);
	}
	const confined = [...usersOf]
		.filter(([, users]) => users.size === 1 && (users.has('trigger') || users.has('transport')))
		.map(([helper, users]) => `${helper} (only ${[...users][0]})`);
	expect(confined).toEqual([]);
});
