#!/usr/bin/env node
'use strict';
/**
 * What CI calls for the end-to-end tests (`npm run test:e2e`):
 *   1. makes sure n8n 1.123.81 (Node 20) and n8n 2.41.1 (Node 24) are in the cache
 *      (scripts/e2e/install-n8n.js; minutes on a cold cache, seconds when warm),
 *      while building the package at the same time (`npm run build`),
 *   2. runs `jest -c test/e2e/jest.config.js --runInBand` (its globalSetup packs the build),
 *   3. exits with jest's exit code.
 *
 *   node scripts/e2e/run.js                 # both lines
 *   node scripts/e2e/run.js --line 2        # one line only
 *   node scripts/e2e/run.js -- -t batching  # anything after -- goes to jest (so do options other than --line)
 *
 * Environment: PICKY_N8N_CACHE (cache folder), PICKY_NODE20 (Node binary for line 1),
 * PICKY_E2E_KEEP=1 (keep the temp n8n user folders for inspection).
 */
const { e2eSetupEnv, parseSuiteOptions, runSuite } = require('../lib/suite-runner');

const { values, jestArgs } = parseSuiteOptions(__filename);
runSuite({
	name: 'e2e run',
	dir: 'e2e',
	line: values.line,
	jestArgs,
	jestEnv: e2eSetupEnv(values.line),
}).catch((e) => {
	console.error(e);
	process.exit(1);
});
