'use strict';
/**
 * The browser suite: the real n8n editor (1.123.81 on Node 20, 2.41.1 on Node 24) with this package installed from
 * the current build, driven in headless Chromium against the local sandbox.
 *
 *   npm run test:ui            (scripts/ui/run.js: installs what is missing, then runs this config)
 *
 * globalSetup starts one n8n + sandbox per line and leaves them running for every test file; each file opens its
 * own browser. Screenshots go to test/ui/artifacts/line-<n>/.
 */
const e2e = require('../e2e/jest.config');

module.exports = {
	// rootDir, the environment and the TypeScript transform (its own compiler settings) are the e2e suite's.
	...e2e,
	testMatch: ['<rootDir>/test/ui/**/*.ui.test.ts'],
	globalSetup: '<rootDir>/test/ui/global-setup.ts',
	globalTeardown: '<rootDir>/test/ui/global-teardown.ts',
	// A browser step waits on a real n8n sharing 2 CPU cores with the other line: generous.
	testTimeout: 4 * 60 * 1000,
};
