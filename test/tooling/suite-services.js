'use strict';
/**
 * What the browser and queue-mode suites need from the machine — Debian's chromium, redis-server and postgresql —
 * and the one line to print when some of it is missing. Nothing here installs anything: a test run never changes
 * the system. Where a program is missing the suite is skipped, saying which and how to get it; CI (.ci/run)
 * installs the packages itself and sets PICKY_REQUIRE_ALL_SUITES=1, which makes that same gap a failure there.
 *
 * Environment: PICKY_CHROMIUM (another Chromium binary), PICKY_REDIS_SERVER (another redis-server binary),
 * PICKY_POSTGRES_BIN (a folder holding PostgreSQL's postgres, initdb, pg_ctl and createdb).
 */
const fs = require('node:fs');
const path = require('node:path');

const REQUIRE_ALL = 'PICKY_REQUIRE_ALL_SUITES';
const PG_ROOT = '/usr/lib/postgresql';

const chromiumPath = (env = process.env) => env.PICKY_CHROMIUM || '/usr/bin/chromium';
const redisServerPath = (env = process.env) => env.PICKY_REDIS_SERVER || '/usr/bin/redis-server';

/** PICKY_POSTGRES_BIN, else the newest Debian PostgreSQL whose server is installed; null when there is none. */
function postgresBinDir(env = process.env) {
	const hasServer = (dir) => fs.existsSync(path.join(dir, 'postgres'));
	if (env.PICKY_POSTGRES_BIN)
		return hasServer(env.PICKY_POSTGRES_BIN) ? env.PICKY_POSTGRES_BIN : null;
	if (!fs.existsSync(PG_ROOT)) return null;
	const newest = fs
		.readdirSync(PG_ROOT)
		.filter((v) => /^\d+$/.test(v) && hasServer(path.join(PG_ROOT, v, 'bin')))
		.sort((a, b) => Number(b) - Number(a))[0];
	return newest ? path.join(PG_ROOT, newest, 'bin') : null;
}

/** Per suite folder (test/<dir>): its name and the programs it needs, each [found, what is missing, package]. */
const NEEDS = {
	ui: {
		name: 'browser suite',
		programs: (env) => [
			[fs.existsSync(chromiumPath(env)), `no Chromium at ${chromiumPath(env)}`, 'chromium'],
		],
	},
	queue: {
		name: 'queue-mode suite',
		programs: (env) => [
			[
				fs.existsSync(redisServerPath(env)),
				`no redis-server at ${redisServerPath(env)}`,
				'redis-server',
			],
			[
				postgresBinDir(env) !== null,
				env.PICKY_POSTGRES_BIN
					? `no PostgreSQL server at ${path.join(env.PICKY_POSTGRES_BIN, 'postgres')}`
					: `no PostgreSQL server in ${PG_ROOT}/<version>/bin`,
				'postgresql',
			],
		],
	},
};

/**
 * What the suite lacks and how to get it, as one sentence; null when it lacks nothing (or needs no service).
 * Pointing at CI helps a contributor, not CI itself.
 */
function missingServices(dir, env = process.env, { inCi = false } = {}) {
	const missing = (NEEDS[dir]?.programs(env) ?? []).filter(([found]) => !found);
	if (!missing.length) return null;
	const them = missing.length > 1 ? 'them' : 'it';
	const install = `install ${them} with \`sudo apt-get install ${missing.map((m) => m[2]).join(' ')}\``;
	const elsewhere = inCi ? '' : `, or run in CI (.ci/run installs ${them})`;
	return `${missing.map((m) => m[1]).join(' and ')} — ${install}${elsewhere}`;
}

/**
 * Whether a runner may start the suite in test/<dir>: null when it may, else the one line to print and whether
 * it is a skip (the default) or a failure (PICKY_REQUIRE_ALL_SUITES=1).
 */
function suiteGate(dir, env = process.env) {
	const required = env[REQUIRE_ALL] === '1';
	const reason = missingServices(dir, env, { inCi: required });
	if (!reason) return null;
	const { name } = NEEDS[dir];
	if (required)
		return {
			skipped: false,
			line: `${name} failed: it cannot run here and ${REQUIRE_ALL}=1 requires every suite: ${reason}`,
		};
	return { skipped: true, line: `${name} skipped: ${reason}` };
}

/** For code that starts a service itself (a suite's global setup): throws that one line when something is missing. */
function assertServices(dir, env = process.env) {
	const reason = missingServices(dir, env);
	if (reason) throw new Error(`${NEEDS[dir].name} cannot run: ${reason}`);
}

module.exports = {
	REQUIRE_ALL,
	chromiumPath,
	redisServerPath,
	postgresBinDir,
	suiteGate,
	assertServices,
};
