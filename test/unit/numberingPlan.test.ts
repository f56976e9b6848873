/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: runs in Node.js and never ships */
/**
 * The numbering plans are generated from libphonenumber-js's metadata at build time: the table must be what the
 * metadata says today, and the node's checks must answer as libphonenumber's isPossibleNumber and isValidNumber.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { isPossiblePhoneNumber, isValidPhoneNumber, parsePhoneNumber } from 'libphonenumber-js/max';
import * as ts from 'typescript';
// Required, not imported: TypeScript would infer a type for every entry of these large files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const examples: Record<string, string> = require('libphonenumber-js/examples.mobile.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const metadata = require('libphonenumber-js/metadata.max.json');

import {
	checkNumberingPlan,
	parseNumberCheck,
} from '../../nodes/PickyAssist/helpers/numberingPlan';
import {
	LIBPHONENUMBER_VERSION,
	NUMBERING_PLANS,
} from '../../nodes/PickyAssist/helpers/numberingPlans.generated';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { numberingPlans, OUTPUT } = require('../../scripts/numbering-plans.js');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

describe('the generated numbering plans', () => {
	it('match the installed libphonenumber-js metadata, calling code by calling code', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		expect(LIBPHONENUMBER_VERSION).toBe(require('libphonenumber-js/package.json').version);
		expect(NUMBERING_PLANS).toEqual(numberingPlans(metadata));
		const callingCodes = [
			...Object.keys(metadata.country_calling_codes),
			...Object.keys(metadata.nonGeographic),
		];
		expect(Object.keys(NUMBERING_PLANS).sort()).toEqual(callingCodes.sort());
		expect(NUMBERING_PLANS['44'][0][3]).toEqual([7, 9, 10]);
		expect(NUMBERING_PLANS['44'].map(([region]) => region)).toEqual(['GB', 'GG', 'IM', 'JE']);
	});
});

describe('the licences of the data the numbering plans come from', () => {
	// The generated file is what carries the data into dist/, so it carries their notices too: a /*! comment,
	// which TypeScript keeps in the JavaScript even with removeComments (as the package's tsconfig sets).
	const generated = fs.readFileSync(OUTPUT, 'utf8');
	const licence = (file: string) =>
		fs
			.readFileSync(
				path.join(path.dirname(require.resolve('libphonenumber-js/package.json')), file),
				'utf8',
			)
			.trim();

	// The comment the file starts with, when it is a /*! comment.
	const header = /^\/\*![\s\S]*?\*\//.exec(generated)?.[0] ?? '';

	it("head the generated file: libphonenumber-js (MIT) and Google's libphonenumber metadata (Apache-2.0)", () => {
		expect(header).not.toBe('');
		expect(header).toContain(`libphonenumber-js ${LIBPHONENUMBER_VERSION}`);
		for (const line of [
			...licence('LICENSE').split('\n'),
			...licence('LICENSE.Apache').split('\n'),
		])
			expect(header).toContain(line.trimEnd());
	});

	it("stay in the JavaScript that the package's build makes from it", () => {
		const { compilerOptions } = ts.readConfigFile(
			path.join(REPO_ROOT, 'tsconfig.json'),
			ts.sys.readFile,
		).config;
		expect(compilerOptions.removeComments).toBe(true);
		const options = ts.convertCompilerOptionsFromJson(compilerOptions, REPO_ROOT).options;
		const js = ts.transpileModule(generated, { compilerOptions: options }).outputText;
		expect(header).not.toBe('');
		expect(js).toContain(header);
	});
});

/** A deterministic stream of numbers near real ones: every example, and each with one digit changed, added or dropped. */
function* candidates(): Generator<string> {
	let seed = 19;
	const random = (n: number) => {
		seed = (seed * 1103515245 + 12345) % 2147483648;
		return seed % n;
	};
	for (const [country, national] of Object.entries(examples)) {
		const full = parsePhoneNumber(national, country as never).number.slice(1);
		yield full;
		for (let variant = 0; variant < 12; variant++) {
			const at = 1 + random(full.length - 1);
			const digit = String(random(10));
			if (variant % 3 === 0) yield full.slice(0, at) + digit + full.slice(at + 1);
			else if (variant % 3 === 1) yield full.slice(0, at) + digit + full.slice(at);
			else yield full.slice(0, at) + full.slice(at + 1);
		}
	}
}

describe('checkNumberingPlan answers as libphonenumber does', () => {
	it('possible and valid agree with isPossiblePhoneNumber and isValidPhoneNumber on thousands of numbers', () => {
		let compared = 0;
		for (const digits of candidates()) {
			let parsed;
			try {
				parsed = parsePhoneNumber(`+${digits}`);
			} catch {
				continue;
			}
			// libphonenumber strips a national prefix while parsing; the node checks the digits it sends as they are.
			if (`${parsed.countryCallingCode}${parsed.nationalNumber}` !== digits) continue;
			// The strict check also names North America's fiction range, which the metadata does not mark.
			if (/^1[2-9]\d\d55501\d\d$/.test(digits)) continue;
			const label = `+${digits}`;
			expect([label, checkNumberingPlan(digits, 'possible').ok]).toEqual([
				label,
				isPossiblePhoneNumber(label),
			]);
			expect([label, checkNumberingPlan(digits, 'valid').ok]).toEqual([
				label,
				isValidPhoneNumber(label),
			]);
			compared++;
		}
		expect(compared).toBeGreaterThan(2000);
	});
});

describe('parseNumberCheck', () => {
	it.each([
		[undefined, 'possible'],
		['', 'possible'],
		['possible', 'possible'],
		['valid', 'valid'],
		[' valid ', 'valid'],
	])('%j → %s', (value, expected) => {
		expect(parseNumberCheck(value)).toEqual({ ok: true, value: expected });
	});

	it.each(['strict', 'Valid', true, 1, null, {}])(
		'%j is refused, never read as the default',
		(value) => {
			const result = parseNumberCheck(value);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.reason).toContain('"possible" (Possible Length) or "valid"');
		},
	);
});
