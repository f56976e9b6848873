/** Where faults wait for the requests they apply to. */
import { validateFault, type Fault } from './faults';

/** Faults waiting for requests: a FIFO queue per endpoint (`times` repeats), then one permanent fault per endpoint. */
export class FaultBook {
	private readonly queue: Array<{ fault: Fault; remaining: number }> = [];
	private readonly permanent = new Map<string, Fault>();

	get queued(): number {
		return this.queue.length;
	}

	add(fault: unknown): void {
		const f = validateFault(fault);
		this.queue.push({ fault: f, remaining: f.times === undefined ? 1 : f.times });
	}

	set(fault: unknown): void {
		const f = validateFault(fault);
		this.permanent.set(f.endpoint || 'push', f);
	}

	clear(): void {
		this.queue.length = 0;
		this.permanent.clear();
	}

	/** The fault for the next request to `endpoint`, if any; consumes one use of a queued fault. */
	take(endpoint: string): Fault | null {
		const i = this.queue.findIndex((q) => (q.fault.endpoint || 'push') === endpoint);
		if (i === -1) return this.permanent.get(endpoint) || null;
		const q = this.queue[i];
		if (--q.remaining <= 0) this.queue.splice(i, 1);
		return q.fault;
	}
}
