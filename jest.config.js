/** Unit and in-process workflow tests. The real-n8n end-to-end suite has its own config in test/e2e/. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/workflow/**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	testTimeout: 60000,
	setupFilesAfterEnv: [
		'<rootDir>/test/setup/quietLogs.js',
		'<rootDir>/test/setup/n8nUserFolder.js',
	],
};
