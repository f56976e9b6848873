'use strict';
/** Teardown of the e2e project (test/setup/serial-runner.js): removes the temp folder holding the packed tarball (see global-setup.js). */
const fs = require('fs');

module.exports = async function globalTeardown() {
	const file = process.env.PICKY_E2E_STATE;
	if (!file || !fs.existsSync(file)) return;
	const { packDir } = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (packDir && /picky-e2e-pack-/.test(packDir))
		fs.rmSync(packDir, { recursive: true, force: true });
};
