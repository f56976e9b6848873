#!/usr/bin/env node
'use strict';
/**
 * Send Dynamic Messages with a 1 MB file per row (Media From Binary Field): time and memory against the number of
 * rows, side by side. The files sit in n8n-core's filesystem binary store, as in n8n 2.x by default; the node runs
 * in n8n's engine in this process (the harness of the workflow tests) and the sandbox in a child process, so the
 * memory measured is the engine's and the node's alone. The claim checked: time grows with rows, memory does not —
 * a push is built and held one at a time, under Max Push Size.
 *
 *   node --expose-gc test/bench/files.js [options]      # by default 50, 100, 200 and 400 rows, 1 MB each
 *
 * Options:
 *   --rows LIST        row counts, comma-separated (default 50,100,200,400)
 *   --file-kb N        size of each row's file in KiB (default 1024)
 *   --max-push-mb N    the node's Max Push Size (default: the node's default)
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { parseCommandLine, usageError, numberList } = require('../../scripts/lib/cli');
const { startProcess } = require('../tooling/child');

const ROOT = path.resolve(__dirname, '..', '..');
const TOKEN = 'bench-files-token';
const MB = 1024 * 1024;

function options() {
	const { values } = parseCommandLine(__filename, {
		rows: { type: 'string', default: '50,100,200,400' },
		'file-kb': { type: 'string', default: '1024' },
		'max-push-mb': { type: 'string' },
	});
	const [rows, fileKb] = [numberList(values.rows), Number(values['file-kb'])];
	if (rows.some((n) => !Number.isInteger(n) || n < 1))
		usageError(__filename, '--rows takes whole numbers');
	if (!Number.isInteger(fileKb) || fileKb < 1)
		usageError(__filename, '--file-kb takes a whole number');
	const maxPushMb = values['max-push-mb'] === undefined ? undefined : Number(values['max-push-mb']);
	return { rows, fileBytes: fileKb * 1024, maxPushMb };
}

/** The sandbox as a child process (test/tooling/child.js); resolves with its base URL once it listens. */
async function startSandboxProcess() {
	const args = ['test/sandbox/cli.ts', '--port', '0', '--token', TOKEN, '--balance', '1000000000'];
	const tsx = require.resolve('tsx/cli');
	const child = startProcess(process.execPath, [tsx, ...args, '--rate-limit', 'off', '-q'], {
		cwd: ROOT,
	});
	await child.waitForLine('listening on', 60_000);
	const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(child.lines.join('\n'))[1];
	return { url, stop: () => child.stop() };
}

/** n8n-core's binary data service in filesystem mode, in a folder of its own. */
async function fileStore(folder) {
	process.env.N8N_BINARY_DATA_STORAGE_PATH = folder;
	const { BinaryDataService } = require('n8n-core');
	const { Container } = require(
		require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
	);
	const service = Container.get(BinaryDataService);
	await service.init();
	const location = { type: 'execution', workflowId: 'bench', executionId: 'files' };
	return (bytes, fileName) =>
		service.store(location, bytes, { mimeType: 'application/pdf', fileName, data: '' });
}

/** Peak memory above the level before the run, sampled every 5 ms. */
function memoryWatch() {
	global.gc?.();
	const base = process.memoryUsage();
	const peak = { rss: 0, heap: 0 };
	const sample = () => {
		const now = process.memoryUsage();
		peak.rss = Math.max(peak.rss, now.rss - base.rss);
		peak.heap = Math.max(peak.heap, now.heapUsed + now.external - base.heapUsed - base.external);
	};
	const timer = setInterval(sample, 5);
	return () => {
		clearInterval(timer);
		sample();
		return peak;
	};
}

async function measure(rows, opts, store, sandboxUrl, harness) {
	const file = Buffer.alloc(opts.fileBytes, 0x25);
	const binaries = [];
	for (let i = 0; i < rows; i++) binaries.push(await store(file, `invoice-${i}.pdf`));
	const number = (i) => `4477009${String(i).padStart(5, '0')}`;
	const pinned = binaries.map((data, i) => ({
		json: { number: number(i), message: `Invoice ${i}` },
		binary: { data },
	}));
	const stop = memoryWatch();
	const started = process.hrtime.bigint();
	const maxPush = opts.maxPushMb === undefined ? {} : { maxPushMegabytes: opts.maxPushMb };
	const result = await harness.runWorkflow(
		harness.readWorkflow('test/fixtures/send-dynamic.json'),
		{
			credentials: { apiToken: TOKEN, apiHost: 'custom', customUrl: `${sandboxUrl}/api/v2` },
			pinData: { Rows: pinned },
			pickyParameters: { options: { mediaBinaryProperty: 'data', ...maxPush } },
		},
	);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	const peak = stop();
	if (result.error) throw new Error(`the run failed: ${result.error.message}`);
	const accepted = result.output.filter((item) => item.json.state === 'accepted').length;
	if (accepted !== rows) throw new Error(`${accepted} of ${rows} rows were accepted`);
	const pushes = new Set(result.output.map((item) => item.json.push_id)).size;
	return { rows, fileMb: (rows * opts.fileBytes) / MB, pushes, ms, peak };
}

async function main() {
	const opts = options();
	Object.assign(process.env, {
		N8N_USER_FOLDER: fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-files-n8n-')),
		N8N_ENCRYPTION_KEY: 'bench-files-key-not-secret',
		N8N_LOG_LEVEL: 'silent',
	});
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-bench-files-'));
	require('tsx/cjs');
	const harness = require('../tooling/harness.ts');
	const sandbox = await startSandboxProcess();
	try {
		const store = await fileStore(folder);
		if (!global.gc) console.log('(run with node --expose-gc for steadier memory figures)');
		const results = [];
		// A first small run warms up n8n's engine, so the first measured row count is not charged for it.
		await measure(5, opts, store, sandbox.url, harness);
		for (const rows of opts.rows)
			results.push(await measure(rows, opts, store, sandbox.url, harness));
		const fmt = (n, digits = 0) => n.toFixed(digits).padStart(9);
		console.log(`\nSend with a ${opts.fileBytes / 1024} KiB file per row (filesystem binary mode)`);
		console.log(
			'     rows  files MB   pushes   wall ms  ms / row  peak RSS +MB  peak heap+ext +MB',
		);
		for (const r of results)
			console.log(
				`${fmt(r.rows)} ${fmt(r.fileMb)} ${fmt(r.pushes)} ${fmt(r.ms)} ${fmt(r.ms / r.rows, 1)} ${fmt(r.peak.rss / MB).padStart(13)} ${fmt(r.peak.heap / MB).padStart(18)}`,
			);
	} finally {
		await sandbox.stop();
		fs.rmSync(folder, { recursive: true, force: true });
		fs.rmSync(process.env.N8N_USER_FOLDER, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
