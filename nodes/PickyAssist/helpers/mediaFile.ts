/**
 * A row's own file, sent as bytes (`data[].media_code`, base64) — the pure checks before anything is read or sent:
 * whether the channel takes a file per number, what kind the file is and whether its size fits that kind, and the
 * name Picky Assist shows for a document. Limits are Picky Assist's documented ones (docs/pickyassist-api.md).
 */
import type { Checked } from './checked';
import { invalid, valid } from './checked';

const MB = 1024 * 1024;

/** Phone and Web Automation, SMS, calls and Messenger send no different media per number. */
const NO_MEDIA_PER_NUMBER = new Set(['1', '2', '3', '4', '5', '10']);

/**
 * A push body is built and sent whole, so its size is the memory a push of files needs. The default takes a
 * 16 MB video (21 MB as base64) or several images; larger documents need a larger setting.
 */
export const DEFAULT_PUSH_MEGABYTES = 25;
/** Room for one 100 MB document as base64, with its row. */
export const MAX_PUSH_MEGABYTES = 140;

export type MediaKind = 'image' | 'video' | 'audio' | 'document';

const KIND_LIMITS: Record<MediaKind, number> = {
	image: 5 * MB,
	video: 16 * MB,
	audio: 16 * MB,
	document: 100 * MB,
};

const IMAGE_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/png', 'image/gif']);
const VIDEO_TYPES = new Set(['video/mp4', 'video/3gpp']);
const AUDIO_TYPES = new Set([
	'audio/mpeg',
	'audio/mp3',
	'audio/wav',
	'audio/x-wav',
	'audio/aac',
	'audio/mp4',
	'audio/x-m4a',
	'audio/amr',
	'audio/ogg',
	'audio/opus',
]);

/** The longest file name Picky Assist shows for a document. */
const MEDIA_NAME_CHARS = 20;

/** Why the channel cannot take media per number (a URL or a file), or undefined when it can. */
export function perRowMediaRefusal(application: string): string | undefined {
	return NO_MEDIA_PER_NUMBER.has(application)
		? `cannot be sent per row on application ${application}: per-row media works only on WhatsApp Official (8), a custom channel ID or a shared number`
		: undefined;
}

/**
 * The kind of a file by its MIME type. Images, video and audio of other types than Picky Assist lists would be
 * refused or mangled by WhatsApp, so they are sent as documents (any type), which every phone opens.
 */
export function mediaKind(mimeType: string | undefined): MediaKind {
	const type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	if (IMAGE_TYPES.has(type)) return 'image';
	if (VIDEO_TYPES.has(type)) return 'video';
	if (AUDIO_TYPES.has(type)) return 'audio';
	return 'document';
}

/** Whether `bytes` fit the limit of the file's kind; the reason names the kind, the size and the limit. */
export function checkFileSize(mimeType: string | undefined, bytes: number): Checked<MediaKind> {
	const kind = mediaKind(mimeType);
	const limit = KIND_LIMITS[kind];
	if (!Number.isFinite(bytes) || bytes <= 0) return invalid('is an empty file');
	if (bytes > limit)
		return invalid(
			`is ${(bytes / MB).toFixed(1)} MB, over the ${limit / MB} MB Picky Assist takes for ${kind === 'image' ? 'an image' : kind === 'audio' ? 'audio' : `a ${kind}`}`,
		);
	return valid(kind);
}

/**
 * The name shown for a document, at most 20 characters (counted as characters, not UTF-16 units). A name that
 * is too long keeps its extension, so the person still sees what kind of file it is.
 */
export function mediaName(fileName: string | undefined): string | undefined {
	const name = (fileName ?? '').trim();
	if (name === '') return undefined;
	const chars = Array.from(name);
	if (chars.length <= MEDIA_NAME_CHARS) return name;
	const dot = name.lastIndexOf('.');
	const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
	if (extension.length === 0 || extension.length > 6)
		return chars.slice(0, MEDIA_NAME_CHARS).join('');
	const stem = Array.from(name.slice(0, dot)).slice(0, MEDIA_NAME_CHARS - extension.length);
	return [...stem, ...extension].join('');
}

/** The size a file adds to a push body as base64 in JSON: four characters for every three bytes, and quotes. */
export function base64Size(bytes: number): number {
	return Math.ceil(bytes / 3) * 4 + 2;
}
