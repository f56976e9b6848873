'use strict';
/**
 * The `e2e` project of the root jest.config.js: a packed build of this package installed into real n8n instances
 * (1.123.81 on Node 20, 2.41.1 on Node 24) run from the CLI against the local sandbox.
 *
 *   npm run test:e2e                                          both lines
 *   PICKY_E2E_LINES=1 npx jest test/e2e/<file> -t '<name>'    one file, one test, one line
 *
 * Its setup (global-setup.js, run by test/setup/serial-runner.js right before the project's first file) installs
 * the n8n lines into the cache when missing, builds and packs the package; the test files read what it found from
 * $PICKY_E2E_STATE. The files run one at a time in the Jest process (the serial runner).
 */
const path = require('path');
const SerialRunner = require('../setup/serial-runner');

const ROOT = path.resolve(__dirname, '..', '..');

module.exports = {
	rootDir: ROOT,
	testEnvironment: 'node',
	// Each n8n CLI call costs 4-10 s; a whole line takes about a minute or two.
	...SerialRunner.project(ROOT, 'e2e', { hooks: 'js', timeoutMs: 10 * 60 * 1000 }),
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
	setupFilesAfterEnv: ['<rootDir>/test/setup/projectTimeout.js'],
	verbose: true,
};
