/**
 * The sandbox's options and their checks, shared by startSandbox() and configure(): readConfig() checks every key
 * of a call before anything is applied, so a bad call changes nothing. Every option is documented here or in the
 * interface it comes from (delivery.ts for delivery statuses, webhooks.ts for webhooks). Also the exact amounts:
 * balances and credits are BigInt nano-credits (9 decimals), so that 0.3 - 3 × 0.1 is exactly 0, as a real ledger
 * would say, never 5.55e-17.
 */
import type { DeliveryConfig, EventStep } from './delivery';
import { isLoopbackHost, isPlainObject } from './util';
import type { WebhookConfig } from './webhooks';

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
}

const SCALE_DIGITS = 9;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const DECIMAL_RE = /^(\d+)(?:\.(\d+))?$/;

/** Reads a non-negative amount given as a number or a decimal string. `name` is used in the error messages. */
export function toNano(value: unknown, name: string): bigint {
	if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0 && value < 1e21))
		throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
	if (!['number', 'string', 'bigint'].includes(typeof value))
		throw new TypeError(`${name} must be a number or a decimal string`);
	const s = typeof value === 'number' ? value.toFixed(SCALE_DIGITS) : String(value).trim();
	const m = DECIMAL_RE.exec(s);
	if (!m)
		throw new RangeError(
			`${name} must be a non-negative decimal, got ${JSON.stringify(String(value))}`,
		);
	const frac = (m[2] || '').replace(/0+$/, '');
	if (frac.length > SCALE_DIGITS)
		throw new RangeError(`${name} has more than ${SCALE_DIGITS} decimals`);
	return BigInt(m[1]) * SCALE + BigInt(frac.padEnd(SCALE_DIGITS, '0'));
}

/** The shortest decimal text of an amount: 1000, 999.985, 0. */
export function formatNano(n: bigint): string {
	const frac = (n % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
	return frac ? `${n / SCALE}.${frac}` : `${n / SCALE}`;
}

export interface Credit {
	nano: bigint;
	/** As configured when it was given as a decimal string ("0.0050" stays "0.0050"), so the answer echoes it. */
	text: string;
}

export interface PushLimit {
	/** Pushes processed per token in any sliding window. */
	pushes: number;
	/** The window in ms. Default 60000. */
	windowMs: number;
}

const isOff = (v: unknown) =>
	v === undefined || v === null || v === 0 || v === false || v === 'off';
const positive = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0;

/** A non-negative finite number of milliseconds, or throws naming the option. */
function checkMs(v: unknown, name: string): number {
	if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
		throw new RangeError(`${name} must be a number of ms >= 0`);
	return v;
}

/**
 * A loopback http URL as a string, or throws. The error names the host only: the URL may carry a secret.
 * Credentials in the URL are refused too: Picky Assist has no way to send them either.
 */
export function loopbackUrl(v: unknown, name: string): string {
	if (typeof v !== 'string' || v.trim() === '') throw new TypeError(`${name} must be a URL string`);
	if (!URL.canParse(v.trim())) throw new TypeError(`${name} is not a valid URL`);
	const url = new URL(v.trim());
	if (url.protocol !== 'http:')
		throw new RangeError(`${name} must be an http:// URL (got ${url.protocol})`);
	if (!isLoopbackHost(url.hostname))
		throw new RangeError(
			`refusing ${name} on host ${JSON.stringify(url.hostname)}: the sandbox only posts to loopback addresses (127.0.0.1, ::1, localhost)`,
		);
	if (url.username || url.password)
		throw new RangeError(`${name} must not carry a user name or password`);
	return url.href;
}

const urlOrNull = (v: unknown, name: string) =>
	v === undefined || v === null || v === '' ? null : loopbackUrl(v, name);

function eventDelays(v: unknown): Partial<Record<EventStep, number>> {
	const delays: Partial<Record<EventStep, number>> = {};
	if (v === undefined || v === null) return delays;
	if (!isPlainObject(v))
		throw new TypeError('eventDelaysMs must be an object like { submitted, delivered, read }');
	for (const [step, ms] of Object.entries(v)) {
		if (step !== 'submitted' && step !== 'delivered' && step !== 'read')
			throw new RangeError(
				`eventDelaysMs: unknown step ${JSON.stringify(step)} (submitted, delivered, read)`,
			);
		if (ms !== undefined && ms !== null) delays[step] = checkMs(ms, `eventDelaysMs.${step}`);
	}
	return delays;
}

/**
 * How each setting is read, given or not: its checked, internal form, or its default when it is left out (or set to
 * undefined). `satisfies` keeps each reader's own result type, which is what Settings is made of.
 */
const READERS = {
	tokens: (v): string[] => {
		if (v === undefined || v === null) return [];
		if (!Array.isArray(v) || !v.every((t) => typeof t === 'string'))
			throw new TypeError('tokens must be an array of strings');
		return v.filter((t) => t !== '');
	},
	balance: (v = 1000) => toNano(v, 'balance'),
	creditPerMessage: (v = '0.005'): Credit => {
		const nano = toNano(v, 'creditPerMessage');
		return {
			nano,
			text: typeof v === 'string' && DECIMAL_RE.test(v.trim()) ? v.trim() : formatNano(nano),
		};
	},
	rateLimitPerMinute: (v): number | null => {
		if (isOff(v)) return null;
		const n = typeof v === 'string' ? Number(v) : v;
		if (!positive(n))
			throw new RangeError('rateLimitPerMinute must be a positive integer, 0, null or "off"');
		return n;
	},
	pushLimit: (v): PushLimit | null => {
		if (isOff(v)) return null;
		if (positive(v)) return { pushes: v, windowMs: 60_000 };
		const { pushes, windowMs = 60_000, ...rest } = isPlainObject(v) ? v : { pushes: 0 };
		if (Object.keys(rest).length > 0 || !positive(pushes) || !positive(windowMs))
			throw new RangeError(
				'pushLimit must be a positive integer, {pushes, windowMs?} with positive integers, 0, null or "off"',
			);
		return { pushes, windowMs };
	},
	deliveredAfterMs: (v) => (v === undefined ? 0 : checkMs(v, 'deliveredAfterMs')),
	readAfterMs: (v): number | null =>
		v === undefined || v === null ? null : checkMs(v, 'readAfterMs'),
	failureShare: (v = 0) => {
		if (typeof v !== 'number' || !(v >= 0 && v <= 1))
			throw new RangeError('failureShare must be a number from 0 to 1');
		return v;
	},
	eventWebhookUrl: (v): string | null => urlOrNull(v, 'eventWebhookUrl'),
	incomingWebhookUrl: (v): string | null => urlOrNull(v, 'incomingWebhookUrl'),
	eventDelaysMs: eventDelays,
	eventRetryDelaysMs: (v: unknown = [200, 1000]) => {
		if (!Array.isArray(v) || v.length > 20)
			throw new TypeError('eventRetryDelaysMs must be an array of at most 20 delays');
		return v.map((ms, i) => checkMs(ms, `eventRetryDelaysMs[${i}]`));
	},
	webhookTimeoutMs: (v = 5000) => {
		const ms = checkMs(v, 'webhookTimeoutMs');
		if (ms === 0) throw new RangeError('webhookTimeoutMs must be > 0');
		return ms;
	},
	log: (v) => {
		if (v !== undefined && typeof v !== 'function') throw new TypeError('log must be a function');
		return v as ((line: string) => void) | undefined;
	},
} satisfies Record<keyof SandboxConfig, (v: unknown) => unknown>;

/** The settings in force, checked, in their internal form. */
export type Settings = { [K in keyof typeof READERS]: ReturnType<(typeof READERS)[K]> };

/**
 * The keys of `partial` that are settings, checked in full; other keys (startSandbox()'s own options) are ignored.
 * With `all`, the settings left out get their defaults.
 */
export function readConfig(partial: SandboxConfig, all = false): Partial<Settings> {
	if (!isPlainObject(partial as unknown)) throw new TypeError('configure() expects an object');
	const out: Record<string, unknown> = {};
	for (const [key, read] of Object.entries(READERS) as Array<
		[keyof SandboxConfig, (v: unknown) => unknown]
	>)
		if (all || key in partial) out[key] = read(partial[key]);
	return out;
}
