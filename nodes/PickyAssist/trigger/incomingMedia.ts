/**
 * Download Media: an incoming message's attachment (`media_url`) as the item's binary field `data`. Whatever goes
 * wrong is said on the item (`media_error`) and the message is emitted all the same: an event is never lost because
 * its file could not be fetched.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { downloadMedia } from '../transport/media';

export interface MediaOptions {
	downloadMedia?: unknown;
	maxMediaSizeMb?: unknown;
	allowPrivateMediaHosts?: unknown;
}

/** Picky Assist retries a webhook after 180 s without an answer: the download must end well before. */
const DOWNLOAD_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_MB = 16;

/** The Max Media Size in bytes; a value that is not a positive number of megabytes refuses every download. */
function maxBytesOf(value: unknown): number | undefined {
	const mb = value === undefined || value === '' ? DEFAULT_MAX_MB : Number(value);
	return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : undefined;
}

export async function incomingItem(
	context: IWebhookFunctions,
	json: IDataObject,
	options: MediaOptions,
	secretSet: boolean,
): Promise<INodeExecutionData> {
	const url = json.media_url;
	if (options.downloadMedia !== true || typeof url !== 'string' || url === '') return { json };
	const failed = (reason: string): INodeExecutionData => ({
		json: { ...json, media_error: reason },
	});
	if (!secretSet)
		return failed(
			'not downloaded: Download Media works only with a Secret, since without one anyone can post a URL for n8n to fetch',
		);
	const maxBytes = maxBytesOf(options.maxMediaSizeMb);
	if (maxBytes === undefined)
		return failed(
			`not downloaded: Max Media Size (MB) must be a positive number, not ${JSON.stringify(options.maxMediaSizeMb)}`,
		);
	const file = await downloadMedia(context, url, {
		maxBytes,
		timeoutMs: DOWNLOAD_TIMEOUT_MS,
		allowPrivateHosts: options.allowPrivateMediaHosts === true,
	});
	if (!file.ok) return failed(file.reason);
	const data = await context.helpers.prepareBinaryData(file.bytes, file.fileName, file.mimeType);
	return { json, binary: { data } };
}
