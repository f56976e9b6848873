'use strict';
/**
 * The `ui` project of the root jest.config.js: the real n8n editor (1.123.81 on Node 20, 2.41.1 on Node 24) with
 * this package installed from the current build, driven in headless Chromium against the local sandbox.
 *
 *   npm run test:ui                                           both lines
 *   PICKY_E2E_LINES=2 npx jest test/ui/<file>                 one file, one line
 *   PICKY_UI_PICTURES=1 npm run test:ui                       also rewrites the README's pictures in docs/
 *
 * Its setup (global-setup.ts, run by test/setup/serial-runner.js right before the project's first file) installs
 * missing n8n lines, builds, and starts one n8n + sandbox per line, left running for every test file of the project
 * and stopped by its teardown; each file opens its own browser. Screenshots go to test/ui/artifacts/line-<n>/.
 */
const SerialRunner = require('../setup/serial-runner');
const e2e = require('../e2e/jest.config');

module.exports = {
	// rootDir, the environment and the TypeScript transform (its own compiler settings) are e2e's.
	...e2e,
	// A browser step waits on a real n8n sharing 2 CPU cores with the other line: generous.
	...SerialRunner.project(e2e.rootDir, 'ui', { hooks: 'ts', timeoutMs: 4 * 60 * 1000 }),
};
