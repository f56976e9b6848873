'use strict';
/**
 * Setup of the queue project (run by test/setup/serial-runner.js right before the project's first file): what the
 * e2e project's setup does (n8n lines, build, `npm pack`; its state file in $PICKY_E2E_STATE), then Redis and
 * PostgreSQL on free loopback ports (Debian's packages, which must be installed: without them the root
 * jest.config.js does not run this project). Their ports go to the test files in $PICKY_QUEUE_SERVICES; the
 * teardown stops them.
 */
const e2eSetup = require('../e2e/global-setup');
const { startServices } = require('../tooling/queue-services');

module.exports = async function globalSetup() {
	await e2eSetup();
	const services = await startServices({ log: (l) => console.log(`[queue] ${l}`) });
	// The setup and the teardown share this process (not the test files' context).
	globalThis.__pickyQueueServices = services;
	process.env.PICKY_QUEUE_SERVICES = JSON.stringify({
		redis: { port: services.redis.port },
		postgres: {
			port: services.postgres.port,
			bin: services.postgres.bin,
			user: services.postgres.user,
		},
	});
};
