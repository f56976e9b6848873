/**
 * What this node already sent in this execution, so that one message goes to one person at most once: n8n runs
 * a node again within an execution on a retry (Retry On Fail), on an AI agent's next tool call, in a loop — and a
 * push is not idempotent (sent twice, a message is delivered and billed twice).
 *
 * The record lives in the execution's node context, which every run and every try of the node in the execution
 * shares and which n8n saves with the execution. A message is known by a digest of it — the channel, the number
 * and everything the person receives — so the record stays small whatever the rows hold:
 *
 * - sending  → claimed by a run that is about to push it, or pushed with no answer yet;
 * - accepted → queued, with its msg_id, push_id and credit: a later run shows the same msg_id;
 * - unknown  → pushed without a clear answer: may or may not have been queued, never pushed again;
 * - a message whose push was certainly refused, or that was never pushed, is removed: a later run may send it.
 *
 * Plain data only: n8n saves the context as JSON. The data is two lists side by side, the digests and their
 * entries (null once removed), which grow by appending: an object keyed by thousands of fresh digests costs far
 * more to write. A message is found through a Map from digest to position kept beside that data; the data stays
 * the truth, and the Map is rebuilt from it whenever the data is not the one the Map was built from (a saved
 * execution loaded again, another process). An entry is never changed in place, only replaced, so messages
 * claimed together can share one.
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

const KEY = 'pickyAssistSendRecord';
/** Where an earlier version kept the record, as an object keyed by digest; read once and moved. */
const KEYED_KEY = 'pickyAssistSentMessages';

interface RecordData {
	digests: string[];
	messages: Array<SentMessage | null>;
}

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

/** The position of each digest in each record's data, while that data object lives. */
const indexes = new WeakMap<RecordData, Map<string, number>>();

function indexOf(data: RecordData): Map<string, number> {
	let index = indexes.get(data);
	if (!index) {
		index = new Map();
		for (let position = 0; position < data.digests.length; position++) {
			index.set(data.digests[position], position);
		}
		indexes.set(data, index);
	}
	return index;
}

function recordData(store: RecordStore): RecordData {
	const data = (store[KEY] ??= { digests: [], messages: [] }) as RecordData;
	const keyed = store[KEYED_KEY] as Record<string, SentMessage> | undefined;
	if (typeof keyed === 'object' && keyed !== null) {
		for (const digest of Object.keys(keyed)) {
			data.digests.push(digest);
			data.messages.push(keyed[digest]);
		}
		delete store[KEYED_KEY];
	}
	return data;
}

/**
 * Where a claimed message's entry stands in the record: its position, which it keeps for as long as the record
 * lives. A run looks each message up once, as it claims it, and then writes by place. -1 stands for a message the
 * run never claimed: every write skips it.
 */
export type Place = number;

export class SendRecord {
	private readonly data: RecordData;
	private readonly index: Map<string, number>;

	constructor(store: RecordStore) {
		this.data = recordData(store);
		this.index = indexOf(this.data);
	}

	earlier(digest: string): SentMessage | undefined {
		const position = this.index.get(digest);
		return position === undefined ? undefined : (this.data.messages[position] ?? undefined);
	}

	/**
	 * Claims messages for this run before anything is awaited, so that a run going on at the same time (parallel
	 * tool calls) finds them taken. Returns each message's place; a digest that had one keeps it, so the record
	 * does not grow with retries. The messages claimed together share one entry.
	 */
	claim(digests: readonly string[], sentAt: Date, run?: number): Place[] {
		const entry = sendingEntry(sentAt, run);
		const places: Place[] = [];
		for (const digest of digests) {
			let position = this.index.get(digest);
			if (position === undefined) {
				position = this.data.digests.length;
				this.index.set(digest, position);
				this.data.digests.push(digest);
				this.data.messages.push(entry);
			} else {
				this.data.messages[position] = entry;
			}
			places.push(position);
		}
		return places;
	}

	/** Claimed messages whose push goes out now: their time is the push's. */
	sending(places: readonly Place[], sentAt: Date, run?: number): void {
		const entry = sendingEntry(sentAt, run);
		for (const place of places) if (place >= 0) this.data.messages[place] = entry;
	}

	accepted(place: Place, ids: { msgId: string; pushId: string; credit: unknown }): void {
		const claimed = this.claimedAt(place);
		if (!claimed) return;
		this.replace(place, claimed, {
			state: 'accepted',
			sentAt: claimed.sentAt,
			msgId: ids.msgId,
			pushId: ids.pushId,
			credit: ids.credit,
		});
	}

	/** `sentAt`: when the push really went out (after any pacing wait), the time its own output shows. */
	unknown(place: Place, sentAt: Date): void {
		const claimed = this.claimedAt(place);
		if (!claimed) return;
		this.replace(place, claimed, { state: 'unknown', sentAt: sentAt.toISOString() });
	}

	/** Nothing was queued for these messages: a later run may send them. Each keeps its place, emptied. */
	forget(places: readonly Place[]): void {
		for (const place of places) if (place >= 0) this.data.messages[place] = null;
	}

	private claimedAt(place: Place): SentMessage | undefined {
		return place >= 0 ? (this.data.messages[place] ?? undefined) : undefined;
	}

	/** A claimed message's entry replaced by what its push gave; the run that sent it stays. */
	private replace(place: Place, claimed: SentMessage, entry: SentMessage): void {
		if (claimed.run !== undefined) entry.run = claimed.run;
		this.data.messages[place] = entry;
	}
}

function sendingEntry(sentAt: Date, run: number | undefined): SentMessage {
	return run === undefined
		? { state: 'sending', sentAt: sentAt.toISOString() }
		: { state: 'sending', sentAt: sentAt.toISOString(), run };
}
