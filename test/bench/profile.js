#!/usr/bin/env node
/**
 * CPU profile of bench workflows inside the real n8n process: where a node's executionTime goes.
 *
 *   node test/bench/profile.js --line 2 --kind picky1000,diy,pass --source code --rows 10000
 *
 * Options: --line 1|2 (default 2), --kind LIST (the workflows of run.js; default picky1000), --rows N (default
 * 10000), --source table|code (default table), --top N (functions listed, default 25).
 *
 * `n8n execute` runs under `node --cpu-prof`; a preload (maxrss-preload.js) records the epoch↔monotonic clock pair
 * at start, so each measured node's window from the run data (startTime … + executionTime) is cut out of the
 * profile. Its samples are attributed to a bucket (the first frame from the top of the stack that matches one), to
 * the package of the function on top, to that function, and to the innermost Picky Assist function on the stack
 * (its time including what it called). "(idle)" is waiting, mostly for the sandbox's answer.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const { packPackage } = require('../tooling/community-package');
const { parseCommandLine, usageError } = require('../../scripts/lib/cli');
const { BenchLine, startTimedSandbox } = require('./n8n');
const { KINDS, SOURCES, credentialOf, buildWorkflow } = require('./workflows');

/** A frame's file below node_modules/, a core module as it is, else its base name. */
function shortUrl(url = '') {
	const u = url.replace(/^file:\/\//, '');
	const i = u.lastIndexOf('node_modules/');
	if (i >= 0) return u.slice(i + 'node_modules/'.length);
	return u.startsWith('node:') ? u : path.basename(u);
}
function packageOf(url) {
	if (!url) return '(native / V8)';
	if (url.startsWith('node:')) return 'Node.js core';
	if (!url.includes('node_modules/')) return shortUrl(url);
	const [scope, name] = shortUrl(url).split('/');
	return scope.startsWith('@') ? `${scope}/${name}` : scope;
}
const isPackage = (url) => /node_modules\/n8n-nodes-pickyassist\//.test(url);
const frameKey = (f) =>
	`${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;

/** Buckets of "where the time goes": a sample goes to the first that matches a frame, from the top of the stack. */
const inUrl = (re) => (fn, url) => re.test(url);
const BUCKETS = [
	[inUrl(/node_modules\/vm2\/|^(file:\/\/)?bridge\.js$/), 'vm2 proxy traps (1.x Code-node items)'],
	[
		inUrl(/@n8n\/typeorm|\/sqlite3\/|n8n-core\/dist\/encryption|credentials-helper/),
		'n8n credentials',
	],
	[
		inUrl(/expression|\/recast\/|\/ast-types\/|esprima|tournament|workflow-data-proxy/),
		'n8n expressions',
	],
	[(fn) => fn === 'transformResponse', 'HTTP: JSON.parse of the answer'],
	[(fn) => fn === 'stringifySafely', 'HTTP: JSON.stringify of the body'],
	[
		inUrl(
			/\/axios\/|follow-redirects|backend-network|node:_?http|node:net|node:internal\/(stream|net|http)/,
		),
		'HTTP: client, sockets, headers',
	],
	[(fn, url) => isPackage(url), 'the Picky Assist node'],
	[inUrl(/n8n-core\/dist\/execution-engine/), "n8n's engine"],
];
function bucketOf(stack) {
	for (const f of stack)
		for (const [test, label] of BUCKETS) if (test(f.functionName, f.url)) return label;
	return 'other';
}

/** The samples of a .cpuprofile between fromUs and toUs (its clock), attributed; ms per key, largest first. */
function analyse(profile, fromUs, toUs) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map(profile.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id])));
	const maps = { buckets: new Map(), packages: new Map(), self: new Map(), innermost: new Map() };
	const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
	let [t, total] = [profile.startTime, 0];
	profile.samples.forEach((id, i) => {
		t += profile.timeDeltas[i];
		if (t < fromUs || t > toUs) return;
		const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		total += ms;
		const top = byId.get(id).callFrame;
		if (!top.url && /^\((idle|garbage collector|program)\)$/.test(top.functionName))
			return add(maps.buckets, top.functionName, ms);
		const stack = [];
		for (let p = id; p !== undefined; p = parent.get(p)) stack.push(byId.get(p).callFrame);
		add(maps.buckets, bucketOf(stack.map((f) => ({ ...f, url: f.url || '' }))), ms);
		add(maps.packages, packageOf(top.url), ms);
		add(maps.self, frameKey(top), ms);
		const own = stack.find((f) => isPackage(f.url));
		add(maps.innermost, own ? frameKey(own) : '(no Picky Assist frame on the stack)', ms);
	});
	const sorted = Object.entries(maps).map(([k, m]) => [k, [...m].sort((a, b) => b[1] - a[1])]);
	return { total, ...Object.fromEntries(sorted) };
}

function printAnalysis(title, a, top) {
	const row = ([k, v]) =>
		`${v.toFixed(1).padStart(8)} ${((100 * v) / a.total).toFixed(1).padStart(5)}%  ${k}`;
	const lists = [
		['where the time goes', a.buckets, 20],
		['by package (self time)', a.packages, 15],
		[`top ${top} functions (self time)`, a.self, top],
		['by innermost Picky Assist function on the stack', a.innermost, top],
	];
	console.log(`\n=== ${title}: ${a.total.toFixed(0)} ms sampled`);
	for (const [heading, list, n] of lists)
		console.log(`-- ${heading} (ms, %):\n${list.slice(0, n).map(row).join('\n')}`);
}

/** One profiled `n8n execute`: each measured node's window analysed and printed. */
async function profileRun(bl, sb, wf, kind, o, dir) {
	sb.reset();
	sb.resetTiming();
	const clockFile = path.join(dir, 'clock.json');
	const r = await bl.execute(wf.id, {
		nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'],
		env: { BENCH_CLOCK_FILE: clockFile },
	});
	if (r.error) return console.log(`${kind} FAILED: ${r.error}`);
	const profFile = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
	const profile = JSON.parse(fs.readFileSync(path.join(dir, profFile), 'utf8'));
	const clock = JSON.parse(fs.readFileSync(clockFile, 'utf8'));
	const runData = r.run.data.resultData.runData;
	console.log(
		`\n##### ${kind}, ${o.rows} rows (${o.source}): ${sb.pushes().length} pushes, sandbox ${sb.serverMs().toFixed(0)} ms`,
	);
	for (const name of KINDS[kind].measured) {
		const { startTime, executionTime } = runData[name][0];
		const fromUs = clock.monoUs + (startTime - clock.epochMs) * 1000;
		const title = `${name} (${kind}, n8n ${bl.info.n8nVersion}): executionTime ${executionTime} ms`;
		printAnalysis(title, analyse(profile, fromUs, fromUs + executionTime * 1000), o.top);
	}
}

async function main() {
	const { values: v } = parseCommandLine(__filename, {
		...{ line: { type: 'string', default: '2' }, kind: { type: 'string', default: 'picky1000' } },
		...{ rows: { type: 'string', default: '10000' }, source: { type: 'string', default: 'table' } },
		top: { type: 'string', default: '25' },
	});
	const o = {
		kinds: v.kind.split(','),
		rows: Number(v.rows),
		source: v.source,
		top: Number(v.top),
	};
	if (o.kinds.some((k) => !KINDS[k]) || !SOURCES[o.source] || !['1', '2'].includes(v.line))
		usageError(__filename, 'unknown --kind, --source or --line');
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-prof-'));
	const sb = await startTimedSandbox();
	const url = `${sb.baseUrl()}/push`;
	const workflows = o.kinds.map((k) => buildWorkflow(k, o.rows, o.source, url));
	const bl = new BenchLine(Number(v.line));
	try {
		await bl.setup(packPackage(work).tarball, workflows, credentialOf(sb));
		console.log(`n8n ${bl.info.n8nVersion} on Node ${bl.nodeVersion}`);
		for (const [i, wf] of workflows.entries()) {
			const dir = fs.mkdtempSync(path.join(work, `${o.kinds[i]}-`));
			await profileRun(bl, sb, wf, o.kinds[i], o, dir);
		}
	} finally {
		await sb.close();
		bl.cleanup();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
