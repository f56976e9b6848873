import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as account from './account/Account.resource';
import * as contact from './contact/Contact.resource';
import * as message from './message/Message.resource';
import type { PickyAssistType } from './node.type';

/**
 * Dispatches resource and operation. Unlike per-item routers, each operation owns the whole batch of input
 * items: Send has to see every row before the first push, and Get Delivery Report makes one call per push_id.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0);
	const operation = this.getNodeParameter('operation', 0);
	const pickyAssist = { resource, operation } as PickyAssistType;

	switch (pickyAssist.resource) {
		case 'message':
			return [await message[pickyAssist.operation].execute.call(this)];
		case 'account':
			return [await account[pickyAssist.operation].execute.call(this)];
		case 'contact':
			return [await contact[pickyAssist.operation].execute.call(this)];
		default:
			throw new NodeOperationError(
				this.getNode(),
				`The resource "${String(resource)}" is not known`,
			);
	}
}
