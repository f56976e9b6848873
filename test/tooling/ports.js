'use strict';
/** Loopback ports for the servers the tooling starts (n8n, its task broker, Redis, PostgreSQL, the sandbox). */
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

/** A port of 127.0.0.1 that nothing listens on right now. */
async function freePort() {
	const port = await tryListen(0);
	if (port === null) throw new Error('no free port on 127.0.0.1');
	return port;
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
