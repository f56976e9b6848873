'use strict';
/**
 * Bench part "webhook" (test/bench/README.md, "Webhook burst"): bursts of Event Webhook calls into active
 * workflows of one running n8n (`n8n start` through test/tooling/n8n-server.ts). Every workflow ends in the Bench
 * Count helper node, which appends "<first msg_id> <entries> <items>" per execution to a file, so executions and
 * entries are counted with execution saving off, as on a busy instance. Every call carries msg_ids never used
 * before in that server's life, so Drop Repeated Events drops nothing. Lost: a call without a 2xx, or whose
 * execution or entries never reached Count.
 */
const fs = require('fs');
const path = require('path');
const { sleep, waitUntil, WaitTimeout } = require('../tooling/wait');

require('tsx/cjs');
const { HELPERS, node, chain, workflowJson, splitOut } = require('./workflows');

const SECRET = 'bench-webhook-secret';
const TRIGGER_WEBHOOK_ID = 'b1000000-0000-4000-8000-00000000a001';
const WEBHOOK_PATH = 'bench-burst';
/** Picky Assist waits 180 s for a webhook's 200 before it retries (project API notes). */
const SENDER_TIMEOUT_MS = 180000;
/** A busy n8n can pause this long between executions before the rest of a burst's executions arrive. */
const QUIET_MS = 60000;
const DRAIN_TIMEOUT_MS = 300000;

const TRIGGER_NO_DEDUP_ID = TRIGGER_WEBHOOK_ID.replace(/1$/, '3');
const whKind = (label, id, path) => ({ label, id, path });
const WH_KINDS = {
	whTrigger: whKind(
		'Picky Assist Trigger → Count',
		'benchWHtrigger00',
		`${TRIGGER_WEBHOOK_ID}/pickyassist`,
	),
	whWebhook: whKind("n8n's Webhook node → Count", 'benchWHwebhook00', WEBHOOK_PATH),
	// Diagnostics (--webhook-kinds): where the trigger's time goes.
	whTriggerNoDedup: whKind(
		'Picky Assist Trigger, Drop Repeated Events off → Count',
		...['benchWHtrignode0', `${TRIGGER_NO_DEDUP_ID}/pickyassist`],
	),
	whWebhookSplit: whKind(
		"n8n's Webhook node → Split Out (body.data) → Count",
		...['benchWHwebsplit0', `${WEBHOOK_PATH}-split`],
	),
};

/** The trigger with its defaults and a Secret, as the README tells users; or n8n's Webhook node. */
function firstNode(kind, path) {
	const [respond, dedup] = [{ responseMode: 'onReceived' }, kind !== 'whTriggerNoDedup'];
	if (kind.startsWith('whTrigger')) {
		const events = ['incomingMessage', 'deliveryReport'];
		const parameters = {
			events,
			secret: SECRET,
			...respond,
			options: dedup ? {} : { deduplicate: false },
		};
		const type = 'n8n-nodes-pickyassist.pickyAssistTrigger';
		return node('Picky Assist Trigger', type, 1, 0, parameters, { webhookId: path.split('/')[0] });
	}
	const parameters = { httpMethod: 'POST', path, ...respond, options: {} };
	const webhookId = `b1000000-0000-4000-8000-00000000a00${kind === 'whWebhook' ? '2' : '4'}`;
	return node('Webhook', 'n8n-nodes-base.webhook', 2, 0, parameters, { webhookId });
}

function buildWebhookWorkflow(kind, countFile) {
	const nodes = [firstNode(kind, WH_KINDS[kind].path)];
	if (kind === 'whWebhookSplit') nodes.push(splitOut(220, 'body.data'));
	nodes.push(node('Count', `${HELPERS}.benchCount`, 1, 440, { file: countFile }));
	return workflowJson(
		WH_KINDS[kind].id,
		`Bench ${kind} burst`,
		nodes,
		chain(nodes.map((n) => n.name)),
	);
}

/** Event Webhook payloads (event 1) of one burst: msg_ids from `firstMsgId`, `entries` per call. */
function burstPayloads(calls, entries, firstMsgId, firstPushId) {
	return Array.from({ length: calls }, (_, c) => {
		const data = Array.from({ length: entries }, (_, e) => {
			const [msg, n] = [firstMsgId + c * entries + e, c * entries + e];
			const failed = msg % 10 === 0;
			return {
				...{ push_id: String(firstPushId + c), msg_id: String(msg) },
				...{ number: `4477009${String(n % 100000).padStart(5, '0')}`, status: failed ? '2' : '1' },
				...{ reference_number: '', error_message: failed ? 'Message Undeliverable' : '' },
				message: `Hi, your order PA-${100000 + (n % 900000)} is ready`,
				...{ message_type: 'text', channel_id: '8' },
			};
		});
		const text = JSON.stringify({ project_id: '1001', event_id: '1', data });
		return { first: String(firstMsgId + c * entries), text };
	});
}

/** What Count wrote: only whole lines, as an execution may be appending while the file is read. */
function readCounts(file) {
	const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	return text
		.slice(0, text.lastIndexOf('\n') + 1)
		.split('\n')
		.filter(Boolean)
		.map((l) => {
			const [first, entries, items] = l.split(' ');
			return { first, entries: Number(entries), items: Number(items) };
		});
}

const percentile = (sorted, p) =>
	sorted.length
		? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
		: null;
const msSince = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Posts every payload, `concurrency` in flight; returns each call's latency and the calls without a 2xx. */
async function sendAll(sb, url, payloads, concurrency) {
	const [latencies, bad] = [[], []];
	let next = 0;
	const worker = async () => {
		while (next < payloads.length) {
			const p = payloads[next++];
			const s = process.hrtime.bigint();
			try {
				const answer = await sb.postEvent(p.text, url);
				if (answer.status < 200 || answer.status > 299)
					bad.push({ first: p.first, status: answer.status, text: answer.text.slice(0, 200) });
			} catch (e) {
				bad.push({ first: p.first, error: String(e && e.message ? e.message : e).slice(0, 200) });
			}
			latencies.push(msSince(s));
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, payloads.length) }, worker));
	return { latencies: latencies.sort((a, b) => a - b), bad };
}

/** Waits until `isComplete(counted)`, or nothing more was counted for QUIET_MS, or `timeoutMs`; returns the count. */
async function drain(countFile, before, isComplete, timeoutMs) {
	let counted = readCounts(countFile).slice(before);
	let lastChange = Date.now();
	const drained = () => {
		const now = readCounts(countFile).slice(before);
		if (now.length !== counted.length) lastChange = Date.now();
		counted = now;
		return isComplete(counted) || Date.now() - lastChange >= QUIET_MS;
	};
	await waitUntil(drained, { timeoutMs, intervalMs: 100 }).catch((e) => {
		if (!(e instanceof WaitTimeout)) throw e; // what did not arrive is counted by the caller
	});
	return counted;
}

/** Sends one burst and waits (bounded) for its executions; returns the measurement. */
async function burst(sb, url, payloads, { concurrency, countFile, entries }) {
	const before = readCounts(countFile).length;
	const t0 = process.hrtime.bigint();
	const { latencies, bad } = await sendAll(sb, url, payloads, concurrency);
	const acceptMs = msSince(t0);
	const want = new Set(payloads.map((p) => p.first));
	const completeOf = (counted) =>
		new Set(counted.filter((c) => c.entries === entries && want.has(c.first)).map((c) => c.first));
	const isComplete = (c) => completeOf(c).size >= payloads.length;
	const counted = await drain(countFile, before, isComplete, DRAIN_TIMEOUT_MS);
	const allDoneMs = msSince(t0);
	const complete = completeOf(counted);
	const missing = payloads.filter((p) => !complete.has(p.first)).map((p) => p.first);
	const partial = counted.filter((c) => want.has(c.first) && c.entries !== entries);
	const sum = (field) => counted.reduce((a, c) => a + c[field], 0);
	return {
		...{ calls: payloads.length, acceptMs, allDoneMs, latencyP50: percentile(latencies, 50) },
		...{ latencyP99: percentile(latencies, 99), latencyMax: latencies.at(-1) ?? null },
		non2xx: bad.filter((b) => b.status !== undefined).length,
		errors: bad.filter((b) => b.error !== undefined).length,
		...{ badSample: bad.slice(0, 3), executions: counted.length },
		...{ entriesCounted: sum('entries'), itemsCounted: sum('items') },
		extraExecutions: counted.filter((c) => !want.has(c.first)).length,
		missingExecutions: missing.length,
		// Calls whose execution was counted with fewer (or more) entries than sent, e.g. "60000100 97 97".
		partialSample: partial.slice(0, 3).map((c) => `${c.first} ${c.entries} ${c.items}`),
		missingSample: missing.slice(0, 3),
		lost: new Set([...missing, ...bad.map((b) => b.first)]).size,
	};
}

/** The end of a burst's log line: what went wrong, with an example. */
const burstTrouble = (r) =>
	(r.badSample.length ? `; e.g. ${JSON.stringify(r.badSample[0])}` : '') +
	(r.missingExecutions
		? `; missing e.g. ${r.missingSample.join(', ')}; counted with other entry counts: ${r.partialSample.join(', ') || 'none'}`
		: '');

/** n8n as a server on the line's user folder (already set up by BenchLine). */
async function startWebhookServer(bl, log) {
	const { freePort } = require('../tooling/ports');
	const { N8nServer } = require('../tooling/n8n-server.ts');
	const serverLog = path.join(bl.outDir, 'n8n-server.log');
	const logStream = fs.createWriteStream(serverLog);
	const [port, brokerPort] = [await freePort(), await freePort()];
	const env = { ...bl.env, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
	const started = Date.now();
	const onLog = (l) => logStream.write(`${l}\n`);
	const server = await N8nServer.start({ line: bl.info, env, onLog });
	server.closeLog = () => logStream.end();
	const secs = ((Date.now() - started) / 1000).toFixed(1);
	log(`line ${bl.n}: n8n server up on ${server.baseUrl} in ${secs} s (log ${serverLog})`);
	return server;
}

/**
 * The bursts of one line against a started server: a warm-up burst per workflow (the first requests after start
 * pay for loading and compiling; not reported), then `runs` rounds of one burst per workflow (alternating which
 * goes first). Returns the measurements.
 */
async function bursts({ bl, sb, opts, log, countDir, server }) {
	const { webhookEntries: entries, webhookConcurrency: concurrency } = opts;
	let [msgBase, pushBase] = [60000000, 9000000];
	const burstOf = (kind, calls) => {
		const payloads = burstPayloads(calls, entries, msgBase, pushBase);
		[msgBase, pushBase] = [msgBase + calls * entries, pushBase + calls];
		const url = `${server.webhookUrl(WH_KINDS[kind].path)}?secret=${SECRET}`;
		const countFile = path.join(countDir, `line${bl.n}-${kind}.txt`);
		return burst(sb, url, payloads, { concurrency, entries, countFile });
	};
	const warmCalls = Math.min(50, opts.webhookCalls);
	for (const kind of opts.webhookKinds) {
		const w = await burstOf(kind, warmCalls);
		log(
			`line ${bl.n} webhook ${kind.padEnd(9)} warm-up ${warmCalls} calls (not reported): accepted in ${w.acceptMs.toFixed(0)} ms; ` +
				`non-2xx ${w.non2xx}, errors ${w.errors}, executions missing ${w.missingExecutions}${burstTrouble(w)}`,
		);
	}
	const measurements = [];
	for (let run = 1; run <= opts.webhookRuns; run++)
		for (const kind of run % 2 ? [...opts.webhookKinds].reverse() : opts.webhookKinds) {
			sb.reset();
			const r = await burstOf(kind, opts.webhookCalls);
			measurements.push({
				line: bl.n,
				part: 'webhook',
				kind,
				run,
				ok: true,
				entries,
				concurrency,
				...r,
			});
			log(
				`line ${bl.n} webhook ${kind.padEnd(9)} run ${run}/${opts.webhookRuns}: ${r.calls} calls × ${entries} accepted in ${r.acceptMs.toFixed(0)} ms ` +
					`(p50 ${r.latencyP50.toFixed(1)} ms, p99 ${r.latencyP99.toFixed(1)} ms), all executions done after ${r.allDoneMs.toFixed(0)} ms; ` +
					`${r.executions} executions, ${r.entriesCounted} entries; non-2xx ${r.non2xx}, errors ${r.errors}, lost ${r.lost}${burstTrouble(r)}`,
			);
		}
	return measurements;
}

/**
 * Runs the webhook part on one line: starts n8n as a server on a user folder already set up by BenchLine (the
 * webhook workflows imported), activates the workflows, runs the bursts, and stops the server. Returns the
 * measurements; throws only when the server could not be started or a workflow not activated (the server is
 * stopped either way).
 */
async function runWebhookPart({ bl, sb, opts, log, countDir }) {
	const { TreeMemorySampler } = require('./proc');
	sb.configure({ webhookTimeoutMs: SENDER_TIMEOUT_MS });
	const server = await startWebhookServer(bl, log);
	let [measurements, sampler] = [[], null];
	// n8n runs in its own process group, which Ctrl-C does not reach: stop it before the bench exits.
	const onSignal = (signal) => {
		log(`line ${bl.n}: ${signal}: stopping the n8n server`);
		server.stop().finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
	try {
		// Right after start n8n has answered the owner set-up with a 404 once (2.x), so once more after 2 s.
		await server.setupOwner().catch(async (e) => {
			const why = String(e.message).split('\n')[0].slice(0, 120);
			log(`line ${bl.n}: owner set-up failed (${why}); trying again in 2 s`);
			await sleep(2000);
			await server.setupOwner();
		});
		for (const kind of opts.webhookKinds) await server.activateWorkflow(WH_KINDS[kind].id);
		sampler = server.pid ? new TreeMemorySampler(server.pid, 100).start() : null;
		measurements = await bursts({ bl, sb, opts, log, countDir, server });
	} finally {
		const mem = sampler ? sampler.stop() : null;
		if (mem) for (const m of measurements) m.serverPeakMb = mem.peakKb / 1024;
		process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
		const exit = await server.stop();
		server.closeLog();
		sb.reset();
		sb.configure({ webhookTimeoutMs: 5000 });
		const alive = server.groupAlive() ? ' — WARNING: a process of its group is still alive' : '';
		log(`line ${bl.n}: n8n server stopped (code ${exit.code}, signal ${exit.signal})${alive}`);
	}
	return measurements;
}

module.exports = { WH_KINDS, SECRET, buildWebhookWorkflow, burstPayloads, runWebhookPart };
