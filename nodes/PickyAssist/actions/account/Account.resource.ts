import type { INodeProperties } from 'n8n-workflow';

import { operationField } from '../descriptions';
import * as getBalance from './getBalance.operation';

export { getBalance };

export const description: INodeProperties[] = [
	operationField('account', [
		{
			name: 'Get Balance',
			value: 'getBalance',
			description: "Read the account's credit balance (sends nothing, costs nothing)",
			action: 'Get balance',
		},
	]),
	...getBalance.description,
];
