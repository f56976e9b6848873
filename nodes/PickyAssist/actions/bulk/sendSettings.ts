/** The node-level settings of a bulk run (a send or a lookup), checked once before any row is read. */
import type { Checked } from '../../helpers/checked';
import { invalid, valid } from '../../helpers/checked';
import { DEFAULT_BATCH_SIZE, validateBatchSize } from '../../helpers/batching';
import { DEFAULT_PUSH_MEGABYTES, MAX_PUSH_MEGABYTES } from '../../helpers/mediaFile';
import type { NumberCheck } from '../../helpers/numberingPlan';
import { parseNumberCheck } from '../../helpers/numberingPlan';
import { isSet, readNumber } from '../../helpers/optionValues';
import { normalizeCountryCode } from '../../helpers/phoneNumber';
import { checkTemplateHeader } from '../../helpers/templateValues';
import type { PushSettings } from '../../transport';
import { parseCallLimits } from '../callLimits';
import type { GuardSettings } from './guardOptions';
import { parseGuards } from './guardOptions';

export const PUSHES_PER_MINUTE = {
	name: 'maxPushesPerMinute',
	displayName: 'Max Pushes per Minute',
};

export interface SendSettings extends PushSettings, GuardSettings {
	batchSize: number;
	defaultCountryCode?: string;
	numberCheck: NumberCheck;
	maxPushesPerMinute: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	timeoutMs: number;
	/** A WhatsApp template (with its id) instead of each row's text. */
	template?: { id: string; header?: string };
	/** The binary field whose file a row sends as its own media (Media From Binary Field). */
	mediaBinaryProperty?: string;
	/** The most bytes one push body may have when rows carry files: the memory a push needs is bounded by it. */
	maxPushBytes: number;
}

/** The channels Picky Assist's WhatsApp Number Filter runs on. */
export const LOOKUP_APPLICATIONS = ['1', '2', '8', '10'];
/**
 * A lookup on phone automation may take up to 120 s before Picky Assist answers: the default Request Timeout
 * stays above that, so a slow answer is not turned into an unknown outcome.
 */
export const LOOKUP_TIMEOUT_SECONDS = 180;

/** The parameters as the node reads them, before any check. */
export interface SendParameters {
	application: unknown;
	customApplication?: unknown;
	content?: unknown;
	templateId?: unknown;
	options: Record<string, unknown>;
	/** The options set by an expression: for them an empty value is a mistake, never "not set". */
	expressionOptions?: ReadonlySet<string>;
	/** Check WhatsApp Numbers: the rows are looked up, nothing is sent to them. */
	lookup?: boolean;
}

function field(name: string, reason: string): Checked<SendSettings> {
	return invalid(`"${name}" ${reason}`);
}

export function parseSendSettings(parameters: SendParameters): Checked<SendSettings> {
	const { options } = parameters;
	const chosen = parameters.application;
	const application = String(
		chosen === 'custom' ? (parameters.customApplication ?? '') : chosen,
	).trim();
	if (!/^\d{1,20}$/.test(application)) {
		return field(
			'Custom Application',
			`must be the digits of a channel ID or shared number, got "${application}"`,
		);
	}

	const globalMedia = String(options.globalMedia ?? '').trim() || undefined;
	if (globalMedia !== undefined && !/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(globalMedia)) {
		return field(
			'Global Media URL',
			`must be a public http:// or https:// URL, got "${globalMedia}"`,
		);
	}

	const mediaBinaryProperty = readPropertyName(options.mediaBinaryProperty);
	if (!mediaBinaryProperty.ok) return field('Media From Binary Field', mediaBinaryProperty.reason);
	const pushMegabytes = readNumber(
		isSet(options, 'maxPushMegabytes') ? options.maxPushMegabytes : DEFAULT_PUSH_MEGABYTES,
		{ min: 1, max: MAX_PUSH_MEGABYTES, whole: false, unit: 'MB' },
	);
	if (!pushMegabytes.ok) return field('Max Push Size (MB)', pushMegabytes.reason);

	const batchSize = validateBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE);
	if (!batchSize.ok) return field('Batch Size', batchSize.reason);

	const countryCode = normalizeCountryCode(options.defaultCountryCode);
	if (!countryCode.ok) return field('Default Country Code', countryCode.reason);

	const numberCheck = parseNumberCheck(options.numberCheck);
	if (!numberCheck.ok) return field('Number Check', numberCheck.reason);

	if (parameters.lookup && !LOOKUP_APPLICATIONS.includes(application)) {
		return field(
			'Application',
			`must be ${LOOKUP_APPLICATIONS.join(', ')} for a WhatsApp number check (the channels Picky Assist's WhatsApp Number Filter runs on), got "${application}"`,
		);
	}
	const limits = parseCallLimits(
		options,
		PUSHES_PER_MINUTE,
		parameters.lookup ? LOOKUP_TIMEOUT_SECONDS : undefined,
	);
	if (!limits.ok) return invalid(limits.reason);

	const guards = parseGuards(options, parameters.expressionOptions);
	if (!guards.ok) return invalid(guards.reason);
	let template: SendSettings['template'];
	if (parameters.content === 'template') {
		const id = String(parameters.templateId ?? '').trim();
		if (!/^[A-Za-z0-9_.-]{1,128}$/.test(id)) {
			return field('Template ID', `must be the ID of an approved template, got "${id}"`);
		}
		const header = checkTemplateHeader(options.templateHeader);
		if (!header.ok) return field('Template Header', header.reason);
		template = { id, header: header.value };
	}

	return valid({
		application,
		lookup: parameters.lookup === true || undefined,
		priority: options.priority === 'high' ? '1' : '0',
		globalMedia,
		batchSize: batchSize.value,
		defaultCountryCode: countryCode.value,
		numberCheck: numberCheck.value,
		maxPushesPerMinute: limits.value.maxPerMinute,
		maxRetries: limits.value.maxRetries,
		maxRetryWaitMs: limits.value.maxRetryWaitMs,
		timeoutMs: limits.value.timeoutMs,
		template,
		mediaBinaryProperty: mediaBinaryProperty.value,
		maxPushBytes: Math.floor(pushMegabytes.value * 1024 * 1024),
		...guards.value,
	});
}

/**
 * A binary field's name as n8n names them (`data`, `attachment_0`, a path in 2.x's combined mode); empty means
 * the option is off. A number from an expression is not a field name someone meant.
 */
function readPropertyName(value: unknown): Checked<string | undefined> {
	if (value === undefined || value === null) return valid(undefined);
	if (typeof value !== 'string') {
		return invalid(`must be the name of a binary field, such as data, got ${typeof value}`);
	}
	const name = value.trim();
	if (name === '') return valid(undefined);
	if (/\s/.test(name) || /(^|\.)(__proto__|constructor|prototype)($|\.)/.test(name)) {
		return invalid(`must be the name of one binary field, such as data, got "${name}"`);
	}
	return valid(name);
}
