/**
 * Max Recipients counts every row this node sends in one execution, not per run: an AI agent calls the node
 * once per message, so a cap per call would never bite. The count lives in the execution's node context, which
 * every run of the node in this execution shares — parallel tool calls included.
 *
 * Rows are reserved before their push in one synchronous step (check and count, no await in between), so two runs
 * going on at the same time can never both see room for the last recipient; rows that were then not sent (a
 * refused push, a run stopped before their push) are given back, so the count is what was sent or may have been.
 */
import type { RecordStore } from './sendRecord';

const KEY = 'pickyAssistRecipientsSent';

export class RecipientCount {
	constructor(
		private readonly store: RecordStore,
		/** 0: no cap. */
		private readonly cap: number,
	) {}

	private get counted(): number {
		return Number(this.store[KEY] ?? 0);
	}

	/** Why these rows may not be sent, or undefined when they fit under the cap. */
	refusal(rows: number): string | undefined {
		if (this.cap <= 0 || rows === 0) return undefined;
		const before = this.counted;
		if (before + rows <= this.cap) return undefined;
		const earlier = before > 0 ? ` (${before} already sent by this node in this execution)` : '';
		return `${rows} row${rows === 1 ? '' : 's'} would be sent, more than Max Recipients (${this.cap}) allows${earlier}; nothing was sent`;
	}

	/** Counts rows as sent; the caller checked the cap in the same synchronous step. */
	reserve(rows: number): void {
		this.store[KEY] = this.counted + rows;
	}

	/** Rows that were reserved but certainly not sent. */
	release(rows: number): void {
		if (rows === 0) return;
		this.store[KEY] = Math.max(0, this.counted - rows);
	}
}
