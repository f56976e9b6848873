'use strict';
/** Teardown of the queue project (test/setup/serial-runner.js): stops Redis and PostgreSQL, then the e2e teardown (pack folder). */
const e2eTeardown = require('../e2e/global-teardown');
const { alive } = require('../tooling/queue-services');

module.exports = async function globalTeardown() {
	const services = globalThis.__pickyQueueServices;
	if (services) {
		await services.stop();
		const left = [services.redis.pid, services.postgres.pid].filter(alive);
		if (left.length) throw new Error(`Redis/PostgreSQL still running after stop: pids ${left}`);
	}
	await e2eTeardown();
};
