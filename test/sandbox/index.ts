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
	type WebhookSettings,
} from './events';
import { FaultBook } from './fault-queue';
import { handleApiRequest, type HandlerContext } from './handler';
import { createSandboxServer, resolveHost } from './server';
import type { Sandbox, SandboxOptions } from './types';
import { isPlainObject } from './util';
import { Webhooks } from './webhooks';

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
	const host = resolveHost(options.host);
	const port = options.port === undefined ? 0 : options.port;
	if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
		throw new RangeError('port must be an integer 0..65535');
	const initialBalance = toNano(options.balance === undefined ? 1000 : options.balance, 'balance');
	const firstPushId = startId(options.firstPushId, 7478630, 'firstPushId');
	const firstMsgId = startId(options.firstMsgId, 9844217, 'firstMsgId');
	const now = typeof options.now === 'function' ? options.now : Date.now;

	const state: ApiState = {
		tokens: normaliseTokens(options.tokens),
		credit: normaliseCredit(
			options.creditPerMessage === undefined ? '0.005' : options.creditPerMessage,
		),
		rateLimit: normaliseRateLimit(options.rateLimitPerMinute),
		pushLimit: normalisePushLimit(options.pushLimit),
		accountWindows: new AccountWindows(),
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
	const mediaRequests: string[] = [];
	const acceptedPushes: AcceptedPush[] = [];
	const droppedPushes: DroppedPush[] = [];
	const pushById = new Map<string, AcceptedPush>();
	const faults = new FaultBook();
	const delivery: DeliverySettings = { ...DEFAULT_DELIVERY, ...readDeliveryConfig(options) };
	const hooks: WebhookSettings = { ...DEFAULT_WEBHOOKS, ...readWebhookConfig(options) };
	const webhooks = new Webhooks(
		() => hooks,
		() => log,
	);
	// On-demand posts go to `url` or the configured one; both must be loopback URLs.
	const target = (url: string | undefined, configured: string | null, name: string): string => {
		if (url !== undefined) return loopbackUrl(url, 'url');
		if (configured === null) throw new TypeError(`no URL: pass one or set ${name}`);
		return configured;
	};

	const summary = (): SandboxState => ({
		balance: Number(formatNano(state.balance)),
		pushes: requests.reduce((n, r) => (r.endpoint === 'push' ? n + 1 : n), 0),
		acceptedPushes: acceptedPushes.length,
		droppedPushes: droppedPushes.length,
		requests: requests.length,
		queuedFaults: faults.queued,
	});

	const server = createSandboxServer({
		maxBodyBytes: options.maxBodyBytes === undefined ? DEFAULT_MAX_BODY : options.maxBodyBytes,
		requests,
		mediaRequests,
		nextSeq: () => ++seq,
		control: (req, res, pathname, url, body) =>
			handleControl({ sandbox, state: summary }, req, res, pathname, url, body),
		api: (req, res, record) => handleApiRequest(handler, req, res, record),
	});
	const handler: HandlerContext = {
		api: { state, now, findPush: (id) => pushById.get(id) },
		faults,
		acceptedPushes,
		pushById,
		timers: server.timers,
		planDelivery: (response) => planDelivery(response, delivery),
		onAccepted: (acc) => webhooks.pushAccepted(acc),
		onDropped: (dropped) => droppedPushes.push(dropped),
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
		mediaRequests,
		acceptedPushes,
		pushes: () => requests.filter((r) => r.endpoint === 'push'),
		droppedPushes,
		droppedCount: (token) =>
			token === undefined
				? droppedPushes.length
				: droppedPushes.reduce((n, d) => (d.request.body?.token === token ? n + 1 : n), 0),
		get pushLimit() {
			return state.pushLimit && { ...state.pushLimit };
		},
		webhookDeliveries: webhooks.deliveries,
		get pendingWebhooks() {
			return webhooks.pending;
		},
		get balance() {
			return Number(formatNano(state.balance));
		},
		configure(partial = {}) {
			// Validate everything first so a bad call changes nothing.
			const next = readConfig(partial);
			Object.assign(state, next.api);
			Object.assign(delivery, next.delivery);
			Object.assign(hooks, next.webhooks);
			if (next.log) log = next.log.value;
		},
		addFault: (fault) => faults.add(fault),
		setFault: (fault) => faults.set(fault),
		clearFaults: () => faults.clear(),
		async postEvent(body, url) {
			return webhooks.send('event', target(url, hooks.eventWebhookUrl, 'eventWebhookUrl'), body);
		},
		async sendIncomingMessage(message, url) {
			const body = incomingPayload(message);
			return webhooks.send(
				'incoming',
				target(url, hooks.incomingWebhookUrl, 'incomingWebhookUrl'),
				body,
			);
		},
		reset() {
			webhooks.reset();
			requests.length = 0;
			acceptedPushes.length = 0;
			droppedPushes.length = 0;
			state.accountWindows.clear();
			pushById.clear();
			faults.clear();
			state.balance = initialBalance;
			state.nextPushId = firstPushId;
			state.nextMsgId = firstMsgId;
			state.window = [];
			state.windowHead = 0;
			seq = 0;
		},
		close: () => {
			webhooks.close();
			return server.close();
		},
	};

	boundPort = await server.listen(host, port);
	return sandbox;
}
