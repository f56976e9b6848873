'use strict';
/**
 * The `workflow` project of the root jest.config.js: real workflows through n8n-core in-process, against the
 * sandbox, with the node loaded from dist/ (build first: `npm run test:workflow` does). Settings as the unit tests'.
 */
const unit = require('../unit/jest.config');

module.exports = {
	...unit,
	displayName: 'workflow',
	roots: ['<rootDir>/test/workflow'],
	testMatch: ['<rootDir>/test/workflow/**/*.test.ts'],
};
