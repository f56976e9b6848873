#!/usr/bin/env node
'use strict';
/**
 * Redis and PostgreSQL for trying n8n's queue mode by hand (the tests start their own through jest's global setup):
 * starts Debian's redis-server and postgresql (install them first: `sudo apt-get install redis-server postgresql`)
 * on free loopback ports in a temp folder, prints the environment n8n needs, and stops both on Ctrl+C / SIGTERM,
 * leaving nothing running.
 *
 *   node scripts/queue/services.js            # runs until Ctrl+C
 *   node scripts/queue/services.js --check    # start, print, stop (a smoke test of the machine)
 *
 * As root, PostgreSQL runs as the `postgres` user (runuser); any other user runs it as itself.
 */
const { startServices } = require('../../test/tooling/queue-services');
const { parseCommandLine } = require('../lib/cli');

async function main() {
	const { values } = parseCommandLine(__filename, { check: { type: 'boolean', default: false } });
	const services = await startServices({ log: (l) => console.log(`[services] ${l}`) });
	const database = 'n8n';
	services.postgres.createDatabase(database);
	console.log(
		[
			'EXECUTIONS_MODE=queue',
			'QUEUE_BULL_REDIS_HOST=127.0.0.1',
			`QUEUE_BULL_REDIS_PORT=${services.redis.port}`,
			'DB_TYPE=postgresdb',
			'DB_POSTGRESDB_HOST=127.0.0.1',
			`DB_POSTGRESDB_PORT=${services.postgres.port}`,
			`DB_POSTGRESDB_DATABASE=${database}`,
			`DB_POSTGRESDB_USER=${services.postgres.user}`,
		].join('\n'),
	);
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await services.stop();
		console.log('[services] stopped');
		process.exit(0);
	};
	if (values.check) return stop();
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	console.log('[services] running; Ctrl+C stops both');
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
