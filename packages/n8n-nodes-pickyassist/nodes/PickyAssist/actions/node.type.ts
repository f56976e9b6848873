import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	message: 'sendDynamic';
};

export type PickyAssistType = AllEntities<NodeMap>;
