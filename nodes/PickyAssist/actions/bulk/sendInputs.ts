/**
 * How a bulk run reads its parameters from n8n: the node-level settings once, and each row's fields.
 * Plain templates over the row's own fields (`{{ $json.phone }}`, `Hi {{ $json.name }}`) are evaluated directly
 * — helpers/itemTemplate.ts gives exactly n8n's result, far faster — and everything else goes through n8n.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemTemplate } from '../../helpers/itemTemplate';
import { compileItemTemplate } from '../../helpers/itemTemplate';
import { perRowMediaRefusal } from '../../helpers/mediaFile';
import { messageDigest } from './sendRecord';
import type { PushRow } from '../../transport';
import type { FieldReader, OutgoingRow, RowField, RowFile, RowRules } from './rowCollection';
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
		files: settings.mediaBinaryProperty !== undefined,
		mediaRefusal: perRowMediaRefusal(settings.application),
		maxPushBytes: settings.maxPushBytes,
		allowedPrefixes: settings.allowedPrefixes,
		skipDuplicates: settings.skipDuplicateRows,
		numbersOnly: settings.lookup === true,
	};
}

const PARAMETER: Record<
	Exclude<RowField, 'Template Variables' | 'Media From Binary Field'>,
	string
> = {
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

export function fieldReader(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	files: ReadonlyArray<RowFile | undefined> = [],
): FieldReader {
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
		if (field === 'Media From Binary Field') return files[itemIndex];
		const value = fast[field]?.(items[itemIndex].json);
		return value ? value.value : context.getNodeParameter(PARAMETER[field], itemIndex, '');
	};
}

/** The item's file in the binary field, or undefined when it has none (that row then sends no file). */
function binaryOf(
	context: IExecuteFunctions,
	itemIndex: number,
	property: string,
): IBinaryData | undefined {
	try {
		// n8n's own lookup, so a path in 2.x's combined binary mode works as a field name does.
		const binary = context.helpers.assertBinaryData(itemIndex, property);
		// Anything but n8n's binary data object (its bytes or its store's marker as text) is no file.
		return typeof binary?.data === 'string' ? binary : undefined;
	} catch {
		return undefined;
	}
}

/** The bytes held as base64 in the item itself (n8n's in-memory binary mode). */
function base64Bytes(data: string): number {
	const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
	return Math.floor((data.length * 3) / 4) - padding;
}

/**
 * What n8n says of each item's file in the Media From Binary Field, one item at a time and without reading any
 * bytes that live outside the item (n8n's filesystem and S3 modes): size, type, name and what names its content.
 */
export async function readRowFiles(
	context: IExecuteFunctions,
	itemCount: number,
	property: string,
): Promise<Array<RowFile | undefined>> {
	const files: Array<RowFile | undefined> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		const binary = binaryOf(context, itemIndex, property);
		if (!binary) {
			files.push(undefined);
			continue;
		}
		const bytes =
			typeof binary.bytes === 'number'
				? binary.bytes
				: binary.id
					? (await context.helpers.getBinaryMetadata(binary.id)).fileSize
					: base64Bytes(binary.data);
		files.push({
			mimeType: binary.mimeType,
			fileName: binary.fileName,
			bytes,
			identity: binary.id ?? messageDigest(binary.data),
		});
	}
	return files;
}

/**
 * A push's rows with their files' bytes as base64, read now — one push's files in memory at a time. A file that
 * cannot be read, or is no longer the file that was checked, keeps its row out of the push.
 */
export async function withFileContents<T extends OutgoingRow>(
	context: IExecuteFunctions,
	rows: readonly T[],
	property: string,
): Promise<{ rows: Array<T & PushRow>; unreadable: Array<{ row: T; reason: string }> }> {
	const ready: Array<T & PushRow> = [];
	const unreadable: Array<{ row: T; reason: string }> = [];
	for (const row of rows) {
		if (!row.file) {
			ready.push(row);
			continue;
		}
		const binary = binaryOf(context, row.itemIndex, property);
		const content = binary
			? await context.helpers.getBinaryDataBuffer(row.itemIndex, binary).catch(() => undefined)
			: undefined;
		if (!content || content.length !== row.file.bytes) {
			unreadable.push({
				row,
				reason: content
					? `changed size after it was checked (${row.file.bytes} bytes, now ${content.length})`
					: "could not be read from n8n's binary data",
			});
			continue;
		}
		ready.push({ ...row, mediaCode: content.toString('base64'), mediaName: row.file.name });
	}
	return { rows: ready, unreadable };
}
