/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * Runs the local Picky Assist sandbox for dry runs (`npm run sandbox -- [options]`, i.e. `tsx test/sandbox/cli.ts`).
 * Tokens and the query strings of webhook URLs (where a secret lives) are never printed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { readConfig } from './config';
import { isLoopbackHost, startSandbox, type Sandbox, type SandboxOptions } from './index';
import { errorMessage } from './util';
import { maskUrl } from './webhooks';

const USAGE = `Usage: npm run sandbox -- [options]   (a local Picky Assist API; nothing leaves this machine)
  --port N (8866; 0 = any free port)   --host H (127.0.0.1; loopback only)   --token T (repeatable; default: any)
  --balance N (1000)   --credit C (0.005 per message)   --rate-limit N|off (90 pushes a minute, then HTTP 429)
  --delivered-after-ms N (0)   --read-after-ms N (never)   --failure-share 0..1 (0)
  --event-webhook-url URL   --incoming-webhook-url URL   (loopback http URLs)   -q, --quiet   -h, --help
`;

/** A number when the text is one; otherwise the text, for the sandbox's own check to refuse. */
const num = (v: string) => (/^\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/** The string flags: the startSandbox() option each sets, how, and the default. */
const SETTINGS: Record<string, [keyof SandboxOptions, (v: string) => unknown, string?]> = {
	port: ['port', Number, '8866'],
	host: ['host', String, '127.0.0.1'],
	balance: ['balance', String, '1000'],
	credit: ['creditPerMessage', String, '0.005'],
	'rate-limit': ['rateLimitPerMinute', (v) => (v === 'off' ? null : num(v)), '90'],
	'delivered-after-ms': ['deliveredAfterMs', num, '0'],
	'read-after-ms': ['readAfterMs', num],
	'failure-share': ['failureShare', num, '0'],
	'event-webhook-url': ['eventWebhookUrl', String],
	'incoming-webhook-url': ['incomingWebhookUrl', String],
};

function fail(message: string): never {
	process.stderr.write(`sandbox: ${message}\n\n${USAGE}`);
	process.exit(2);
}

/** The options from the command line; a bad flag ends the CLI with its name and the usage. */
function readOptions(argv: string[]): SandboxOptions {
	const options: ParseArgsConfig['options'] = {
		token: { type: 'string', multiple: true, default: [] },
		quiet: { type: 'boolean', short: 'q', default: false },
		help: { type: 'boolean', short: 'h', default: false },
	};
	for (const [flag, [, , fallback]] of Object.entries(SETTINGS))
		options[flag] = { type: 'string', default: fallback };
	let values: Record<string, unknown>;
	try {
		values = parseArgs({ args: argv, options }).values;
	} catch (err) {
		return fail(errorMessage(err));
	}
	if (values.help) {
		process.stdout.write(USAGE);
		process.exit(0);
	}
	const tokens = values.token as string[];
	if (tokens.includes('')) fail('--token must not be empty');
	const opts: SandboxOptions = { tokens };
	for (const [flag, [key, parse]] of Object.entries(SETTINGS)) {
		const text = values[flag] as string | undefined;
		if (text !== undefined) Object.assign(opts, { [key]: parse(text) });
	}
	if (!/^\d+$/.test(String(values.port)) || opts.port! > 65535)
		fail(`invalid --port ${JSON.stringify(values.port)}`);
	if (!isLoopbackHost(opts.host))
		fail(
			`refusing --host ${JSON.stringify(opts.host)}: the sandbox only binds to a loopback address (127.0.0.1, ::1).`,
		);
	// The sandbox's own checks, one flag at a time, so the error can name it.
	for (const [flag, [key]] of Object.entries(SETTINGS)) {
		try {
			if (key in opts) readConfig({ [key]: opts[key] });
		} catch (err) {
			fail(
				/url/.test(flag)
					? errorMessage(err).replace(key, `--${flag}`)
					: `invalid --${flag} ${JSON.stringify(values[flag])}`,
			);
		}
	}
	if (!values.quiet) opts.log = (line) => process.stdout.write(`${line}\n`);
	return opts;
}

function banner(sandbox: Sandbox, opts: SandboxOptions): string {
	const n = opts.tokens!.length;
	const tokens =
		n === 0
			? 'any non-empty token is accepted'
			: `${n} token${n === 1 ? '' : 's'} accepted (not shown)`;
	const rate = opts.rateLimitPerMinute
		? `${opts.rateLimitPerMinute} push requests per minute`
		: 'off';
	const read =
		typeof opts.readAfterMs === 'number' ? `read after ${opts.readAfterMs} ms` : 'never read';
	// The URLs' query strings may hold a webhook secret: masked like tokens.
	const hook = (url: string | null | undefined) => (url ? maskUrl(url) : 'off');
	return `Picky Assist sandbox listening on ${sandbox.url}

Paste one of these as "Custom URL" in the n8n Picky Assist credential:
  ${sandbox.baseUrl('v4')}        (V4 host)
  ${sandbox.baseUrl('legacy')}    (legacy host)

Tokens: ${tokens}
Balance: ${sandbox.balance} credits, ${opts.creditPerMessage} per message; rate limit: ${rate}
Statuses: delivered after ${opts.deliveredAfterMs} ms, ${read}, failure share ${opts.failureShare}
Event webhook: ${hook(opts.eventWebhookUrl)}   Incoming webhook: ${hook(opts.incomingWebhookUrl)}
Control API (state, requests, webhooks, faults): ${sandbox.url}/__sandbox/…, see test/sandbox/README.md
Nothing is sent to Picky Assist. Press Ctrl+C to stop.

`;
}

async function main(): Promise<void> {
	const opts = readOptions(process.argv.slice(2));
	let sandbox: Sandbox;
	try {
		sandbox = await startSandbox(opts);
	} catch (err) {
		const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
		const hint = inUse ? ` (port ${opts.port} is in use; try --port 0)` : '';
		process.stderr.write(`sandbox: could not start: ${errorMessage(err)}${hint}\n`);
		process.exit(1);
	}
	process.stdout.write(banner(sandbox, opts));
	const stop = (signal: NodeJS.Signals) => {
		process.stdout.write(`\nsandbox: ${signal} received, stopping.\n`);
		// close() is quick, but a wedged socket must not keep Ctrl+C from working.
		setTimeout(() => process.exit(0), 2000).unref();
		void sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

void main();
