/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code: runs in Node.js and never ships */
/**
 * The browser and queue-mode suites need Debian's chromium, redis-server and postgresql. A test run never installs
 * them: where one is missing the suite is skipped with one line saying what is missing and how to get it, and
 * with PICKY_REQUIRE_ALL_SUITES=1 (CI, which installs them itself) that same gap is a failure instead.
 * Jest is started for real on that project (what `npm run test:ui` / `test:queue` run after the build) with every
 * service pointed at a path that does not exist, and with an `apt-get` and a `sudo` on PATH that only record being
 * called.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const services = require('../tooling/suite-services') as {
	suiteGate(dir: string, env?: NodeJS.ProcessEnv): { skipped: boolean; line: string } | null;
};

const ROOT = path.resolve(__dirname, '..', '..');
const NOWHERE = path.join(os.tmpdir(), 'picky-no-such-program');
const ABSENT = {
	PICKY_CHROMIUM: path.join(NOWHERE, 'chromium'),
	PICKY_REDIS_SERVER: path.join(NOWHERE, 'redis-server'),
	PICKY_POSTGRES_BIN: NOWHERE,
};

let fakeBin: string;
let calls: string;
beforeAll(() => {
	fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-fake-apt-'));
	calls = path.join(fakeBin, 'calls.log');
	// `postgres` makes the folder pass for a PostgreSQL install; it is never run here.
	for (const program of ['apt-get', 'sudo', 'apt', 'postgres']) {
		const file = path.join(fakeBin, program);
		fs.writeFileSync(file, `#!/bin/sh\necho "${program} $*" >> "${calls}"\nexit 0\n`);
		fs.chmodSync(file, 0o755);
	}
});
afterAll(() => fs.rmSync(fakeBin, { recursive: true, force: true }));

/** `jest --selectProjects <dir>` as the npm scripts run it; its output as lines, the summary's last line last. */
function runner(dir: 'ui' | 'queue', extraEnv: NodeJS.ProcessEnv = {}) {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		...ABSENT,
		PATH: `${fakeBin}:${process.env.PATH}`,
	};
	delete env.PICKY_REQUIRE_ALL_SUITES;
	Object.assign(env, extraEnv);
	const jest = require.resolve('jest/bin/jest', { paths: [ROOT] });
	const r = spawnSync(process.execPath, [jest, '--selectProjects', dir], {
		cwd: ROOT,
		env,
		encoding: 'utf8',
		timeout: 50_000,
	});
	return { status: r.status, lines: `${r.stderr}${r.stdout}`.trim().split('\n') };
}

describe('a suite whose services are missing', () => {
	test('the browser suite names the missing Chromium and the command that installs it', () => {
		const gate = services.suiteGate('ui', { PICKY_CHROMIUM: ABSENT.PICKY_CHROMIUM });
		expect(gate).toEqual({
			skipped: true,
			line: expect.stringMatching(/^browser suite skipped: no Chromium at \S+\/chromium — /),
		});
		expect(gate?.line).toContain('`sudo apt-get install chromium`');
		expect(gate?.line).toContain('run in CI');
		expect(gate?.line).not.toContain('\n');
	});

	test('the queue-mode suite names each missing server and one command for all of them', () => {
		const gate = services.suiteGate('queue', ABSENT);
		expect(gate?.skipped).toBe(true);
		expect(gate?.line).toMatch(
			/^queue-mode suite skipped: no redis-server at \S+ and no PostgreSQL/,
		);
		expect(gate?.line).toContain('`sudo apt-get install redis-server postgresql`');
		expect(gate?.line).not.toContain('\n');

		const onlyRedis = services.suiteGate('queue', {
			PICKY_REDIS_SERVER: ABSENT.PICKY_REDIS_SERVER,
			PICKY_POSTGRES_BIN: fakeBin,
		});
		expect(onlyRedis?.line).toMatch(
			/: no redis-server at \S+ — install it with `sudo apt-get install redis-server`/,
		);
	});

	test('PICKY_REQUIRE_ALL_SUITES=1 turns the skip into a failure with the same reason', () => {
		const gate = services.suiteGate('ui', { ...ABSENT, PICKY_REQUIRE_ALL_SUITES: '1' });
		expect(gate?.skipped).toBe(false);
		expect(gate?.line).toMatch(/^browser suite failed: .*PICKY_REQUIRE_ALL_SUITES=1/);
		expect(gate?.line).toContain(`no Chromium at ${ABSENT.PICKY_CHROMIUM}`);
	});

	test('nothing stands in the way when the programs are there', () => {
		// Any existing executable stands in for the browser: the gate only asks whether it is there.
		expect(services.suiteGate('ui', { PICKY_CHROMIUM: process.execPath })).toBeNull();
		const queue = { PICKY_REDIS_SERVER: process.execPath, PICKY_POSTGRES_BIN: fakeBin };
		expect(services.suiteGate('queue', queue)).toBeNull();
		expect(services.suiteGate('e2e', ABSENT)).toBeNull();
	});

	test.each(['ui', 'queue'] as const)(
		'npm run test:%s prints that line above its summary, counts a skipped suite, exits 0 and never calls apt-get',
		(dir) => {
			fs.rmSync(calls, { force: true });
			const { status, lines } = runner(dir);
			expect(lines.slice(-3)).toEqual([
				services.suiteGate(dir, ABSENT)?.line,
				'',
				`0 passed, 0 failed, 1 suite skipped (${dir})`,
			]);
			expect(status).toBe(0);
			expect(fs.existsSync(calls)).toBe(false);
		},
	);

	test.each(['ui', 'queue'] as const)(
		'npm run test:%s with PICKY_REQUIRE_ALL_SUITES=1 fails with that line, still without apt-get',
		(dir) => {
			fs.rmSync(calls, { force: true });
			const { status, lines } = runner(dir, { PICKY_REQUIRE_ALL_SUITES: '1' });
			const gate = services.suiteGate(dir, { ...ABSENT, PICKY_REQUIRE_ALL_SUITES: '1' });
			expect(gate?.line).toMatch(/ suite failed: .*PICKY_REQUIRE_ALL_SUITES=1/);
			expect(lines.slice(-3)).toEqual([
				`  ✕ test/setup/missing-services.test.js: Error: ${gate?.line}`,
				'',
				'0 passed, 1 failed',
			]);
			expect(status).toBe(1);
			expect(fs.existsSync(calls)).toBe(false);
		},
	);
});
