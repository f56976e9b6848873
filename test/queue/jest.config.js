'use strict';
/**
 * The `queue` project of the root jest.config.js: n8n 1.123.81 and 2.41.1 each as main + 2 workers + a webhook
 * processor sharing Redis and PostgreSQL, the packed package installed on every process, against the sandbox.
 *
 *   npm run test:queue                                        both lines
 *   PICKY_E2E_LINES=2 npx jest test/queue                     one line
 *
 * Its setup (global-setup.js, run by test/setup/serial-runner.js right before the project's first file) does what
 * the e2e project's does (n8n lines, build, pack) and starts Redis and PostgreSQL (test/tooling/queue-services.js);
 * its teardown stops them.
 */
const path = require('path');
const SerialRunner = require('../setup/serial-runner');
const e2e = require('../e2e/jest.config');

module.exports = {
	...e2e,
	displayName: 'queue',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['<rootDir>/test/queue/**/*.queue.test.ts'],
	// Not Jest's globalSetup/globalTeardown: the serial runner runs these around this project's files only.
	runner: SerialRunner.around(
		path.join(e2e.rootDir, 'test/queue/global-setup.js'),
		path.join(e2e.rootDir, 'test/queue/global-teardown.js'),
	),
	// A line: about a minute to start four n8n processes, two to three minutes of paced sending.
	globals: { PICKY_TEST_TIMEOUT: 10 * 60 * 1000 },
};
