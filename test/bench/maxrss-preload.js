'use strict';
// Preloaded (`node --require`) into the benchmarked n8n process. Adds no work while the workflow runs.
// - $BENCH_MAXRSS_FILE: on exit, the process's exact peak RSS (getrusage maxRSS, kB) is written there.
// - $BENCH_CLOCK_FILE: at start, {epochMs, monoUs} is written there, so that a --cpu-prof profile (monotonic µs)
//   can be lined up with the epoch times in n8n's run data (test/bench/profile.js).
const fs = require('fs');
const file = process.env.BENCH_MAXRSS_FILE;
if (file) {
	process.on('exit', () => {
		try {
			fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
		} catch {
			/* best effort */
		}
	});
}
const clockFile = process.env.BENCH_CLOCK_FILE;
if (clockFile) {
	const epochMs = Date.now();
	const monoUs = Number(process.hrtime.bigint() / 1000n);
	fs.writeFileSync(clockFile, JSON.stringify({ epochMs, monoUs }));
}
