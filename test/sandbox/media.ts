/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * Files that incoming messages point at (`media-url`), served by the sandbox itself so that the Trigger's Download
 * Media has something to fetch over loopback. Picky Assist does not document the headers of its media URLs (type,
 * name, lifetime); the sandbox sends Content-Type and Content-Disposition, which the Trigger reads when present.
 *
 *   GET /media/<name>?bytes=N&type=MIME   N bytes (default 1024) of a fixed pattern, named <name>; with
 *                                         &chunked=1 without a Content-Length (the size shows only as it streams)
 *   GET /media/redirect?to=URL            302 to URL (a redirect to another host must not be followed)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
	pdf: 'application/pdf',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	mp4: 'video/mp4',
	ogg: 'audio/ogg',
};
const MAX_BYTES = 64 * 1024 * 1024;

/** Phone and Web Automation, SMS, calls and Messenger: no different file per number (Picky Assist's docs). */
const NO_ROW_MEDIA = ['1', '2', '3', '4', '5', '10'];
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MEDIA_NAME_CHARS = 20;

/**
 * Why a push row's own media cannot be sent, or undefined. Where Picky Assist's docs leave it open the sandbox is
 * strict: `media_code` must be raw base64 (a `data:` URI is refused), `media_name` at most 20 characters.
 */
export function rowMediaRefusal(
	row: Record<string, unknown>,
	application: string,
): string | undefined {
	const hasUrl = row.media !== undefined && row.media !== '';
	const code = row.media_code;
	if (!hasUrl && (code === undefined || code === '')) {
		return row.media_name === undefined ? undefined : 'media_name without media_code or media';
	}
	if (NO_ROW_MEDIA.includes(application))
		return `a file per number works only on WhatsApp Official and shared numbers, not application ${application}`;
	if (code !== undefined && code !== '') {
		if (typeof code !== 'string' || code.length % 4 !== 0 || !BASE64.test(code))
			return 'media_code is not raw base64';
	}
	const name = row.media_name;
	if (
		name !== undefined &&
		(typeof name !== 'string' || Array.from(name).length > MEDIA_NAME_CHARS)
	)
		return `media_name must be text of at most ${MEDIA_NAME_CHARS} characters`;
	return undefined;
}

/** The bytes of a served file: byte i is i mod 251, so a test can check every byte it got. */
export function mediaBytes(size: number): Buffer {
	const bytes = Buffer.alloc(size);
	for (let i = 0; i < size; i++) bytes[i] = i % 251;
	return bytes;
}

/** Answers a GET under /media/; returns false for any other request. */
export function serveMedia(
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	served: string[],
): boolean {
	if (req.method !== 'GET' || !url.pathname.startsWith('/media/')) return false;
	served.push(url.pathname + url.search);
	const name = decodeURIComponent(url.pathname.slice('/media/'.length));
	if (name === 'redirect') {
		res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
		res.end();
		return true;
	}
	const size = Number(url.searchParams.get('bytes') ?? 1024);
	if (!Number.isInteger(size) || size < 0 || size > MAX_BYTES) {
		res.writeHead(400, { 'content-type': 'text/plain' });
		res.end(`bytes must be a whole number from 0 to ${MAX_BYTES}`);
		return true;
	}
	const type =
		url.searchParams.get('type') ??
		TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ??
		'application/octet-stream';
	res.writeHead(200, {
		'content-type': type,
		...(url.searchParams.get('chunked') === '1' ? {} : { 'content-length': String(size) }),
		'content-disposition': `attachment; filename="${name.replace(/["\\]/g, '')}"`,
	});
	res.end(mediaBytes(size));
	return true;
}
