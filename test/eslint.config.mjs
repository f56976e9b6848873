/**
 * Lint for the tooling around the package (sandbox, tests, scripts, bench): Node.js code that never ships.
 * The package itself is linted by n8n's own `n8n-node lint` with its default config, in its own folder.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
	{
		ignores: [
			'nodes/**',
			'credentials/**',
			'index.ts',
			'**/node_modules/**',
			'**/dist/**',
			'coverage/**',
			'test/bench/out/**',
		],
	},
	{
		files: ['**/*.{js,ts,mjs}'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: { ...globals.node, ...globals.jest } },
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
			],
		},
	},
	{ files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
