/** The node-level settings of Send Dynamic Messages, checked once before any row is read. */
import type { Checked } from '../../helpers/checked';
import { invalid, valid } from '../../helpers/checked';
import { DEFAULT_BATCH_SIZE, validateBatchSize } from '../../helpers/batching';
import type { NumberCheck } from '../../helpers/numberingPlan';
import { parseNumberCheck } from '../../helpers/numberingPlan';
import { normalizeCountryCode } from '../../helpers/phoneNumber';
import { checkTemplateHeader, parsePrefixes } from '../../helpers/templateValues';
import type { PushSettings } from '../../transport';
import { numberInRange, parseCallLimits } from '../callLimits';

export const PUSHES_PER_MINUTE = {
	name: 'maxPushesPerMinute',
	displayName: 'Max Pushes per Minute',
};

export interface SendSettings extends PushSettings {
	batchSize: number;
	defaultCountryCode?: string;
	numberCheck: NumberCheck;
	maxPushesPerMinute: number;
	maxRetries: number;
	maxRetryWaitMs: number;
	timeoutMs: number;
	/** 0: no check. */
	minBalance: number;
	/** A WhatsApp template (with its id) instead of each row's text. */
	template?: { id: string; header?: string };
	dryRun: boolean;
	skipDuplicateRows: boolean;
	/** 0: no cap. */
	maxRecipients: number;
	allowedPrefixes?: string[];
}

/** The parameters as the node reads them, before any check. */
export interface SendParameters {
	application: unknown;
	customApplication?: unknown;
	content?: unknown;
	templateId?: unknown;
	options: Record<string, unknown>;
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

	const batchSize = validateBatchSize(options.batchSize ?? DEFAULT_BATCH_SIZE);
	if (!batchSize.ok) return field('Batch Size', batchSize.reason);

	const countryCode = normalizeCountryCode(options.defaultCountryCode);
	if (!countryCode.ok) return field('Default Country Code', countryCode.reason);

	const numberCheck = parseNumberCheck(options.numberCheck);
	if (!numberCheck.ok) return field('Number Check', numberCheck.reason);

	const limits = parseCallLimits(options, PUSHES_PER_MINUTE);
	if (!limits.ok) return invalid(limits.reason);

	const minBalance = numberInRange(options.minBalance, 0, 0, Number.MAX_SAFE_INTEGER);
	if (minBalance === undefined) return field('Minimum Balance', 'must be 0 (no check) or more');
	const maxRecipients = numberInRange(options.maxRecipients, 0, 0, Number.MAX_SAFE_INTEGER);
	if (maxRecipients === undefined) return field('Max Recipients', 'must be 0 (no cap) or more');
	const prefixes = parsePrefixes(options.allowedPrefixes);
	if (!prefixes.ok) return field('Allowed Prefixes', prefixes.reason);

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
		priority: options.priority === 'high' ? '1' : '0',
		globalMedia,
		batchSize: batchSize.value,
		defaultCountryCode: countryCode.value,
		numberCheck: numberCheck.value,
		maxPushesPerMinute: limits.value.maxPerMinute,
		maxRetries: limits.value.maxRetries,
		maxRetryWaitMs: limits.value.maxRetryWaitMs,
		timeoutMs: limits.value.timeoutMs,
		minBalance,
		template,
		dryRun: options.dryRun === true,
		skipDuplicateRows: options.skipDuplicateRows === true,
		maxRecipients: Math.floor(maxRecipients),
		allowedPrefixes: prefixes.value,
	});
}
