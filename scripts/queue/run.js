#!/usr/bin/env node
'use strict';
/**
 * The queue-mode tests (`npm run test:queue`): n8n 1.123.81 (Node 20) and 2.41.1 (Node 24) each as main + 2 workers
 * + a webhook processor sharing Redis and PostgreSQL, against the sandbox.
 *   0. needs Debian's redis-server and postgresql and installs no system package: without them the suite is
 *      skipped with one line saying how to install them (a failure with PICKY_REQUIRE_ALL_SUITES=1),
 *   1. makes sure both n8n lines are in the cache (scripts/e2e/install-n8n.js) while building the package,
 *   2. runs `jest -c test/queue/jest.config.js --runInBand`; its global setup packs the build and starts Redis and
 *      PostgreSQL on free loopback ports (test/tooling/queue-services.js), and its teardown stops them,
 *   3. exits with jest's exit code.
 *
 *   node scripts/queue/run.js                                   # both lines
 *   node scripts/queue/run.js --line 2                          # one line only
 *   node scripts/queue/run.js -- --json --outputFile=out.json   # anything after -- goes to jest
 *
 * Environment: PICKY_N8N_CACHE (cache folder), PICKY_NODE20 (Node binary for line 1), PICKY_E2E_N8N_LOG=1 (print
 * every n8n process's log), PICKY_REDIS_SERVER and PICKY_POSTGRES_BIN (other Redis and PostgreSQL binaries).
 */
const { e2eSetupEnv, parseSuiteOptions, runSuite } = require('../lib/suite-runner');

const { values, jestArgs } = parseSuiteOptions(__filename);
runSuite({
	name: 'queue run',
	dir: 'queue',
	line: values.line,
	jestArgs,
	jestEnv: e2eSetupEnv(values.line),
}).catch((e) => {
	console.error(e);
	process.exit(1);
});
