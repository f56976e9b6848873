'use strict';
/**
 * Stands in for a project whose programs are missing on this machine (the root jest.config.js): one test named
 * with the line of test/tooling/suite-services.js that says what is missing and how to install it. Skipped, which
 * the summary reports as a skipped suite; or, with PICKY_REQUIRE_ALL_SUITES=1, failed with that line.
 */
const { line, skipped } = globalThis.PICKY_SUITE_GATE;

if (skipped) test.skip(line, () => {});
else
	test(line, () => {
		throw new Error(line);
	});
