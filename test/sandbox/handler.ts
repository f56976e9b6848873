/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: runs in Node.js and never ships */
/**
 * One recorded API request, from route check to answer: takes the next fault for its endpoint and switches on
 * the fault's group to decide whether the request is processed and how the answer goes out.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import {
	doctor,
	JSON_TYPE,
	jsonReply,
	malformedText,
	preFaultReply,
	rawReply,
	redirectReply,
	type Reply,
} from './answers';
import {
	answerApi,
	ERROR_MESSAGES,
	isImplemented,
	type AcceptedPush,
	type ApiAnswer,
	type ApiContext,
	type ImplementedEndpoint,
	type PushSuccess,
	type RecordedRequest,
} from './api';
import type { DroppedPush } from './account-limit';
import type { DeliveryPlan } from './delivery';
import type { FaultBook } from './fault-queue';
import {
	CUSTOM_FAULTS,
	DELIVERY_FAULTS,
	DOCTOR_FAULTS,
	inGroup,
	PRE_FAULTS,
	type Fault,
	type FaultOf,
} from './faults';
import { dripReply, writeReply } from './respond';
import { isPlainObject, type Timers } from './util';

export interface HandlerContext {
	api: ApiContext;
	faults: FaultBook;
	acceptedPushes: AcceptedPush[];
	pushById: Map<string, AcceptedPush>;
	timers: Timers;
	/** The delivery schedule of a push being accepted now (from the current settings). */
	planDelivery: (response: PushSuccess) => DeliveryPlan;
	/** Called once a push is accepted and recorded: schedules its webhook events. */
	onAccepted: (acc: AcceptedPush) => void;
	/** Called for a push answered as accepted but dropped over the account limit: nothing is scheduled. */
	onDropped: (dropped: DroppedPush) => void;
	/** Read on every request, so configure({log}) takes effect at once. */
	log: () => ((line: string) => void) | undefined;
}

interface LogInfo {
	/** HTTP status sent; undefined when nothing was sent (hang, reset). */
	http?: number;
	/** API `status` of the answer, when it has one. */
	status?: number;
	push_id?: string;
	fault?: string | null;
}

/** One short line per request. The token is never printed, only whether there was one. */
function emitLog(ctx: HandlerContext, record: RecordedRequest, info: LogInfo): void {
	const log = ctx.log();
	if (!log) return;
	const body = isPlainObject(record.body) ? record.body : undefined;
	const parts = [
		new Date(record.receivedAt).toISOString().slice(11, 23),
		`#${record.seq}`,
		record.method,
		record.path.split('?')[0],
		info.http === undefined ? '---' : String(info.http),
	];
	if (info.status !== undefined) parts.push(`status=${info.status}`);
	if (info.push_id !== undefined) parts.push(`push_id=${info.push_id}`);
	parts.push(`rows=${body && Array.isArray(body.data) ? body.data.length : '-'}`);
	parts.push(
		`token=${body && body.token !== undefined && body.token !== null && body.token !== '' ? '***' : 'none'}`,
	);
	if (info.fault) parts.push(`fault=${info.fault}`);
	try {
		log(parts.join(' '));
	} catch {
		// a broken logger must not break the sandbox
	}
}

/** Answers the request as the API would and records an accepted push. */
function processRequest(
	ctx: HandlerContext,
	endpoint: ImplementedEndpoint,
	record: RecordedRequest,
	fault: Fault | null,
	commit = true,
): ApiAnswer {
	const answer = answerApi(ctx.api, endpoint, record.body, commit);
	if (answer.accepted) {
		const acc: AcceptedPush = {
			push_id: answer.accepted.push_id,
			request: record,
			response: answer.accepted.response,
			fault: fault ? fault.kind : null,
			acceptedAt: ctx.api.now(),
			delivery: ctx.planDelivery(answer.accepted.response),
		};
		ctx.acceptedPushes.push(acc);
		ctx.pushById.set(acc.push_id, acc);
		ctx.onAccepted(acc);
	}
	if (answer.dropped)
		ctx.onDropped({
			push_id: answer.dropped.push_id,
			request: record,
			response: answer.dropped.response,
			droppedAt: ctx.api.now(),
		});
	return answer;
}

function answerReply(answer: ApiAnswer, body: string): Reply {
	return {
		httpStatus: answer.httpStatus,
		headers: { 'content-type': JSON_TYPE, ...answer.headers },
		body,
	};
}

function answerInfo(answer: ApiAnswer, fault: Fault | null): LogInfo {
	return {
		http: answer.httpStatus,
		status: 'status' in answer.body ? answer.body.status : undefined,
		push_id: answer.accepted?.push_id ?? answer.dropped?.push_id,
		fault: answer.dropped ? 'dropped-over-push-limit' : fault?.kind,
	};
}

export function handleApiRequest(
	ctx: HandlerContext,
	req: IncomingMessage,
	res: ServerResponse,
	record: RecordedRequest,
): void {
	const endpoint = record.endpoint;
	if (record.apiHost === null || !isImplemented(endpoint)) {
		writeReply(res, jsonReply(404, { status: 404, message: 'Not Found' }));
		emitLog(ctx, record, { http: 404, status: 404 });
		return;
	}
	if (req.method !== 'POST') {
		writeReply(
			res,
			jsonReply(405, { status: 405, message: 'Method Not Allowed: use POST' }, { allow: 'POST' }),
		);
		emitLog(ctx, record, { http: 405, status: 405 });
		return;
	}
	const fault = ctx.faults.take(endpoint);
	if (fault && inGroup(PRE_FAULTS, fault)) {
		const pre = preFaultReply(fault, ERROR_MESSAGES);
		if (!pre) {
			emitLog(ctx, record, { fault: fault.kind });
			req.socket.destroy();
			return;
		}
		writeReply(res, pre.reply);
		emitLog(ctx, record, { http: pre.reply.httpStatus, status: pre.apiStatus, fault: fault.kind });
		return;
	}
	if (fault && inGroup(CUSTOM_FAULTS, fault)) {
		const answer = fault.process ? processRequest(ctx, endpoint, record, fault) : undefined;
		const reply = fault.kind === 'redirect' ? redirectReply(fault) : rawReply(fault, record);
		writeReply(res, reply);
		emitLog(ctx, record, {
			http: reply.httpStatus,
			push_id: answer?.accepted?.push_id,
			fault: fault.kind,
		});
		return;
	}
	if (fault && inGroup(DELIVERY_FAULTS, fault)) {
		deliverBadly(ctx, req, res, record, endpoint, fault);
		return;
	}
	const answer = processRequest(ctx, endpoint, record, fault);
	// A documented delivery report has no `status`: a processed request's answer is one without an error status.
	const succeeded = !('status' in answer.body) || answer.body.status === 100;
	const doctored = fault && inGroup(DOCTOR_FAULTS, fault) && succeeded;
	const body = doctored
		? doctor(fault, answer.body, record, ctx.api.state.credit.text)
		: answer.body;
	writeReply(res, answerReply(answer, JSON.stringify(body)));
	emitLog(ctx, record, answerInfo(answer, fault));
}

/** The true answer, delivered never, late, cut off, half, or a byte at a time. */
function deliverBadly(
	ctx: HandlerContext,
	req: IncomingMessage,
	res: ServerResponse,
	record: RecordedRequest,
	endpoint: ImplementedEndpoint,
	fault: FaultOf<(typeof DELIVERY_FAULTS)[number]>,
): void {
	if (fault.kind === 'timeout' && !fault.process) {
		emitLog(ctx, record, { fault: fault.kind });
		return; // never answer; close() destroys the socket
	}
	const answer = processRequest(
		ctx,
		endpoint,
		record,
		fault,
		!(fault.kind === 'drip' && fault.process === false),
	);
	const info = answerInfo(answer, fault);
	const reply = answerReply(answer, JSON.stringify(answer.body));
	switch (fault.kind) {
		case 'timeout':
			emitLog(ctx, record, { ...info, http: undefined });
			return;
		case 'reset':
			emitLog(ctx, record, { ...info, http: undefined });
			req.socket.destroy();
			return;
		case 'delay':
			ctx.timers.after(fault.ms, () => {
				writeReply(res, reply);
				emitLog(ctx, record, info);
			});
			return;
		case 'malformed':
			writeReply(res, { ...reply, body: malformedText(answer.body) });
			emitLog(ctx, record, info);
			return;
		case 'drip':
			dripReply(res, reply, fault.intervalMs ?? 1000, ctx.timers);
			emitLog(ctx, record, info);
			return;
	}
}
