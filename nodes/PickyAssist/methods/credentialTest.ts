import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { PickyAssistCredentials } from '../transport';
import { checkBalance } from '../transport';

/** Checks the token with Picky Assist's free check-balance call: it sends no message and costs no credit. */
export async function pickyAssistApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const result = await checkBalance(
		this,
		(credential.data ?? {}) as unknown as PickyAssistCredentials,
	);
	// n8n's editor shows its own "Connection tested successfully" for OK and drops this message; the balance
	// reaches only callers of n8n's credential-test API. Users read it with the Get Balance operation.
	if (result.ok)
		return { status: 'OK', message: `Connection successful. Balance: ${result.value}` };
	return { status: 'Error', message: result.reason };
}
