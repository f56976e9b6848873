/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * The HTTP side: a server bound to a loopback address only, that reads each request in full, records the API
 * ones, and hands them on (control paths to control.ts, media to media.ts, the rest to handler.ts). close() leaves
 * nothing behind: no listening socket, no open connection (hung ones included), no timer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RecordedRequest } from './api';
import { jsonReply, writeReply } from './handler';
import { serveMedia } from './media';
import { errorMessage, isLoopbackHost, Timers } from './util';

const ROUTE_RE = /^\/(api|app\/api)\/v2\/([^/]+)\/?$/;

/**
 * The address to bind, from the `host` option: the sandbox holds fake credentials and answers anything, so it
 * must never be reachable from another machine. 'localhost' becomes 127.0.0.1 so the URL does not depend on
 * how the machine resolves it.
 */
export function resolveHost(host: unknown = '127.0.0.1'): string {
	if (typeof host !== 'string' || !isLoopbackHost(host))
		throw new Error(
			`refusing to bind the sandbox to ${JSON.stringify(host)}: only loopback addresses are allowed`,
		);
	const h = host.trim().replace(/^\[(.*)\]$/, '$1');
	return h.toLowerCase() === 'localhost' ? '127.0.0.1' : h;
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
		query: URLSearchParams,
		body: Buffer,
	) => void;
	/** Every other request, once recorded. */
	api: (req: IncomingMessage, res: ServerResponse, record: RecordedRequest) => void;
}

/** An API request as the sandbox records it: its body parsed when it is JSON. */
function recordOf(
	req: IncomingMessage,
	pathname: string,
	buf: Buffer,
	seq: number,
): RecordedRequest {
	const m = ROUTE_RE.exec(pathname);
	const rawBody = buf.toString('utf8');
	let body: unknown;
	try {
		body = rawBody === '' ? undefined : JSON.parse(rawBody);
	} catch {
		body = undefined;
	}
	return {
		seq,
		method: req.method || 'GET',
		path: req.url || '/',
		endpoint: m ? m[2] : 'unknown',
		apiHost: m ? (m[1] === 'api' ? 'v4' : 'legacy') : null,
		headers: req.headers,
		rawBody,
		body,
		receivedAt: Date.now(),
	};
}

export class SandboxServer {
	/** Timers of delayed and dripping answers; close() stops them. */
	readonly timers = new Timers();
	private readonly server = createServer();
	private closing: Promise<void> | null = null;

	constructor(private readonly hooks: ServerHooks) {
		const server = this.server;
		// Keep-alive longer than common client pools (n8n's included) so the server is not the side that drops idle
		// sockets mid-test; no request timeout, because the timeout fault must be able to hang forever.
		server.keepAliveTimeout = 65000;
		server.headersTimeout = 66000;
		server.requestTimeout = 0;
		server.on('request', (req: IncomingMessage, res: ServerResponse) => this.readRequest(req, res));
	}

	private readRequest(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		let size = 0;
		const max = this.hooks.maxBodyBytes;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			// Over the limit: keep reading (and dropping) so the 413 reaches a client still sending.
			if (size <= max) chunks.push(chunk);
		});
		req.on('error', () => {});
		req.on('end', () => {
			if (size > max) {
				const message = `Payload Too Large: more than ${max} bytes`;
				return writeReply(res, jsonReply(413, { status: 413, message }, { connection: 'close' }));
			}
			try {
				this.dispatch(req, res, Buffer.concat(chunks, size));
			} catch (err) {
				writeReply(
					res,
					jsonReply(500, { status: 500, message: `Sandbox error: ${errorMessage(err)}` }),
				);
			}
		});
	}

	private dispatch(req: IncomingMessage, res: ServerResponse, buf: Buffer): void {
		// Routes go by the path as sent; URL would normalise it (and read "//x" as a host).
		const pathname = (req.url || '/').split('?')[0];
		const url = new URL(req.url || '/', 'http://sandbox');
		if (pathname === '/__sandbox' || pathname.startsWith('/__sandbox/'))
			return this.hooks.control(req, res, pathname, url.searchParams, buf);
		if (serveMedia(req, res, url, this.hooks.mediaRequests)) return;
		const record = recordOf(req, pathname, buf, this.hooks.nextSeq());
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
			if (!this.server.listening) return resolve();
			this.server.close(() => resolve());
			this.server.closeAllConnections(); // hung ones included
		});
		return this.closing;
	}
}
