#!/usr/bin/env node
'use strict';
/**
 * n8n's own security scan for community packages (@n8n/scan-community-package), run on the package's source
 * and on the tarball `npm pack` makes — the two legs n8n's verification runs. The scanner normally downloads a
 * published package by name; this package is not published, so its exported analyzePackage() is called on the
 * local folders instead. The scanner is installed once into the cache folder outside the repository (it brings
 * its own ESLint and TypeScript, which must not mix with the project's).
 *
 *   node scripts/scan-package.js      # exit 0 when both legs pass
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { cacheDir } = require('../test/tooling/n8n-lines');
const { runSync } = require('../test/tooling/child');
const { PACKAGE_DIR, packPackage } = require('../test/tooling/community-package');

const SCANNER_VERSION = '0.32.0';

/** The scanner's module, installed into the cache on first use. */
async function scanner() {
	const dir = path.join(cacheDir(), `scan-community-package-${SCANNER_VERSION}`);
	const file = path.join(dir, 'node_modules/@n8n/scan-community-package/scanner/scanner.mjs');
	if (!fs.existsSync(file)) {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
		const pkg = `@n8n/scan-community-package@${SCANNER_VERSION}`;
		runSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', pkg], { cwd: dir });
	}
	return import(pathToFileURL(file).href);
}

async function main() {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await scanner();
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picky-scan-'));
	try {
		runSync('tar', ['xzf', packPackage(packDir).tarball], { cwd: packDir });
		for (const [leg, dir, patterns] of [
			['source', PACKAGE_DIR, SOURCE_FILE_PATTERNS],
			['tarball', path.join(packDir, 'package'), undefined],
		]) {
			const result = await analyzePackage(dir, patterns);
			console.log(`${leg}: ${result.passed ? 'passed' : `FAILED — ${result.message}`}`);
			if (!result.passed) {
				process.exitCode = 1;
				if (result.details) console.log(result.details);
			}
		}
	} finally {
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
