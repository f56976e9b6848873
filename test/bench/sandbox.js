'use strict';
/**
 * The bench's sandbox: the project's sandbox (test/sandbox/, TypeScript compiled on require by tsx) with the rate
 * limit off and a huge balance, plus a timer on every request it serves (from its headers arriving to the last
 * byte of its answer), so the report can say how much of a node's time was the server's. The sandbox does not
 * expose its http.Server, so http.createServer is wrapped for the duration of startSandbox() to catch it (this works
 * because the sandbox, compiled to CommonJS, looks createServer up on the shared node:http module at each call).
 */
const http = require('http');

require('tsx/cjs');
const { startSandbox } = require('../sandbox');

async function startTimedSandbox() {
	const orig = http.createServer;
	let server;
	http.createServer = function patched(...a) {
		server = orig.apply(this, a);
		return server;
	};
	let sb;
	try {
		sb = await startSandbox({ rateLimitPerMinute: null, balance: 1e9 });
	} finally {
		http.createServer = orig;
	}
	const timing = { ns: 0n, count: 0 };
	if (server) {
		server.prependListener('request', (req, res) => {
			const t = process.hrtime.bigint();
			res.once('finish', () => {
				timing.ns += process.hrtime.bigint() - t;
				timing.count++;
			});
		});
	}
	return {
		sb,
		timed: !!server,
		resetTiming() {
			timing.ns = 0n;
			timing.count = 0;
		},
		serverMs: () => Number(timing.ns / 1000n) / 1000,
	};
}

module.exports = { startTimedSandbox };
