/**
 * What earlier tries of this node sent, so that n8n's "Retry On Fail" never sends a row twice.
 *
 * With Retry On Fail, n8n runs the node again on the same input items after it failed (or after it returned an
 * error item first). Without a memory, every push the first try already got queued would go out again: each
 * person would get the message twice. The ledger lives in the execution's node context, which n8n keeps between
 * the tries of one execution, and records each row before its push goes out:
 *
 * - sending  → the push went out and no answer was read: may or may not have been queued; never sent again.
 * - accepted → queued, with the output item the row got; a later try shows the same msg_id.
 * - a row whose push was certainly refused is removed, so a later try may send it.
 *
 * A row is only recognised when the same input item asks for the same number and content again; anything else
 * is a different row. Plain data only (n8n saves the context with the execution).
 */

export interface LedgerEntry {
	/** What was sent for this item: a fingerprint of its number and content. */
	sent: string;
	state: 'sending' | 'accepted' | 'unknown';
	/** The output json of an accepted row, or the error details of an unknown one. */
	result?: Record<string, unknown>;
	/** When the push was sent (ISO 8601). */
	sentAt: string;
}

/** The part of n8n's node context the ledger uses: a plain object it may write to. */
export type LedgerStore = Record<string, unknown>;

const KEY = 'pickyAssistSendLedger';

/** FNV-1a, 32 bits: enough to tell whether an item still asks for what it asked for on the earlier try. */
function hash(text: string): string {
	let value = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		value ^= text.charCodeAt(index);
		value = Math.imul(value, 0x01000193);
	}
	return (value >>> 0).toString(36);
}

/** A fingerprint of one row's push entry. */
export function fingerprint(number: string, content: string): string {
	return `${number}:${content.length}:${hash(content)}`;
}

export class SendLedger {
	private readonly entries: Record<string, LedgerEntry>;

	/** @param run the node's run in this execution: a node in a loop runs again on other rows */
	constructor(store: LedgerStore, run: number) {
		const runs = (store[KEY] ??= {}) as Record<string, Record<string, LedgerEntry>>;
		this.entries = runs[String(run)] ??= {};
	}

	/** The earlier try's record for this item, when it sent the same row. */
	earlier(itemIndex: number, sent: string): LedgerEntry | undefined {
		const entry = this.entries[itemIndex];
		return entry !== undefined && entry.sent === sent ? entry : undefined;
	}

	/** Records rows as sent before their push goes out: a crash or a lost answer leaves them "may have been queued". */
	sending(rows: ReadonlyArray<{ itemIndex: number; sent: string }>, sentAt: Date): void {
		const time = sentAt.toISOString();
		for (const row of rows)
			this.entries[row.itemIndex] = { sent: row.sent, state: 'sending', sentAt: time };
	}

	accepted(itemIndex: number, result: Record<string, unknown>): void {
		const entry = this.entries[itemIndex];
		if (entry) Object.assign(entry, { state: 'accepted', result });
	}

	unknown(itemIndex: number, result: Record<string, unknown>): void {
		const entry = this.entries[itemIndex];
		if (entry) Object.assign(entry, { state: 'unknown', result });
	}

	/** The push was certainly refused: nothing was queued for these rows, a later try may send them. */
	refused(itemIndexes: readonly number[]): void {
		for (const itemIndex of itemIndexes) delete this.entries[itemIndex];
	}
}
