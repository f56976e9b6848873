'use strict';
/**
 * Command-line parsing for the scripts: node:util's parseArgs plus what every script wants on top of it.
 * - `-h` / `--help` prints the script's leading block comment, so the help text and the documentation at the top
 *   of the file are the same text and cannot drift apart.
 * - A wrong argument prints one line naming it and exits with 2 (usage error) instead of a stack trace.
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

/** The first block comment of a file, as written (the scripts document their usage there). */
function helpText(file) {
	const match = /\/\*\*[\s\S]*?\*\//.exec(fs.readFileSync(file, 'utf8'));
	return match ? match[0] : `${path.basename(file)}: no help text`;
}

/** Ends the script over a wrong argument: one line that names it, exit code 2. */
function usageError(script, message) {
	console.error(`${path.basename(script)}: ${message} (see --help)`);
	process.exit(2);
}

/**
 * parseArgs({ options, ...config }) on the process arguments, with `--help` added. `script` is the caller's
 * __filename (for the help text and error messages). Returns parseArgs' result ({ values, positionals, tokens }).
 */
function parseCommandLine(script, options, config = {}) {
	let parsed;
	try {
		const all = { help: { type: 'boolean', short: 'h' }, ...options };
		parsed = parseArgs({ args: process.argv.slice(2), ...config, options: all });
	} catch (error) {
		usageError(script, error.message);
	}
	if (parsed.values.help) {
		console.log(helpText(script));
		process.exit(0);
	}
	return parsed;
}

/** "1000,10k" → [1000, 10000]: the row-count and line lists of the bench and installer options. */
function numberList(text) {
	return String(text)
		.split(',')
		.map((part) => Number(part.trim().replace(/k$/i, '000')));
}

module.exports = { parseCommandLine, usageError, helpText, numberList };
