/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/** The tooling's one helper each for free ports, waiting and child processes (test/tooling/{ports,wait,child}.js). */
import { readFileSync } from 'fs';
import * as net from 'net';

import { runProcess, startProcess } from '../tooling/child';
import { freePort, portFree } from '../tooling/ports';
import { waitUntil, WaitTimeout } from '../tooling/wait';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { alive } = require('../tooling/queue-services') as { alive(pid: number): boolean };

describe('ports', () => {
	it('gives a port nothing listens on, and sees one that is taken', async () => {
		const port = await freePort();
		expect(await portFree(port)).toBe(true);
		const server = net.createServer();
		await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
		try {
			expect(await portFree(port)).toBe(false);
		} finally {
			server.close();
		}
	});
	it('hands out ports below the ephemeral range, never the same one twice', async () => {
		const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
		const ports = [];
		for (let i = 0; i < 300; i++) ports.push(await freePort());
		expect(new Set(ports).size).toBe(ports.length);
		for (const port of ports) {
			expect(port).toBeGreaterThanOrEqual(10000);
			expect(port).toBeLessThan(Number(low));
		}
	});
});

describe('waitUntil', () => {
	it("returns the check's first truthy value", async () => {
		let calls = 0;
		expect(await waitUntil(() => ++calls >= 3 && calls, { intervalMs: 1 })).toBe(3);
	});

	it('times out naming what it waited for and what it saw', async () => {
		const wait = waitUntil(() => false, {
			what: 'the moon',
			timeoutMs: 20,
			intervalMs: 5,
			describe: () => 'clouds',
		});
		await expect(wait).rejects.toThrow(/timed out after 20 ms waiting for the moon: clouds/);
		await expect(wait).rejects.toBeInstanceOf(WaitTimeout);
	});

	it('ends at once with the error of a check that throws', async () => {
		const wait = waitUntil(
			() => {
				throw new Error('the process exited');
			},
			{ timeoutMs: 60_000 },
		);
		await expect(wait).rejects.toThrow('the process exited');
		await expect(wait).rejects.not.toBeInstanceOf(WaitTimeout);
	});
});

describe('runProcess', () => {
	it('captures stdout and stderr and the exit code', async () => {
		const r = await runProcess('sh', ['-c', 'echo out; echo err >&2; exit 3']);
		expect(r).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
		expect(r.error).toBeUndefined();
	});

	it('kills a process that outlives its timeout', async () => {
		const r = await runProcess('sleep', ['30'], { timeoutMs: 100 });
		expect(r.signal).toBe('SIGKILL');
		expect(r.ms).toBeLessThan(10_000);
	});

	it('reports a command that cannot start instead of rejecting', async () => {
		const r = await runProcess('/nonexistent/picky-command', []);
		expect(r.code).toBeNull();
		expect(r.error?.message).toMatch(/ENOENT/);
	});
});

describe('startProcess', () => {
	it('waits for a readiness line and stops the whole process group', async () => {
		// The grandchild does not hold the pipes: only a stop of the whole group ends it in time.
		const started = startProcess('sh', [
			'-c',
			'sleep 30 >/dev/null 2>&1 & echo "child $!"; echo ready; wait',
		]);
		await started.waitForLine('ready', 10_000);
		const grandchild = Number(/child (\d+)/.exec(started.lines.join('\n'))![1]);
		expect(alive(grandchild)).toBe(true);
		const exit = await started.stop(5_000);
		expect(exit?.signal).toBe('SIGTERM');
		// A process of the group may linger a moment as a zombie until it is reaped: it is not running.
		await waitUntil(() => !alive(grandchild), { what: 'the grandchild to end', timeoutMs: 5_000 });
	});

	it('stops waiting for a line when the process exits first', async () => {
		const started = startProcess('sh', ['-c', 'echo bye; exit 4']);
		await expect(started.waitForLine('ready', 10_000)).rejects.toThrow(/exited .*code 4/);
	});
});
