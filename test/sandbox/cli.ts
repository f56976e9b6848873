/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * Runs the local Picky Assist sandbox for dry runs (`npm run sandbox -- [options]`, i.e. `tsx test/sandbox/cli.ts`).
 * Binds to loopback only, posts webhooks to loopback URLs only, and never contacts Picky Assist. Tokens and the
 * query strings of webhook URLs (where a secret lives) are never printed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { loopbackUrl, maskUrl } from './events';
import { isLoopbackHost, startSandbox, type Sandbox } from './index';
import { errorMessage } from './util';

const USAGE = `Usage: npm run sandbox -- [options]    (or: npx tsx test/sandbox/cli.ts [options])

Local Picky Assist-compatible API for dry runs (loopback only, nothing leaves this machine).

Options:
  --port N            port to listen on (default 8866; 0 = random free port)
  --host H            loopback address to bind (default 127.0.0.1; anything else is refused)
  --token T           accepted API token; repeat for several (default: any non-empty token)
  --balance N         starting balance in credits (default 1000)
  --credit C          credit charged per message (default 0.005)
  --rate-limit N|off  push requests allowed per sliding minute (default 90, like Picky Assist), then HTTP 429
  --push-limit N[/S]|off  per token, pushes processed per sliding S seconds (default 60); pushes over it are
                      answered as accepted and dropped, as Picky Assist documents (default off)
  --delivered-after-ms N     ms after a push until its messages are delivered (default 0; before: submitted)
  --read-after-ms N          ms after a push until delivered messages are read (default: never)
  --failure-share S          share 0..1 of messages that fail, by msg_id (0.25: every 4th; default 0)
  --event-webhook-url URL    post delivery-status events here (loopback http URL, e.g. an n8n webhook)
  --incoming-webhook-url URL where POST /__sandbox/incoming posts incoming messages (loopback http URL)
  -q, --quiet         do not print a line per request
  -h, --help          show this help
`;

const DECIMAL = /^\d+(\.\d+)?$/;

function fail(message: string): never {
	process.stderr.write(`sandbox: ${message}\n\n${USAGE}`);
	process.exit(2);
}

interface CliOptions {
	port: number;
	host: string;
	tokens: string[];
	balance: string;
	credit: string;
	/** null = off. The CLI defaults to the documented 90 a minute, startSandbox() to no limit. */
	rateLimit: number | null;
	/** null = off: pushes over it are answered as accepted and dropped. */
	pushLimit: { pushes: number; windowMs: number } | null;
	deliveredAfterMs: number;
	readAfterMs: number | null;
	failureShare: number;
	eventWebhookUrl: string | null;
	incomingWebhookUrl: string | null;
	quiet: boolean;
}

/** A loopback webhook URL from a flag, or null when the flag is not given; refused URLs end the CLI with usage. */
function urlFlag(v: string | undefined, flag: string): string | null {
	if (v === undefined) return null;
	try {
		return loopbackUrl(v, flag);
	} catch (err) {
		return fail(errorMessage(err));
	}
}

const FLAGS = {
	port: { type: 'string', default: '8866' },
	host: { type: 'string', default: '127.0.0.1' },
	token: { type: 'string', multiple: true, default: [] as string[] },
	balance: { type: 'string', default: '1000' },
	credit: { type: 'string', default: '0.005' },
	'rate-limit': { type: 'string', default: '90' },
	'push-limit': { type: 'string', default: 'off' },
	'delivered-after-ms': { type: 'string', default: '0' },
	'read-after-ms': { type: 'string' },
	'failure-share': { type: 'string', default: '0' },
	'event-webhook-url': { type: 'string' },
	'incoming-webhook-url': { type: 'string' },
	quiet: { type: 'boolean', short: 'q', default: false },
	help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

type Flags = ReturnType<typeof parseArgs<{ options: typeof FLAGS }>>['values'];

function parseFlags(argv: string[]): Flags {
	try {
		return parseArgs({ args: argv, strict: true, allowPositionals: false, options: FLAGS }).values;
	} catch (err) {
		return fail(errorMessage(err));
	}
}

/** The account flags; ends the CLI with usage on a bad one. */
function checkAccountFlags(values: Flags): RegExpExecArray | null {
	const { port, balance, credit } = values;
	if (!/^\d+$/.test(port) || Number(port) > 65535) fail(`invalid --port ${JSON.stringify(port)}`);
	if (values.token.some((t) => t === '')) fail('--token must not be empty');
	if (!DECIMAL.test(balance)) fail('invalid --balance (expected a non-negative decimal)');
	if (!DECIMAL.test(credit)) fail('invalid --credit (expected a non-negative decimal)');
	const rate = values['rate-limit'];
	if (rate !== 'off' && !/^\d+$/.test(rate))
		fail(`invalid --rate-limit ${JSON.stringify(rate)} (expected a positive integer or "off")`);
	const limit = /^(\d+)(?:\/(\d+))?$/.exec(values['push-limit']);
	if (values['push-limit'] !== 'off' && (!limit || Number(limit[1]) === 0 || limit[2] === '0'))
		fail(
			`invalid --push-limit ${JSON.stringify(values['push-limit'])} (expected N, N/SECONDS or "off")`,
		);
	return limit;
}

/** The delivery flags; ends the CLI with usage on a bad one. */
function checkDeliveryFlags(values: Flags): void {
	const delivered = values['delivered-after-ms'];
	const read = values['read-after-ms'];
	const share = values['failure-share'];
	if (!/^\d+$/.test(delivered))
		fail(
			`invalid --delivered-after-ms ${JSON.stringify(delivered)} (expected ms, an integer >= 0)`,
		);
	if (read !== undefined && !/^\d+$/.test(read))
		fail(`invalid --read-after-ms ${JSON.stringify(read)} (expected ms, an integer >= 0)`);
	if (!DECIMAL.test(share) || Number(share) > 1)
		fail(`invalid --failure-share ${JSON.stringify(share)} (expected a number from 0 to 1)`);
}

function readOptions(argv: string[]): CliOptions {
	const values = parseFlags(argv);
	if (values.help) {
		process.stdout.write(USAGE);
		process.exit(0);
	}
	const limit = checkAccountFlags(values);
	checkDeliveryFlags(values);
	const rate = values['rate-limit'];
	const read = values['read-after-ms'];
	return {
		port: Number(values.port),
		host: values.host,
		tokens: values.token,
		balance: values.balance,
		credit: values.credit,
		rateLimit: rate === 'off' || rate === '0' ? null : Number(rate),
		pushLimit: limit ? { pushes: Number(limit[1]), windowMs: 1000 * Number(limit[2] ?? 60) } : null,
		deliveredAfterMs: Number(values['delivered-after-ms']),
		readAfterMs: read === undefined ? null : Number(read),
		failureShare: Number(values['failure-share']),
		eventWebhookUrl: urlFlag(values['event-webhook-url'], '--event-webhook-url'),
		incomingWebhookUrl: urlFlag(values['incoming-webhook-url'], '--incoming-webhook-url'),
		quiet: values.quiet,
	};
}

function banner(sandbox: Sandbox, opts: CliOptions): string {
	// The URLs' query strings may hold a webhook secret: masked like tokens.
	const hook = (url: string | null) => (url ? maskUrl(url) : 'off');
	const readText = opts.readAfterMs === null ? 'never read' : `read after ${opts.readAfterMs} ms`;
	const n = opts.tokens.length;
	const tokenText =
		n === 0
			? 'any non-empty token is accepted'
			: `${n} token${n === 1 ? '' : 's'} accepted (not shown)`;
	const rateText = opts.rateLimit ? `${opts.rateLimit} push requests per minute` : 'off';
	const dropText = opts.pushLimit
		? `${opts.pushLimit.pushes} pushes per token per ${opts.pushLimit.windowMs / 1000} s, the rest dropped`
		: 'off';
	return [
		`Picky Assist sandbox listening on ${sandbox.url}`,
		'',
		'Paste one of these as "Custom URL" in the n8n Picky Assist credential:',
		`  ${sandbox.baseUrl('v4')}        (V4 host, like https://app.pickyassist.com/api/v2)`,
		`  ${sandbox.baseUrl('legacy')}    (legacy host, like https://pickyassist.com/app/api/v2)`,
		'',
		`Tokens: ${tokenText}`,
		`Balance: ${sandbox.balance} credits, ${opts.credit} per message; rate limit: ${rateText}`,
		`Account limit: ${dropText}   Dropped pushes: GET ${sandbox.url}/__sandbox/dropped-pushes`,
		`Statuses: delivered after ${opts.deliveredAfterMs} ms, ${readText}, failure share ${opts.failureShare}`,
		`Event webhook: ${hook(opts.eventWebhookUrl)}   Incoming webhook: ${hook(opts.incomingWebhookUrl)}`,
		`State: GET ${sandbox.url}/__sandbox/state   Requests: GET ${sandbox.url}/__sandbox/requests`,
		`Webhook attempts: GET ${sandbox.url}/__sandbox/webhooks`,
		'Nothing is sent to Picky Assist. Press Ctrl+C to stop.',
		'',
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const opts = readOptions(process.argv.slice(2));
	if (!isLoopbackHost(opts.host)) {
		process.stderr.write(
			`sandbox: refusing --host ${JSON.stringify(opts.host)}: the sandbox only binds to a loopback address (127.0.0.1, ::1).\n`,
		);
		process.exit(2);
	}

	let sandbox: Sandbox;
	try {
		sandbox = await startSandbox({
			port: opts.port,
			host: opts.host,
			tokens: opts.tokens,
			balance: opts.balance,
			creditPerMessage: opts.credit,
			rateLimitPerMinute: opts.rateLimit,
			pushLimit: opts.pushLimit,
			deliveredAfterMs: opts.deliveredAfterMs,
			readAfterMs: opts.readAfterMs,
			failureShare: opts.failureShare,
			eventWebhookUrl: opts.eventWebhookUrl,
			incomingWebhookUrl: opts.incomingWebhookUrl,
			log: opts.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
		});
	} catch (err) {
		const code = (err as NodeJS.ErrnoException | undefined)?.code;
		const hint = code === 'EADDRINUSE' ? ` (port ${opts.port} is in use; try --port 0)` : '';
		process.stderr.write(`sandbox: could not start: ${errorMessage(err)}${hint}\n`);
		process.exit(1);
	}
	process.stdout.write(banner(sandbox, opts));

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\nsandbox: ${signal} received, stopping.\n`);
		// close() is quick, but a wedged socket must not keep Ctrl+C from working.
		setTimeout(() => process.exit(0), 2000).unref();
		void sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
