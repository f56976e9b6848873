/**
 * The item of one incoming message (the Global Webhook's body, already a plain JSON copy). Besides the text and the
 * sender, what a person can send besides text is read into named fields:
 * - a tapped quick-reply button (`payload`, with the button's text as the message) or a chosen list entry or reply
 *   button (`interactive`: `id`, `title`, `description`) becomes `reply`;
 * - a shared contact card (`contact[]`) becomes `contacts`, a shared location (`Location`) becomes `location`.
 * Picky Assist does not document its `type` codes in full, so `type` is passed through as given.
 */
import { isRecord, textFields, textOf } from '../helpers/values';

type Json = Record<string, unknown>;

/** `message-in` is URL-encoded (spaces as "+"); a malformed escape leaves the text as it came. */
function decodeMessageIn(value: string): string {
	try {
		return decodeURIComponent(value.replace(/\+/g, ' '));
	} catch {
		return value;
	}
}

const CONTACT_FIELDS = [
	'first_name',
	'last_name',
	'phone',
	'phone_type',
	'email',
	'street',
	'city',
	'state',
	'zip',
	'country',
	'country_code',
	'address_type',
	'contact_image',
] as const;
const LOCATION_FIELDS = ['lat', 'long', 'name', 'address', 'url'] as const;

/** What the person tapped or chose, or undefined when the message is not an answer to buttons or a list. */
function replyOf(body: Json, message: string | undefined): Json | undefined {
	if (isRecord(body.interactive)) {
		const choice = body.interactive;
		const reply: Json = {
			type: 'interactive',
			...textFields(choice, ['id', 'title', 'description']),
		};
		if (reply.title === undefined && message !== undefined) reply.title = message;
		const kind = textOf(choice.type);
		if (kind !== undefined) reply.interactive_type = kind;
		return reply;
	}
	const payload = textOf(body.payload);
	if (payload === undefined) return undefined;
	const reply: Json = { type: 'quickReply', payload };
	if (message !== undefined) reply.title = message;
	return reply;
}

export function incomingMessage(body: Json): Json {
	const raw = textOf(body.message_in_raw);
	const encoded = textOf(body['message-in']);
	const message = raw ?? (encoded === undefined ? undefined : decodeMessageIn(encoded));
	const json: Json = {
		event: 'incomingMessage',
		number: textOf(body.number),
		name: textOf(body.name),
		message,
		type: textOf(body.type),
		application: textOf(body.application),
		direction: textOf(body.direction),
		group_id: textOf(body['group-id']),
		context_msg_id: textOf(body['context-msg-id']),
		messenger_id: textOf(body.messenger_id),
		unique_id: textOf(body['unique-id']),
		media_url: textOf(body['media-url'] ?? body.media_url),
		reply: replyOf(body, message),
	};
	if (Array.isArray(body.contact))
		json.contacts = body.contact.filter(isRecord).map((card) => textFields(card, CONTACT_FIELDS));
	const location = isRecord(body.Location) ? body.Location : body.location;
	if (isRecord(location)) json.location = textFields(location, LOCATION_FIELDS);
	// Other attachment fields vary by channel: they are passed on as given.
	for (const [field, value] of Object.entries(body)) {
		if (
			/media|file|caption|mime|url|latitude|longitude/i.test(field) &&
			!(field in json) &&
			field !== 'media-url'
		)
			json[field] = value;
	}
	for (const field of Object.keys(json)) if (json[field] === undefined) delete json[field];
	json.raw = body;
	return json;
}
