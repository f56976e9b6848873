/**
 * The pages a person sees behind the link of Send and Wait for Response. A GET only shows a page: link previews
 * (WhatsApp's among them) open links by themselves, so nothing is answered until the person presses a button,
 * which POSTs to the very URL the page came from — the signed one, query included, since the form has no action.
 * Everything the workflow puts on a page is HTML-escaped; the pages load nothing from anywhere.
 */

export type ResponseType = 'approval' | 'freeText';

export interface PageText {
	title: string;
	message: string;
}

export interface ApprovalButtons {
	approveLabel: string;
	/** Only with "Approve and Decline". */
	declineLabel?: string;
}

/** The answer a POST carries, or why it is not one. */
export type Answer =
	| { ok: true; json: { approved: boolean } | { text: string } }
	| { ok: false; reason: string };

export const MAX_TEXT_ANSWER = 10_000;

/** The headers every page goes out with: not cached, not framed, no script, forms only to this same URL. */
export const PAGE_HEADERS: Record<string, string> = {
	'content-type': 'text/html; charset=utf-8',
	'cache-control': 'no-store',
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'content-security-policy':
		"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;padding:24px;color:#1f2328}
main{max-width:480px;margin:40px auto;background:#fff;border-radius:8px;padding:24px;box-shadow:0 1px 3px #0002}
h1{font-size:20px;margin:0 0 12px}p{white-space:pre-wrap;line-height:1.5}
textarea{width:100%;box-sizing:border-box;min-height:120px;font:inherit;padding:8px}
.buttons{display:flex;gap:12px;margin-top:16px}button{font:inherit;padding:10px 18px;border-radius:6px;border:1px solid #0b7a5c;cursor:pointer}
.primary{background:#0b7a5c;color:#fff}.secondary{background:#fff;color:#0b7a5c}`;

function page(title: string, body: string): string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

function heading(text: PageText): string {
	return `<h1>${escapeHtml(text.title)}</h1>${text.message ? `<p>${escapeHtml(text.message)}</p>` : ''}`;
}

/** The page a GET shows: the question and the buttons (Approval) or a text field (Free Text). */
export function questionPage(
	text: PageText,
	form: { type: 'approval'; buttons: ApprovalButtons } | { type: 'freeText'; buttonLabel: string },
): string {
	let controls: string;
	if (form.type === 'approval') {
		const decline = form.buttons.declineLabel
			? `<button class="secondary" type="submit" name="answer" value="decline">${escapeHtml(form.buttons.declineLabel)}</button>`
			: '';
		controls = `<div class="buttons">${decline}<button class="primary" type="submit" name="answer" value="approve">${escapeHtml(form.buttons.approveLabel)}</button></div>`;
	} else {
		controls = `<textarea name="text" required maxlength="${MAX_TEXT_ANSWER}" aria-label="Your answer"></textarea><div class="buttons"><button class="primary" type="submit">${escapeHtml(form.buttonLabel)}</button></div>`;
	}
	return page(text.title, `${heading(text)}<form method="post">${controls}</form>`);
}

/** The page after an answer was taken. */
export function recordedPage(): string {
	return page(
		'Answer recorded',
		'<h1>Thanks, your answer was recorded</h1><p>You can close this page.</p>',
	);
}

/** The page for a POST that carried no usable answer; the execution keeps waiting. */
export function problemPage(reason: string): string {
	return page(
		'Answer not recorded',
		`<h1>Your answer was not recorded</h1><p>${escapeHtml(reason)}</p>`,
	);
}

/** Reads the answer a POST carries: `answer=approve|decline` for Approval, `text=…` for Free Text. */
export function readAnswer(type: ResponseType, body: unknown, declineOffered: boolean): Answer {
	const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	if (type === 'approval') {
		if (fields.answer === 'approve') return { ok: true, json: { approved: true } };
		if (fields.answer === 'decline' && declineOffered)
			return { ok: true, json: { approved: false } };
		return { ok: false, reason: 'Open the link again and press one of the buttons.' };
	}
	const text = typeof fields.text === 'string' ? fields.text : undefined;
	if (text === undefined || text.trim() === '')
		return {
			ok: false,
			reason: 'The answer was empty. Open the link again and write your answer.',
		};
	if (text.length > MAX_TEXT_ANSWER)
		return { ok: false, reason: `The answer is longer than ${MAX_TEXT_ANSWER} characters.` };
	return { ok: true, json: { text } };
}
