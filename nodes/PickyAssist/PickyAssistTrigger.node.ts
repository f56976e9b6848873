import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { DELIVERY_STATUSES } from './helpers/deliveryStatus';
import { PICKY_ASSIST_ICON } from './icon';
import type { MediaOptions } from './trigger/incomingMedia';
import { incomingItem } from './trigger/incomingMedia';
import { EVENT_NAMES, EVENT_OPTIONS, TRIGGER_OPTIONS } from './trigger/properties';
import { RecentEvents } from './trigger/recentEvents';
import { RefusalLog } from './trigger/refusalLog';
import { responseFields } from './trigger/responseFields';
import { readWebhookPayload } from './trigger/webhookPayload';
import { readSecretSetting, secretMatches } from './trigger/webhookSecret';

const SECRET_REFUSED = 'the request does not carry the right ?secret=';

/** Warnings of every Picky Assist Trigger in this process, so that a flood writes a line a minute at most. */
const warnings = new RefusalLog();

/**
 * One webhook URL for both of Picky Assist's webhooks, pasted into Picky Assist by hand (it has no API to register
 * one). Webhooks are not signed: the `?secret=` in the URL is what keeps strangers out.
 */
export class PickyAssistTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Picky Assist Trigger',
		name: 'pickyAssistTrigger',
		icon: PICKY_ASSIST_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ($parameter["events"] || []).map((event) => (${EVENT_NAMES})[event] || event).join(", ") }}`,
		description:
			'Starts the workflow when Picky Assist reports a delivery status or receives a message',
		defaults: { name: 'Picky Assist Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				...responseFields(),
				path: 'pickyassist',
			},
		],
		properties: [
			{
				displayName:
					"Paste this node's URL into Picky Assist, adding ?secret=… when you set a Secret: for delivery events under Settings → Webhook → Event Webhook, for incoming messages under Settings → Webhooks (method JSON). Use the Production URL once the workflow is active (Publish in n8n 2.x).",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_OPTIONS,
				default: ['incomingMessage', 'deliveryReport'],
				description: 'Which webhooks start the workflow. Others are answered 200 and dropped.',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				displayOptions: { show: { events: ['deliveryReport'] } },
				options: DELIVERY_STATUSES.map((status) => ({
					name: status.charAt(0).toUpperCase() + status.slice(1),
					value: status,
				})),
				default: [...DELIVERY_STATUSES],
				description: 'Which delivery statuses start the workflow',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'When set, a request must carry ?secret=&lt;this value&gt; in its URL, or it is refused with HTTP 401. Picky Assist does not sign its webhooks, so this is what keeps strangers out.',
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'Immediately',
						value: 'onReceived',
						description: 'Answer 200 with {} as soon as the request is read',
					},
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description:
							'Answer with the JSON of the first item of the last node that ran: for an incoming message, the instant reply Picky Assist sends back to the person',
					},
					{
						name: "Using 'Respond to Webhook' Node",
						value: 'responseNode',
						description:
							"Answer with what a Respond to Webhook node returns. Use its version 1: later versions accept only n8n's own Webhook node before them.",
					},
				],
				default: 'onReceived',
			},
			{
				displayName:
					"In this mode every event is delivered at least once: a run that fails is answered 500 and Picky Assist sends the event again, so Drop Repeated Events is off. A run slower than Picky Assist's 180 s wait is sent again too and runs twice.",
				name: 'atLeastOnceNotice',
				type: 'notice',
				displayOptions: { show: { responseMode: ['lastNode', 'responseNode'] } },
				default: '',
			},
			TRIGGER_OPTIONS,
		],
	};

	webhookMethods = {
		default: {
			// Picky Assist's webhooks are configured by hand in its admin: there is nothing to register or remove.
			async checkExists(): Promise<boolean> {
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const node = this.getNode();
		// The trigger in this process: the workflow and the node (its id, or its name in workflows without ids).
		const triggerKey = `${String(this.getWorkflow().id)}\u0000${node.id ?? node.name}`;
		/** A warning, written at most once a minute per trigger and kind: what a stranger sends can repeat it. */
		const warn = (kind: string, message: string, what: string) => {
			const count = warnings.note(`${triggerKey}\u0000${kind}`, Date.now());
			if (count === undefined) return;
			const since =
				count > 1
					? ` (${count} ${what} like this since the last such line; these lines are written at most once a minute)`
					: '';
			this.logger.warn(`Picky Assist Trigger: ${message}${since}`);
		};
		const refuse = (status: number, reason: string): IWebhookResponseData => {
			warn(String(status), `answered ${status} and started nothing: ${reason}`, 'calls refused');
			response.status(status).json({ error: status === 401 ? SECRET_REFUSED : reason });
			return { noWebhookResponse: true };
		};
		const responseMode = this.getNodeParameter('responseMode', 'onReceived');
		const respondAtOnce = responseMode === 'onReceived';
		const answerEmpty = () => response.status(200).json({});
		const nothingToStart = (): IWebhookResponseData => {
			answerEmpty();
			return { noWebhookResponse: true };
		};
		/**
		 * Starts the workflow. n8n answers, as the Respond parameter says (trigger/responseFields.ts) — n8n 2.x
		 * only once the execution exists, so a 200 never stands for an event that could still be lost — except when
		 * the call changed the memory of Drop Repeated Events and the node answers "Immediately": n8n saves that
		 * memory when it hands over the response, and n8n 2.x, answering after creating the execution, would have
		 * reset the flag that tells it the memory changed by then. The node then answers itself, before it returns.
		 */
		const start = (items: INodeExecutionData[], remembered: boolean): IWebhookResponseData => {
			if (!respondAtOnce || !remembered) return { workflowData: [items] };
			answerEmpty();
			return { workflowData: [items], noWebhookResponse: true };
		};

		const secret = readSecretSetting(node.parameters.secret, () =>
			this.getNodeParameter('secret', ''),
		);
		if (secret.kind === 'unusable') {
			return refuse(
				401,
				`the Secret is set but ${secret.reason}, so every call is refused until the Secret is fixed`,
			);
		}
		if (
			secret.kind === 'text' &&
			!secretMatches((this.getQueryData() as IDataObject).secret, secret.text)
		) {
			return refuse(401, SECRET_REFUSED);
		}
		const contentType = String(this.getHeaderData()['content-type'] ?? '');
		if (!/json/i.test(contentType)) {
			return refuse(
				415,
				`the body is ${contentType || 'not typed'}, not JSON: set the webhook's method to JSON in Picky Assist`,
			);
		}
		const payload = readWebhookPayload(this.getBodyData());
		if (payload.kind === 'invalid') return refuse(400, payload.reason);
		if (payload.removedKeys > 0) {
			warn(
				'prototypeKeys',
				`left out ${payload.removedKeys} keys named __proto__, constructor or prototype, which no Picky Assist payload has`,
				'calls',
			);
		}

		const options = this.getNodeParameter('options', {}) as {
			deduplicate?: boolean;
		} & MediaOptions;
		// Only an "Immediately" answer is final once the node returns: in the other modes a failed run is answered 500
		// and Picky Assist sends the event again, which must then run again (at least once). A test listen is never
		// remembered either: it would hide the same sample from the next listen.
		const recent =
			options.deduplicate === false || !respondAtOnce || this.getMode() === 'manual'
				? undefined
				: new RecentEvents(this.getWorkflowStaticData('node'), Date.now(), undefined, triggerKey);
		const events = this.getNodeParameter('events', []) as string[];
		if (payload.kind === 'incomingMessage') {
			if (payload.outgoing || !events.includes('incomingMessage')) return nothingToStart();
			if (payload.key !== undefined && recent?.seenBefore(payload.key)) return nothingToStart();
			const item = await incomingItem(
				this,
				payload.json as IDataObject,
				options,
				secret.kind === 'text',
			);
			return start([item], recent?.save() ?? false);
		}

		if (!events.includes(payload.event)) return nothingToStart();
		if (payload.skipped > 0) {
			warn('skipped', `skipped ${payload.skipped} data entries that are not objects`, 'calls');
		}
		const statuses = this.getNodeParameter('statuses', []) as string[];
		const items: INodeExecutionData[] = [];
		for (const entry of payload.entries) {
			if (payload.event === 'deliveryReport' && !statuses.includes(String(entry.json.status)))
				continue;
			if (recent?.seenBefore(entry.key)) continue;
			items.push({ json: entry.json as IDataObject });
		}
		const remembered = recent?.save() ?? false;
		if (items.length === 0) return nothingToStart();
		return start(items, remembered);
	}
}
