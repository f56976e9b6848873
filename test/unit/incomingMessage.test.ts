/**
 * What a person sends besides text reaches the next node under named fields: a tapped button or list choice as
 * `reply`, contact cards as `contacts`, a location as `location`; and which attachment URLs the Trigger may
 * download (transport/mediaUrl.ts).
 */
import { checkMediaUrl } from '../../nodes/PickyAssist/transport/mediaUrl';
import { readWebhookPayload } from '../../nodes/PickyAssist/trigger/webhookPayload';

const itemOf = (body: Record<string, unknown>) => {
	const payload = readWebhookPayload(body);
	if (payload.kind !== 'incomingMessage')
		throw new Error(`not an incoming message: ${payload.kind}`);
	return payload.json;
};

describe('incoming messages: replies, contacts, locations', () => {
	it("a tapped quick-reply button (Picky Assist's documented sample) becomes reply { type, title, payload }", () => {
		const json = itemOf({
			number: '919999999999',
			'message-in': 'Not+Sure',
			message_in_raw: 'Not Sure',
			type: 9,
			application: '8',
			'unique-id': 'u1',
			'project-id': '1001',
			direction: 0,
			name: 'Ana',
			'context-msg-id': '30486936',
			payload: 'confirmbutton',
		});
		expect(json).toMatchObject({
			message: 'Not Sure',
			type: '9',
			context_msg_id: '30486936',
			reply: { type: 'quickReply', title: 'Not Sure', payload: 'confirmbutton' },
		});
	});

	it('a list choice or reply button becomes reply { type, id, title, description }, its own type kept apart', () => {
		const json = itemOf({
			number: '919999999999',
			message_in_raw: 'Gold plan',
			'context-msg-id': '77',
			interactive: { type: 1, id: 'plan-gold', description: 'Billed yearly' },
		});
		expect(json.reply).toEqual({
			type: 'interactive',
			id: 'plan-gold',
			title: 'Gold plan',
			description: 'Billed yearly',
			interactive_type: '1',
		});
		expect(
			itemOf({ number: '1', message_in_raw: 'x', interactive: { title: 'T', id: 7 } }).reply,
		).toEqual({ type: 'interactive', id: '7', title: 'T' });
	});

	it('a plain text message has no reply, contacts or location', () => {
		const json = itemOf({ number: '1', message_in_raw: 'hello' });
		expect(json).not.toHaveProperty('reply');
		expect(json).not.toHaveProperty('contacts');
		expect(json).not.toHaveProperty('location');
	});

	it('contact cards (type 7) become contacts[] with their documented fields as text; other keys and non-objects are left out', () => {
		const json = itemOf({
			number: '1',
			message_in_raw: '',
			type: '7',
			contact: [
				{
					first_name: 'Ana',
					last_name: 'Lima',
					phone: '+44 7700 900001',
					country_code: 44,
					spy: 'x',
				},
				'not a card',
				{ email: 'b@example.com', phone: null },
			],
		});
		expect(json.type).toBe('7');
		expect(json.contacts).toEqual([
			{ first_name: 'Ana', last_name: 'Lima', phone: '+44 7700 900001', country_code: '44' },
			{ email: 'b@example.com' },
		]);
	});

	it('a location (spelled Location, as documented, or location) becomes location { lat, long, name, address, url }', () => {
		const loc = {
			lat: 51.5,
			long: -0.12,
			name: 'Office',
			address: '1 Main St',
			url: 'https://maps/x',
			z: 1,
		};
		const expected = {
			lat: '51.5',
			long: '-0.12',
			name: 'Office',
			address: '1 Main St',
			url: 'https://maps/x',
		};
		expect(itemOf({ number: '1', message_in_raw: '', Location: loc }).location).toEqual(expected);
		expect(itemOf({ number: '1', message_in_raw: '', location: loc }).location).toEqual(expected);
	});

	it('media-url (the documented name) becomes media_url, once', () => {
		const json = itemOf({
			number: '1',
			message_in_raw: 'see',
			type: '2',
			'media-url': 'https://x/y.jpg',
		});
		expect(json.media_url).toBe('https://x/y.jpg');
		expect(json).not.toHaveProperty(['media-url']);
	});
});

describe('which attachment URLs the Trigger may download', () => {
	const refused = (url: string) => {
		const check = checkMediaUrl(url, false);
		return check.ok ? 'allowed' : check.reason;
	};

	it.each([
		'http://localhost/x.jpg',
		'http://app.localhost/x.jpg',
		'http://127.0.0.1:5678/x',
		'http://2130706433/x', // 127.0.0.1 in decimal
		'http://0x7f.1/x', // 127.0.0.1 in hex parts
		'http://0177.0.0.1/x', // octal
		'http://10.1.2.3/x',
		'http://172.20.0.1/x',
		'http://192.168.1.1/x',
		'http://169.254.169.254/latest/meta-data/',
		'http://100.64.0.1/x',
		'http://0.0.0.0/x',
		'http://[::1]/x',
		'http://[::]/x',
		'http://[::ffff:127.0.0.1]/x',
		'http://[::ffff:a9fe:a9fe]/x',
		'http://[fe80::1]/x',
		'http://[fd00::1]/x',
		'http://[64:ff9b::10.0.0.1]/x',
	])('refuses %s as a local or private address', (url) => {
		expect(refused(url)).toMatch(/is a local or private address/);
	});

	it.each([
		['ftp://example.com/x', /scheme is ftp/],
		['file:///etc/passwd', /scheme is file/],
		['javascript:alert(1)', /scheme is javascript/],
		['not a url', /not a URL/],
		['https://user:pass@example.com/x', /user name or password/],
	])('refuses %s', (url, reason) => {
		expect(refused(url)).toMatch(reason);
	});

	it.each([
		'https://example.com/a.pdf',
		'https://cdn.pickyassist.com/media/1.jpg',
		'http://8.8.8.8/x',
		'http://172.32.0.1/x',
		'http://[2001:db8::1]/x',
		'http://[::ffff:8.8.8.8]/x',
	])('allows %s', (url) => {
		expect(refused(url)).toBe('allowed');
	});

	it('allows loopback and private hosts only when the user allows them, and never another scheme', () => {
		expect(checkMediaUrl('http://127.0.0.1:4000/m/a.pdf', true).ok).toBe(true);
		expect(checkMediaUrl('file:///etc/passwd', true).ok).toBe(false);
	});
});

describe('WhatsApp Filter events (event 2)', () => {
	it("carry number, msg_id, push_id and the filter's status as given, not read as a delivery status", () => {
		const payload = readWebhookPayload({
			project_id: '9',
			event_id: '2',
			data: [
				{ push_id: '31', msg_id: '901', number: '447700900001', status: '1' },
				{
					push_id: '31',
					msg_id: '902',
					number: '447700900002',
					status: 'not_on_whatsapp',
					note: 'x',
				},
			],
		});
		if (payload.kind !== 'events') throw new Error(payload.kind);
		expect(payload.event).toBe('whatsappFilter');
		expect(payload.entries.map((entry) => entry.json)).toEqual([
			{
				event: 'whatsappFilter',
				project_id: '9',
				push_id: '31',
				msg_id: '901',
				number: '447700900001',
				status: '1',
			},
			{
				event: 'whatsappFilter',
				project_id: '9',
				push_id: '31',
				msg_id: '902',
				number: '447700900002',
				status: 'not_on_whatsapp',
				note: 'x',
			},
		]);
		// A re-sent report is the same message and status: remembered under one key.
		expect(payload.entries.map((entry) => entry.key)).toEqual(['2:901:1', '2:902:not_on_whatsapp']);
	});
});
