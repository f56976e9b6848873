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
import type { GuardSettings } from './guardOptions';
import { GUARD_OPTIONS } from './guardOptions';
import { itemPrefix } from '../outcomes';
import type { SendSettings } from './sendSettings';
import { parseSendSettings } from './sendSettings';

function isExpression(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith('=');
}

/** A guard's value as settings hold it, for comparing items and naming what each got. */
function guardText(settings: SendSettings, name: string): string {
	switch (name) {
		case 'maxPushesPerMinute':
			return String(settings.maxPushesPerMinute);
		case 'requestTimeoutSeconds':
			return `${settings.timeoutMs / 1000} s`;
		case 'allowedPrefixes':
			return settings.allowedPrefixes ? `"${settings.allowedPrefixes.join(',')}"` : 'empty';
		default:
			return String(settings[name as keyof GuardSettings]);
	}
}

/**
 * Node-level settings are the same for every row of a push, so they are read once, from the first item — except
 * a guard (GUARD_OPTIONS) set by an expression, such as Validate Only from a sheet column: that is evaluated for
 * every item, and items that disagree refuse the run, since one run cannot both send and not send, cap and not
 * cap. Only options that are expressions are evaluated per item: n8n's evaluation is the costly part.
 */
export function readSendSettings(
	context: IExecuteFunctions,
	items: readonly INodeExecutionData[],
	lookup = false,
): SendSettings {
	const node = context.getNode();
	const rawOptions = (node.parameters.options ?? {}) as IDataObject;
	const perItem = Object.keys(GUARD_OPTIONS).filter((name) => isExpression(rawOptions[name]));
	const content = context.getNodeParameter('content', 0, 'text');
	const fixed = {
		application: context.getNodeParameter('application', 0),
		customApplication: context.getNodeParameter('customApplication', 0, ''),
		content,
		templateId: content === 'template' ? context.getNodeParameter('templateId', 0, '') : undefined,
		expressionOptions: new Set(perItem),
		lookup,
	};
	const where = (itemIndex: number) => (perItem.length > 0 ? itemPrefix(itemIndex) : '');
	const parse = (options: IDataObject, itemIndex: number): SendSettings => {
		const settings = parseSendSettings({ ...fixed, options });
		if (!settings.ok) {
			const message = `${where(itemIndex)}${settings.reason}; nothing was sent`;
			throw new NodeOperationError(node, message, { itemIndex });
		}
		return settings.value;
	};

	const first = { ...(context.getNodeParameter('options', 0, {}) as IDataObject) };
	// An expression that gives nothing is still set: it must not fall back to the option's default.
	for (const name of perItem) if (!(name in first)) first[name] = undefined;
	const settings = parse(first, 0);
	// A plain template over the row's own fields (`{{ $json.dry_run }}`) is read directly, as rows' fields are.
	const fast = perItem.map((name) => compileItemTemplate(rawOptions[name]));
	for (let itemIndex = 1; itemIndex < items.length && perItem.length > 0; itemIndex++) {
		const options = { ...first };
		perItem.forEach((name, position) => {
			const value = fast[position]?.(items[itemIndex].json);
			options[name] = value
				? value.value
				: context.getNodeParameter(`options.${name}`, itemIndex, undefined);
		});
		const other = parse(options, itemIndex);
		for (const name of perItem) {
			const [expected, got] = [guardText(settings, name), guardText(other, name)];
			if (expected === got) continue;
			throw new NodeOperationError(
				node,
				`"${GUARD_OPTIONS[name]}" is ${expected} for item 0 but ${got} for item ${itemIndex}; nothing was sent`,
				{
					itemIndex,
					description:
						'This setting comes from an expression, and it guards what is sent, so it must be the same for every item of one run. Split the items (for example with a Filter or an If node) and send each group with its own setting.',
				},
			);
		}
	}
	return settings;
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
		numbersOnly: settings.lookup === true,
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
