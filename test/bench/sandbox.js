'use strict';
/**
 * The bench's sandbox: the project's sandbox (test/sandbox/) with the rate limit off and a huge balance, plus a
 * timer on every request it serves (headers in → last byte of the answer out), so the report can say how much of a
 * node's time was the server's. The sandbox does not expose its http.Server, so http.createServer is wrapped while
 * startSandbox() runs to catch it (the sandbox, compiled to CommonJS, looks it up on node:http at each call).
 */
const http = require('http');

require('tsx/cjs');
const { startSandbox } = require('../sandbox');

async function startTimedSandbox() {
	const createServer = http.createServer;
	let server;
	http.createServer = (...a) => (server = createServer.apply(http, a));
	let sb;
	try {
		sb = await startSandbox({ rateLimitPerMinute: null, balance: 1e9 });
	} finally {
		http.createServer = createServer;
	}
	let ns = 0n;
	server?.prependListener('request', (req, res) => {
		const t = process.hrtime.bigint();
		res.once('finish', () => (ns += process.hrtime.bigint() - t));
	});
	return {
		sb,
		timed: !!server,
		resetTiming: () => (ns = 0n),
		serverMs: () => Number(ns / 1000n) / 1000,
	};
}

module.exports = { startTimedSandbox };
