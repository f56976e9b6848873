import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	message: 'sendDynamic' | 'getDeliveryReport';
	account: 'getBalance';
};

export type PickyAssistType = AllEntities<NodeMap>;
