#!/usr/bin/env node
'use strict';
/**
 * The browser suite (`npm run test:ui`): the real n8n editor in headless Chromium, on both n8n lines.
 *   0. needs Debian's Chromium (/usr/bin/chromium, or $PICKY_CHROMIUM) and installs no system package: without
 *      it the suite is skipped with one line saying how to install it (a failure with PICKY_REQUIRE_ALL_SUITES=1),
 *   1. in parallel: makes sure n8n 1.123.81 (Node 20) and 2.41.1 (Node 24) are in the cache
 *      (scripts/e2e/install-n8n.js; minutes on a cold cache, seconds when warm) and builds the package,
 *   2. runs `jest -c test/ui/jest.config.js --runInBand` (its globalSetup starts n8n + sandbox per line),
 *   3. exits with jest's exit code.
 *
 *   node scripts/ui/run.js                        # both lines
 *   node scripts/ui/run.js --line 2               # one line only
 *   node scripts/ui/run.js --update-pictures      # also rewrite the README's pictures in docs/ (newest line)
 *   node scripts/ui/run.js -- --json --outputFile=ui.json   # anything after -- goes to jest
 *
 * Screenshots of every step: test/ui/artifacts/line-<n>/. Environment: PICKY_N8N_CACHE, PICKY_NODE20 (as for
 * test:e2e), PICKY_CHROMIUM (another Chromium binary), PICKY_UI_KEEP=1 (keep the n8n user folders).
 */
const { parseSuiteOptions, runSuite } = require('../lib/suite-runner');

const { values, jestArgs } = parseSuiteOptions(__filename, {
	'update-pictures': { type: 'boolean' },
});
runSuite({
	name: 'browser suite',
	dir: 'ui',
	line: values.line,
	jestArgs,
	jestEnv: {
		PICKY_UI_SKIP_BUILD: '1',
		PICKY_UI_LINES: values.line,
		...(values['update-pictures'] ? { PICKY_UI_PICTURES: '1' } : {}),
	},
}).catch((e) => {
	console.error(e);
	process.exit(1);
});
