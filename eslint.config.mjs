import { config } from '@n8n/node-cli/eslint';

// n8n's community-node rules, exactly as @n8n/node-cli bundles them for verified nodes (n8n Cloud rules included).
// They lint the shipped code; the sandbox, tests and scripts are Node.js tooling that never ships.
export default [
	{ ignores: ['dist/**', 'node_modules/**', 'sandbox/**', 'test/**', 'scripts/**', 'bench/**', 'coverage/**', '*.js', '*.mjs'] },
	...config,
];
