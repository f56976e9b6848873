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
const SerialRunner = require('../setup/serial-runner');
const e2e = require('../e2e/jest.config');

module.exports = {
	// rootDir, the environment and the TypeScript transform (its own compiler settings) are e2e's.
	...e2e,
	// A line: about a minute to start four n8n processes, two to three minutes of paced sending.
	...SerialRunner.project(e2e.rootDir, 'queue', { hooks: 'js', timeoutMs: 10 * 60 * 1000 }),
};
