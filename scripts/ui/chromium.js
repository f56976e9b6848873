'use strict';
/**
 * Makes sure Debian's Chromium is there for the browser suite: /usr/bin/chromium (or $PICKY_CHROMIUM). If it is
 * missing, `apt-get install -y chromium` (after `apt-get update` when the first try fails), as root — which CI and
 * these machines are. No tool is ever allowed to download a browser of its own.
 *
 *   node scripts/ui/chromium.js     # exit 0 when the browser is there afterwards
 */
const { spawnSync } = require('child_process');
const fs = require('fs');

const CHROMIUM = process.env.PICKY_CHROMIUM || '/usr/bin/chromium';

function aptGet(args) {
	const r = spawnSync('apt-get', args, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	});
	return r.status === 0;
}

/** Returns the browser's path, installing Debian's package if needed; throws when that is impossible. */
function ensureChromium(log = console.log) {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	if (process.env.PICKY_CHROMIUM) throw new Error(`PICKY_CHROMIUM=${CHROMIUM} does not exist`);
	if (typeof process.getuid === 'function' && process.getuid() !== 0)
		throw new Error(
			`${CHROMIUM} is missing: install Debian's chromium (sudo apt-get install -y chromium)`,
		);
	log(`${CHROMIUM} is missing: apt-get install -y chromium (about a minute)`);
	// A machine whose package lists are old or empty needs an update first.
	if (!aptGet(['install', '-y', 'chromium'])) {
		aptGet(['update']);
		aptGet(['install', '-y', 'chromium']);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get did not install ${CHROMIUM}`);
	return CHROMIUM;
}

module.exports = { CHROMIUM, ensureChromium };

if (require.main === module) {
	try {
		console.log(ensureChromium());
	} catch (e) {
		console.error(e.message);
		process.exit(1);
	}
}
