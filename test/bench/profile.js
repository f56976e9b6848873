#!/usr/bin/env node
'use strict';
/**
 * CPU profile of one benchmark workflow inside the real n8n process: where a node's executionTime goes.
 *
 *   node test/bench/profile.js --line 2 --kind picky1000 --rows 10000
 *   node test/bench/profile.js --line 1 --kind picky1000,pass --rows 100000 --top 30
 *
 * Options: --line 1|2 (default 2), --kind LIST (picky100, picky1000, diy, http, pass, codepass; default
 * picky1000), --rows N (default 10000), --source table|code (where the rows come from, see workflows.js; default
 * table), --runs N (default 1), --node NAME (default: the kind's measured node), --interval µs (sampling, default
 * 200), --top N (default 25), --keep (keep the .cpuprofile files and the user folder).
 *
 * How: `n8n execute` runs under `node --cpu-prof`; a preload (maxrss-preload.js) records the epoch↔monotonic
 * clock pair at start, so the node's window from run data (startTime … startTime + executionTime) can be cut out
 * of the profile. Inside that window the samples are attributed by self time (the function on top of the stack),
 * by module, and — for the Picky Assist package — by the innermost package function on the stack (its time
 * including what it called in n8n / Node.js). "(idle)" in the window is time spent waiting (the sandbox's answer
 * arrives from another process); "(garbage collector)" is GC.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const { packPackage } = require('../tooling/community-package');
const { parseCommandLine, usageError, numberList } = require('../../scripts/lib/cli');
const { BenchLine } = require('./n8n');
const { KINDS, SOURCES, credentialOf, buildWorkflow } = require('./workflows');
const { startTimedSandbox } = require('./sandbox');

function parseOptions() {
	const { values: v } = parseCommandLine(__filename, {
		line: { type: 'string', default: '2' },
		kind: { type: 'string', default: 'picky1000' },
		source: { type: 'string', default: 'table' },
		rows: { type: 'string', default: '10000' },
		runs: { type: 'string', default: '1' },
		node: { type: 'string' },
		interval: { type: 'string', default: '200' },
		top: { type: 'string', default: '25' },
		keep: { type: 'boolean', default: false },
	});
	const [line, runs, interval, top] = [v.line, v.runs, v.interval, v.top].map(Number);
	const o = { line, runs, interval, top, kinds: v.kind.split(','), source: v.source, keep: v.keep };
	Object.assign(o, { rows: numberList(v.rows)[0], node: v.node ?? null });
	for (const k of o.kinds) if (!KINDS[k]) usageError(__filename, `unknown kind ${k}`);
	if (!SOURCES[o.source]) usageError(__filename, `unknown row source ${o.source}`);
	return o;
}

// ------------------------------------------------------------------------------------------------ analysis

/** A frame's file: from below node_modules/ when it is there, a core module as it is, else the base name. */
function shortUrl(url) {
	const u = (url || '').replace(/^file:\/\//, '');
	const i = u.lastIndexOf('node_modules/');
	if (i >= 0) return u.slice(i + 'node_modules/'.length);
	return u.startsWith('node:') || !u ? u : path.basename(u);
}

function moduleOf(url) {
	if (!url) return '(native / V8)';
	if (url.startsWith('node:')) return 'Node.js core';
	const [scope, name] = shortUrl(url).split('/');
	return !url.includes('node_modules/')
		? shortUrl(url)
		: scope.startsWith('@')
			? `${scope}/${name}`
			: scope;
}

// The installed package only (the n8n installs themselves live under ~/.cache/n8n-nodes-pickyassist/).
const isPackage = (url) => /node_modules\/n8n-nodes-pickyassist\//.test(url || '');
/** vm2's bridge (n8n 1.x without task runners: Code node output items are vm2 proxies); sandbox side is "bridge.js". */
const isVm2 = (url) => /node_modules\/vm2\/|^bridge\.js$|^file:\/\/bridge\.js$/.test(url || '');

/**
 * Buckets for "where the node's time goes". A sample goes to the bucket of the first frame, from the top of the
 * stack down, that matches one of these (so JSON.parse called by axios's transformResponse counts as "parse the
 * answer", a RegExp run by normalizePhoneNumber as "phone numbers", …).
 */
const pkg = (test) => (fn, url) => isPackage(url) && test(fn, url);
const inUrl = (re) => (fn, url) => re.test(url);
const HTTP_URL =
	/\/axios\/|follow-redirects|backend-network|proxy-from-env|node:_http|node:http|node:net|node:internal\/(stream|net|http|url)|node:stream|node:dns|node:url/;
const EXPRESSION_URL =
	/expression-runtime|\/recast\/|\/ast-types\/|esprima|tournament|n8n-workflow\/dist\/cjs\/(expression|workflow-expression|workflow-data-proxy)|credentials-helper/;
const BUCKETS = [
	[inUrl(/@n8n\/typeorm|\/sqlite3\//), 'n8n credentials: database read (getCredentials, per push)'],
	[
		inUrl(/n8n-core\/dist\/encryption|node:internal\/crypto/),
		'n8n credentials: decrypt (per push)',
	],
	[
		inUrl(EXPRESSION_URL),
		"n8n credentials: authenticate, evaluating '={{$credentials.apiToken}}' (per push)",
	],
	[(fn) => fn === 'transformResponse', 'HTTP: JSON.parse of the answer (axios transformResponse)'],
	[(fn) => fn === 'stringifySafely', 'HTTP: JSON.stringify of the body (axios)'],
	[inUrl(HTTP_URL), 'HTTP: client, sockets, headers (axios / Node.js)'],
	[pkg((fn) => fn === 'normalizePhoneNumber'), 'node: normalizePhoneNumber (per row)'],
	[pkg((fn) => fn === 'normalizeMessage'), 'node: normalizeMessage (per row)'],
	[pkg((fn, url) => /itemTemplate/.test(url)), 'node: Number/Message templates (per row)'],
	[pkg((fn, url) => /responseMatching/.test(url)), 'node: matchResponse (per push)'],
	[pkg(() => true), 'node: other (execute loop, batches, output items)'],
	[
		inUrl(/n8n-core\/dist\/execution-engine/),
		(f) =>
			`n8n engine: ${f.functionName || '(anonymous)'} ${shortUrl(f.url).replace(/^n8n-core\/dist\/execution-engine\//, '')}:${f.lineNumber + 1}`,
	],
];
function bucketOf(stack) {
	let vm2 = false;
	for (const f of stack) {
		if (isVm2(f.url)) {
			vm2 = true;
			continue;
		}
		for (const [test, label] of BUCKETS) {
			if (!test(f.functionName, f.url || '')) continue;
			const text = typeof label === 'function' ? label(f) : label;
			return vm2 ? `vm2 proxy traps (1.x Code-node items), called from — ${text}` : text;
		}
	}
	return vm2 ? 'vm2 proxy traps (1.x Code-node items)' : null;
}

const frameKey = (f) =>
	`${f.functionName || '(anonymous)'}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;

/** Cuts [fromUs, toUs] (profile clock) out of a .cpuprofile and attributes its samples. */
function analyse(profile, fromUs, toUs) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);

	const add = (map, key, ms) => map.set(key, (map.get(key) || 0) + ms);
	// each: key → ms
	const [self, inclusive, modules, pkgInnermost, buckets] = [1, 2, 3, 4, 5].map(() => new Map());
	const special = { '(idle)': 0, '(garbage collector)': 0, '(program)': 0 };
	let total = 0;
	let t = profile.startTime;
	const { samples, timeDeltas } = profile;
	for (let i = 0; i < samples.length; i++) {
		t += timeDeltas[i];
		const next = i + 1 < samples.length ? timeDeltas[i + 1] : 0;
		if (t < fromUs || t > toUs) continue;
		const ms = next / 1000;
		total += ms;
		const leaf = byId.get(samples[i]);
		const cf = leaf.callFrame;
		if (cf.functionName in special && !cf.url) {
			special[cf.functionName] += ms;
			continue;
		}
		add(self, frameKey(cf), ms);
		add(modules, moduleOf(cf.url), ms);
		const stack = []; // the call frames from the sample's node up to the root
		for (let id = samples[i]; id !== undefined; id = parent.get(id))
			stack.push(byId.get(id).callFrame);
		for (const k of new Set(stack.map(frameKey))) add(inclusive, k, ms);
		add(buckets, bucketOf(stack) || `other: ${moduleOf(cf.url)}`, ms);
		const pkgFrame = stack.find((f) => isPackage(f.url));
		add(pkgInnermost, pkgFrame ? frameKey(pkgFrame) : '(no Picky Assist frame on the stack)', ms);
	}
	const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
	for (const [k, v] of Object.entries(special))
		if (v) buckets.set(k === '(idle)' ? "(idle): waiting — for the sandbox's answer" : k, v);
	const lists = { buckets, self, inclusive, modules, pkgInnermost };
	return {
		total,
		special,
		...Object.fromEntries(Object.entries(lists).map(([k, m]) => [k, sorted(m)])),
	};
}

function printAnalysis(title, a, windowMs, top) {
	const f = (x) => x.toFixed(1).padStart(8);
	const ms = (name) => `${a.special[name].toFixed(0)} ms`;
	const lines = [
		`\n=== ${title}`,
		`window ${windowMs.toFixed(0)} ms (executionTime), sampled ${a.total.toFixed(0)} ms: idle ${ms('(idle)')}, GC ${ms('(garbage collector)')}, (program) ${ms('(program)')}`,
		`-- where the time goes (ms, % of the sampled window):`,
		...a.buckets.map(([k, v]) => `${f(v)}  ${((100 * v) / a.total).toFixed(1).padStart(5)}%  ${k}`),
	];
	for (const [heading, list, n] of [
		['by module (self time, ms)', a.modules, 15],
		[`top ${top} functions by self time (ms)`, a.self, top],
		[
			'time by innermost Picky Assist function on the stack (includes what it called; ms)',
			a.pkgInnermost,
			top,
		],
		[`top ${top} functions by inclusive time (ms)`, a.inclusive, top],
	])
		lines.push(`-- ${heading}:`, ...list.slice(0, n).map(([k, v]) => `${f(v)}  ${k}`));
	return lines.join('\n');
}

/** One profiled `n8n execute` of a workflow: its measured nodes' windows analysed and printed. */
async function profileRun({ bl, sandbox, wf, kind, run, o, work }) {
	const { sb } = sandbox;
	const dir = path.join(work, `${kind}-${run}`);
	fs.mkdirSync(dir, { recursive: true });
	const clockFile = path.join(dir, 'clock.json');
	sb.reset();
	sandbox.resetTiming();
	const r = await bl.execute(wf.id, {
		tag: `prof-${kind}-${run}`,
		nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${o.interval}`],
		env: { BENCH_CLOCK_FILE: clockFile },
	});
	if (!r.ok) return console.log(`${kind} run ${run} FAILED: ${r.error}`);
	const profFile = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
	if (!profFile) return console.log(`${kind} run ${run}: no .cpuprofile written in ${dir}`);
	const profile = JSON.parse(fs.readFileSync(path.join(dir, profFile), 'utf8'));
	const clock = JSON.parse(fs.readFileSync(clockFile, 'utf8'));
	const rd = r.run.data.resultData.runData;
	const names = o.node ? [o.node] : KINDS[kind].measured;
	const times = names.map((n) => `${n} ${rd[n][0].executionTime} ms`).join(', ');
	console.log(
		`\n##### ${kind}, ${o.rows} rows from ${o.source}, run ${run}: ${times}; ${sb.pushes().length} pushes; sandbox ${sandbox.serverMs().toFixed(0)} ms; profile ${path.join(dir, profFile)}`,
	);
	for (const n of names) {
		const nr = rd[n][0];
		const fromUs = clock.monoUs + (nr.startTime - clock.epochMs) * 1000;
		const toUs = fromUs + nr.executionTime * 1000;
		const title = `${n} (${kind}, ${o.rows} rows, n8n ${bl.info.n8nVersion})`;
		console.log(printAnalysis(title, analyse(profile, fromUs, toUs), nr.executionTime, o.top));
	}
}

// ------------------------------------------------------------------------------------------------ main

async function main() {
	const o = parseOptions();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-prof-'));
	const packed = packPackage(path.join(work, 'pack'));
	const sandbox = await startTimedSandbox();
	const { sb } = sandbox;
	const pushUrl = `${sb.baseUrl()}/push`;
	const workflows = o.kinds.map((k) => buildWorkflow(k, o.rows, { pushUrl, source: o.source }));
	const bl = new BenchLine(o.line, { tarball: packed.tarball, keep: o.keep });
	try {
		await bl.setup(workflows, credentialOf(sb));
		console.log(
			`n8n ${bl.info.n8nVersion} on Node ${bl.nodeVersion}; user folder ${bl.userFolder}`,
		);
		for (const [i, wf] of workflows.entries())
			for (let run = 1; run <= o.runs; run++)
				await profileRun({ bl, sandbox, wf, kind: o.kinds[i], run, o, work });
	} finally {
		await sb.close();
		bl.cleanup();
		if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`kept ${work}`);
	}
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}

module.exports = { analyse };
