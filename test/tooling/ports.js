'use strict';
/** Loopback ports for the servers the tooling starts (n8n, its task broker, Redis, PostgreSQL, the sandbox). */
const fs = require('fs');
const net = require('net');

/**
 * Starts `server` (an http or net server) on `port` (0: any) of 127.0.0.1; resolves with the port and a close()
 * that resolves once it is closed, or with null when the port is taken.
 * @param {import('net').Server} server
 * @returns {Promise<{ port: number, close: () => Promise<void> } | null>}
 */
function listenOnLoopback(server, port = 0) {
	return new Promise((resolve) => {
		server.once('error', () => resolve(null));
		server.listen(port, '127.0.0.1', () =>
			resolve({
				port: /** @type {import('net').AddressInfo} */ (server.address()).port,
				close: () => new Promise((closed) => server.close(() => closed(undefined))),
			}),
		);
	});
}

/** Whether nothing listens on `port` of 127.0.0.1. */
async function portFree(port) {
	const listening = await listenOnLoopback(net.createServer().unref(), port);
	await listening?.close();
	return listening !== null;
}

/** The lowest port handed out: clear of the well-known and the usual development ports. */
const FIRST_PORT = 10000;

/**
 * The start of the kernel's ephemeral range (outgoing connections and `listen(0)` take their ports from it); the
 * IANA range's off Linux. Ports handed out here lie below it: a port picked from inside it can be taken by another
 * process's outgoing connection (to Redis, PostgreSQL, the sandbox) between the pick and the server's own listen,
 * which is how a queue-mode worker once failed to start. Read once: it does not change while the tests run.
 */
const EPHEMERAL_START = (() => {
	try {
		const low = Number(
			fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
		);
		if (Number.isInteger(low) && low > 2 * FIRST_PORT) return low;
	} catch {
		// not Linux
	}
	return 49152;
})();
/** Ports this process handed out already: two servers started side by side never get the same one. */
const handedOut = new Set();

/**
 * A port of 127.0.0.1 that nothing listens on right now, outside the ephemeral range, and not handed out before by
 * this process. Picked at random so that parallel test processes rarely try the same one.
 */
async function freePort() {
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = FIRST_PORT + Math.floor(Math.random() * (EPHEMERAL_START - FIRST_PORT));
		if (handedOut.has(port) || !(await portFree(port))) continue;
		handedOut.add(port);
		return port;
	}
	throw new Error(`no free port on 127.0.0.1 between ${FIRST_PORT} and ${EPHEMERAL_START}`);
}

module.exports = { freePort, portFree, listenOnLoopback };
