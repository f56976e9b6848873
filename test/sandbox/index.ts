/**
 * Local Picky Assist–compatible API ("sandbox") for tests, the demo, end-to-end and dry runs.
 *
 * Only `node:` built-ins and nothing from the package (nodes/): it must stay an independent second opinion on the API,
 * not a mirror of the node's own assumptions. It binds to a loopback address only, posts webhooks to loopback
 * addresses only, and never talks to any real Picky Assist server. Behaviour, faults and files: README.md here.
 */
import {
	answerApi,
	AccountWindows,
	isLookup,
	type AcceptedPush,
	type ApiHost,
	type ApiState,
	type DroppedPush,
	type ImplementedEndpoint,
	type RecordedRequest,
} from './api';
import { formatNano, loopbackUrl, readConfig } from './config';
import { handleControl, type SandboxState } from './control';
import { planDelivery, type DeliverySettings } from './delivery';
import { FaultBook, type Fault } from './faults';
import { handleApiRequest, type HandlerContext } from './handler';
import { resolveHost, SandboxServer } from './server';
import type { Sandbox, SandboxConfig, SandboxOptions } from './types';
import { isPlainObject } from './util';
import {
	incomingPayload,
	Webhooks,
	type IncomingMessageInput,
	type WebhookAnswer,
	type WebhookDelivery,
	type WebhookSettings,
} from './webhooks';

export { ERROR_MESSAGES } from './api';
export type { AcceptedPush, DroppedPush, RecordedRequest } from './api';
export type { PushLimit } from './config';
export type { SandboxState } from './control';
export { FAILURE, PROJECT_ID } from './delivery';
export type {
	DeliveryConfig,
	DeliveryEvent,
	DeliveryEventEntry,
	DeliveryPlan,
	EventStep,
} from './delivery';
export { FAULT_KINDS } from './faults';
export type { Fault, FaultKind, FaultOf } from './faults';
export type { Sandbox, SandboxConfig, SandboxOptions } from './types';
export { isLoopbackHost } from './util';
export { formEncode, incomingPayload, WebhookSendError } from './webhooks';
export type {
	IncomingMessageInput,
	WebhookAnswer,
	WebhookConfig,
	WebhookDelivery,
} from './webhooks';
export { loopbackUrl };

/** The settings a sandbox starts with, where its options leave them out. */
const DEFAULTS: SandboxConfig = {
	tokens: [],
	balance: 1000,
	creditPerMessage: '0.005',
	rateLimitPerMinute: null,
	pushLimit: null,
	deliveredAfterMs: 0,
	readAfterMs: null,
	failureShare: 0,
	eventWebhookUrl: null,
	incomingWebhookUrl: null,
	eventDelaysMs: {},
	eventRetryDelaysMs: [200, 1000],
	webhookTimeoutMs: 5000,
};

/** Starts a sandbox; rejects on invalid options, a non-loopback host or a port in use (err.code 'EADDRINUSE'). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	if (!isPlainObject(options as unknown)) throw new TypeError('options must be an object');
	const port = options.port ?? 0;
	if (!(Number.isInteger(port) && port >= 0 && port <= 65535))
		throw new RangeError('port must be an integer 0..65535');
	const sandbox = new LocalSandbox(options);
	await sandbox.listen(port);
	return sandbox;
}

function startId(value: unknown, fallback: number, name: string): number {
	const v = value ?? fallback;
	if (!Number.isSafeInteger(v) || (v as number) < 0)
		throw new RangeError(`${name} must be a safe integer >= 0`);
	return v as number;
}

class LocalSandbox implements Sandbox {
	readonly host: string;
	readonly requests: RecordedRequest[] = [];
	readonly mediaRequests: string[] = [];
	readonly acceptedPushes: AcceptedPush[] = [];
	readonly droppedPushes: DroppedPush[] = [];
	readonly webhookDeliveries: WebhookDelivery[];
	private readonly account: ApiState;
	/** What reset() brings back: the starting balance and id counters. */
	private readonly start: Pick<ApiState, 'balance' | 'nextPushId' | 'nextMsgId'>;
	private readonly pushById = new Map<string, AcceptedPush>();
	private readonly faults = new FaultBook();
	private readonly delivery: DeliverySettings;
	private readonly hooks: WebhookSettings;
	private readonly webhooks: Webhooks;
	private readonly server: SandboxServer;
	private readonly handler: HandlerContext;
	private readonly now: () => number;
	private log: SandboxOptions['log'];
	private seq = 0;
	private boundPort = 0;

	constructor(options: SandboxOptions) {
		this.host = resolveHost(options.host);
		const given = Object.entries(options).filter(([, v]) => v !== undefined);
		const c = readConfig({ ...DEFAULTS, ...Object.fromEntries(given) });
		this.start = {
			balance: c.balance!,
			nextPushId: startId(options.firstPushId, 7478630, 'firstPushId'),
			nextMsgId: startId(options.firstMsgId, 9844217, 'firstMsgId'),
		};
		this.account = {
			...this.start,
			tokens: [],
			credit: { nano: 0n, text: '0' },
			rateLimit: null,
			pushLimit: null,
			window: [],
			windowHead: 0,
			accountWindows: new AccountWindows(),
		};
		this.delivery = { deliveredAfterMs: 0, readAfterMs: null, failureShare: 0 };
		this.hooks = {
			eventWebhookUrl: null,
			incomingWebhookUrl: null,
			eventDelaysMs: {},
			eventRetryDelaysMs: [],
			webhookTimeoutMs: 0,
		};
		this.apply(c);
		this.now = typeof options.now === 'function' ? options.now : Date.now;
		this.webhooks = new Webhooks(
			() => this.hooks,
			() => this.log,
		);
		this.webhookDeliveries = this.webhooks.deliveries;
		this.server = new SandboxServer({
			maxBodyBytes: options.maxBodyBytes ?? 200 * 1024 * 1024,
			requests: this.requests,
			mediaRequests: this.mediaRequests,
			nextSeq: () => ++this.seq,
			control: (req, res, pathname, query, body) =>
				handleControl(this, req, res, pathname, query, body),
			api: (req, res, record) => handleApiRequest(this.handler, req, res, record),
		});
		this.handler = {
			faults: this.faults,
			timers: this.server.timers,
			process: (endpoint, record, fault, commit) => this.process(endpoint, record, fault, commit),
			credit: () => this.account.credit.text,
			log: () => this.log,
		};
	}

	async listen(port: number): Promise<void> {
		this.boundPort = await this.server.listen(this.host, port);
	}

	/** Answers the request as the API would and records an accepted (or dropped) push. */
	private process(
		endpoint: ImplementedEndpoint,
		record: RecordedRequest,
		fault: Fault | null,
		commit = true,
	) {
		const api = {
			state: this.account,
			now: this.now,
			findPush: (id: string) => this.pushById.get(id),
		};
		const answer = answerApi(api, endpoint, record.body, commit);
		if (answer.accepted) {
			const { push_id, response } = answer.accepted;
			const delivery = planDelivery(response, this.delivery);
			const acc = {
				push_id,
				request: record,
				response,
				fault: fault?.kind ?? null,
				acceptedAt: this.now(),
				delivery,
			};
			this.acceptedPushes.push(acc);
			this.pushById.set(push_id, acc);
			this.webhooks.pushAccepted(acc, isLookup(record.body));
		}
		if (answer.dropped)
			this.droppedPushes.push({ ...answer.dropped, request: record, droppedAt: this.now() });
		return answer;
	}

	/** Body of GET /__sandbox/state. */
	state(): SandboxState {
		return {
			balance: this.balance,
			pushes: this.pushes().length,
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
		return this.droppedPushes.filter((d) => token === undefined || d.request.body?.token === token)
			.length;
	}

	get pushLimit() {
		return this.account.pushLimit && { ...this.account.pushLimit };
	}

	get pendingWebhooks(): number {
		return this.webhooks.pending;
	}

	get balance(): number {
		return Number(formatNano(this.account.balance));
	}

	configure(partial: SandboxConfig = {}): void {
		this.apply(readConfig(partial)); // checked in full first, so a bad call changes nothing
	}

	/** Spreads checked settings over the API state, the delivery and the webhook settings. */
	private apply(c: ReturnType<typeof readConfig>): void {
		const pick = <T extends object>(target: T) => {
			for (const key of Object.keys(target))
				if (key in c) Object.assign(target, { [key]: c[key as keyof typeof c] });
		};
		pick(this.account);
		pick(this.delivery);
		pick(this.hooks);
		if ('log' in c) this.log = c.log;
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
	private target(url: string | undefined, key: 'eventWebhookUrl' | 'incomingWebhookUrl'): string {
		if (url !== undefined) return loopbackUrl(url, 'url');
		const configured = this.hooks[key];
		if (configured === null) throw new TypeError(`no URL: pass one or set ${key}`);
		return configured;
	}

	async postEvent(body: unknown, url?: string): Promise<WebhookAnswer> {
		return this.webhooks.send('event', this.target(url, 'eventWebhookUrl'), body);
	}

	async sendIncomingMessage(message: IncomingMessageInput, url?: string): Promise<WebhookAnswer> {
		const to = this.target(url, 'incomingWebhookUrl');
		return this.webhooks.send('incoming', to, incomingPayload(message));
	}

	reset(): void {
		this.webhooks.cancelAll(true);
		this.requests.length = 0;
		this.acceptedPushes.length = 0;
		this.droppedPushes.length = 0;
		this.pushById.clear();
		this.faults.clear();
		this.account.accountWindows.clear();
		Object.assign(this.account, { ...this.start, window: [], windowHead: 0 });
		this.seq = 0;
	}

	close = (): Promise<void> => {
		this.webhooks.close();
		return this.server.close();
	};
}
