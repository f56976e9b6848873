/**
 * Which attachment URLs the Trigger may download. The URL comes from a webhook body, which is whatever the caller
 * sent: without a Secret anyone can make n8n fetch an address of their choosing. Shipped code cannot resolve host
 * names (no DNS access), so what is checked is the URL as written: its scheme, and whether its host is `localhost`
 * or a literal address in a loopback, private, link-local, shared or reserved range. A public name that resolves to
 * a private address is not caught here; n8n's own SSRF protection (n8n 2.x) checks resolved addresses.
 */

export type MediaUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** IPv4 ranges that are not the public internet: [first octets as a number, prefix length]. */
const PRIVATE_V4: Array<[number, number, number, number, number]> = [
	[0, 0, 0, 0, 8], // "this" network
	[10, 0, 0, 0, 8],
	[100, 64, 0, 0, 10], // shared address space (carrier-grade NAT)
	[127, 0, 0, 0, 8], // loopback
	[169, 254, 0, 0, 16], // link-local, cloud metadata services
	[172, 16, 0, 0, 12],
	[192, 0, 0, 0, 24],
	[192, 168, 0, 0, 16],
	[198, 18, 0, 0, 15], // benchmarking
	[224, 0, 0, 0, 4], // multicast
	[240, 0, 0, 0, 4], // reserved and broadcast
];

function v4Number(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255))
		return undefined;
	return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function isPrivateV4(address: number): boolean {
	return PRIVATE_V4.some(([a, b, c, d, bits]) => {
		const base = ((a * 256 + b) * 256 + c) * 256 + d;
		const size = 2 ** (32 - bits);
		return address >= base && address < base + size;
	});
}

/** The 16-bit groups of one side of an IPv6 literal's "::" ("a:b:1.2.3.4"); undefined when malformed. */
function groupsOf(half: string): number[] | undefined {
	if (half === '') return [];
	const groups: number[] = [];
	for (const part of half.split(':')) {
		const v4 = v4Number(part);
		if (v4 !== undefined) groups.push(Math.floor(v4 / 65536), v4 % 65536);
		else if (/^[0-9a-f]{1,4}$/i.test(part)) groups.push(parseInt(part, 16));
		else return undefined;
	}
	return groups;
}

/** An IPv6 literal (without brackets) as its eight 16-bit groups; undefined when it is not one. */
function v6Groups(text: string): number[] | undefined {
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const head = groupsOf(halves[0]);
	const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
	if (!head || !tail) return undefined;
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
	return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function isPrivateV6(groups: number[]): boolean {
	const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
	const allZeroTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
	if (allZeroTo(7) && (g7 === 0 || g7 === 1)) return true; // unspecified, loopback
	// IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms carry an IPv4 address.
	if (allZeroTo(5) && (g5 === 0xffff || g5 === 0)) return isPrivateV4(g6 * 65536 + g7);
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
		return isPrivateV4(g6 * 65536 + g7); // NAT64
	if ((g0 & 0xfe00) === 0xfc00) return true; // unique local
	if ((g0 & 0xffc0) === 0xfe80) return true; // link-local
	if ((g0 & 0xff00) === 0xff00) return true; // multicast
	return false;
}

/**
 * Whether `text` is a URL the Trigger may download. `allowPrivate` lets loopback and private addresses through (a
 * test sandbox, a server on the user's own network).
 */
export function checkMediaUrl(text: string, allowPrivate: boolean): MediaUrlCheck {
	let url: URL;
	try {
		url = new URL(text.trim());
	} catch {
		return { ok: false, reason: 'it is not a URL' };
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return { ok: false, reason: `its scheme is ${url.protocol.replace(':', '')}, not http(s)` };
	if (url.username || url.password)
		return { ok: false, reason: 'it carries a user name or password' };
	if (allowPrivate) return { ok: true, url };
	// The URL parser has already turned decimal, octal and hex IPv4 forms into dotted ones.
	const host = url.hostname.toLowerCase().replace(/\.$/, '');
	const refused = { ok: false as const, reason: `its host ${host} is a local or private address` };
	if (host === 'localhost' || host.endsWith('.localhost')) return refused;
	const v4 = v4Number(host);
	if (v4 !== undefined) return isPrivateV4(v4) ? refused : { ok: true, url };
	if (host.startsWith('[')) {
		const groups = v6Groups(host.slice(1, -1));
		if (!groups || isPrivateV6(groups)) return refused;
	}
	return { ok: true, url };
}
