/**
 * Lint for the code around the package (tests, the sandbox, harnesses, scripts, the benchmark): Node.js code that
 * never ships. Run from the repository root with `eslint -c test/eslint.config.mjs` (npm run lint); the root's
 * eslint.config.mjs is n8n's default, which `n8n-node lint` applies to every .ts file, the package's and these.
 *
 * The .ts files here turn n8n's rules for shipped code off in their first line. Those rules come from n8n's
 * community-nodes plugin, registered below only so that ESLint knows their names; none of them is enabled here,
 * and whether each turned-off rule is still needed is reported by `n8n-node lint`, not here.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { config as n8nNodeConfig } from '@n8n/node-cli/eslint';

const N8N_PLUGIN = '@n8n/community-nodes';
const n8nPlugin = n8nNodeConfig.find((c) => c.plugins?.[N8N_PLUGIN])?.plugins[N8N_PLUGIN];
if (!n8nPlugin) throw new Error(`n8n's lint config no longer carries the ${N8N_PLUGIN} plugin`);

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
	{
		files: ['**/*.ts'],
		plugins: { [N8N_PLUGIN]: n8nPlugin },
		linterOptions: { reportUnusedDisableDirectives: 'off' },
	},
	{ files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
	{
		// The tooling stays easy to follow: short functions, shallow nesting. A test file's describe blocks are lists
		// of cases, not logic, so test files are exempt.
		files: ['**/*.{js,ts,mjs}'],
		ignores: ['**/*.test.ts', '**/*.test.js'],
		rules: {
			'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
			'max-depth': ['error', 4],
		},
	},
);
