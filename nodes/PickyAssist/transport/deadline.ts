/**
 * One deadline for a whole answer, headers and body. n8n's `timeout` option only limits how long the socket may
 * stay silent, so a server that sends one byte a second keeps a request open for as long as it likes. The
 * deadline is an AbortSignal (its timer does not keep n8n's process alive): the wait for the answer ends when it
 * fires, and the request is aborted with it. Waits between calls end on the execution's cancel signal the same way.
 */
import * as n8nWorkflow from 'n8n-workflow';

export type Deadlined<T> = { kind: 'answer'; value: T } | { kind: 'timeout' };

function whenAborted(signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) resolve();
		else signal.addEventListener('abort', () => resolve(), { once: true });
	});
}

/**
 * Starts a request and waits for it at most `timeoutMs`.
 * @param cancel the execution's own cancel signal, when n8n offers one: stopping the workflow aborts the request
 * @param start receives the signal that aborts the request at the deadline or on cancel
 */
export async function answerWithin<T>(
	timeoutMs: number,
	cancel: AbortSignal | undefined,
	start: (signal: AbortSignal) => Promise<T>,
): Promise<Deadlined<T>> {
	const deadline = AbortSignal.timeout(timeoutMs);
	const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline;
	const request = start(signal).then(
		(value): Deadlined<T> => ({ kind: 'answer', value }),
		(error: unknown): Deadlined<T> => {
			// Aborted by the deadline: the request's own error only says "canceled".
			if (deadline.aborted) return { kind: 'timeout' };
			throw error;
		},
	);
	const result = await Promise.race([
		request,
		whenAborted(deadline).then((): Deadlined<T> => ({ kind: 'timeout' })),
	]);
	// The request may still settle after the deadline won; its late result or error is of no use any more.
	if (result.kind === 'timeout') request.catch(() => undefined);
	return result;
}

export function timedOutMessage(timeoutMs: number): string {
	return `no complete answer within ${Math.round(timeoutMs / 1000)} s`;
}

type AbortableSleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * n8n-workflow's abortable sleep, whichever the host n8n has: 1.x exports `sleepWithAbort(ms, signal)`, 2.x a
 * `sleep(ms, signal)` that takes the signal itself (1.x's `sleep` ignores a second argument). The package runs
 * against the host's n8n-workflow, so this is decided at run time.
 */
function abortableSleep(): AbortableSleep | undefined {
	const workflow = n8nWorkflow as unknown as {
		sleepWithAbort?: AbortableSleep;
		sleep?: { (ms: number, signal?: AbortSignal): Promise<void>; length: number };
	};
	if (typeof workflow.sleepWithAbort === 'function') return workflow.sleepWithAbort;
	if (typeof workflow.sleep === 'function' && workflow.sleep.length >= 2) return workflow.sleep;
	return undefined;
}

/**
 * Waits `ms`, or less when the execution is cancelled: on cancel n8n has already saved the execution, so a run
 * that sat out its wait would only send what nobody sees any more.
 */
export async function waitUnlessCancelled(
	ms: number,
	cancel: AbortSignal | undefined,
): Promise<'waited' | 'cancelled'> {
	if (cancel?.aborted) return 'cancelled';
	const sleepWithSignal = cancel ? abortableSleep() : undefined;
	try {
		if (cancel && sleepWithSignal) await sleepWithSignal(ms, cancel);
		else if (cancel) await Promise.race([n8nWorkflow.sleep(ms), whenAborted(cancel)]);
		else await n8nWorkflow.sleep(ms);
	} catch {
		// Both lines reject an aborted sleep, each with its own error: the signal says what happened. (A wait that
		// ended early for any other reason is safe too: the pacer is asked again before anything is sent.)
	}
	return cancel?.aborted ? 'cancelled' : 'waited';
}
