'use strict';

/**
 * Local Picky Assist–compatible API ("sandbox").
 *
 * Plain Node.js, CommonJS, only `node:` built-ins. Binds to a loopback address only and never
 * talks to any real Picky Assist server. Faithful to /work/shared/pickyassist-api.md:
 *   - POST {base}/push, {base}/check-balance, {base}/delivery-report under both bases
 *     `/api/v2` (V4 host) and `/app/api/v2` (legacy V3 host);
 *   - the token travels in the JSON body only (headers are ignored);
 *   - API answers are JSON with HTTP 200 even for errors; ids and credit are strings, `status` a number.
 *
 * Choices where the spec is [open] (kept on the safe / strict side, so the node is tested against
 * the hardest plausible server):
 *   - one bad number rejects the whole push (406), mentioning the bad number;
 *   - data[] of a successful push keeps request order (faults can break that on purpose);
 *   - duplicates are accepted and billed like any other row;
 *   - over the rate limit the push is answered HTTP 429 with a Retry-After header and NOT processed;
 *   - 407 is only raised when a row has no text and there is nothing else to send either: no
 *     globalmessage, globalmedia, globalmedia_code, template_id / template_globalmessage, and no
 *     per-row media / media_code / template_message.
 */

const http = require('node:http');
const net = require('node:net');

const IMPLEMENTED = new Set(['push', 'check-balance', 'delivery-report']);

/** Error texts, as listed in the spec (third-party table). */
const ERROR_MESSAGES = Object.freeze({
	100: 'Success',
	101: 'Service Unavailable',
	401: 'Authentication Failed',
	402: 'Empty Number List',
	403: 'Insufficient Balance',
	404: 'Unable to Communicate with Your Phone',
	405: 'API Is Not Active For This Plan',
	406: 'Invalid Mobile Number',
	407: 'Message cannot be empty',
	408: 'Project is not Active',
	409: 'Invalid User',
	410: 'Invalid Request',
});

/** Faults that replace the answer: the request is recorded but not processed. */
const PRE_FAULTS = new Set(['http500', 'http502-html', 'html200', 'http429', 'http401', 'status', 'reset-before']);
/** Faults in how the answer arrives: never (timeout), late (delay), cut off (reset) or unreadable (malformed). */
const DELIVERY_FAULTS = new Set(['timeout', 'delay', 'reset', 'malformed']);
/** Faults that doctor the body of a processed request answered with status 100. */
const DOCTOR_FAULTS = new Set([
	'shuffle',
	'short',
	'extra',
	'no-msg-id',
	'no-data',
	'string-status',
	'duplicate-entry',
	'foreign-number',
]);
const FAULT_KINDS = Object.freeze([...PRE_FAULTS, ...DELIVERY_FAULTS, ...DOCTOR_FAULTS]);
const FAULT_KIND_SET = new Set(FAULT_KINDS);

const HTML_502 =
	'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
	'<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const HTML_200 =
	'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Picky Assist</title></head>\n' +
	'<body><h1>We&#39;ll be back soon</h1><p>Picky Assist is down for scheduled maintenance.</p></body></html>\n';

const NUMBER_RE = /^[1-9][0-9]{6,14}$/;
const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;
const ROUTE_RE = /^\/(api|app\/api)\/v2\/([^/]+)\/?$/;
const WINDOW_MS = 60000;
const DEFAULT_MAX_BODY = 200 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Exact decimal arithmetic: amounts are BigInt nano-credits (9 decimals).

const SCALE_DIGITS = 9;
const SCALE = 10n ** BigInt(SCALE_DIGITS);

function toNano(value, name) {
	let s;
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value < 0 || value >= 1e21) {
			throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
		}
		s = value.toFixed(SCALE_DIGITS);
	} else if (typeof value === 'string' || typeof value === 'bigint') {
		s = String(value).trim();
	} else {
		throw new TypeError(`${name} must be a number or a decimal string`);
	}
	const m = DECIMAL_RE.exec(s);
	if (!m) throw new RangeError(`${name} must be a non-negative decimal, got ${JSON.stringify(String(value))}`);
	const frac = (m[2] || '').replace(/0+$/, '');
	if (frac.length > SCALE_DIGITS) throw new RangeError(`${name} has more than ${SCALE_DIGITS} decimals`);
	return BigInt(m[1]) * SCALE + BigInt((frac + '0'.repeat(SCALE_DIGITS)).slice(0, SCALE_DIGITS));
}

function formatNano(n) {
	const int = n / SCALE;
	const frac = (n % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
	return frac ? `${int}.${frac}` : `${int}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isLoopbackHost(host) {
	if (typeof host !== 'string') return false;
	const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
	if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
	if (net.isIPv4(h)) return h.split('.')[0] === '127';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
	return Boolean(mapped && net.isIPv4(mapped[1]) && mapped[1].split('.')[0] === '127');
}

function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isNonEmpty(v) {
	if (v === undefined || v === null) return false;
	if (typeof v === 'string') return v.trim() !== '';
	if (Array.isArray(v)) return v.length > 0;
	return true;
}

/** Never print a token: only say whether one was present. */
function maskToken(token) {
	if (token === undefined || token === null || token === '') return 'none';
	return '***';
}

function describeNumber(n) {
	if (n === undefined) return 'missing';
	try {
		const s = typeof n === 'string' ? n : JSON.stringify(n);
		return s.length > 40 ? `${s.slice(0, 40)}…` : s;
	} catch {
		return String(n);
	}
}

function validateFault(fault) {
	if (!isPlainObject(fault)) throw new TypeError('fault must be an object');
	if (!FAULT_KIND_SET.has(fault.kind)) {
		throw new TypeError(`unknown fault kind ${JSON.stringify(fault.kind)}; expected one of ${FAULT_KINDS.join(', ')}`);
	}
	if (fault.endpoint !== undefined && (typeof fault.endpoint !== 'string' || fault.endpoint === '')) {
		throw new TypeError('fault.endpoint must be a non-empty string');
	}
	if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) {
		throw new TypeError('fault.times must be an integer >= 1');
	}
	if (fault.kind === 'status' && !Number.isInteger(fault.status)) {
		throw new TypeError('a "status" fault needs an integer fault.status');
	}
	if (fault.kind === 'delay' && !(typeof fault.ms === 'number' && fault.ms >= 0 && Number.isFinite(fault.ms))) {
		throw new TypeError('a "delay" fault needs fault.ms >= 0');
	}
	if (fault.retryAfter !== undefined && !(typeof fault.retryAfter === 'number' && fault.retryAfter >= 0)) {
		throw new TypeError('fault.retryAfter must be a number of seconds >= 0');
	}
	if (fault.order !== undefined && !(Array.isArray(fault.order) && fault.order.every(Number.isInteger))) {
		throw new TypeError('fault.order must be an array of integer indexes');
	}
	if (fault.drop !== undefined && !(Number.isInteger(fault.drop) && fault.drop >= 0)) {
		throw new TypeError('fault.drop must be an integer >= 0');
	}
	if (fault.index !== undefined && !(Number.isInteger(fault.index) && fault.index >= 0)) {
		throw new TypeError('fault.index must be an integer >= 0');
	}
	const copy = { ...fault };
	if (copy.order) copy.order = copy.order.slice();
	return copy;
}

function normaliseRateLimit(v) {
	if (v === undefined || v === null || v === 0 || v === false || v === 'off') return null;
	const n = typeof v === 'string' ? Number(v) : v;
	if (!(Number.isInteger(n) && n > 0)) throw new RangeError('rateLimitPerMinute must be a positive integer, 0, null or "off"');
	return n;
}

function normaliseTokens(v) {
	if (v === undefined || v === null) return [];
	if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) throw new TypeError('tokens must be an array of strings');
	return v.filter((t) => t !== '');
}

function normaliseCredit(v) {
	const nano = toNano(v, 'creditPerMessage');
	return { nano, text: typeof v === 'string' && DECIMAL_RE.test(v.trim()) ? v.trim() : formatNano(nano) };
}

function foreignNumberFactory(sentNumbers) {
	let candidate = 999000000000;
	return () => {
		while (sentNumbers.has(String(candidate))) candidate++;
		return String(candidate++);
	};
}

// ---------------------------------------------------------------------------------------------

/**
 * @param {import('./index').SandboxOptions} [options]
 * @returns {Promise<import('./index').Sandbox>}
 */
function startSandbox(options = {}) {
	return new Promise((resolve, reject) => {
		try {
			resolve(createSandbox(options));
		} catch (err) {
			reject(err);
		}
	}).then((sb) => sb._listen());
}

function createSandbox(options) {
	if (!isPlainObject(options)) throw new TypeError('options must be an object');
	const hostOpt = options.host === undefined ? '127.0.0.1' : options.host;
	if (!isLoopbackHost(hostOpt)) {
		throw new Error(`refusing to bind the sandbox to ${JSON.stringify(hostOpt)}: only loopback addresses are allowed`);
	}
	const host = hostOpt.trim().toLowerCase() === 'localhost' ? '127.0.0.1' : hostOpt.trim().replace(/^\[(.*)\]$/, '$1');
	const portOpt = options.port === undefined ? 0 : options.port;
	if (!(Number.isInteger(portOpt) && portOpt >= 0 && portOpt <= 65535)) throw new RangeError('port must be an integer 0..65535');

	const initialBalance = toNano(options.balance === undefined ? 1000 : options.balance, 'balance');
	const firstPushId = options.firstPushId === undefined ? 7478630 : options.firstPushId;
	const firstMsgId = options.firstMsgId === undefined ? 9844217 : options.firstMsgId;
	if (!Number.isSafeInteger(firstPushId) || firstPushId < 0) throw new RangeError('firstPushId must be a safe integer >= 0');
	if (!Number.isSafeInteger(firstMsgId) || firstMsgId < 0) throw new RangeError('firstMsgId must be a safe integer >= 0');
	const now = typeof options.now === 'function' ? options.now : Date.now;
	const maxBodyBytes = options.maxBodyBytes === undefined ? DEFAULT_MAX_BODY : options.maxBodyBytes;

	const state = {
		tokens: normaliseTokens(options.tokens),
		credit: normaliseCredit(options.creditPerMessage === undefined ? '0.005' : options.creditPerMessage),
		rateLimit: normaliseRateLimit(options.rateLimitPerMinute),
		log: typeof options.log === 'function' ? options.log : undefined,
		balance: initialBalance,
		nextPushId: firstPushId,
		nextMsgId: firstMsgId,
		seq: 0,
		faults: [], // [{ fault, remaining }]
		permanent: new Map(), // endpoint -> fault
		window: [], // timestamps of admitted push requests
		windowHead: 0,
	};

	const requests = [];
	const acceptedPushes = [];
	const pushById = new Map();
	const sockets = new Set();
	const timers = new Set();
	let closing = null;
	let boundPort = 0;

	const server = http.createServer();
	server.keepAliveTimeout = 65000;
	server.headersTimeout = 66000;
	server.requestTimeout = 0;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (err, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});
	server.on('request', onRequest);

	// ------------------------------------------------------------------ faults & rate limit

	function takeFault(endpoint) {
		for (let i = 0; i < state.faults.length; i++) {
			const q = state.faults[i];
			if ((q.fault.endpoint || 'push') !== endpoint) continue;
			q.remaining--;
			if (q.remaining <= 0) state.faults.splice(i, 1);
			return q.fault;
		}
		return state.permanent.get(endpoint) || null;
	}

	function pruneWindow(t) {
		const w = state.window;
		while (state.windowHead < w.length && w[state.windowHead] <= t - WINDOW_MS) state.windowHead++;
		if (state.windowHead > 1024 && state.windowHead * 2 > w.length) {
			state.window = w.slice(state.windowHead);
			state.windowHead = 0;
		}
	}

	/** Returns null if admitted (and counts the push), otherwise the Retry-After in seconds. */
	function rateLimitCheck() {
		// The window is kept even while the limit is off, so switching it on live is accurate.
		const t = now();
		pruneWindow(t);
		const inWindow = state.window.length - state.windowHead;
		if (state.rateLimit && inWindow >= state.rateLimit) {
			const oldest = state.window[state.windowHead + inWindow - state.rateLimit];
			return Math.max(1, Math.ceil((oldest + WINDOW_MS - t) / 1000));
		}
		state.window.push(t);
		return null;
	}

	// ------------------------------------------------------------------ API processing

	function tokenOk(body) {
		const t = body.token;
		if (typeof t !== 'string' || t === '') return false;
		return state.tokens.length === 0 || state.tokens.includes(t);
	}

	function apiError(code, detail) {
		const base = ERROR_MESSAGES[code] || 'Error';
		return { httpStatus: 200, body: { status: code, message: detail ? `${base}: ${detail}` : base } };
	}

	/** Normal behaviour of an implemented endpoint. Returns { httpStatus, body, headers?, accepted? }. */
	function processApi(endpoint, record) {
		if (endpoint === 'push') {
			const retryAfter = rateLimitCheck();
			if (retryAfter !== null) {
				return {
					httpStatus: 429,
					headers: { 'retry-after': String(retryAfter) },
					body: {
						status: 429,
						message: `Too Many Requests: more than ${state.rateLimit} push requests in 60 seconds; the request was dropped and not processed, retry after ${retryAfter} s`,
					},
				};
			}
		}
		const body = record.body;
		if (!isPlainObject(body)) return apiError(410);
		if (!tokenOk(body)) return apiError(401);
		if (endpoint === 'push') return processPush(record, body);
		if (endpoint === 'check-balance') {
			return { httpStatus: 200, body: { status: 100, message: 'Success', balance: formatNano(state.balance) } };
		}
		// delivery-report
		const accepted = body.push_id === undefined || body.push_id === null ? undefined : pushById.get(String(body.push_id));
		if (!accepted) return apiError(410, 'unknown push_id');
		const pushBody = accepted.request.body;
		const rows = pushBody.data;
		const ids = accepted.response.data;
		const data = new Array(rows.length);
		for (let i = 0; i < rows.length; i++) {
			data[i] = { number: ids[i].number, msg_id: ids[i].msg_id, status: '1', error_code: '' };
		}
		return {
			httpStatus: 200,
			body: {
				status: 100,
				project_id: '1001',
				push_id: accepted.push_id,
				application: String(pushBody.application),
				message_type: 'text',
				time: new Date(accepted.acceptedAt).toISOString(),
				data,
			},
		};
	}

	function processPush(record, body) {
		const rows = body.data;
		if (!Array.isArray(rows) || rows.length === 0) return apiError(402);
		const app = body.application;
		if (app === undefined || app === null || (typeof app === 'string' && app.trim() === '') || (typeof app !== 'string' && typeof app !== 'number')) {
			return apiError(410);
		}
		const hasGlobal =
			isNonEmpty(body.globalmessage) ||
			isNonEmpty(body.globalmedia) ||
			isNonEmpty(body.globalmedia_code) ||
			isNonEmpty(body.template_id) ||
			isNonEmpty(body.template_globalmessage);
		for (let i = 0; i < rows.length; i++) {
			const row = rows[i];
			const num = isPlainObject(row) ? row.number : undefined;
			if (typeof num !== 'string' || !NUMBER_RE.test(num)) {
				return apiError(406, `${describeNumber(num)} (data[${i}])`);
			}
		}
		if (!hasGlobal) {
			for (let i = 0; i < rows.length; i++) {
				const row = rows[i];
				if (
					!isNonEmpty(row.message) &&
					!isNonEmpty(row.media) &&
					!isNonEmpty(row.media_code) &&
					!isNonEmpty(row.template_message)
				) {
					return apiError(407);
				}
			}
		}
		const cost = BigInt(rows.length) * state.credit.nano;
		if (state.balance < cost) {
			return apiError(403);
		}
		state.balance -= cost;
		const push_id = String(state.nextPushId++);
		const credit = state.credit.text;
		const data = new Array(rows.length);
		for (let i = 0; i < rows.length; i++) {
			data[i] = { msg_id: String(state.nextMsgId++), number: rows[i].number, credit };
		}
		const response = { status: 100, push_id, message: 'Success', data };
		return { httpStatus: 200, body: response, accepted: { push_id, response } };
	}

	/** Applies a doctoring fault to a (deep-copied) answer body. */
	function doctor(kind, fault, answerBody, record) {
		const b = { ...answerBody };
		const data = Array.isArray(b.data) ? b.data.map((e) => ({ ...e })) : undefined;
		if (data) b.data = data;
		const sent = () => {
			const s = new Set();
			const rows = record.body && Array.isArray(record.body.data) ? record.body.data : [];
			for (const r of rows) if (isPlainObject(r)) s.add(String(r.number));
			if (data) for (const e of data) s.add(String(e.number));
			return s;
		};
		switch (kind) {
			case 'shuffle':
				if (data) {
					b.data = fault.order ? fault.order.filter((i) => i >= 0 && i < data.length).map((i) => data[i]) : data.reverse();
				}
				break;
			case 'short':
				if (data) data.length = Math.max(0, data.length - (fault.drop === undefined ? 1 : fault.drop));
				break;
			case 'extra':
				if (data) {
					data.push({
						msg_id: String(9000000000 + record.seq),
						number: foreignNumberFactory(sent())(),
						credit: data.length ? data[0].credit : state.credit.text,
					});
				}
				break;
			case 'no-msg-id': {
				const i = fault.index === undefined ? 0 : fault.index;
				if (data && data[i]) delete data[i].msg_id;
				break;
			}
			case 'no-data':
				delete b.data;
				break;
			case 'string-status':
				b.status = String(b.status);
				break;
			case 'duplicate-entry':
				if (data && data.length) data.push({ ...data[0] });
				break;
			case 'foreign-number':
				if (data && data.length) data[0].number = foreignNumberFactory(sent())();
				break;
			default:
				break;
		}
		return b;
	}

	// ------------------------------------------------------------------ HTTP plumbing

	function writeRaw(res, httpStatus, contentType, text, headers) {
		if (res.destroyed || res.writableEnded || !res.socket || res.socket.destroyed) return;
		const buf = Buffer.from(text, 'utf8');
		const h = { 'content-type': contentType, 'content-length': buf.length, ...(headers || {}) };
		res.writeHead(httpStatus, h);
		res.end(buf);
	}

	function writeJson(res, httpStatus, obj, headers) {
		writeRaw(res, httpStatus, 'application/json; charset=utf-8', JSON.stringify(obj), headers);
	}

	function emitLog(record, info) {
		if (!state.log) return;
		const body = isPlainObject(record.body) ? record.body : undefined;
		const rows = body && Array.isArray(body.data) ? String(body.data.length) : '-';
		const pathOnly = record.path.split('?')[0];
		const parts = [
			new Date(record.receivedAt).toISOString().slice(11, 23),
			`#${record.seq}`,
			record.method,
			pathOnly,
			info.http === undefined ? '---' : String(info.http),
		];
		if (info.status !== undefined) parts.push(`status=${info.status}`);
		if (info.push_id !== undefined) parts.push(`push_id=${info.push_id}`);
		parts.push(`rows=${rows}`);
		parts.push(`token=${maskToken(body ? body.token : undefined)}`);
		if (info.fault) parts.push(`fault=${info.fault}`);
		try {
			state.log(parts.join(' '));
		} catch {
			/* a broken logger must not break the sandbox */
		}
	}

	function onRequest(req, res) {
		const chunks = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (chunk) => {
			if (tooBig) return;
			size += chunk.length;
			if (size > maxBodyBytes) {
				tooBig = true;
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		req.on('error', () => {});
		req.on('end', () => {
			if (tooBig) {
				writeJson(res, 413, { status: 413, message: `Payload Too Large: more than ${maxBodyBytes} bytes` }, { connection: 'close' });
				return;
			}
			const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
			try {
				onBody(req, res, buf);
			} catch (err) {
				writeJson(res, 500, { status: 500, message: `Sandbox error: ${err && err.message}` });
			}
		});
	}

	function onBody(req, res, buf) {
		const url = req.url || '/';
		const pathname = url.split('?')[0];
		if (pathname === '/__sandbox' || pathname.startsWith('/__sandbox/')) {
			control(req, res, pathname, url, buf);
			return;
		}
		const m = ROUTE_RE.exec(pathname);
		const rawBody = buf.toString('utf8');
		let body;
		if (rawBody !== '') {
			try {
				body = JSON.parse(rawBody);
			} catch {
				body = undefined;
			}
		}
		const record = {
			seq: ++state.seq,
			method: req.method,
			path: url,
			endpoint: m ? m[2] : 'unknown',
			apiHost: m ? (m[1] === 'api' ? 'v4' : 'legacy') : null,
			headers: req.headers,
			rawBody,
			body,
			receivedAt: Date.now(),
		};
		requests.push(record);

		if (!m || !IMPLEMENTED.has(record.endpoint)) {
			writeJson(res, 404, { status: 404, message: 'Not Found' });
			emitLog(record, { http: 404, status: 404 });
			return;
		}
		if (req.method !== 'POST') {
			writeJson(res, 405, { status: 405, message: 'Method Not Allowed: use POST' }, { allow: 'POST' });
			emitLog(record, { http: 405, status: 405 });
			return;
		}

		const fault = takeFault(record.endpoint);
		const kind = fault ? fault.kind : null;

		if (kind && PRE_FAULTS.has(kind)) {
			switch (kind) {
				case 'http500':
					writeJson(res, 500, { status: 500, message: 'Internal Server Error' });
					emitLog(record, { http: 500, status: 500, fault: kind });
					return;
				case 'http502-html':
					writeRaw(res, 502, 'text/html', HTML_502);
					emitLog(record, { http: 502, fault: kind });
					return;
				case 'html200':
					writeRaw(res, 200, 'text/html; charset=UTF-8', HTML_200);
					emitLog(record, { http: 200, fault: kind });
					return;
				case 'http429': {
					const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : undefined;
					writeJson(res, 429, { status: 429, message: 'Too Many Requests' }, headers);
					emitLog(record, { http: 429, status: 429, fault: kind });
					return;
				}
				case 'http401':
					writeJson(res, 401, { status: 401, message: 'Authentication Failed' });
					emitLog(record, { http: 401, status: 401, fault: kind });
					return;
				case 'status': {
					const message = fault.message !== undefined ? fault.message : ERROR_MESSAGES[fault.status] || 'Error';
					writeJson(res, 200, { status: fault.status, message });
					emitLog(record, { http: 200, status: fault.status, fault: kind });
					return;
				}
				case 'reset-before':
					emitLog(record, { fault: kind });
					req.socket.destroy();
					return;
				default:
					break;
			}
		}

		if (kind === 'timeout' && !fault.process) {
			emitLog(record, { fault: kind });
			return; // never answer; close() destroys the socket
		}

		const answer = processApi(record.endpoint, record);
		if (answer.accepted) {
			const acc = {
				push_id: answer.accepted.push_id,
				request: record,
				response: answer.accepted.response,
				fault: kind,
				acceptedAt: Date.now(),
			};
			acceptedPushes.push(acc);
			pushById.set(acc.push_id, acc);
		}
		const info = { http: answer.httpStatus, status: answer.body.status, push_id: answer.accepted ? answer.accepted.push_id : undefined, fault: kind };

		if (kind === 'timeout') {
			info.http = undefined;
			emitLog(record, info);
			return;
		}
		if (kind === 'reset') {
			info.http = undefined;
			emitLog(record, info);
			req.socket.destroy();
			return;
		}

		let text;
		if (kind === 'malformed') {
			const full = JSON.stringify(answer.body);
			text = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
		} else if (kind && DOCTOR_FAULTS.has(kind) && answer.body.status === 100) {
			text = JSON.stringify(doctor(kind, fault, answer.body, record));
		} else {
			text = JSON.stringify(answer.body);
		}
		const send = () => writeRaw(res, answer.httpStatus, 'application/json; charset=utf-8', text, answer.headers);

		if (kind === 'delay') {
			const timer = setTimeout(() => {
				timers.delete(timer);
				send();
				emitLog(record, info);
			}, fault.ms);
			timers.add(timer);
			return;
		}
		send();
		emitLog(record, info);
	}

	// ------------------------------------------------------------------ control endpoints

	function stateSummary() {
		let pushes = 0;
		for (const r of requests) if (r.endpoint === 'push') pushes++;
		return {
			balance: Number(formatNano(state.balance)),
			pushes,
			acceptedPushes: acceptedPushes.length,
			requests: requests.length,
			queuedFaults: state.faults.length,
		};
	}

	function control(req, res, pathname, url, buf) {
		const route = `${req.method} ${pathname.replace(/\/+$/, '')}`;
		let body;
		const parseBody = () => {
			const raw = buf.toString('utf8').trim();
			return raw === '' ? {} : JSON.parse(raw);
		};
		try {
			switch (route) {
				case 'GET /__sandbox/requests': {
					const q = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
					const since = Number(q.get('since') || 0);
					const endpoint = q.get('endpoint');
					const out = requests.filter((r) => r.seq > since && (!endpoint || r.endpoint === endpoint));
					writeJson(res, 200, out);
					return;
				}
				case 'GET /__sandbox/accepted-pushes':
					writeJson(
						res,
						200,
						acceptedPushes.map((a) => ({ push_id: a.push_id, seq: a.request.seq, response: a.response, fault: a.fault, acceptedAt: a.acceptedAt })),
					);
					return;
				case 'GET /__sandbox/state':
					writeJson(res, 200, stateSummary());
					return;
				case 'POST /__sandbox/reset':
					api.reset();
					writeJson(res, 200, { ok: true, ...stateSummary() });
					return;
				case 'POST /__sandbox/fault': {
					body = parseBody();
					const list = Array.isArray(body) ? body : [body];
					const permanent = list.map((f) => Boolean(f && f.permanent));
					const clean = list.map((f) => {
						if (!isPlainObject(f)) return validateFault(f);
						const { permanent: _p, ...rest } = f;
						return validateFault(rest);
					});
					clean.forEach((f, i) => (permanent[i] ? api.setFault(f) : api.addFault(f)));
					writeJson(res, 200, { ok: true, queuedFaults: state.faults.length });
					return;
				}
				case 'POST /__sandbox/clear-faults':
					api.clearFaults();
					writeJson(res, 200, { ok: true, queuedFaults: 0 });
					return;
				case 'POST /__sandbox/config':
					body = parseBody();
					if (!isPlainObject(body)) throw new TypeError('config body must be a JSON object');
					if ('log' in body) throw new TypeError('log cannot be set remotely');
					api.configure(body);
					writeJson(res, 200, { ok: true, ...stateSummary() });
					return;
				default:
					writeJson(res, 404, { ok: false, error: `unknown control endpoint ${route}` });
			}
		} catch (err) {
			writeJson(res, 400, { ok: false, error: String((err && err.message) || err) });
		}
	}

	// ------------------------------------------------------------------ public object

	const api = {
		get url() {
			return `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
		},
		get port() {
			return boundPort;
		},
		get host() {
			return host;
		},
		baseUrl(which = 'v4') {
			if (which === 'v4') return `${api.url}/api/v2`;
			if (which === 'legacy') return `${api.url}/app/api/v2`;
			throw new TypeError(`baseUrl(): expected 'v4' or 'legacy', got ${JSON.stringify(which)}`);
		},
		requests,
		acceptedPushes,
		pushes() {
			return requests.filter((r) => r.endpoint === 'push');
		},
		get balance() {
			return Number(formatNano(state.balance));
		},
		configure(partial = {}) {
			if (!isPlainObject(partial)) throw new TypeError('configure() expects an object');
			// Validate everything first so a bad call changes nothing.
			const next = {};
			if ('tokens' in partial) next.tokens = normaliseTokens(partial.tokens);
			if ('balance' in partial) next.balance = toNano(partial.balance, 'balance');
			if ('creditPerMessage' in partial) next.credit = normaliseCredit(partial.creditPerMessage);
			if ('rateLimitPerMinute' in partial) next.rateLimit = normaliseRateLimit(partial.rateLimitPerMinute);
			if ('log' in partial) {
				if (partial.log !== undefined && typeof partial.log !== 'function') throw new TypeError('log must be a function');
				next.log = partial.log;
			}
			Object.assign(state, next);
		},
		addFault(fault) {
			const f = validateFault(fault);
			state.faults.push({ fault: f, remaining: f.times === undefined ? 1 : f.times });
		},
		setFault(fault) {
			const f = validateFault(fault);
			state.permanent.set(f.endpoint || 'push', f);
		},
		clearFaults() {
			state.faults.length = 0;
			state.permanent.clear();
		},
		reset() {
			requests.length = 0;
			acceptedPushes.length = 0;
			pushById.clear();
			api.clearFaults();
			state.balance = initialBalance;
			state.nextPushId = firstPushId;
			state.nextMsgId = firstMsgId;
			state.seq = 0;
			state.window = [];
			state.windowHead = 0;
		},
		close() {
			if (closing) return closing;
			closing = new Promise((resolve) => {
				for (const t of timers) clearTimeout(t);
				timers.clear();
				if (!server.listening) {
					resolve();
					return;
				}
				server.close(() => resolve());
				if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
				for (const s of sockets) s.destroy();
			});
			return closing;
		},
		_listen() {
			return new Promise((resolve, reject) => {
				const onError = (err) => reject(err);
				server.once('error', onError);
				server.listen({ port: portOpt, host, exclusive: true }, () => {
					server.removeListener('error', onError);
					server.on('error', () => {}); // late server errors must not crash the host process
					boundPort = server.address().port;
					delete api._listen;
					resolve(api);
				});
			});
		},
	};
	Object.defineProperty(api, '_listen', { enumerable: false });
	return api;
}

module.exports = { startSandbox, isLoopbackHost, ERROR_MESSAGES, FAULT_KINDS };
