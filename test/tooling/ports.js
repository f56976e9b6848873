'use strict';
/** Loopback ports for the servers the tooling starts (n8n, its task broker, Redis, PostgreSQL, the sandbox). */
const fs = require('fs');
const net = require('net');

/** Listens on `port` (0: any) of 127.0.0.1 and closes again; resolves with the port, or null when it is taken. */
function tryListen(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(null));
		server.listen(port, '127.0.0.1', () => {
			const taken = server.address().port;
			server.close(() => resolve(taken));
		});
	});
}

/** The lowest port handed out: clear of the well-known and the usual development ports. */
const FIRST_PORT = 10000;

/**
 * The kernel's ephemeral range (outgoing connections and `listen(0)` take their ports from it). Ports handed out
 * here lie below it: a port picked from inside it can be taken by another process's outgoing connection (to Redis,
 * PostgreSQL, the sandbox) between the pick and the server's own listen, which is how a queue-mode worker once
 * failed to start.
 */
function ephemeralStart() {
	try {
		const [low] = fs
			.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
			.trim()
			.split(/\s+/);
		const start = Number(low);
		if (Number.isInteger(start) && start > 2 * FIRST_PORT) return start;
	} catch {
		// not Linux: the IANA range
	}
	return 49152;
}

/** Read once: the range does not change while the tests run. */
const EPHEMERAL_START = ephemeralStart();
/** Ports this process handed out already: two servers started side by side never get the same one. */
const handedOut = new Set();

/**
 * A port of 127.0.0.1 that nothing listens on right now, outside the ephemeral range, and not handed out before by
 * this process. Picked at random so that parallel test processes rarely try the same one.
 */
async function freePort() {
	const end = EPHEMERAL_START;
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = FIRST_PORT + Math.floor(Math.random() * (end - FIRST_PORT));
		if (handedOut.has(port) || (await tryListen(port)) === null) continue;
		handedOut.add(port);
		return port;
	}
	throw new Error(`no free port on 127.0.0.1 between ${FIRST_PORT} and ${end}`);
}

/** Whether nothing listens on `port` of 127.0.0.1. */
async function portFree(port) {
	return (await tryListen(port)) !== null;
}

/**
 * Starts `server` (an http or net server) on a free port of 127.0.0.1; resolves with the port and a close() that
 * resolves once it is closed.
 * @param {import('net').Server} server
 * @returns {Promise<{ port: number, close: () => Promise<void> }>}
 */
async function listenOnLoopback(server) {
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const close = () => new Promise((resolve) => server.close(() => resolve(undefined)));
	return { port: /** @type {import('net').AddressInfo} */ (server.address()).port, close };
}

module.exports = { freePort, portFree, listenOnLoopback };
