/** The Trigger's panel fields that are lists of choices or options. */
import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../helpers/panelFields';

/**
 * The events a trigger can start on. `action` is what n8n's node search lists for the event; without it n8n makes
 * one from the name in lower case, which reads "On whats app filter". The values are what saved workflows hold.
 */
export const EVENT_OPTIONS = [
	{
		name: 'Delivery Report',
		value: 'deliveryReport',
		action: 'On delivery report',
		description:
			'A message was submitted, delivered, read, failed or refunded (Event Webhook, event 1)',
	},
	{
		name: 'Group Membership',
		value: 'groupMembership',
		action: 'On group membership',
		description: 'Someone joined or left a group (Event Webhook, event 3)',
	},
	{
		name: 'Incoming Message',
		value: 'incomingMessage',
		action: 'On incoming message',
		description: 'Someone wrote to your number or page (Global Webhook)',
	},
	{
		name: 'New Subscriber',
		value: 'newSubscriber',
		action: 'On new subscriber',
		description: 'A new subscriber (Event Webhook, event 4)',
	},
	{
		name: 'WhatsApp Filter',
		value: 'whatsappFilter',
		action: 'On WhatsApp filter',
		description: 'A WhatsApp number filter report (Event Webhook, event 2)',
	},
];

/** The canvas subtitle: the selected events by name, not by stored value. */
export const EVENT_NAMES = JSON.stringify(
	Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name])),
);

/** The Trigger's Options collection. */
export const TRIGGER_OPTIONS: INodeProperties = {
	...optionsCollection,
	options: [
		{
			displayName: 'Allow Private Media Hosts',
			name: 'allowPrivateMediaHosts',
			type: 'boolean',
			default: false,
			description:
				'Whether Download Media may fetch from localhost and private or local addresses (a test server, your own network). Off, such URLs are refused, since the URL comes from the webhook call.',
		},
		{
			displayName: 'Download Media',
			name: 'downloadMedia',
			type: 'boolean',
			default: false,
			description:
				"Whether to download an incoming message's attachment (media_url) into the binary field 'data'. Works only when a Secret is set: without one anyone could post a URL for n8n to fetch. A file that cannot be fetched leaves the message without it and says why in media_error.",
		},
		{
			displayName: 'Drop Repeated Events',
			name: 'deduplicate',
			type: 'boolean',
			default: true,
			description:
				'Whether to drop an event already emitted within 24 hours (the same message and status, the same incoming message, or the same entry). Picky Assist sends a webhook again when it got no 200 in time. Applies when Respond is Immediately.',
		},
		{
			displayName: 'Max Media Size (MB)',
			name: 'maxMediaSizeMb',
			type: 'number',
			typeOptions: { minValue: 0.001, numberPrecision: 3 },
			default: 16,
			description:
				'Largest attachment Download Media fetches; a larger one is left out and media_error says so',
		},
	],
};
