/**
 * Local Picky Assist–compatible API ("sandbox") for tests, the demo, end-to-end and dry runs.
 *
 * Only `node:` built-ins and nothing from packages/: it must stay an independent second opinion on the API,
 * not a mirror of the node's own assumptions. It binds to a loopback address only and never talks to any
 * real Picky Assist server. Behaviour and faults: README.md next to this file.
 *
 *   index.ts    the public API: startSandbox() and the Sandbox object
 *   api.ts      push, check-balance, delivery-report, balance and rate limit (decimal.ts: exact amounts)
 *   faults.ts   fault kinds, their options and validation;  fault-queue.ts  faults waiting for requests
 *   answers.ts  what each fault sends;  handler.ts  when it applies;  respond.ts  writing (and dripping)
 *   server.ts   HTTP server, loopback binding, request recording, close();  control.ts  /__sandbox/*
 *   cli.ts      `npm run sandbox`
 */
import type { AcceptedPush, ApiHost, ApiState, Credit, RecordedRequest } from './api';
import { handleControl, type SandboxState } from './control';
import { DECIMAL_RE, formatNano, toNano } from './decimal';
import { FaultBook } from './fault-queue';
import type { Fault } from './faults';
import { handleApiRequest, type HandlerContext } from './handler';
import { createSandboxServer, resolveHost } from './server';
import { isPlainObject } from './util';

export { ERROR_MESSAGES } from './api';
export type {
	AcceptedPush,
	ApiError,
	ApiHost,
	CheckBalanceSuccess,
	DeliveryReportEntry,
	DeliveryReportSuccess,
	Endpoint,
	PushResultEntry,
	PushSuccess,
	RecordedRequest,
} from './api';
export type { SandboxState } from './control';
export { FAULT_KINDS } from './faults';
export type {
	DelayFault,
	DripFault,
	DuplicateEntryFault,
	ExtraFault,
	Fault,
	FaultKind,
	ForeignNumberFault,
	Html200Fault,
	Http401Fault,
	Http429Fault,
	Http500Fault,
	Http502HtmlFault,
	MalformedFault,
	NoDataFault,
	NoMsgIdFault,
	RawFault,
	RedirectFault,
	RedirectStatus,
	ResetBeforeFault,
	ResetFault,
	ShortFault,
	ShuffleFault,
	StatusFault,
	StringStatusFault,
	TimeoutFault,
} from './faults';
export { isLoopbackHost } from './util';

const DEFAULT_MAX_BODY = 200 * 1024 * 1024;

/** Settings that can be changed live with configure() (or POST /__sandbox/config, except `log`). */
export interface SandboxConfig {
	/** Accepted tokens. Omitted or empty: ANY non-empty string token is accepted. */
	tokens?: string[];
	/** Current balance in credits (number or decimal string). Default 1000. */
	balance?: number | string;
	/** Credit charged per row, echoed as `credit` in each push data[] entry. Default "0.005". */
	creditPerMessage?: string | number;
	/** Push requests allowed in any sliding 60 s window; null / 0 / "off" = no limit (the default). */
	rateLimitPerMinute?: number | null | 'off';
	/** Called with one short line per recorded request (token masked). */
	log?: ((line: string) => void) | undefined;
}

export interface SandboxOptions extends SandboxConfig {
	/** 0 = a random free port (default). */
	port?: number;
	/** Loopback only: '127.0.0.1' (default), any 127.x.y.z, '::1' or 'localhost' (→ 127.0.0.1). Anything else throws. */
	host?: string;
	/** First push_id handed out. Default 7478630 (the documented sample). */
	firstPushId?: number;
	/** First msg_id handed out. Default 9844217 (the documented sample). */
	firstMsgId?: number;
	/** Clock used by the rate limiter (ms epoch). Default Date.now. Lets tests move time forward. */
	now?: () => number;
	/** Bodies larger than this get HTTP 413 and are not recorded. Default 200 MiB. */
	maxBodyBytes?: number;
}

export interface Sandbox {
	/** 'http://127.0.0.1:PORT' */
	readonly url: string;
	readonly port: number;
	readonly host: string;
	/** `${url}/api/v2` for 'v4' (default) or `${url}/app/api/v2` for 'legacy'. */
	baseUrl(host?: ApiHost): string;
	/** Every request received (faulted ones included, control endpoints excluded), in order. Cleared in place by reset(). */
	readonly requests: RecordedRequest[];
	/** Only the requests whose endpoint is 'push'. */
	pushes(): RecordedRequest[];
	/** Pushes accepted (status 100), including 'reset' / doctored ones. Cleared in place by reset(). */
	readonly acceptedPushes: AcceptedPush[];
	/** Current balance in credits. */
	readonly balance: number;
	/** Change settings live; validates everything first, so an invalid call changes nothing. */
	configure(options: SandboxConfig): void;
	/** Queue a fault (FIFO per endpoint; `times` repeats it). Throws on an invalid fault. */
	addFault(fault: Fault): void;
	/** Permanent fault for its endpoint (replaces a previous one), until clearFaults(); queued faults go first. */
	setFault(fault: Fault): void;
	clearFaults(): void;
	/** Clears requests, acceptedPushes and faults; restores the initial balance, id counters and rate-limit window. */
	reset(): void;
	/** Stops listening and destroys every open socket (hung ones included), pending delays and drips. Idempotent. */
	close(): Promise<void>;
}

// Option checks shared by startSandbox() and configure(): each returns the internal form or throws.

function normaliseRateLimit(v: unknown): number | null {
	if (v === undefined || v === null || v === 0 || v === false || v === 'off') return null;
	const n = typeof v === 'string' ? Number(v) : v;
	if (!(typeof n === 'number' && Number.isInteger(n) && n > 0)) {
		throw new RangeError('rateLimitPerMinute must be a positive integer, 0, null or "off"');
	}
	return n;
}

function normaliseTokens(v: unknown): string[] {
	if (v === undefined || v === null) return [];
	if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) throw new TypeError('tokens must be an array of strings');
	return v.filter((t) => t !== '');
}

function normaliseCredit(v: unknown): Credit {
	const nano = toNano(v, 'creditPerMessage');
	return { nano, text: typeof v === 'string' && DECIMAL_RE.test(v.trim()) ? v.trim() : formatNano(nano) };
}

function startId(value: unknown, fallback: number, name: string): number {
	const v = value === undefined ? fallback : value;
	if (!Number.isSafeInteger(v) || (v as number) < 0) throw new RangeError(`${name} must be a safe integer >= 0`);
	return v as number;
}

/** Starts a sandbox; rejects on invalid options, a non-loopback host or a port in use (err.code 'EADDRINUSE'). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	if (!isPlainObject(options as unknown)) throw new TypeError('options must be an object');
	const host = resolveHost(options.host);
	const port = options.port === undefined ? 0 : options.port;
	if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError('port must be an integer 0..65535');
	const initialBalance = toNano(options.balance === undefined ? 1000 : options.balance, 'balance');
	const firstPushId = startId(options.firstPushId, 7478630, 'firstPushId');
	const firstMsgId = startId(options.firstMsgId, 9844217, 'firstMsgId');
	const now = typeof options.now === 'function' ? options.now : Date.now;

	const state: ApiState = {
		tokens: normaliseTokens(options.tokens),
		credit: normaliseCredit(options.creditPerMessage === undefined ? '0.005' : options.creditPerMessage),
		rateLimit: normaliseRateLimit(options.rateLimitPerMinute),
		balance: initialBalance,
		nextPushId: firstPushId,
		nextMsgId: firstMsgId,
		window: [],
		windowHead: 0,
	};
	let log = typeof options.log === 'function' ? options.log : undefined;
	let seq = 0;
	let boundPort = 0;
	const requests: RecordedRequest[] = [];
	const acceptedPushes: AcceptedPush[] = [];
	const pushById = new Map<string, AcceptedPush>();
	const faults = new FaultBook();

	const summary = (): SandboxState => ({
		balance: Number(formatNano(state.balance)),
		pushes: requests.reduce((n, r) => (r.endpoint === 'push' ? n + 1 : n), 0),
		acceptedPushes: acceptedPushes.length,
		requests: requests.length,
		queuedFaults: faults.queued,
	});

	const server = createSandboxServer({
		maxBodyBytes: options.maxBodyBytes === undefined ? DEFAULT_MAX_BODY : options.maxBodyBytes,
		requests,
		nextSeq: () => ++seq,
		control: (req, res, pathname, url, body) => handleControl({ sandbox, state: summary }, req, res, pathname, url, body),
		api: (req, res, record) => handleApiRequest(handler, req, res, record),
	});
	const handler: HandlerContext = {
		api: { state, now, findPush: (id) => pushById.get(id) },
		faults,
		acceptedPushes,
		pushById,
		timers: server.timers,
		log: () => log,
	};

	const sandbox: Sandbox = {
		get url() {
			return `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
		},
		get port() {
			return boundPort;
		},
		get host() {
			return host;
		},
		baseUrl(which: ApiHost = 'v4') {
			if (which === 'v4') return `${sandbox.url}/api/v2`;
			if (which === 'legacy') return `${sandbox.url}/app/api/v2`;
			throw new TypeError(`baseUrl(): expected 'v4' or 'legacy', got ${JSON.stringify(which)}`);
		},
		requests,
		acceptedPushes,
		pushes: () => requests.filter((r) => r.endpoint === 'push'),
		get balance() {
			return Number(formatNano(state.balance));
		},
		configure(partial: SandboxConfig = {}) {
			if (!isPlainObject(partial as unknown)) throw new TypeError('configure() expects an object');
			// Validate everything first so a bad call changes nothing.
			const next: Partial<ApiState> = {};
			if ('tokens' in partial) next.tokens = normaliseTokens(partial.tokens);
			if ('balance' in partial) next.balance = toNano(partial.balance, 'balance');
			if ('creditPerMessage' in partial) next.credit = normaliseCredit(partial.creditPerMessage);
			if ('rateLimitPerMinute' in partial) next.rateLimit = normaliseRateLimit(partial.rateLimitPerMinute);
			if ('log' in partial && partial.log !== undefined && typeof partial.log !== 'function') {
				throw new TypeError('log must be a function');
			}
			Object.assign(state, next);
			if ('log' in partial) log = partial.log;
		},
		addFault: (fault) => faults.add(fault),
		setFault: (fault) => faults.set(fault),
		clearFaults: () => faults.clear(),
		reset() {
			requests.length = 0;
			acceptedPushes.length = 0;
			pushById.clear();
			faults.clear();
			state.balance = initialBalance;
			state.nextPushId = firstPushId;
			state.nextMsgId = firstMsgId;
			state.window = [];
			state.windowHead = 0;
			seq = 0;
		},
		close: () => server.close(),
	};

	boundPort = await server.listen(host, port);
	return sandbox;
}
