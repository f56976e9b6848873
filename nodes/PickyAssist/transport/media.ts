/**
 * Downloads an incoming message's attachment for the Trigger's Download Media option. The URL came in a webhook
 * body, so it is treated as a stranger's:
 * - no credential goes with the request: it is n8n's plain request helper, never the authenticated one, so the
 *   account's token can never reach the attachment's host;
 * - redirects are not followed by the helper: one to the same scheme, host and port is followed here (a few at
 *   most), any other is refused, so a checked URL cannot hand the request on to an address that was not checked;
 * - the body is read as a stream and dropped as soon as it passes the size cap, within one deadline for the whole
 *   answer (a server that trickles bytes cannot hold the webhook call open).
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { answerWithin, timedOutMessage } from './deadline';
import { checkMediaUrl } from './mediaUrl';

export interface MediaLimits {
	maxBytes: number;
	timeoutMs: number;
	allowPrivateHosts: boolean;
}

export type MediaDownload =
	| { ok: true; bytes: Buffer; mimeType: string | undefined; fileName: string | undefined }
	| { ok: false; reason: string };

const MAX_REDIRECTS = 3;

interface StreamAnswer {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: AsyncIterable<Buffer | string> & { destroy?: () => void };
}

const headerText = (value: string | string[] | undefined): string | undefined =>
	Array.isArray(value) ? value[0] : value;

/** The file name a Content-Disposition header gives, or the URL's last path segment. */
function fileNameOf(disposition: string | undefined, url: URL): string | undefined {
	const encoded = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition ?? '')?.[1];
	if (encoded) {
		try {
			return decodeURIComponent(encoded.trim().replace(/^"|"$/g, ''));
		} catch {
			// fall through to the plain form
		}
	}
	const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition ?? '');
	if (plain) return (plain[2] ?? plain[1]).trim();
	const last = url.pathname.split('/').pop();
	if (!last) return undefined;
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

/** Reads the body up to `maxBytes`; undefined (and the stream destroyed) once it holds more. */
async function readCapped(
	body: StreamAnswer['body'],
	maxBytes: number,
): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += bytes.length;
		if (size > maxBytes) {
			body.destroy?.();
			return undefined;
		}
		chunks.push(bytes);
	}
	return Buffer.concat(chunks, size);
}

async function fetchOnce(
	context: IWebhookFunctions,
	url: URL,
	limits: MediaLimits,
	signal: AbortSignal,
): Promise<MediaDownload | { redirect: URL }> {
	const answer = (await context.helpers.httpRequest({
		url: url.href,
		method: 'GET',
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		abortSignal: signal,
		timeout: limits.timeoutMs,
	})) as StreamAnswer;
	const { statusCode, headers } = answer;
	if (statusCode >= 300 && statusCode < 400) {
		answer.body.destroy?.();
		const location = headerText(headers.location);
		if (!location) return { ok: false, reason: `HTTP ${statusCode} without a Location` };
		return { redirect: new URL(location, url) };
	}
	if (statusCode < 200 || statusCode > 299) {
		answer.body.destroy?.();
		return { ok: false, reason: `the server answered HTTP ${statusCode}` };
	}
	const declared = Number(headerText(headers['content-length']));
	if (Number.isFinite(declared) && declared > limits.maxBytes) {
		answer.body.destroy?.();
		return { ok: false, reason: tooLarge(limits.maxBytes) };
	}
	const bytes = await readCapped(answer.body, limits.maxBytes);
	if (!bytes) return { ok: false, reason: tooLarge(limits.maxBytes) };
	const mimeType = headerText(headers['content-type'])?.split(';')[0].trim() || undefined;
	const fileName = fileNameOf(headerText(headers['content-disposition']), url);
	return { ok: true, bytes, mimeType, fileName };
}

const tooLarge = (maxBytes: number) =>
	`the file is larger than the Max Media Size of ${Math.round((maxBytes / 1024 / 1024) * 100) / 100} MB`;

/** Downloads `text` within the limits; never throws: a failure is a reason the item carries. */
export async function downloadMedia(
	context: IWebhookFunctions,
	text: string,
	limits: MediaLimits,
): Promise<MediaDownload> {
	const checked = checkMediaUrl(text, limits.allowPrivateHosts);
	if (!checked.ok) return { ok: false, reason: `not downloaded: ${checked.reason}` };
	const first = checked.url;
	try {
		const result = await answerWithin(limits.timeoutMs, undefined, async (signal) => {
			let url = first;
			for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
				const step = await fetchOnce(context, url, limits, signal);
				if (!('redirect' in step)) return step;
				if (step.redirect.origin !== first.origin)
					return {
						ok: false,
						reason: `not downloaded: it redirects to another host (${step.redirect.host})`,
					};
				url = step.redirect;
			}
			return { ok: false, reason: `not downloaded: more than ${MAX_REDIRECTS} redirects` };
		});
		if (result.kind === 'timeout') return { ok: false, reason: timedOutMessage(limits.timeoutMs) };
		return result.value as MediaDownload;
	} catch (error) {
		return {
			ok: false,
			reason: `the download failed: ${(error as Error).message ?? String(error)}`,
		};
	}
}
