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
 * Plain data only: n8n saves the context as JSON. Looking a message up goes through a Map kept beside that data
 * (an object with thousands of keys read by fresh strings is slow to look up in); the data stays the truth, and
 * the Map is rebuilt from it whenever the data is not the one the Map was built from (a saved execution loaded
 * again, another process).
 */
import * as crypto from 'node:crypto';

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

/** Node's one-shot hash where it has one (it skips building a Hash object per message). */
const oneShotHash = (
	crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }
).hash;

/**
 * A fixed-size digest of one message: everything that makes two messages the same for the person receiving it,
 * as one text that names each part unambiguously (JSON, or parts that cannot hold a separator).
 */
export function messageDigest(message: string | readonly unknown[]): string {
	const text = typeof message === 'string' ? message : JSON.stringify(message);
	const digest = oneShotHash
		? oneShotHash('sha256', text, 'base64url')
		: crypto.createHash('sha256').update(text).digest('base64url');
	return digest.slice(0, 22);
}

type Messages = Record<string, SentMessage>;

/** The Map of each record's data, while that data object lives. */
const indexes = new WeakMap<Messages, Map<string, SentMessage>>();

function indexOf(messages: Messages): Map<string, SentMessage> {
	let index = indexes.get(messages);
	if (!index) {
		index = new Map(Object.entries(messages));
		indexes.set(messages, index);
	}
	return index;
}

export class SendRecord {
	private readonly messages: Messages;
	private readonly index: Map<string, SentMessage>;

	constructor(store: RecordStore) {
		this.messages = (store[KEY] ??= {}) as Messages;
		this.index = indexOf(this.messages);
	}

	earlier(digest: string): SentMessage | undefined {
		return this.index.get(digest);
	}

	/**
	 * Claims messages for this run before anything is awaited, so that a run going on at the same time (parallel
	 * tool calls) finds them taken; their time is set again when their push goes out. The messages claimed together
	 * share one entry: an entry is never changed in place, only replaced, so a claim of many messages costs one
	 * object and not one each.
	 */
	sending(digests: readonly string[], sentAt: Date, run?: number): void {
		const entry: SentMessage =
			run === undefined
				? { state: 'sending', sentAt: sentAt.toISOString() }
				: { state: 'sending', sentAt: sentAt.toISOString(), run };
		for (const digest of digests) this.set(digest, entry);
	}

	accepted(digest: string, ids: { msgId: string; pushId: string; credit: unknown }): void {
		const claimed = this.index.get(digest);
		if (!claimed) return;
		const entry: SentMessage = {
			state: 'accepted',
			sentAt: claimed.sentAt,
			msgId: ids.msgId,
			pushId: ids.pushId,
			credit: ids.credit,
		};
		if (claimed.run !== undefined) entry.run = claimed.run;
		this.set(digest, entry);
	}

	/** `sentAt`: when the push really went out (after any pacing wait), the time its own output shows. */
	unknown(digest: string, sentAt: Date): void {
		const claimed = this.index.get(digest);
		if (!claimed) return;
		const entry: SentMessage = { state: 'unknown', sentAt: sentAt.toISOString() };
		if (claimed.run !== undefined) entry.run = claimed.run;
		this.set(digest, entry);
	}

	private set(digest: string, entry: SentMessage): void {
		this.messages[digest] = entry;
		this.index.set(digest, entry);
	}

	/** Nothing was queued for these messages: a later run may send them. */
	forget(digests: readonly string[]): void {
		for (const digest of digests) {
			delete this.messages[digest];
			this.index.delete(digest);
		}
	}
}
