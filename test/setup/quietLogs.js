// A green run is quiet: n8n-core's logger prints every error a test provokes on purpose. Each test file gets a
// fresh n8n-core (jest isolates modules), whose logger reads this level when it is created. The token-leak test
// keeps logging on: it reads everything n8n prints.
if (!/tokenLeak\.test\.ts$/.test(expect.getState().testPath ?? ''))
	process.env.N8N_LOG_LEVEL = 'silent';
else delete process.env.N8N_LOG_LEVEL;
