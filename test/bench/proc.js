'use strict';
/**
 * Peak memory of a process tree, from /proc (Linux only).
 *
 * Every `intervalMs` the sampler reads VmRSS of the process and of all its descendants (found through
 * /proc/<pid>/task/<tid>/children) and keeps the largest sum; it also keeps the largest VmHWM (the kernel's own
 * exact peak RSS) seen for the main process and for each descendant. `peakKb` = max(largest sampled tree sum,
 * main process VmHWM) — the kernel's peak of the n8n process itself can never be missed by sampling, and the
 * sampled sum adds the task-runner child on n8n 2.x.
 */
const fs = require('fs');

function readStatus(pid) {
	try {
		const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
		const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(text);
		return { rssKb: rss ? Number(rss[1]) : 0, hwmKb: hwm ? Number(hwm[1]) : 0 };
	} catch {
		return null;
	}
}

function childrenOf(pid) {
	const out = [];
	let tids;
	try {
		tids = fs.readdirSync(`/proc/${pid}/task`);
	} catch {
		return out;
	}
	for (const tid of tids) {
		try {
			const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
			if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
		} catch {
			/* thread gone */
		}
	}
	return out;
}

function descendants(pid) {
	const all = [];
	const stack = childrenOf(pid);
	while (stack.length) {
		const p = stack.pop();
		all.push(p);
		stack.push(...childrenOf(p));
	}
	return all;
}

class TreeMemorySampler {
	constructor(pid, intervalMs = 50) {
		this.pid = pid;
		this.intervalMs = intervalMs;
		this.peakTreeRssKb = 0;
		this.mainHwmKb = 0;
		this.childHwmKb = new Map();
		this.samples = 0;
		this.timer = null;
	}

	sample() {
		const main = readStatus(this.pid);
		if (!main) return;
		let sum = main.rssKb;
		if (main.hwmKb > this.mainHwmKb) this.mainHwmKb = main.hwmKb;
		for (const c of descendants(this.pid)) {
			const s = readStatus(c);
			if (!s) continue;
			sum += s.rssKb;
			if (s.hwmKb > (this.childHwmKb.get(c) || 0)) this.childHwmKb.set(c, s.hwmKb);
		}
		if (sum > this.peakTreeRssKb) this.peakTreeRssKb = sum;
		this.samples++;
	}

	start() {
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
		this.timer.unref();
		return this;
	}

	stop() {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		return this.result();
	}

	result() {
		const childMax = Math.max(0, ...this.childHwmKb.values());
		return {
			peakKb: Math.max(this.peakTreeRssKb, this.mainHwmKb),
			peakTreeRssKb: this.peakTreeRssKb,
			mainHwmKb: this.mainHwmKb,
			maxChildHwmKb: childMax,
			children: this.childHwmKb.size,
			samples: this.samples,
		};
	}
}

module.exports = { TreeMemorySampler, readStatus, descendants };
