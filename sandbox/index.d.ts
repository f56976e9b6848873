/**
 * Types for sandbox/index.js — a local, loopback-only Picky Assist–compatible API.
 * See sandbox/README.md for behaviour details.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** Which documented host a base URL / request belongs to: `/api/v2` (V4) or `/app/api/v2` (legacy V3). */
export type ApiHost = 'v4' | 'legacy';

/** Implemented API endpoints; any other string is an unimplemented endpoint or `'unknown'` (path outside both bases). */
export type Endpoint = 'push' | 'check-balance' | 'delivery-report' | (string & {});

export type FaultKind =
	| 'http500'
	| 'http502-html'
	| 'html200'
	| 'http429'
	| 'http401'
	| 'status'
	| 'timeout'
	| 'delay'
	| 'reset'
	| 'reset-before'
	| 'malformed'
	| 'shuffle'
	| 'short'
	| 'extra'
	| 'no-msg-id'
	| 'no-data'
	| 'string-status'
	| 'duplicate-entry'
	| 'foreign-number';

interface FaultBase {
	/** Endpoint whose requests consume this fault. Default `'push'`. */
	endpoint?: Endpoint;
	/** Number of matching requests this (queued) fault applies to. Default 1. Ignored by setFault(). */
	times?: number;
}

/** HTTP 500 JSON `{status: 500, message: "Internal Server Error"}`; not processed. */
export interface Http500Fault extends FaultBase {
	kind: 'http500';
}
/** HTTP 502 with an nginx-style HTML page; not processed. */
export interface Http502HtmlFault extends FaultBase {
	kind: 'http502-html';
}
/** HTTP 200 with an HTML maintenance page (content-type text/html); not processed. */
export interface Html200Fault extends FaultBase {
	kind: 'html200';
}
/** HTTP 429 JSON `{status: 429, message: "Too Many Requests"}`; `Retry-After` only if `retryAfter` is given; not processed. */
export interface Http429Fault extends FaultBase {
	kind: 'http429';
	/** Seconds, sent as the `Retry-After` header. */
	retryAfter?: number;
}
/** A real HTTP 401 with JSON `{status: 401, message: "Authentication Failed"}`; not processed. */
export interface Http401Fault extends FaultBase {
	kind: 'http401';
}
/** HTTP 200 with `{status, message}`; not processed. */
export interface StatusFault extends FaultBase {
	kind: 'status';
	/** API status code, e.g. 101, 404, 405, 408, 409. */
	status: number;
	/** Default: the documented text for `status` (see ERROR_MESSAGES), or "Error". */
	message?: string;
}
/** Never answers; the socket stays open until the client gives up or close(). */
export interface TimeoutFault extends FaultBase {
	kind: 'timeout';
	/** If true the request is processed (push accepted, balance deducted) before hanging. Default false. */
	process?: boolean;
}
/** Processes normally, answers after `ms` milliseconds. */
export interface DelayFault extends FaultBase {
	kind: 'delay';
	ms: number;
}
/** Processes normally (the push IS accepted), then destroys the socket without answering ("maybe sent"). */
export interface ResetFault extends FaultBase {
	kind: 'reset';
}
/** Destroys the socket without processing. */
export interface ResetBeforeFault extends FaultBase {
	kind: 'reset-before';
}
/** Processed; the answer is the first half of the JSON text (invalid JSON). Applies to any answer. */
export interface MalformedFault extends FaultBase {
	kind: 'malformed';
}
/** Processed; data[] reversed, or reordered as `order` (indexes into the true data[]; out-of-range indexes dropped). */
export interface ShuffleFault extends FaultBase {
	kind: 'shuffle';
	order?: number[];
}
/** Processed; the last `drop` (default 1) entries of data[] are removed. */
export interface ShortFault extends FaultBase {
	kind: 'short';
	drop?: number;
}
/** Processed; an entry with a number that was not sent is appended to data[]. */
export interface ExtraFault extends FaultBase {
	kind: 'extra';
}
/** Processed; `msg_id` removed from data[index] (default 0). */
export interface NoMsgIdFault extends FaultBase {
	kind: 'no-msg-id';
	index?: number;
}
/** Processed; `data` omitted from the answer. */
export interface NoDataFault extends FaultBase {
	kind: 'no-data';
}
/** Processed; `status` is the string "100". */
export interface StringStatusFault extends FaultBase {
	kind: 'string-status';
}
/** Processed; data[0] repeated at the end of data[]. */
export interface DuplicateEntryFault extends FaultBase {
	kind: 'duplicate-entry';
}
/** Processed; data[0].number replaced with a number that was not sent. */
export interface ForeignNumberFault extends FaultBase {
	kind: 'foreign-number';
}

export type Fault =
	| Http500Fault
	| Http502HtmlFault
	| Html200Fault
	| Http429Fault
	| Http401Fault
	| StatusFault
	| TimeoutFault
	| DelayFault
	| ResetFault
	| ResetBeforeFault
	| MalformedFault
	| ShuffleFault
	| ShortFault
	| ExtraFault
	| NoMsgIdFault
	| NoDataFault
	| StringStatusFault
	| DuplicateEntryFault
	| ForeignNumberFault;

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
	/** First push_id handed out. Default 7478630. */
	firstPushId?: number;
	/** First msg_id handed out. Default 9844217. */
	firstMsgId?: number;
	/** Clock used by the rate limiter (ms epoch). Default Date.now. Lets tests move time forward. */
	now?: () => number;
	/** Bodies larger than this get HTTP 413 and are not recorded. Default 200 MiB. */
	maxBodyBytes?: number;
}

export interface RecordedRequest {
	/** 1-based, in arrival order; restarts at 1 after reset(). */
	seq: number;
	method: string;
	/** The request target as received, including any query string. */
	path: string;
	/** Segment after `/v2/` for paths under either base, otherwise 'unknown'. */
	endpoint: Endpoint;
	/** Which base the path used, or null for paths outside both bases. */
	apiHost: ApiHost | null;
	headers: IncomingHttpHeaders;
	/** Exact body, decoded as UTF-8. */
	rawBody: string;
	/** Parsed JSON body, or undefined if the body was empty or not JSON. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	/** ms epoch. */
	receivedAt: number;
}

export interface PushResultEntry {
	msg_id: string;
	number: string;
	credit: string;
}

export interface PushSuccess {
	status: 100;
	push_id: string;
	message: 'Success';
	data: PushResultEntry[];
}

export interface ApiError {
	status: number;
	message: string;
}

export interface CheckBalanceSuccess {
	status: 100;
	message: 'Success';
	balance: string;
}

export interface DeliveryReportEntry {
	number: string;
	msg_id: string;
	status: '0' | '1' | '2' | '3';
	error_code: string;
}

export interface DeliveryReportSuccess {
	status: 100;
	project_id: string;
	push_id: string;
	application: string;
	message_type: string;
	/** ISO 8601 time of the push. */
	time: string;
	data: DeliveryReportEntry[];
}

export interface AcceptedPush {
	push_id: string;
	/** The recorded request (same object as in `requests`). */
	request: RecordedRequest;
	/** The true, undoctored success answer (what a faithful server would have sent). */
	response: PushSuccess;
	/** Fault applied to this request, if any (e.g. 'reset', 'shuffle'). */
	fault: FaultKind | null;
	/** ms epoch. */
	acceptedAt: number;
}

/** Body of GET /__sandbox/state. */
export interface SandboxState {
	balance: number;
	/** Recorded requests to the push endpoint. */
	pushes: number;
	acceptedPushes: number;
	requests: number;
	queuedFaults: number;
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
	/** Stops listening and destroys every open socket (hung ones included) and pending delay timers. Idempotent. */
	close(): Promise<void>;
}

export function startSandbox(options?: SandboxOptions): Promise<Sandbox>;

/** True for 127.0.0.0/8, ::1, ::ffff:127.x.y.z and 'localhost'. */
export function isLoopbackHost(host: string): boolean;

/** API status code → documented message text. */
export const ERROR_MESSAGES: Readonly<Record<number, string>>;

export const FAULT_KINDS: readonly FaultKind[];
