'use strict';
/**
 * Every test of the project in one Jest run, as projects (each with its own config in test/<project>/):
 *   unit, workflow   in Jest's parallel workers (workflow loads the node from dist/: build first);
 *   e2e, ui, queue   real n8n 1.x and 2.x, one file at a time; each project's setup installs the n8n lines when
 *                    missing, builds, and starts what the project needs (test/setup/serial-runner.js).
 * The browser (ui) and queue-mode (queue) suites need Debian's chromium, redis-server and postgresql, which a test
 * run never installs (test/tooling/suite-services.js). Where they are missing the project is replaced by one test
 * named after what is missing and how to install it: skipped, or failed with PICKY_REQUIRE_ALL_SUITES=1 (CI).
 * The last line of a run is the summary of test/setup/summary-reporter.js: "N passed, N failed[, ...]".
 *
 *   npm test                                   build, then every project
 *   npm run test:fast                          build, then unit and workflow
 *   npx jest --selectProjects unit             any project(s) by name
 *   PICKY_E2E_LINES=1 npx jest test/e2e/<file> -t '<name>'   one test of a real-n8n suite on one line
 */
const path = require('path');
const { suiteGate } = require('./test/tooling/suite-services');

/** The project of test/<dir>, or when the machine lacks its programs the one test that says so. */
function gated(dir) {
	const config = require(`./test/${dir}/jest.config`);
	const gate = suiteGate(dir);
	if (!gate) return config;
	return {
		displayName: config.displayName,
		rootDir: __dirname,
		testEnvironment: 'node',
		roots: ['<rootDir>/test/setup'],
		testMatch: ['<rootDir>/test/setup/missing-services.test.js'],
		transform: {},
		globals: { PICKY_SUITE_GATE: gate },
	};
}

module.exports = {
	projects: [
		require('./test/unit/jest.config'),
		require('./test/workflow/jest.config'),
		require('./test/e2e/jest.config'),
		gated('ui'),
		gated('queue'),
	],
	reporters: ['default', path.join(__dirname, 'test/setup/summary-reporter.js')],
};
