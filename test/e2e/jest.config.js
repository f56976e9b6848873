'use strict';
/**
 * End-to-end tests: a packed build of this package installed into real n8n instances
 * (1.123.81 on Node 20, 2.41.1 on Node 24) run from the CLI against the local sandbox.
 *
 *   npx jest -c test/e2e/jest.config.js          (or: node scripts/e2e/run.js)
 *
 * globalSetup installs the n8n versions into the cache (if missing), builds and packs the
 * package once; the test file reads what it found from $PICKY_E2E_STATE.
 */
const path = require('path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: {
		// Own inline compiler settings so these tests do not depend on the build's tsconfig.json.
		'^.+\\.ts$': [
			'ts-jest',
			{
				tsconfig: {
					target: 'ES2022',
					module: 'commonjs',
					moduleResolution: 'node',
					esModuleInterop: true,
					strict: true,
					skipLibCheck: true,
					resolveJsonModule: true,
					allowJs: true, // the tooling's plain .js helpers are typed by their JSDoc
					types: ['node', 'jest'],
				},
			},
		],
	},
	moduleFileExtensions: ['ts', 'js', 'json'],
	globalSetup: '<rootDir>/test/e2e/global-setup.js',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.js',
	// Each n8n CLI call costs 4-10 s; a whole line takes about a minute or two.
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1, // the lines share 2 CPU cores and the in-process sandbox: run in band
	verbose: true,
};
