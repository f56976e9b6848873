/**
 * Local Picky Assist–compatible API ("sandbox") for tests, the demo, end-to-end and dry runs.
 *
 * Only `node:` built-ins and nothing from the package (nodes/): it must stay an independent second opinion on the API,
 * not a mirror of the node's own assumptions. It binds to a loopback address only, posts webhooks to loopback
 * addresses only, and never talks to any real Picky Assist server. Behaviour and faults: README.md next to this file.
 *
 *   index.ts    startSandbox() and the Sandbox object;  types.ts  its options and shape;  config.ts  option checks
 *   api.ts      push, check-balance, delivery-report, balance and rate limit (decimal.ts: exact amounts)
 *   account-limit.ts  Picky Assist's per-token limit: pushes over it answered as accepted and dropped
 *   delivery.ts delivery statuses over time;  events.ts  webhook settings and payloads;  webhooks.ts  posting them
 *   faults.ts   fault kinds, their options and validation;  fault-queue.ts  faults waiting for requests
 *   answers.ts  what each fault sends;  handler.ts  when it applies;  respond.ts  writing (and dripping)
 *   server.ts   HTTP server, loopback binding, request recording, close();  control.ts  /__sandbox/*
 *   cli.ts      `npm run sandbox`
 */
import { AccountWindows, normalisePushLimit, type DroppedPush } from './account-limit';
import type { AcceptedPush, ApiHost, ApiState, RecordedRequest } from './api';
import {
	normaliseCredit,
	normaliseRateLimit,
	normaliseTokens,
	readConfig,
	startId,
} from './config';
import { handleControl, type SandboxState } from './control';
import { formatNano, toNano } from './decimal';
import {
	DEFAULT_DELIVERY,
	planDelivery,
	readDeliveryConfig,
	type DeliverySettings,
} from './delivery';
import {
	DEFAULT_WEBHOOKS,
	incomingPayload,
	loopbackUrl,
	readWebhookConfig,
	type IncomingMessageInput,
	type WebhookSettings,
} from './events';
import { FaultBook } from './fault-queue';
import { handleApiRequest, type HandlerContext } from './handler';
import { createSandboxServer, resolveHost } from './server';
import type { Sandbox, SandboxConfig, SandboxOptions } from './types';
import { isPlainObject } from './util';
import { Webhooks, type WebhookAnswer, type WebhookDelivery } from './webhooks';
import type { Fault } from './faults';

export type { DroppedPush, PushLimit } from './account-limit';
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
export { FAILURE, PROJECT_ID } from './delivery';
export type {
	DeliveryConfig,
	DeliveryEvent,
	DeliveryEventEntry,
	DeliveryPlan,
	EventStep,
} from './delivery';
export { formEncode, incomingPayload, loopbackUrl } from './events';
export type { IncomingMessageInput, WebhookConfig } from './events';
export type { Sandbox, SandboxConfig, SandboxOptions } from './types';
export { WebhookSendError } from './webhooks';
export type { WebhookAnswer, WebhookDelivery } from './webhooks';
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

/** Starts a sandbox; rejects on invalid options, a non-loopback host or a port in use (err.code 'EADDRINUSE'). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	if (!isPlainObject(options as unknown)) throw new TypeError('options must be an object');
	const port = options.port === undefined ? 0 : options.port;
	if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
		throw new RangeError('port must be an integer 0..65535');
	const sandbox = new LocalSandbox(options);
	await sandbox.listen(port);
	return sandbox;
}

/** The API's account state as the options start it, and what reset() brings back. */
function initialState(options: SandboxOptions) {
	const balance = toNano(options.balance === undefined ? 1000 : options.balance, 'balance');
	const firstPushId = startId(options.firstPushId, 7478630, 'firstPushId');
	const firstMsgId = startId(options.firstMsgId, 9844217, 'firstMsgId');
	const state: ApiState = {
		tokens: normaliseTokens(options.tokens),
		credit: normaliseCredit(
			options.creditPerMessage === undefined ? '0.005' : options.creditPerMessage,
		),
		rateLimit: normaliseRateLimit(options.rateLimitPerMinute),
		pushLimit: normalisePushLimit(options.pushLimit),
		accountWindows: new AccountWindows(),
		balance,
		nextPushId: firstPushId,
		nextMsgId: firstMsgId,
		window: [],
		windowHead: 0,
	};
	const restore = () => {
		state.accountWindows.clear();
		Object.assign(state, {
			balance,
			nextPushId: firstPushId,
			nextMsgId: firstMsgId,
			window: [],
			windowHead: 0,
		});
	};
	return { state, restore };
}

class LocalSandbox implements Sandbox {
	readonly host: string;
	readonly requests: RecordedRequest[] = [];
	readonly mediaRequests: string[] = [];
	readonly acceptedPushes: AcceptedPush[] = [];
	readonly droppedPushes: DroppedPush[] = [];
	readonly webhookDeliveries: WebhookDelivery[];
	private readonly state: ApiState;
	private readonly restoreState: () => void;
	private readonly pushById = new Map<string, AcceptedPush>();
	private readonly faults = new FaultBook();
	private readonly delivery: DeliverySettings;
	private readonly hooks: WebhookSettings;
	private readonly webhooks: Webhooks;
	private readonly server: ReturnType<typeof createSandboxServer>;
	private readonly handler: HandlerContext;
	private readonly now: () => number;
	private log: SandboxOptions['log'];
	private seq = 0;
	private boundPort = 0;

	constructor(options: SandboxOptions) {
		this.host = resolveHost(options.host);
		({ state: this.state, restore: this.restoreState } = initialState(options));
		this.now = typeof options.now === 'function' ? options.now : Date.now;
		this.log = typeof options.log === 'function' ? options.log : undefined;
		this.delivery = { ...DEFAULT_DELIVERY, ...readDeliveryConfig(options) };
		this.hooks = { ...DEFAULT_WEBHOOKS, ...readWebhookConfig(options) };
		this.webhooks = new Webhooks(
			() => this.hooks,
			() => this.log,
		);
		this.webhookDeliveries = this.webhooks.deliveries;
		this.server = createSandboxServer({
			maxBodyBytes: options.maxBodyBytes === undefined ? DEFAULT_MAX_BODY : options.maxBodyBytes,
			requests: this.requests,
			mediaRequests: this.mediaRequests,
			nextSeq: () => ++this.seq,
			control: (req, res, pathname, url, body) =>
				handleControl(
					{ sandbox: this, state: () => this.summary() },
					req,
					res,
					pathname,
					url,
					body,
				),
			api: (req, res, record) => handleApiRequest(this.handler, req, res, record),
		});
		this.handler = {
			api: { state: this.state, now: this.now, findPush: (id) => this.pushById.get(id) },
			faults: this.faults,
			acceptedPushes: this.acceptedPushes,
			pushById: this.pushById,
			timers: this.server.timers,
			planDelivery: (response) => planDelivery(response, this.delivery),
			onAccepted: (acc) => this.webhooks.pushAccepted(acc),
			onDropped: (dropped) => this.droppedPushes.push(dropped),
			log: () => this.log,
		};
	}

	async listen(port: number): Promise<void> {
		this.boundPort = await this.server.listen(this.host, port);
	}

	private summary(): SandboxState {
		return {
			balance: this.balance,
			pushes: this.requests.reduce((n, r) => (r.endpoint === 'push' ? n + 1 : n), 0),
			acceptedPushes: this.acceptedPushes.length,
			droppedPushes: this.droppedPushes.length,
			requests: this.requests.length,
			queuedFaults: this.faults.queued,
		};
	}

	get url(): string {
		return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
	}

	get port(): number {
		return this.boundPort;
	}

	baseUrl(which: ApiHost = 'v4'): string {
		if (which === 'v4') return `${this.url}/api/v2`;
		if (which === 'legacy') return `${this.url}/app/api/v2`;
		throw new TypeError(`baseUrl(): expected 'v4' or 'legacy', got ${JSON.stringify(which)}`);
	}

	pushes(): RecordedRequest[] {
		return this.requests.filter((r) => r.endpoint === 'push');
	}

	droppedCount(token?: string): number {
		if (token === undefined) return this.droppedPushes.length;
		return this.droppedPushes.reduce((n, d) => (d.request.body?.token === token ? n + 1 : n), 0);
	}

	get pushLimit() {
		return this.state.pushLimit && { ...this.state.pushLimit };
	}

	get pendingWebhooks(): number {
		return this.webhooks.pending;
	}

	get balance(): number {
		return Number(formatNano(this.state.balance));
	}

	configure(partial: SandboxConfig = {}): void {
		// Validate everything first so a bad call changes nothing.
		const next = readConfig(partial);
		Object.assign(this.state, next.api);
		Object.assign(this.delivery, next.delivery);
		Object.assign(this.hooks, next.webhooks);
		if (next.log) this.log = next.log.value;
	}

	addFault(fault: Fault): void {
		this.faults.add(fault);
	}

	setFault(fault: Fault): void {
		this.faults.set(fault);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/** On-demand posts go to `url` or the configured one; both must be loopback URLs. */
	private target(url: string | undefined, configured: string | null, name: string): string {
		if (url !== undefined) return loopbackUrl(url, 'url');
		if (configured === null) throw new TypeError(`no URL: pass one or set ${name}`);
		return configured;
	}

	async postEvent(body: unknown, url?: string): Promise<WebhookAnswer> {
		const to = this.target(url, this.hooks.eventWebhookUrl, 'eventWebhookUrl');
		return this.webhooks.send('event', to, body);
	}

	async sendIncomingMessage(message: IncomingMessageInput, url?: string): Promise<WebhookAnswer> {
		const to = this.target(url, this.hooks.incomingWebhookUrl, 'incomingWebhookUrl');
		return this.webhooks.send('incoming', to, incomingPayload(message));
	}

	reset(): void {
		this.webhooks.reset();
		this.requests.length = 0;
		this.acceptedPushes.length = 0;
		this.droppedPushes.length = 0;
		this.pushById.clear();
		this.faults.clear();
		this.restoreState();
		this.seq = 0;
	}

	close = (): Promise<void> => {
		this.webhooks.close();
		return this.server.close();
	};
}
