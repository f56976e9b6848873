/**
 * What this node already sent in this execution, so that one message goes to one person at most once: n8n runs
 * a node again within an execution on a retry (Retry On Fail), on an AI agent's next tool call, in a loop — and a
 * push is not idempotent (sent twice, a message is delivered and billed twice).
 *
 * The record lives in the execution's node context, which every run and every try of the node in the execution
 * shares and which n8n saves with the execution. It is keyed by a digest of the message — the channel, the number
 * and everything the person receives — so it stays small whatever the rows hold:
 *
 * - sending  → claimed by a run that is about to push it, or pushed with no answer yet;
 * - accepted → queued, with its msg_id, push_id and credit: a later run shows the same msg_id;
 * - unknown  → pushed without a clear answer: may or may not have been queued, never pushed again;
 * - a message whose push was certainly refused, or that was never pushed, is removed: a later run may send it.
 *
 * Plain data only: n8n saves the context as JSON.
 */
import { createHash } from 'node:crypto';

export interface SentMessage {
	state: 'sending' | 'accepted' | 'unknown';
	/** When its push was sent (ISO 8601). */
	sentAt: string;
	msgId?: string;
	pushId?: string;
	credit?: unknown;
	/** The node's run that sent it, kept only when repeats are allowed (Send Repeats in One Execution). */
	run?: number;
}

/** The part of n8n's node context the record uses: a plain object it may write to. */
export type RecordStore = Record<string, unknown>;

const KEY = 'pickyAssistSentMessages';

/** A fixed-size digest of one message: everything that makes two messages the same for the person receiving it. */
export function messageDigest(parts: readonly unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

export class SendRecord {
	private readonly messages: Record<string, SentMessage>;

	constructor(store: RecordStore) {
		this.messages = (store[KEY] ??= {}) as Record<string, SentMessage>;
	}

	earlier(digest: string): SentMessage | undefined {
		return this.messages[digest];
	}

	/**
	 * Claims messages for this run before anything is awaited, so that a run going on at the same time (parallel
	 * tool calls) finds them taken; their time is set again when their push goes out.
	 */
	sending(digests: readonly string[], sentAt: Date, run?: number): void {
		const time = sentAt.toISOString();
		for (const digest of digests) {
			this.messages[digest] =
				run === undefined
					? { state: 'sending', sentAt: time }
					: { state: 'sending', sentAt: time, run };
		}
	}

	accepted(digest: string, ids: { msgId: string; pushId: string; credit: unknown }): void {
		const entry = this.messages[digest];
		if (entry) Object.assign(entry, { state: 'accepted', ...ids });
	}

	/** `sentAt`: when the push really went out (after any pacing wait), the time its own output shows. */
	unknown(digest: string, sentAt: Date): void {
		const entry = this.messages[digest];
		if (entry) Object.assign(entry, { state: 'unknown', sentAt: sentAt.toISOString() });
	}

	/** Nothing was queued for these messages: a later run may send them. */
	forget(digests: readonly string[]): void {
		for (const digest of digests) delete this.messages[digest];
	}
}
