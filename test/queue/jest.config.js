'use strict';
/**
 * Queue-mode tests: n8n 1.123.81 and 2.41.1 each as main + 2 workers + a webhook processor sharing Redis and
 * PostgreSQL, the packed package installed on every process, against the sandbox.
 *
 *   node scripts/queue/run.js   (npm run test:queue; or: npx jest -c test/queue/jest.config.js after a build)
 *
 * globalSetup packs the package (test/e2e/global-setup.js: lines, build, pack) and starts Redis and PostgreSQL
 * (test/tooling/queue-services.js); globalTeardown stops them.
 */
const path = require('path');
const e2e = require('../e2e/jest.config');

module.exports = {
	...e2e,
	testMatch: ['<rootDir>/test/queue/**/*.queue.test.ts'],
	globalSetup: '<rootDir>/test/queue/global-setup.js',
	globalTeardown: '<rootDir>/test/queue/global-teardown.js',
	// A line: about a minute to start four n8n processes, two to three minutes of paced sending.
	testTimeout: 10 * 60 * 1000,
	rootDir: path.resolve(__dirname, '..', '..'),
};
