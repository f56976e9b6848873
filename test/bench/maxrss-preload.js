'use strict';
// Preloaded (`node --require`) into the benchmarked n8n process; adds no work while the workflow runs.
// - $BENCH_MAXRSS_FILE: on exit, the process's exact peak RSS (getrusage maxRSS, kB) is written there.
// - $BENCH_CLOCK_FILE: at start, {epochMs, monoUs} is written there, so that a --cpu-prof profile (monotonic µs)
//   can be lined up with the epoch times in n8n's run data (test/bench/profile.js).
const fs = require('fs');
const { BENCH_MAXRSS_FILE: maxRssFile, BENCH_CLOCK_FILE: clockFile } = process.env;
if (maxRssFile)
	process.on('exit', () => {
		try {
			fs.writeFileSync(maxRssFile, String(process.resourceUsage().maxRSS));
		} catch {
			// best effort: a throw here would change n8n's exit code
		}
	});
if (clockFile) {
	const clock = { epochMs: Date.now(), monoUs: Number(process.hrtime.bigint() / 1000n) };
	fs.writeFileSync(clockFile, JSON.stringify(clock));
}
