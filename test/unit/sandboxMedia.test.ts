/** The sandbox's strict reading of a push row's own file (media_code / media_name / media). */
import axios from 'axios';

import { startSandbox } from '../sandbox';
import { rowMediaRefusal } from '../sandbox/media';

describe('a push row with its own file', () => {
	const pdf = Buffer.from('%PDF-1.4 tiny').toString('base64');

	it.each([
		[{ media_code: pdf, media_name: 'invoice-0042.pdf' }, '8', undefined],
		[{ media: 'https://x/y.jpg' }, '8', undefined],
		[{ media_code: pdf }, '5012', undefined], // a shared number's channel id
		[{ media_code: pdf }, '1', /only on WhatsApp Official and shared numbers, not application 1/],
		[{ media: 'https://x/y.jpg' }, '10', /not application 10/],
		[{ media_code: `data:application/pdf;base64,${pdf}` }, '8', /not raw base64/],
		[{ media_code: 'abc' }, '8', /not raw base64/],
		[{ media_code: pdf, media_name: 'a-very-long-file-name.pdf' }, '8', /at most 20 characters/],
		[{ media_name: 'x.pdf' }, '8', /media_name without media_code/],
		[{ message: 'no file' }, '1', undefined],
	])('%j on application %s', (row, application, expected) => {
		const refusal = rowMediaRefusal(row, application);
		if (expected === undefined) expect(refusal).toBeUndefined();
		else expect(refusal).toMatch(expected);
	});

	it('a refused row refuses the push as an invalid request, naming the row; nothing is billed', async () => {
		const sandbox = await startSandbox({ tokens: ['t'], balance: 10 });
		try {
			const { data } = await axios.post(`${sandbox.baseUrl()}/push`, {
				token: 't',
				application: '8',
				data: [
					{ number: '447700900001', message: 'ok' },
					{ number: '447700900002', media_code: 'not base64!' },
				],
			});
			expect(data).toEqual({
				status: 410,
				message: 'Invalid Request: media_code is not raw base64 (data[1])',
			});
			expect(sandbox.balance).toBe(10);
		} finally {
			await sandbox.close();
		}
	});
});
