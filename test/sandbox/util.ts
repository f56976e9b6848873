/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/** Small helpers shared by the sandbox modules. Only `node:` built-ins. */
import { isIPv4 } from 'node:net';

/** True for 127.0.0.0/8, ::1, ::ffff:127.x.y.z and 'localhost'; false for anything else, non-strings included. */
export function isLoopbackHost(host: unknown): boolean {
	if (typeof host !== 'string') return false;
	const h = host
		.trim()
		.toLowerCase()
		.replace(/^\[(.*)\]$/, '$1');
	if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
	if (isIPv4(h)) return h.split('.')[0] === '127';
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
	return Boolean(mapped && isIPv4(mapped[1]) && mapped[1].split('.')[0] === '127');
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value that carries something: not undefined/null, not a blank string, not an empty array. */
export function isNonEmpty(v: unknown): boolean {
	if (v === undefined || v === null) return false;
	if (typeof v === 'string') return v.trim() !== '';
	if (Array.isArray(v)) return v.length > 0;
	return true;
}

/** `text` parsed as JSON, or `fallback` when it is blank or not JSON. */
export function parseJson(text: string, fallback: unknown): unknown {
	try {
		return text.trim() === '' ? fallback : JSON.parse(text);
	} catch {
		return fallback;
	}
}

/** Hands `log` one line stamped with the time of day of `at`; a broken logger must not break the sandbox. */
export function logLine(log: (line: string) => void, at: number, text: string): void {
	try {
		log(`${new Date(at).toISOString().slice(11, 23)} ${text}`);
	} catch {
		// see above
	}
}

export function errorMessage(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}

/**
 * Every timer the sandbox starts goes through one of these, so close() can stop them all: a hung test
 * runner (or Jest's open-handle check) must never be kept alive by a delayed or dripping answer.
 */
export class Timers {
	private readonly live = new Set<NodeJS.Timeout>();

	/** Runs `fn` once after `ms`; the returned function cancels it (safe to call more than once, or after it ran). */
	after(ms: number, fn: () => void): () => void {
		const t = setTimeout(() => {
			this.live.delete(t);
			fn();
		}, ms);
		this.live.add(t);
		return () => {
			clearTimeout(t);
			this.live.delete(t);
		};
	}

	/** Timers still pending: lets tests check that reset() and close() leave none behind. */
	get size(): number {
		return this.live.size;
	}

	/** Runs `fn` every `ms` until the returned stop function is called (safe to call more than once). */
	every(ms: number, fn: () => void): () => void {
		const t = setInterval(fn, ms);
		this.live.add(t);
		return () => {
			clearInterval(t);
			this.live.delete(t);
		};
	}

	clearAll(): void {
		for (const t of this.live) clearTimeout(t);
		this.live.clear();
	}
}
