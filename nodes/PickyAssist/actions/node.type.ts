import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	message: 'sendDynamic' | 'sendAndWait' | 'getDeliveryReport';
	account: 'getBalance';
	contact: 'checkWhatsApp';
};

export type PickyAssistType = AllEntities<NodeMap>;
