'use strict';
/**
 * Child processes of the tooling. runProcess: one command run to its end, its output captured (or shown, or
 * written to files); runSync: the same, blocking, for short steps that must succeed. startProcess: a server (n8n,
 * Redis) in its own process group, its output kept by line, and stopped with everything it started: SIGTERM to the
 * group, SIGKILL after a grace period.
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const readline = require('readline');
const { sleep, waitUntil } = require('./wait');

/**
 * Runs `cmd args` to its end; never rejects. `stdio`: 'pipe' (default: stdout and stderr captured), 'inherit', or
 * spawn's own array (e.g. file descriptors). After `timeoutMs` the process is killed with SIGKILL. Resolves with
 * `{ code, signal, stdout, stderr, ms, error }`; `error` is set (and `code` null) when it could not be started.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, stdio?: 'pipe' | 'inherit' | any[], onStart?: (pid: number | undefined) => void }} [options]
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, ms: number, error?: Error }>}
 */
function runProcess(cmd, args, { cwd, env, timeoutMs, stdio = 'pipe', onStart } = {}) {
	return new Promise((resolve) => {
		const started = Date.now();
		const pipe = stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : stdio;
		const child = spawn(cmd, args, {
			cwd,
			env,
			stdio: pipe,
			timeout: timeoutMs,
			killSignal: 'SIGKILL',
		});
		onStart?.(child.pid);
		const out = { stdout: '', stderr: '' };
		child.stdout?.on('data', (d) => (out.stdout += d));
		child.stderr?.on('data', (d) => (out.stderr += d));
		const finish = (code, signal, error) =>
			resolve({ code, signal, ...out, ms: Date.now() - started, error });
		child.once('error', (error) => finish(null, null, error));
		child.once('close', (code, signal) => finish(code, signal));
	});
}

/** Runs `cmd args` to its end, blocking; returns its stdout, throws with its output when it fails. */
function runSync(cmd, args, options = {}) {
	const r = spawnSync(cmd, args, { encoding: 'utf8', ...options });
	if (r.status !== 0)
		throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
	return r.stdout;
}

/** Whether a process with this pid is running (a zombie waiting to be reaped is not). */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch (e) {
		return e.code === 'ENOENT'; // no /proc: trust kill(0)
	}
}

/** A process started by startProcess, in its own process group. */
class StartedProcess {
	constructor(cmd, args, { cwd, env, onLine } = {}) {
		this.cmd = cmd;
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		this.pid = child.pid;
		/** What it wrote so far, stdout and stderr, by line. @type {string[]} */
		this.lines = [];
		for (const stream of [child.stdout, child.stderr])
			readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
				this.lines.push(line);
				onLine?.(line);
			});
		/** How it ended, once it has (else undefined). @type {{ code: number | null, signal: NodeJS.Signals | null, error?: Error } | undefined} */
		this.exited = undefined;
		/** Resolves once it has ended and closed its output. */
		this.closed = new Promise((resolve) => {
			child.once('error', (error) => resolve((this.exited = { code: null, signal: null, error })));
			child.once('close', (code, signal) => resolve((this.exited ??= { code, signal })));
		});
	}

	/** Sends `signal` to the whole group; false when the group is gone (signal 0: whether any of it is alive). */
	signalGroup(signal) {
		try {
			return this.pid !== undefined && process.kill(-this.pid, signal);
		} catch {
			return false;
		}
	}

	/** Throws when the process has exited, naming `what` it was doing. */
	assertRunning(what) {
		const e = this.exited;
		if (e)
			throw new Error(
				`${this.cmd} exited while ${what} (code ${e.code}, signal ${e.signal})${e.error ? `: ${e.error.message}` : ''}`,
			);
	}

	/** Resolves once a line containing `text` was written; throws when the process exits first or in time. */
	waitForLine(text, timeoutMs) {
		return waitUntil(
			() => {
				this.assertRunning(`waiting for "${text}"`);
				return this.lines.some((line) => line.includes(text));
			},
			{ what: `"${text}" in the output of ${this.cmd}`, timeoutMs, intervalMs: 100 },
		);
	}

	/** SIGTERM to the group, SIGKILL after `graceMs`; then whatever the process left in its group. Idempotent. */
	async stop(graceMs = 15_000) {
		if (!this.exited) {
			this.signalGroup('SIGTERM');
			const killer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
			await this.closed;
			clearTimeout(killer);
		}
		if (this.signalGroup('SIGTERM')) {
			await sleep(500);
			this.signalGroup('SIGKILL');
		}
		return this.exited;
	}
}

/**
 * Starts `cmd args` in its own process group (so a process it starts is stopped with it); stdout and stderr are
 * kept by line (`lines`) and passed to `onLine`.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, onLine?: (line: string) => void }} [options]
 */
const startProcess = (cmd, args, options) => new StartedProcess(cmd, args, options);

module.exports = { alive, runProcess, runSync, startProcess };
