/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * The HTTP side: a server bound to a loopback address only, that reads each request in full, records the API
 * ones, and hands them on (control paths to control.ts, the rest to handler.ts). close() leaves nothing behind:
 * no listening socket, no open connection (hung ones included), no timer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { jsonReply } from './answers';
import { serveMedia } from './media';
import type { RecordedRequest } from './api';
import { writeReply } from './respond';
import { errorMessage, isLoopbackHost, Timers } from './util';

const ROUTE_RE = /^\/(api|app\/api)\/v2\/([^/]+)\/?$/;

/**
 * The address to bind, from the `host` option: the sandbox holds fake credentials and answers anything, so it
 * must never be reachable from another machine. 'localhost' becomes 127.0.0.1 so the URL does not depend on
 * how the machine resolves it.
 */
export function resolveHost(hostOption: unknown): string {
	const host = hostOption === undefined ? '127.0.0.1' : hostOption;
	if (typeof host !== 'string' || !isLoopbackHost(host)) {
		throw new Error(
			`refusing to bind the sandbox to ${JSON.stringify(host)}: only loopback addresses are allowed`,
		);
	}
	return host.trim().toLowerCase() === 'localhost'
		? '127.0.0.1'
		: host.trim().replace(/^\[(.*)\]$/, '$1');
}

export interface ServerHooks {
	/** Bodies larger than this get HTTP 413 and are not recorded. */
	maxBodyBytes: number;
	/** Where API requests are recorded, in arrival order. */
	requests: RecordedRequest[];
	/** The `/media/…` files served, by path and query. */
	mediaRequests: string[];
	nextSeq: () => number;
	/** `/__sandbox/*` requests; these are not recorded. */
	control: (
		req: IncomingMessage,
		res: ServerResponse,
		pathname: string,
		url: string,
		body: Buffer,
	) => void;
	/** Every other request, once recorded. */
	api: (req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => void;
}

export interface SandboxServer {
	/** Timers of delayed and dripping answers; close() stops them. */
	readonly timers: Timers;
	listen(host: string, port: number): Promise<number>;
	close(): Promise<void>;
}

export function createSandboxServer(hooks: ServerHooks): SandboxServer {
	return new LoopbackServer(hooks);
}

/** An API request as the sandbox records it: its body parsed when it is JSON. */
function recordOf(req: IncomingMessage, url: string, pathname: string, buf: Buffer, seq: number) {
	const m = ROUTE_RE.exec(pathname);
	const rawBody = buf.toString('utf8');
	let body: unknown;
	if (rawBody !== '') {
		try {
			body = JSON.parse(rawBody);
		} catch {
			body = undefined;
		}
	}
	const record: RecordedRequest = {
		seq,
		method: req.method || 'GET',
		path: url,
		endpoint: m ? m[2] : 'unknown',
		apiHost: m ? (m[1] === 'api' ? 'v4' : 'legacy') : null,
		headers: req.headers,
		rawBody,
		body,
		receivedAt: Date.now(),
	};
	return record;
}

class LoopbackServer implements SandboxServer {
	readonly timers = new Timers();
	private readonly sockets = new Set<Socket>();
	private readonly server = createServer();
	private closing: Promise<void> | null = null;

	constructor(private readonly hooks: ServerHooks) {
		const server = this.server;
		// Keep-alive longer than common client pools (n8n's included) so the server is not the side that drops idle
		// sockets mid-test; no request timeout, because the timeout fault must be able to hang forever.
		server.keepAliveTimeout = 65000;
		server.headersTimeout = 66000;
		server.requestTimeout = 0;
		server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		server.on('clientError', (_err: Error, socket: Socket) => {
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
			else socket.destroy();
		});
		server.on('request', (req: IncomingMessage, res: ServerResponse) => this.readRequest(req, res));
	}

	private readRequest(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooBig = false;
		const max = this.hooks.maxBodyBytes;
		req.on('data', (chunk: Buffer) => {
			if (tooBig) return;
			size += chunk.length;
			if (size > max) {
				tooBig = true; // keep reading (and dropping) so the 413 reaches a client still sending
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		req.on('error', () => {});
		req.on('end', () => {
			if (tooBig) {
				const message = `Payload Too Large: more than ${max} bytes`;
				writeReply(res, jsonReply(413, { status: 413, message }, { connection: 'close' }));
				return;
			}
			try {
				this.dispatch(req, res, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
			} catch (err) {
				const message = `Sandbox error: ${errorMessage(err)}`;
				writeReply(res, jsonReply(500, { status: 500, message }));
			}
		});
	}

	private dispatch(req: IncomingMessage, res: ServerResponse, buf: Buffer): void {
		const url = req.url || '/';
		const pathname = url.split('?')[0];
		if (pathname === '/__sandbox' || pathname.startsWith('/__sandbox/')) {
			this.hooks.control(req, res, pathname, url, buf);
			return;
		}
		if (serveMedia(req, res, new URL(url, 'http://sandbox'), this.hooks.mediaRequests)) return;
		const record = recordOf(req, url, pathname, buf, this.hooks.nextSeq());
		this.hooks.requests.push(record);
		this.hooks.api(req, res, record);
	}

	listen(host: string, port: number): Promise<number> {
		const server = this.server;
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen({ port, host, exclusive: true }, () => {
				server.removeListener('error', reject);
				server.on('error', () => {}); // late server errors must not crash the host process
				resolve((server.address() as AddressInfo).port);
			});
		});
	}

	close(): Promise<void> {
		this.closing ??= new Promise<void>((resolve) => {
			this.timers.clearAll();
			if (!this.server.listening) {
				resolve();
				return;
			}
			this.server.close(() => resolve());
			this.server.closeAllConnections();
			for (const s of this.sockets) s.destroy();
		});
		return this.closing;
	}
}
