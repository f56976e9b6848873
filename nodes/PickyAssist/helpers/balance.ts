/**
 * Reads the balance Picky Assist reports: a string in its samples ("2.5"), sometimes a number, possibly with
 * thousands separators. `balance` is undefined when the value cannot be read as one number, so a comparison
 * never runs on a guess.
 */
export function readBalance(value: unknown): { balance: number | undefined; raw: unknown } {
	let balance: number | undefined;
	if (typeof value === 'number' && Number.isFinite(value)) balance = value;
	if (typeof value === 'string') {
		const text = value.trim();
		const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replace(/,/g, '') : text;
		if (/^-?\d+(\.\d+)?$/.test(plain)) balance = Number(plain);
	}
	return { balance, raw: value };
}
