/**
 * The public shapes of the sandbox: its options, the settings configure() changes, and the Sandbox object
 * startSandbox() returns. Every option is documented here or in the interface it comes from (delivery.ts for
 * delivery statuses, webhooks.ts for webhooks).
 */
import type { AcceptedPush, ApiHost, DroppedPush, RecordedRequest } from './api';
import type { PushLimit } from './config';
import type { DeliveryConfig } from './delivery';
import type { Fault } from './faults';
import type {
	IncomingMessageInput,
	WebhookAnswer,
	WebhookConfig,
	WebhookDelivery,
} from './webhooks';

/**
 * Settings that can be changed live with configure() (or POST /__sandbox/config, except `log`). The delivery and
 * webhook settings (see DeliveryConfig, WebhookConfig) apply to pushes accepted after they are set.
 */
export interface SandboxConfig extends DeliveryConfig, WebhookConfig {
	/** Accepted tokens. Omitted or empty: ANY non-empty string token is accepted. */
	tokens?: string[];
	/** Current balance in credits (number or decimal string). Default 1000. */
	balance?: number | string;
	/** Credit charged per row, echoed as `credit` in each push data[] entry. Default "0.005". */
	creditPerMessage?: string | number;
	/** Push requests allowed in any sliding 60 s window; null / 0 / "off" = no limit (the default). */
	rateLimitPerMinute?: number | null | 'off';
	/**
	 * Picky Assist's account limit, per token: a count per sliding 60 s, or `{pushes, windowMs}`. A push over it is
	 * answered exactly like an accepted one (`status: 100`, push_id, msg_ids) and dropped: never delivered, no
	 * events, no delivery report, no balance spent; it is listed in `droppedPushes`. null / 0 / "off" (the default):
	 * no such limit.
	 */
	pushLimit?: number | { pushes: number; windowMs?: number } | null | 'off';
	/** Called with one short line per recorded request and per webhook attempt (token and URL query masked). */
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
	/**
	 * Clock (ms epoch) of the rate limiter, of acceptedAt and of the delivery statuses. Default Date.now. Lets tests
	 * move time forward. Webhook timers run on real time whatever the clock.
	 */
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
	/** The `/media/…` paths (with their query) fetched from the sandbox, in order (see media.ts). */
	readonly mediaRequests: string[];
	/** Only the requests whose endpoint is 'push'. */
	pushes(): RecordedRequest[];
	/** Pushes accepted (status 100), including 'reset' / doctored ones. Cleared in place by reset(). */
	readonly acceptedPushes: AcceptedPush[];
	/** Pushes answered as accepted but dropped over `pushLimit`, in order. Cleared in place by reset(). */
	readonly droppedPushes: DroppedPush[];
	/** How many pushes were dropped over `pushLimit`: of this token, or of all tokens. */
	droppedCount(token?: string): number;
	/** The account limit in force (null: off). */
	readonly pushLimit: PushLimit | null;
	/** Every webhook attempt (scheduled events, retries, and posts on demand), in order. Cleared in place by reset(). */
	readonly webhookDeliveries: WebhookDelivery[];
	/** Webhook timers and requests still pending (0 when nothing more will be posted). */
	readonly pendingWebhooks: number;
	/** Current balance in credits. */
	readonly balance: number;
	/** Change settings live; validates everything first, so an invalid call changes nothing. */
	configure(options: SandboxConfig): void;
	/** Queue a fault (FIFO per endpoint; `times` repeats it). Throws on an invalid fault. */
	addFault(fault: Fault): void;
	/** Permanent fault for its endpoint (replaces a previous one), until clearFaults(); queued faults go first. */
	setFault(fault: Fault): void;
	clearFaults(): void;
	/**
	 * Posts any payload once (no retry) to `url` (loopback only) or the configured eventWebhookUrl: a string is sent
	 * verbatim, anything else as JSON. Resolves with the receiver's answer whatever its status; rejects when the URL
	 * is refused or missing, or with a WebhookSendError when no answer came (the attempt is recorded either way).
	 */
	postEvent(body: unknown, url?: string): Promise<WebhookAnswer>;
	/**
	 * Posts one incoming message the way the Global Webhook does, once, to `url` or the configured
	 * incomingWebhookUrl. The answer's `body` is the receiver's instant reply. Same rules as postEvent().
	 */
	sendIncomingMessage(message: IncomingMessageInput, url?: string): Promise<WebhookAnswer>;
	/**
	 * Clears requests, acceptedPushes, webhookDeliveries and faults; restores the initial balance, id counters and
	 * rate-limit window; cancels every pending webhook post, retry and in-flight webhook request.
	 */
	reset(): void;
	/**
	 * Stops listening and destroys every open socket (hung ones included), pending delays and drips, and cancels
	 * every webhook timer and request. Idempotent.
	 */
	close(): Promise<void>;
}
