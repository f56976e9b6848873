/** Building blocks of the node panels that every operation and the trigger use alike. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The "Options" collection: optional settings, added one by one in the panel. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** The Operation field of one resource; its first operation is the default. */
export function operationField(resource: string, options: INodePropertyOptions[]): INodeProperties {
	const field: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: '',
	};
	field.default = options[0].value;
	return field;
}
