'use strict';
/**
 * The Jest runner of the projects that start real n8n (e2e, ui, queue): Jest's own runner, one test file at a time
 * in the Jest process (each file starts real n8n, and two cores do not run two of those side by side).
 *
 * It also runs the project's setup and teardown (`runnerOptions: { setup, teardown }`), right before and right after
 * that project's own files, instead of Jest's globalSetup/globalTeardown, because in a run of several projects
 * Jest runs every project's global setup before the first test and every teardown after the last:
 *  - the browser suite's n8n servers and the queue suite's Redis and PostgreSQL would run for the whole run, beside
 *    the unit tests and the other suites;
 *  - a global setup that throws ends the whole run before any reporter sees a result, so the unit tests' results
 *    and the summary line were lost with it. Here a setup that throws fails that project's files, with its message;
 *  - a teardown runs after the reporters printed the summary, so its errors would not be the log's last lines.
 *    Here a teardown that throws is one more failed file of its project.
 * Jest runs the runners of a run one after the other (@jest/core's TestScheduler: one runner per runner module and
 * options, `serial` when the runner says `isSerial`): each project's options differ, so each is a runner of its own.
 */
const path = require('path');
const { createScriptTransformer } = require('@jest/transform');
const TestRunner = require('jest-runner').default;

/** A setup or teardown module run as Jest runs global hooks: through the project's transform, with both configs. */
async function runHook(file, globalConfig, projectConfig) {
	const transformer = await createScriptTransformer(projectConfig);
	await transformer.requireAndTranspileModule(file, async (hook) => {
		if (typeof hook !== 'function') throw new TypeError(`${file} must export a function`);
		await hook(globalConfig, projectConfig);
	});
}

class SerialRunner extends TestRunner {
	isSerial = true;

	/** Jest's listeners, kept to report files that never ran (Jest's own runner keeps its emitter private). */
	#listeners = [];

	on(eventName, listener) {
		const off = super.on(eventName, listener);
		const entry = { eventName, listener };
		this.#listeners.push(entry);
		return () => {
			off();
			this.#listeners = this.#listeners.filter((e) => e !== entry);
		};
	}

	async #emit(eventName, payload) {
		for (const e of this.#listeners) if (e.eventName === eventName) await e.listener(payload);
	}

	/** Reports a file as failed with `error` as the reason, the way Jest reports a file that could not run. */
	async #failFile(test, error) {
		await this.#emit('test-file-start', [test]);
		await this.#emit('test-file-failure', [test, { message: error.message, stack: error.stack }]);
	}

	async runTests(tests, watcher, options) {
		const { setup, teardown } = this._options ?? {};
		const projectConfig = tests[0]?.context.config;
		const name = projectConfig?.displayName?.name ?? 'project';
		let setupError;
		try {
			if (setup && tests.length) await runHook(setup, this._globalConfig, projectConfig);
		} catch (error) {
			setupError = new Error(`${name} setup failed: ${error?.message ?? error}`);
			setupError.stack = `${setupError.message}\n${error?.stack ?? ''}`;
		}
		try {
			if (setupError) for (const test of tests) await this.#failFile(test, setupError);
			else await super.runTests(tests, watcher, options);
		} finally {
			// Also after a failed setup: it may have started some of what the teardown stops.
			if (teardown && tests.length) {
				try {
					await runHook(teardown, this._globalConfig, projectConfig);
				} catch (error) {
					const failure = new Error(`${name} teardown failed: ${error?.message ?? error}`);
					await this.#emit('test-file-failure', [tests.at(-1), failure]);
				}
			}
		}
	}
}

/**
 * The settings of a serial project that follow from its folder, test/<name>/: its files (`*.<name>.test.ts`), its
 * global-setup and global-teardown (with the given extension) run by this runner around them, and how long one of
 * its tests may take. Not Jest's globalSetup/globalTeardown: those would run around every project.
 */
SerialRunner.project = (rootDir, name, { hooks, timeoutMs }) => ({
	displayName: name,
	roots: [`<rootDir>/test/${name}`],
	testMatch: [`<rootDir>/test/${name}/**/*.${name}.test.ts`],
	runner: [
		__filename,
		{
			setup: path.join(rootDir, `test/${name}/global-setup.${hooks}`),
			teardown: path.join(rootDir, `test/${name}/global-teardown.${hooks}`),
		},
	],
	globals: { PICKY_TEST_TIMEOUT: timeoutMs },
});

module.exports = SerialRunner;
