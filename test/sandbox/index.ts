/**
 * Local Picky Assist–compatible API ("sandbox") for tests, the demo, end-to-end and dry runs.
 *
 * Only `node:` built-ins and nothing from the package (nodes/): it must stay an independent second opinion on the API,
 * not a mirror of the node's own assumptions. It binds to a loopback address only, posts webhooks to loopback
 * addresses only, and never talks to any real Picky Assist server. Behaviour, faults and files: README.md here.
 */
import {
	answerApi,
	SlidingWindows,
	isLookup,
	type AcceptedPush,
	type ApiHost,
	type ApiState,
	type DroppedPush,
	type ImplementedEndpoint,
	type RecordedRequest,
} from './api';
import {
	formatNano,
	loopbackUrl,
	readConfig,
	type SandboxConfig,
	type SandboxOptions,
	type Settings,
} from './config';
import { planDelivery } from './delivery';
import { FaultBook, type Fault } from './faults';
import { handleApiRequest, type HandlerContext } from './handler';
import { resolveHost, SandboxServer } from './server';
import {
	incomingPayload,
	Webhooks,
	type IncomingMessageInput,
	type WebhookAnswer,
	type WebhookDelivery,
} from './webhooks';

export { ERROR_MESSAGES } from './api';
export type { AcceptedPush, DroppedPush, RecordedRequest } from './api';
export { loopbackUrl } from './config';
export type { SandboxConfig, SandboxOptions } from './config';
export { FAILURE, PROJECT_ID } from './delivery';
export { FAULT_KINDS } from './faults';
export type { Fault, FaultKind } from './faults';
export { isLoopbackHost } from './util';
export { formEncode, incomingPayload, WebhookSendError } from './webhooks';
export type { IncomingMessageInput, WebhookAnswer, WebhookDelivery } from './webhooks';

/** Starts a sandbox; rejects on invalid options, a non-loopback host or a port in use (err.code 'EADDRINUSE'). */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const sandbox = new Sandbox(options);
	await sandbox.listen(options.port ?? 0); // listen() itself refuses a port outside 0..65535
	return sandbox;
}

/** What startSandbox() returns. */
export class Sandbox {
	readonly host: string;
	/** Every request received (faulted ones included, control endpoints excluded), in order. Cleared in place by reset(). */
	readonly requests: RecordedRequest[] = [];
	/** The `/media/…` paths (with their query) fetched from the sandbox, in order (see media.ts). */
	readonly mediaRequests: string[] = [];
	/** Pushes accepted (status 100), including 'reset' / doctored ones. Cleared in place by reset(). */
	readonly acceptedPushes: AcceptedPush[] = [];
	/** Pushes answered as accepted but dropped over `pushLimit`, in order. Cleared in place by reset(). */
	readonly droppedPushes: DroppedPush[] = [];
	/** Every webhook attempt (scheduled events, retries, and posts on demand), in order. Cleared in place by reset(). */
	readonly webhookDeliveries: WebhookDelivery[];
	private readonly account: ApiState;
	/** What reset() brings back: the starting balance and id counters. */
	private readonly start: Pick<ApiState, 'balance' | 'nextPushId' | 'nextMsgId'>;
	private readonly pushById = new Map<string, AcceptedPush>();
	private readonly faults = new FaultBook();
	private readonly webhooks: Webhooks;
	private readonly server: SandboxServer;
	private readonly handler: HandlerContext;
	private readonly now: () => number;
	private boundPort = 0;

	/** Use startSandbox(), which also starts listening. */
	constructor(options: SandboxOptions) {
		this.host = resolveHost(options.host);
		const settings = readConfig(options, true) as Settings;
		this.start = {
			balance: settings.balance,
			nextPushId: options.firstPushId ?? 7478630,
			nextMsgId: options.firstMsgId ?? 9844217,
		};
		this.account = { ...settings, ...this.start, windows: new SlidingWindows() };
		this.now = typeof options.now === 'function' ? options.now : Date.now;
		this.webhooks = new Webhooks(this.account);
		this.webhookDeliveries = this.webhooks.deliveries;
		this.server = new SandboxServer(this, (req, res, record) =>
			handleApiRequest(this.handler, req, res, record),
		);
		this.handler = {
			faults: this.faults,
			timers: this.server.timers,
			process: (endpoint, record, fault, commit) => this.process(endpoint, record, fault, commit),
			settings: this.account,
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
			const acc: AcceptedPush = {
				push_id,
				request: record,
				response,
				fault: fault?.kind ?? null,
				acceptedAt: this.now(),
				delivery: planDelivery(response, this.account),
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
	state() {
		return {
			balance: this.balance,
			pushes: this.pushes().length,
			acceptedPushes: this.acceptedPushes.length,
			droppedPushes: this.droppedPushes.length,
			requests: this.requests.length,
			queuedFaults: this.faults.queued,
		};
	}

	/** 'http://127.0.0.1:PORT' */
	get url(): string {
		return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.boundPort}`;
	}

	get port(): number {
		return this.boundPort;
	}

	/** `${url}/api/v2` for 'v4' (default) or `${url}/app/api/v2` for 'legacy'. */
	baseUrl(which: ApiHost = 'v4'): string {
		return `${this.url}${which === 'legacy' ? '/app' : ''}/api/v2`;
	}

	/** Only the requests whose endpoint is 'push'. */
	pushes(): RecordedRequest[] {
		return this.requests.filter((r) => r.endpoint === 'push');
	}

	/** How many pushes were dropped over `pushLimit`: of this token, or of all tokens. */
	droppedCount(token?: string): number {
		return this.droppedPushes.filter((d) => token === undefined || d.request.body?.token === token)
			.length;
	}

	/** The account limit in force (null: off). */
	get pushLimit() {
		return this.account.pushLimit && { ...this.account.pushLimit };
	}

	/** Webhook timers and requests still pending (0 when nothing more will be posted). */
	get pendingWebhooks(): number {
		return this.webhooks.pending;
	}

	/** Current balance in credits. */
	get balance(): number {
		return Number(formatNano(this.account.balance));
	}

	/** Change settings live; validates everything first, so an invalid call changes nothing. */
	configure(partial: SandboxConfig = {}): void {
		Object.assign(this.account, readConfig(partial));
	}

	/** Queue a fault (FIFO per endpoint; `times` repeats it). Throws on an invalid fault. */
	addFault(fault: Fault): void {
		this.faults.add(fault);
	}

	/** Permanent fault for its endpoint (replaces a previous one), until clearFaults(); queued faults go first. */
	setFault(fault: Fault): void {
		this.faults.set(fault);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	/** On-demand posts go to `url` or the configured one; both must be loopback URLs. */
	private target(url: string | undefined, key: 'eventWebhookUrl' | 'incomingWebhookUrl'): string {
		if (url !== undefined) return loopbackUrl(url, 'url');
		const configured = this.account[key];
		if (configured === null) throw new TypeError(`no URL: pass one or set ${key}`);
		return configured;
	}

	/**
	 * Posts any payload once (no retry) to `url` (loopback only) or the configured eventWebhookUrl: a string is sent
	 * verbatim, anything else as JSON. Resolves with the receiver's answer whatever its status; rejects when the URL
	 * is refused or missing, or with a WebhookSendError when no answer came (the attempt is recorded either way).
	 */
	async postEvent(body: unknown, url?: string): Promise<WebhookAnswer> {
		return this.webhooks.send('event', this.target(url, 'eventWebhookUrl'), body);
	}

	/**
	 * Posts one incoming message the way the Global Webhook does, once, to `url` or the configured
	 * incomingWebhookUrl. The answer's `body` is the receiver's instant reply. Same rules as postEvent().
	 */
	async sendIncomingMessage(message: IncomingMessageInput, url?: string): Promise<WebhookAnswer> {
		const to = this.target(url, 'incomingWebhookUrl');
		return this.webhooks.send('incoming', to, incomingPayload(message));
	}

	/**
	 * Clears requests, acceptedPushes, webhookDeliveries and faults; restores the initial balance, id counters and
	 * rate-limit window; cancels every pending webhook post, retry and in-flight webhook request.
	 */
	reset(): void {
		this.webhooks.cancelAll(true);
		for (const list of [this.requests, this.acceptedPushes, this.droppedPushes]) list.length = 0;
		this.pushById.clear();
		this.faults.clear();
		this.account.windows.clear();
		Object.assign(this.account, this.start);
		this.server.seq = 0;
	}

	/**
	 * Stops listening and destroys every open socket (hung ones included), pending delays and drips, and cancels
	 * every webhook timer and request. Idempotent; bound, so it can be passed around.
	 */
	close = (): Promise<void> => {
		this.webhooks.close();
		return this.server.close();
	};
}
