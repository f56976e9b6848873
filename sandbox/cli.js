#!/usr/bin/env node
'use strict';

/**
 * Run the local Picky Assist sandbox for dry runs:
 *
 *   node sandbox/cli.js [--port 8866] [--host 127.0.0.1] [--token T]... [--balance N]
 *                       [--credit 0.005] [--rate-limit 90|off] [--quiet]
 *
 * Binds to loopback only and never contacts Picky Assist. Tokens are never printed.
 */

const { startSandbox, isLoopbackHost } = require('./index.js');

const USAGE = `Usage: node sandbox/cli.js [options]

Local Picky Assist-compatible API for dry runs (loopback only, nothing leaves this machine).

Options:
  --port N            port to listen on (default 8866; 0 = random free port)
  --host H            loopback address to bind (default 127.0.0.1; anything else is refused)
  --token T           accepted API token; repeat for several (default: any non-empty token)
  --balance N         starting balance in credits (default 1000)
  --credit C          credit charged per message (default 0.005)
  --rate-limit N|off  push requests allowed per sliding minute (default 90, like Picky Assist)
  --quiet             do not print a line per request
  -h, --help          show this help
`;

function fail(message) {
	process.stderr.write(`sandbox: ${message}\n\n${USAGE}`);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = { port: 8866, host: '127.0.0.1', tokens: [], balance: 1000, credit: '0.005', rateLimit: 90, quiet: false };
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		let value;
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq !== -1) {
			value = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		}
		const next = () => {
			if (value !== undefined) return value;
			if (i + 1 >= argv.length) fail(`${arg} needs a value`);
			return argv[++i];
		};
		switch (arg) {
			case '-h':
			case '--help':
				process.stdout.write(USAGE);
				process.exit(0);
				break;
			case '--port': {
				const v = next();
				const n = Number(v);
				if (!/^\d+$/.test(v) || n > 65535) fail(`invalid --port ${JSON.stringify(v)}`);
				opts.port = n;
				break;
			}
			case '--host':
				opts.host = next();
				break;
			case '--token': {
				const v = next();
				if (v === '') fail('--token must not be empty');
				opts.tokens.push(v);
				break;
			}
			case '--balance': {
				const v = next();
				if (!/^\d+(\.\d+)?$/.test(v)) fail('invalid --balance (expected a non-negative decimal)');
				opts.balance = v;
				break;
			}
			case '--credit': {
				const v = next();
				if (!/^\d+(\.\d+)?$/.test(v)) fail('invalid --credit (expected a non-negative decimal)');
				opts.credit = v;
				break;
			}
			case '--rate-limit': {
				const v = next();
				if (v === 'off' || v === '0') opts.rateLimit = null;
				else if (/^\d+$/.test(v)) opts.rateLimit = Number(v);
				else fail(`invalid --rate-limit ${JSON.stringify(v)} (expected a positive integer or "off")`);
				break;
			}
			case '--quiet':
			case '-q':
				opts.quiet = true;
				break;
			default:
				fail(`unknown option ${JSON.stringify(arg)}`);
		}
	}
	return opts;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	if (!isLoopbackHost(opts.host)) {
		process.stderr.write(
			`sandbox: refusing --host ${JSON.stringify(opts.host)}: the sandbox only binds to a loopback address (127.0.0.1, ::1).\n`,
		);
		process.exit(2);
	}

	let sandbox;
	try {
		sandbox = await startSandbox({
			port: opts.port,
			host: opts.host,
			tokens: opts.tokens,
			balance: opts.balance,
			creditPerMessage: opts.credit,
			rateLimitPerMinute: opts.rateLimit,
			log: opts.quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
		});
	} catch (err) {
		const hint = err && err.code === 'EADDRINUSE' ? ` (port ${opts.port} is in use; try --port 0)` : '';
		process.stderr.write(`sandbox: could not start: ${(err && err.message) || err}${hint}\n`);
		process.exit(1);
	}

	const tokenText =
		opts.tokens.length === 0
			? 'any non-empty token is accepted'
			: `${opts.tokens.length} token${opts.tokens.length === 1 ? '' : 's'} accepted (not shown)`;
	const rateText = opts.rateLimit ? `${opts.rateLimit} push requests per minute` : 'off';
	process.stdout.write(
		[
			`Picky Assist sandbox listening on ${sandbox.url}`,
			'',
			'Paste one of these as "Custom URL" in the n8n Picky Assist credential:',
			`  ${sandbox.baseUrl('v4')}        (V4 host, like https://app.pickyassist.com/api/v2)`,
			`  ${sandbox.baseUrl('legacy')}    (legacy host, like https://pickyassist.com/app/api/v2)`,
			'',
			`Tokens: ${tokenText}`,
			`Balance: ${sandbox.balance} credits, ${opts.credit} per message; rate limit: ${rateText}`,
			`State: GET ${sandbox.url}/__sandbox/state   Requests: GET ${sandbox.url}/__sandbox/requests`,
			'Nothing is sent to Picky Assist. Press Ctrl+C to stop.',
			'',
			'',
		].join('\n'),
	);

	let stopping = false;
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\nsandbox: ${signal} received, stopping.\n`);
		const force = setTimeout(() => process.exit(0), 2000);
		force.unref();
		sandbox.close().then(() => process.exit(0));
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main();
