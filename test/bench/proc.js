'use strict';
/**
 * Peak memory of a process tree, from /proc (Linux only). Every `intervalMs` the sampler sums VmRSS of the process
 * and all its descendants (through /proc/<pid>/task/<tid>/children) and keeps the largest sum, and it keeps the
 * main process's VmHWM (the kernel's own exact peak). `peakKb` is the larger of the two: sampling can never miss
 * the n8n process's own peak, and the sampled sum adds the task-runner child on n8n 2.x.
 */
const fs = require('fs');

const readOr = (file, otherwise) => {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return otherwise; // the process or thread is gone
	}
};
const kbOf = (status, field) =>
	Number(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1] ?? 0);

function childrenOf(pid) {
	let threads = [];
	try {
		threads = fs.readdirSync(`/proc/${pid}/task`);
	} catch {
		return []; // the process is gone
	}
	const listed = threads.map((tid) => readOr(`/proc/${pid}/task/${tid}/children`, ''));
	return listed.join(' ').split(/\s+/).filter(Boolean).map(Number);
}

function descendants(pid) {
	const all = [];
	for (const stack = childrenOf(pid); stack.length; ) {
		const p = stack.pop();
		all.push(p);
		stack.push(...childrenOf(p));
	}
	return all;
}

class TreeMemorySampler {
	constructor(pid, intervalMs = 50) {
		Object.assign(this, { pid, intervalMs, peakTreeRssKb: 0, mainHwmKb: 0, samples: 0 });
		this.childHwmKb = new Map(); // pid → the child's own exact peak (the task runner on 2.x)
	}

	sample() {
		const main = readOr(`/proc/${this.pid}/status`, null);
		if (main === null) return;
		this.mainHwmKb = Math.max(this.mainHwmKb, kbOf(main, 'VmHWM'));
		let sum = kbOf(main, 'VmRSS');
		for (const c of descendants(this.pid)) {
			const status = readOr(`/proc/${c}/status`, '');
			if (!status) continue; // gone meanwhile
			sum += kbOf(status, 'VmRSS');
			this.childHwmKb.set(c, Math.max(this.childHwmKb.get(c) ?? 0, kbOf(status, 'VmHWM')));
		}
		this.peakTreeRssKb = Math.max(this.peakTreeRssKb, sum);
		this.samples++;
	}

	start() {
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs).unref();
		return this;
	}

	stop() {
		clearInterval(this.timer);
		const { peakTreeRssKb, mainHwmKb, samples, childHwmKb } = this;
		const [maxChildHwmKb, children] = [Math.max(0, ...childHwmKb.values()), childHwmKb.size];
		const peakKb = Math.max(peakTreeRssKb, mainHwmKb);
		return { peakKb, peakTreeRssKb, mainHwmKb, maxChildHwmKb, children, samples };
	}
}

module.exports = { TreeMemorySampler };
