'use strict';
/**
 * The `unit` project of the root jest.config.js: pure functions, the sandbox and the tooling, in Jest's parallel
 * workers. `npm run test:unit`, or `npx jest test/unit/<file>`.
 */
const path = require('path');

module.exports = {
	displayName: 'unit',
	rootDir: path.resolve(__dirname, '..', '..'),
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/unit'],
	testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	globals: { PICKY_TEST_TIMEOUT: 60000 },
	setupFilesAfterEnv: [
		'<rootDir>/test/setup/projectTimeout.js',
		'<rootDir>/test/setup/quietLogs.js',
		'<rootDir>/test/setup/n8nUserFolder.js',
	],
};
