/**
 * How Send Dynamic Messages reads its parameters from n8n: the node-level settings once, and each row's fields.
 * Plain templates over the row's own fields (`{{ $json.phone }}`, `Hi {{ $json.name }}`) are evaluated directly
 * — helpers/itemTemplate.ts gives exactly n8n's result, far faster — and everything else goes through n8n.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemTemplate } from '../../helpers/itemTemplate';
import { compileItemTemplate } from '../../helpers/itemTemplate';
import type { FieldReader, RowField, RowRules } from './rowCollection';
import type { SendSettings } from './sendSettings';
import { parseSendSettings } from './sendSettings';

/** Node-level settings are the same for every row of a push, so they are read once, from the first item. */
export function readSendSettings(context: IExecuteFunctions): SendSettings {
	const content = context.getNodeParameter('content', 0, 'text');
	const settings = parseSendSettings({
		application: context.getNodeParameter('application', 0),
		customApplication: context.getNodeParameter('customApplication', 0, ''),
		content,
		templateId: content === 'template' ? context.getNodeParameter('templateId', 0, '') : undefined,
		options: context.getNodeParameter('options', 0, {}) as IDataObject,
	});
	if (!settings.ok)
		throw new NodeOperationError(context.getNode(), settings.reason, { itemIndex: 0 });
	return settings.value;
}

export function rowRules(settings: SendSettings, perRowMedia: boolean): RowRules {
	return {
		defaultCountryCode: settings.defaultCountryCode,
		numberCheck: settings.numberCheck,
		hasGlobalMedia: settings.globalMedia !== undefined,
		template: settings.template !== undefined,
		perRowMedia,
		allowedPrefixes: settings.allowedPrefixes,
		skipDuplicates: settings.skipDuplicateRows,
	};
}

const PARAMETER: Record<Exclude<RowField, 'Template Variables'>, string> = {
	Number: 'number',
	Message: 'message',
	'Template Language': 'templateLanguage',
	'Media URL': 'options.mediaUrl',
};

function raw(context: IExecuteFunctions, name: string): unknown {
	return context.getNodeParameter(name, 0, '', { rawExpressions: true });
}

/** Whether the row's own Media URL option is set (then it is read per row). */
export function hasPerRowMedia(context: IExecuteFunctions): boolean {
	const options = raw(context, 'options') as IDataObject | undefined;
	return typeof options?.mediaUrl === 'string' && options.mediaUrl.trim() !== '';
}

export function fieldReader(context: IExecuteFunctions, items: INodeExecutionData[]): FieldReader {
	const options = (raw(context, 'options') ?? {}) as IDataObject;
	const fast: Partial<Record<RowField, ItemTemplate | undefined>> = {
		Number: compileItemTemplate(raw(context, 'number')),
		Message: compileItemTemplate(raw(context, 'message')),
		'Template Language': compileItemTemplate(raw(context, 'templateLanguage')),
		'Media URL': compileItemTemplate(options.mediaUrl),
	};
	const variables = ((raw(context, 'templateVariables') as IDataObject | undefined)?.variables ??
		[]) as IDataObject[];
	const variableTemplates = variables.map((variable) => compileItemTemplate(variable.value));

	const variablesOf = (itemIndex: number): unknown[] => {
		const json = items[itemIndex].json;
		const values: unknown[] = [];
		for (const template of variableTemplates) {
			const value = template?.(json);
			if (!value) {
				const all = context.getNodeParameter(
					'templateVariables.variables',
					itemIndex,
					[],
				) as IDataObject[];
				return all.map((variable) => variable.value);
			}
			values.push(value.value);
		}
		return values;
	};

	return (field, itemIndex) => {
		if (field === 'Template Variables') return variablesOf(itemIndex);
		const value = fast[field]?.(items[itemIndex].json);
		return value ? value.value : context.getNodeParameter(PARAMETER[field], itemIndex, '');
	};
}
