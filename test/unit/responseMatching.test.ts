import { matchResponse } from '../../nodes/PickyAssist/helpers/responseMatching';

const A = '447700900123';
const B = '5511987654321';
const C = '919876543210';
const D = '4915112345678';

function entry(msgId: string, number: string, credit = '0.005') {
	return { msg_id: msgId, number, credit };
}

describe('matchResponse: by number, never by position', () => {
	it('matches a response in request order', () => {
		const data = [entry('1', A), entry('2', B), entry('3', C)];
		expect(matchResponse([A, B, C], data)).toEqual({
			matched: [entry('1', A), entry('2', B), entry('3', C)],
			missing: [],
			unexpected: [],
		});
	});

	it('matches a shuffled response to the right positions', () => {
		const data = [entry('3', C), entry('1', A), entry('2', B)];
		expect(matchResponse([A, B, C], data)).toEqual({
			matched: [entry('1', A), entry('2', B), entry('3', C)],
			missing: [],
			unexpected: [],
		});
	});

	it('matches a reversed response of four', () => {
		const data = [entry('d', D), entry('c', C), entry('b', B), entry('a', A)];
		const result = matchResponse([A, B, C, D], data);
		expect(result.matched.map((m) => m?.msg_id)).toEqual(['a', 'b', 'c', 'd']);
		expect(result.missing).toEqual([]);
		expect(result.unexpected).toEqual([]);
	});

	it('never pairs a number sent twice by a guessed order: its rows are missing, its entries unexpected', () => {
		// Picky Assist does not document the order of its answer, so "a2" may well belong to the first A.
		const sent = [A, B, A, C];
		const data = [entry('b', B), entry('a2', A), entry('c', C), entry('a1', A)];
		expect(matchResponse(sent, data)).toEqual({
			matched: [undefined, entry('b', B), undefined, entry('c', C)],
			missing: [0, 2],
			unexpected: [entry('a2', A), entry('a1', A)],
		});
	});

	it('a second entry for a number sent once is unexpected, never a second msg_id for the row', () => {
		const result = matchResponse([A, B], [entry('a1', A), entry('b', B), entry('a2', A)]);
		expect(result.matched).toEqual([entry('a1', A), entry('b', B)]);
		expect(result.missing).toEqual([]);
		expect(result.unexpected).toEqual([entry('a2', A)]);
	});

	it('a short response lists the rows without an entry as missing, wherever they are', () => {
		const data = [entry('3', C), entry('1', A)];
		const result = matchResponse([A, B, C], data);
		expect(result.matched).toEqual([entry('1', A), undefined, entry('3', C)]);
		expect(result.missing).toEqual([1]);
		expect(result.unexpected).toEqual([]);
	});

	it('does not match by position when the numbers differ (same length response with foreign numbers)', () => {
		const data = [entry('1', '447700900999'), entry('2', '5511900000000')];
		const result = matchResponse([A, B], data);
		expect(result.matched).toEqual([undefined, undefined]);
		expect(result.missing).toEqual([0, 1]);
		expect(result.unexpected).toEqual(data);
	});

	it('a foreign number among correct ones is unexpected, not matched to the leftover row', () => {
		const foreign = entry('x', '12125551234');
		const data = [entry('1', A), foreign];
		const result = matchResponse([A, B], data);
		expect(result.matched).toEqual([entry('1', A), undefined]);
		expect(result.missing).toEqual([1]);
		expect(result.unexpected).toEqual([foreign]);
	});

	it('extra entries (a second entry for a number sent once) are unexpected', () => {
		const extra = entry('2', A);
		const data = [entry('1', A), entry('b', B), extra];
		const result = matchResponse([A, B], data);
		expect(result.matched).toEqual([entry('1', A), entry('b', B)]);
		expect(result.missing).toEqual([]);
		expect(result.unexpected).toEqual([extra]);
	});

	it('an empty response leaves every row missing', () => {
		expect(matchResponse([A, B], [])).toEqual({
			matched: [undefined, undefined],
			missing: [0, 1],
			unexpected: [],
		});
	});

	it('an empty push with entries makes every entry unexpected', () => {
		const data = [entry('1', A)];
		expect(matchResponse([], data)).toEqual({ matched: [], missing: [], unexpected: data });
	});
});

describe('matchResponse: compares digits only', () => {
	it('matches a returned number written with + and spaces', () => {
		const result = matchResponse(
			[A, B],
			[{ msg_id: '1', number: '+44 7700 900123', credit: '0.005' }, entry('2', B)],
		);
		expect(result.matched[0]?.msg_id).toBe('1');
		expect(result.matched[1]?.msg_id).toBe('2');
		expect(result.missing).toEqual([]);
		expect(result.unexpected).toEqual([]);
	});

	it('matches a returned number given as a JSON number, and reports it as a string', () => {
		const result = matchResponse([A], [{ msg_id: '1', number: 447700900123, credit: '0.005' }]);
		expect(result.matched).toEqual([{ msg_id: '1', number: '447700900123', credit: '0.005' }]);
		expect(result.missing).toEqual([]);
		expect(result.unexpected).toEqual([]);
	});

	it('matches when the sent number carries non-digits (e.g. +44 7700 900123)', () => {
		const result = matchResponse(['+44 7700 900123'], [entry('1', A)]);
		expect(result.matched).toEqual([entry('1', A)]);
		expect(result.missing).toEqual([]);
		expect(result.unexpected).toEqual([]);
	});

	it('does not treat a number with an extra leading 0 as the same number', () => {
		const wrong = entry('1', '0' + A);
		const result = matchResponse([A], [wrong]);
		expect(result.missing).toEqual([0]);
		expect(result.unexpected).toEqual([wrong]);
	});
});

describe('matchResponse: entry shapes', () => {
	it('converts a numeric msg_id and a numeric credit to strings', () => {
		const result = matchResponse([A], [{ msg_id: 9844217, number: A, credit: 0.005 }]);
		expect(result.matched).toEqual([{ msg_id: '9844217', number: A, credit: '0.005' }]);
	});

	it('keeps only msg_id, number and credit of an entry', () => {
		const result = matchResponse(
			[A],
			[{ msg_id: '1', number: A, credit: '1', status: 'x', extra: { a: 1 } }],
		);
		expect(result.matched).toEqual([{ msg_id: '1', number: A, credit: '1' }]);
	});

	it('an entry without credit still matches, with credit as a string', () => {
		const result = matchResponse([A], [{ msg_id: '1', number: A }]);
		expect(result.matched).toHaveLength(1);
		expect(result.matched[0]?.msg_id).toBe('1');
		expect(result.matched[0]?.number).toBe(A);
		expect(typeof result.matched[0]?.credit).toBe('string');
		expect(result.missing).toEqual([]);
	});

	it.each([
		['missing msg_id', { number: A, credit: '0.005' }],
		['null msg_id', { msg_id: null, number: A, credit: '0.005' }],
		['empty msg_id', { msg_id: '', number: A, credit: '0.005' }],
		['blank msg_id', { msg_id: '   ', number: A, credit: '0.005' }],
		['object msg_id', { msg_id: { id: 1 }, number: A, credit: '0.005' }],
		['NaN msg_id', { msg_id: NaN, number: A, credit: '0.005' }],
		['missing number', { msg_id: '1', credit: '0.005' }],
		['null number', { msg_id: '1', number: null, credit: '0.005' }],
		['number without digits', { msg_id: '1', number: '+', credit: '0.005' }],
	])('an entry with %s is unexpected and its row missing', (_label, bad) => {
		const result = matchResponse([A, B], [bad, entry('2', B)]);
		expect(result.matched).toEqual([undefined, entry('2', B)]);
		expect(result.missing).toEqual([0]);
		expect(result.unexpected).toEqual([bad]);
	});

	it('an entry without msg_id does not use up the row: a later good entry for the same number matches it', () => {
		const bad = { number: A, credit: '0.005' };
		const result = matchResponse([A], [bad, entry('1', A)]);
		expect(result.matched).toEqual([entry('1', A)]);
		expect(result.missing).toEqual([]);
		expect(result.unexpected).toEqual([bad]);
	});

	it.each([[null], [undefined], ['447700900123'], [447700900123], [true], [[A, '1']]])(
		'a non-object entry %j is unexpected',
		(bad) => {
			const result = matchResponse([A, B], [entry('1', A), bad, entry('2', B)]);
			expect(result.matched).toEqual([entry('1', A), entry('2', B)]);
			expect(result.missing).toEqual([]);
			expect(result.unexpected).toEqual([bad]);
		},
	);
});

describe('matchResponse: data that is not an array', () => {
	it.each([
		[undefined],
		[null],
		['[]'],
		[42],
		[{ msg_id: '1', number: A }],
		[{ 0: entry('1', A), length: 1 }],
	])('%j → every row missing, nothing matched', (data) => {
		const result = matchResponse([A, B, C], data);
		expect(result.matched).toEqual([undefined, undefined, undefined]);
		expect(result.missing).toEqual([0, 1, 2]);
	});

	it.each([[undefined], [null]])('%j → nothing unexpected', (data) => {
		expect(matchResponse([A], data).unexpected).toEqual([]);
	});
});
