/**
 * Option checks shared by startSandbox() and configure(): each returns the internal form or throws, and
 * readConfig() checks every key of a call before anything is applied, so a bad call changes nothing.
 */
import { normalisePushLimit } from './account-limit';
import type { ApiState, Credit } from './api';
import { DECIMAL_RE, formatNano, toNano } from './decimal';
import { readDeliveryConfig, type DeliverySettings } from './delivery';
import { readWebhookConfig, type WebhookSettings } from './events';
import type { SandboxConfig } from './types';
import { isPlainObject } from './util';

export function normaliseRateLimit(v: unknown): number | null {
	if (v === undefined || v === null || v === 0 || v === false || v === 'off') return null;
	const n = typeof v === 'string' ? Number(v) : v;
	if (!(typeof n === 'number' && Number.isInteger(n) && n > 0)) {
		throw new RangeError('rateLimitPerMinute must be a positive integer, 0, null or "off"');
	}
	return n;
}

export function normaliseTokens(v: unknown): string[] {
	if (v === undefined || v === null) return [];
	if (!Array.isArray(v) || !v.every((t) => typeof t === 'string'))
		throw new TypeError('tokens must be an array of strings');
	return v.filter((t) => t !== '');
}

export function normaliseCredit(v: unknown): Credit {
	const nano = toNano(v, 'creditPerMessage');
	return {
		nano,
		text: typeof v === 'string' && DECIMAL_RE.test(v.trim()) ? v.trim() : formatNano(nano),
	};
}

export function startId(value: unknown, fallback: number, name: string): number {
	const v = value === undefined ? fallback : value;
	if (!Number.isSafeInteger(v) || (v as number) < 0)
		throw new RangeError(`${name} must be a safe integer >= 0`);
	return v as number;
}

/** A configure() call, checked in full: the parts to merge into each piece of state. */
export interface CheckedConfig {
	api: Partial<ApiState>;
	delivery: Partial<DeliverySettings>;
	webhooks: Partial<WebhookSettings>;
	/** Present when the call sets `log` (to a function or undefined). */
	log?: { value: ((line: string) => void) | undefined };
}

export function readConfig(partial: SandboxConfig): CheckedConfig {
	if (!isPlainObject(partial as unknown)) throw new TypeError('configure() expects an object');
	const api: Partial<ApiState> = {};
	if ('tokens' in partial) api.tokens = normaliseTokens(partial.tokens);
	if ('balance' in partial) api.balance = toNano(partial.balance, 'balance');
	if ('creditPerMessage' in partial) api.credit = normaliseCredit(partial.creditPerMessage);
	if ('rateLimitPerMinute' in partial)
		api.rateLimit = normaliseRateLimit(partial.rateLimitPerMinute);
	if ('pushLimit' in partial) api.pushLimit = normalisePushLimit(partial.pushLimit);
	const checked: CheckedConfig = {
		api,
		delivery: readDeliveryConfig(partial),
		webhooks: readWebhookConfig(partial),
	};
	if ('log' in partial) {
		if (partial.log !== undefined && typeof partial.log !== 'function')
			throw new TypeError('log must be a function');
		checked.log = { value: partial.log };
	}
	return checked;
}
