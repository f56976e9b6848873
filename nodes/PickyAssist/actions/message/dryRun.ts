/**
 * "Validate Only (Send Nothing)": everything up to the push — evaluation, normalisation, checks, batching — and
 * then, instead of sending, one item per valid row with the exact `data[]` entry its push would carry.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import type { PushSettings } from '../../transport';
import { buildPushBody } from '../../transport';
import type { RowOutcomes } from './outcomes';
import type { OutgoingRow } from './rowCollection';

export function dryRunOutput(
	batches: ReadonlyArray<readonly OutgoingRow[]>,
	settings: PushSettings,
	outcomes: RowOutcomes,
): INodeExecutionData[] {
	batches.forEach((batch, batchIndex) => {
		const entries = buildPushBody(settings, batch).data as INodeExecutionData['json'][];
		batch.forEach((row, position) => {
			outcomes.accepted(row.itemIndex, {
				state: 'valid',
				push: batchIndex + 1,
				entry: entries[position],
			});
		});
	});
	return outcomes.items();
}
