/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * A scripted, OpenAI-compatible chat model for the end-to-end tests: a node:http server on 127.0.0.1 that answers
 * POST /v1/chat/completions the way api.openai.com does, with whatever the test's script says — a tool call with
 * arguments the test chose, or a final text. n8n's OpenAI Chat Model node (LangChain's ChatOpenAI) talks to it
 * through an `openAiApi` credential whose Base URL is `fake.baseUrl`.
 *
 * Every request is recorded (path, the Authorization header, the parsed body), so a test can read exactly what the
 * agent sent the model: the tools it offered (name, JSON schema) and the tool results it passed back.
 *
 * Only non-streaming answers: n8n's agent asks for streaming only when its trigger streams to a client, never under
 * `n8n execute`. A request with `"stream": true` — like another path or method, a body that is not JSON or a script
 * that throws — gets an OpenAI-style error answer and is recorded with `error`, so a test can report it.
 *
 * No dependencies beyond node:http; nothing here leaves 127.0.0.1.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

/** One message of a chat completions request, as the OpenAI API defines it (only what the tests read). */
export interface ChatMessage {
	role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | string;
	content?: string | null | Array<{ type: string; text?: string }>;
	tool_calls?: Array<{
		id: string;
		type: 'function';
		function: { name: string; arguments: string };
	}>;
	tool_call_id?: string;
	name?: string;
}

/** A tool the client offered, in the request's `tools` array. */
export interface OfferedTool {
	type: 'function';
	function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export interface ChatRequestBody {
	model?: string;
	messages: ChatMessage[];
	tools?: OfferedTool[];
	stream?: boolean;
	[k: string]: unknown;
}

/** What the model answers to one request. */
export type FakeTurn =
	| { kind: 'tool'; calls: Array<{ name?: string; arguments: Record<string, unknown> }> }
	| { kind: 'text'; text: string };

/** Decides the answer to a request; `index` counts the chat completion requests since the last reset (0-based). */
export type FakeScript = (body: ChatRequestBody, index: number) => FakeTurn;

export interface RecordedChatRequest {
	seq: number;
	method: string;
	path: string;
	authorization?: string;
	body?: ChatRequestBody;
	stream: boolean;
	/** The answer sent (the assistant message), when there was one. */
	answer?: ChatMessage;
	/** Why no normal answer was sent. */
	error?: string;
}

export interface FakeOpenAi {
	/** Base URL for the `openAiApi` credential (ends in /v1, like https://api.openai.com/v1). */
	readonly baseUrl: string;
	readonly requests: RecordedChatRequest[];
	/** The chat completion requests that got a normal answer. */
	chats(): RecordedChatRequest[];
	setScript(script: FakeScript): void;
	/** Forgets the recorded requests and restarts the request count (the script stays). */
	reset(): void;
	close(): Promise<void>;
}

/** The text of a message's content, whether a string or an array of parts. */
export function contentText(message: ChatMessage): string {
	const c = message.content;
	if (typeof c === 'string') return c;
	if (Array.isArray(c)) return c.map((part) => part.text ?? '').join('');
	return '';
}

/** The `tool` messages (tool results) that follow the last user message of a request. */
export function toolResults(body: ChatRequestBody): ChatMessage[] {
	const lastUser = body.messages.map((m) => m.role).lastIndexOf('user');
	return body.messages.slice(lastUser + 1).filter((m) => m.role === 'tool');
}

/**
 * The usual agent conversation: the first request of a conversation (no tool result yet) gets a tool call with
 * `calls`; once the request carries the tool results, the model answers `finalText(results)`.
 */
export function toolThenText(
	calls: Array<{ name?: string; arguments: Record<string, unknown> }>,
	finalText: (results: ChatMessage[]) => string,
): FakeScript {
	return (body) => {
		const results = toolResults(body);
		return results.length ? { kind: 'text', text: finalText(results) } : { kind: 'tool', calls };
	};
}

const MODEL_ERROR = (message: string) => ({
	error: { message, type: 'invalid_request_error', param: null, code: null },
});

/** The assistant message of one turn: text, or calls of tools the request offered (named, or the only one). */
function answerOf(turn: FakeTurn, body: ChatRequestBody, nextCallId: () => string): ChatMessage {
	if (turn.kind === 'text') return { role: 'assistant', content: turn.text };
	const offered = (body.tools ?? []).map((t) => t.function.name);
	const toolCall = (call: (typeof turn.calls)[number]) => {
		const name = call.name ?? (offered.length === 1 ? offered[0] : undefined);
		if (!name)
			throw new Error(
				`the script named no tool and the request offered ${offered.length}: ${offered.join(', ')}`,
			);
		if (!offered.includes(name))
			throw new Error(`tool "${name}" was not offered; offered: ${offered.join(', ')}`);
		return {
			id: nextCallId(),
			type: 'function' as const,
			function: { name, arguments: JSON.stringify(call.arguments) },
		};
	};
	return { role: 'assistant', content: null, tool_calls: turn.calls.map(toolCall) };
}

/** OpenAI's chat.completion answer around one assistant message. */
function completion(rec: RecordedChatRequest, body: ChatRequestBody, answer: ChatMessage) {
	return {
		id: `chatcmpl-fake${rec.seq}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: body.model ?? 'fake-model',
		choices: [
			{
				index: 0,
				message: answer,
				logprobs: null,
				finish_reason: answer.tool_calls ? 'tool_calls' : 'stop',
			},
		],
		usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
	};
}

/** Reads a chat completions request; throws saying what is wrong with it. */
function chatRequest(raw: Buffer): ChatRequestBody {
	const body = JSON.parse(raw.toString('utf8')) as ChatRequestBody;
	if (!Array.isArray(body.messages)) throw new Error('no messages array');
	return body;
}

/** The fake's state: its script, and every request it got. */
class FakeModel {
	readonly requests: RecordedChatRequest[] = [];
	private seq = 0;
	chatIndex = 0;
	private callSeq = 0;

	constructor(public script: FakeScript | undefined) {}

	/** One request, recorded; the answer is the script's next turn, or an error saying why there is none. */
	answer(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): void {
		const path = (req.url ?? '').split('?')[0];
		const rec: RecordedChatRequest = {
			seq: ++this.seq,
			method: req.method ?? '',
			path,
			authorization: req.headers.authorization,
			stream: false,
		};
		this.requests.push(rec);
		const reply = (status: number, json: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json));
		};
		const fail = (status: number, message: string) => {
			rec.error = message;
			reply(status, MODEL_ERROR(message));
		};
		if (req.method !== 'POST' || !/\/v1\/chat\/completions$/.test(path))
			return fail(404, `fake model: no route for ${req.method} ${path}`);
		let body: ChatRequestBody;
		try {
			body = chatRequest(raw);
		} catch (e) {
			const why = (e as Error).message;
			return fail(400, `fake model: request body is not a chat completions request: ${why}`);
		}
		rec.body = body;
		rec.stream = body.stream === true;
		// `n8n execute` runs the agent without streaming (it streams only to a streaming Chat Trigger / Webhook), so
		// LangChain asks for one JSON answer. Should a later n8n stream here, say so rather than answer wrongly.
		if (rec.stream)
			return fail(400, 'fake model: streaming ("stream": true) is not supported by this fake');
		if (!this.script) return fail(500, 'fake model: no script set');
		try {
			const turn = this.script(body, this.chatIndex++);
			rec.answer = answerOf(turn, body, () => `call_fake${++this.callSeq}`);
		} catch (e) {
			return fail(500, `fake model: ${(e as Error).message}`);
		}
		reply(200, completion(rec, body, rec.answer));
	}
}

export async function startFakeOpenAi(initialScript?: FakeScript): Promise<FakeOpenAi> {
	const model = new FakeModel(initialScript);
	const sockets = new Set<import('net').Socket>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => model.answer(req, res, Buffer.concat(chunks)));
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const { requests } = model;

	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		chats: () => requests.filter((r) => r.answer !== undefined),
		setScript: (s) => (model.script = s),
		reset: () => {
			requests.length = 0;
			model.chatIndex = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of sockets) s.destroy();
				server.close(() => resolve());
			}),
	};
}
