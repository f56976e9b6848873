import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Picky Assist authenticates by a `token` field in the JSON body of every call (never a header or the URL), so
 * `authenticate` puts it there. The credential test lives on the node (`testedBy`): a declarative test can only
 * fail on a fixed list of values, while Picky Assist answers a wrong token with HTTP 200 and `status: 401`, and only
 * `status: 100` means the token works.
 */
export class PickyAssistApi implements ICredentialType {
	name = 'pickyAssistApi';

	displayName = 'Picky Assist API';

	icon: Icon = {
		light: 'file:../nodes/PickyAssist/pickyassist.svg',
		dark: 'file:../nodes/PickyAssist/pickyassist.dark.svg',
	};

	documentationUrl = 'https://help.pickyassist.com/api-documentation-v2/quick-start-guide';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The API token of your Picky Assist project. Current (V4) admin: More Menu → Developers → Create API Token. Older (V3) admin: Settings → Developers → API. A V4 token can be bound to one IP address: allow the address your n8n sends from.',
		},
		{
			displayName: 'API Host',
			name: 'apiHost',
			type: 'options',
			default: 'v4',
			description: 'Where the token was created. A V4 token is rejected by the legacy host.',
			options: [
				{
					name: 'V4 (Current Admin, app.pickyassist.com)',
					value: 'v4',
					description: 'https://app.pickyassist.com/api/v2 — tokens from More Menu → Developers',
				},
				{
					name: 'V3 (Legacy Admin, pickyassist.com/app)',
					value: 'legacy',
					description:
						'https://pickyassist.com/app/api/v2 — tokens from Settings → Developers → API',
				},
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'Any base URL: the bundled sandbox for dry runs, a proxy, or a future host',
				},
			],
		},
		{
			displayName: 'Custom URL',
			name: 'customUrl',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:8866/api/v2',
			description:
				'Base URL that ends before /push, e.g. http://127.0.0.1:8866/api/v2 for the sandbox started by "npm run sandbox"',
			displayOptions: { show: { apiHost: ['custom'] } },
		},
	];

	/**
	 * Adds the token to the JSON body. A function rather than the declarative `{ body: { token: '={{…}}' } }`
	 * because n8n evaluates a declarative value with its expression engine on every request — about 5 ms per push
	 * on n8n 2.x, a quarter of the node's time in the benchmark — to produce the same string.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { body } = requestOptions;
		// Only a JSON object body can carry the token; a text, binary or form body is left as it is.
		if (body !== undefined && Object.prototype.toString.call(body) !== '[object Object]')
			return requestOptions;
		return {
			...requestOptions,
			body: { ...(body as object), token: String(credentials.apiToken ?? '') },
		};
	}
}
