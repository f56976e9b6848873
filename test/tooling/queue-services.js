'use strict';
/**
 * Redis and PostgreSQL for n8n's queue mode, from Debian's packages, on free loopback ports in temp folders, and
 * stopped again with nothing left running. Plain CommonJS without dependencies (jest's global setup loads it).
 *
 * - Installs nothing: where redis-server or PostgreSQL is missing, startServices throws one line saying how to
 *   install them (test/tooling/suite-services.js, which also lets the runners skip the suite before it starts).
 * - PostgreSQL refuses to run as root, so as root initdb, postgres and pg_ctl run as the `postgres` user (runuser);
 *   any other user runs them as itself. They come from Debian's own /usr/lib/postgresql/<version>/bin (or
 *   PICKY_POSTGRES_BIN) — never a pg_ctl found on PATH, which may belong to another install. Authentication is
 *   `trust` on loopback only: the server lives as long as the test run.
 * - Redis runs in the foreground as our child (no persistence, its log on stdout) and is stopped with SIGTERM.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { assertServices, postgresBinDir, redisServerPath } = require('./suite-services');
const { alive, runSync: run, startProcess } = require('./child');
const { freePort } = require('./ports');

async function startRedis(dir) {
	const port = await freePort();
	const redis = startProcess(redisServerPath(), [
		...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
		...['--appendonly', 'no', '--daemonize', 'no'],
	]);
	try {
		await redis.waitForLine('Ready to accept connections', 20_000);
	} catch (e) {
		await redis.stop(0);
		throw new Error(`${e.message}: ${redis.lines.join('\n').slice(-1500)}`);
	}
	return { port, pid: redis.pid, stop: () => redis.stop(10_000) };
}

async function startPostgres(dir) {
	const bin = postgresBinDir();
	const port = await freePort();
	const data = path.join(dir, 'pgdata');
	fs.chmodSync(dir, 0o755);
	fs.mkdirSync(data, { mode: 0o700 });
	const root = process.getuid?.() === 0;
	if (root) run('chown', ['-R', 'postgres:postgres', dir]);
	const pgTool = (tool, args) =>
		root
			? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args])
			: run(path.join(bin, tool), args);
	pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
	const logFile = path.join(dir, 'postgres.log');
	pgTool('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
	const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
	const server = { port, bin, user: 'postgres' };
	return {
		...server,
		pid,
		createDatabase: (name) => createDatabase(server, name),
		async stop() {
			if (fs.existsSync(path.join(data, 'postmaster.pid')))
				pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
		},
	};
}

/**
 * Creates a database on a server started here, as its superuser over loopback TCP. Takes the plain description
 * `{port, bin, user}` so a process other than the one that started the server (a jest test file) can call it.
 */
function createDatabase({ port, bin, user }, name) {
	const args = ['-h', '127.0.0.1', '-p', String(port), '-U', user, name];
	run(path.join(bin, 'createdb'), args);
}

/**
 * Starts Redis and PostgreSQL (throwing one line when either is not installed). Returns
 * `{ redis: {port, pid}, postgres: {port, pid, user, createDatabase(name)}, dir, stop() }`; stop() stops both and
 * removes the temp folder. On a failure, whatever was started is stopped before it throws.
 */
async function startServices({ log = () => {} } = {}) {
	assertServices('queue');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-queue-services-'));
	const started = [];
	const stop = async () => {
		for (const s of started.reverse()) await s.stop().catch((e) => log(`stop: ${e.message}`));
		started.length = 0;
		fs.rmSync(dir, { recursive: true, force: true });
	};
	try {
		const redis = await startRedis(dir);
		started.push(redis);
		const postgres = await startPostgres(dir);
		started.push(postgres);
		log(
			`redis on 127.0.0.1:${redis.port} (pid ${redis.pid}), postgres on 127.0.0.1:${postgres.port} (pid ${postgres.pid}), in ${dir}`,
		);
		return { redis, postgres, dir, stop };
	} catch (e) {
		await stop();
		throw e;
	}
}

module.exports = { startServices, createDatabase, alive };
