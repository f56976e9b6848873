'use strict';
/** Waiting in the tooling: a pause, and polling a check until it holds or its deadline passes. */
const { setTimeout: sleep } = require('node:timers/promises');

/** The error of a wait whose deadline passed (a caller may want to report what it found instead). */
class WaitTimeout extends Error {}

/**
 * Calls `check` every `intervalMs` until it gives a truthy value, and returns that value. After `timeoutMs` it
 * throws "timed out after … waiting for <what>", followed by what `describe()` says (e.g. what was seen last).
 * A check that throws ends the wait with its error (e.g. the process waited for has exited).
 * @template T
 * @param {() => T | Promise<T>} check
 * @param {{ what?: string, timeoutMs?: number, intervalMs?: number, describe?: () => string | Promise<string> }} [options]
 * @returns {Promise<NonNullable<T>>}
 */
async function waitUntil(check, options = {}) {
	const { what = 'a condition', timeoutMs = 30_000, intervalMs = 250, describe } = options;
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) {
			const seen = describe ? `: ${await describe()}` : '';
			throw new WaitTimeout(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
		}
		await sleep(intervalMs);
	}
}

module.exports = { sleep, waitUntil, WaitTimeout };
