import type { Context } from 'hono';
import type { AppConfig } from './config';

// Whose address a request comes from, for the login throttle, report rate limits and the
// daily scan hash. One policy for the whole app:
//
// - Workers: `cf-connecting-ip`. Cloudflare's edge sets it and overwrites any value the
//   client sent, so it cannot be forged.
// - Node: the socket's peer address (what @hono/node-server's getConnInfo reads from
//   `c.env.incoming.socket`). Forwarding headers are ignored unless TRUST_PROXY names the
//   proxy in front of the server:
//   - a hop count N: the N nearest hops are proxies, so the client is the address N places
//     to the left of the peer in "X-Forwarded-For, peer";
//   - a list of addresses or CIDR ranges: starting at the peer, each hop that is a listed
//     proxy hands over to the X-Forwarded-For entry on its left; the first hop that is not
//     listed is the client. A request from an unlisted peer keeps the peer's address.
//   X-Real-IP and CF-Connecting-IP are never read on Node: anyone can send them, and a
//   proxy that sets them appends to X-Forwarded-For as well.
//
// Without this a client could pick a fresh address per request by sending a header, and
// so step round every per-client limit.

/** An address or a CIDR range, as bytes (4 for IPv4, 16 for IPv6) and a prefix length. */
export interface IpRange {
  bytes: Uint8Array;
  prefix: number;
}

export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'ranges'; ranges: readonly IpRange[] };

export const TRUST_NOBODY: TrustProxy = { kind: 'none' };

const MAX_HOPS = 10;

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    out[i] = Number(part);
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | null {
  let s = text.replace(/%[\w.-]+$/, ''); // a zone ("fe80::1%eth0") does not change the address
  const dot = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = parseIpv4(s.slice(dot + 1));
    if (!v4 || dot < 0) return null;
    s = `${s.slice(0, dot + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return null;
  const words = [...head, ...Array<string>(8 - count).fill('0'), ...tail];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    if (!/^[0-9a-f]{1,4}$/i.test(words[i]!)) return null;
    const w = parseInt(words[i]!, 16);
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  }
  return out;
}

/**
 * An IP address as bytes, or null. IPv4-mapped IPv6 ("::ffff:192.0.2.1", what a dual-stack
 * Node socket reports for an IPv4 peer) is read as the IPv4 address, so one setting covers both.
 */
export function parseIp(text: string): Uint8Array | null {
  const s = text.trim();
  if (!s.includes(':')) return parseIpv4(s);
  const v6 = parseIpv6(s);
  if (v6 && v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
  return v6;
}

function parseRange(text: string): IpRange | null {
  const [address, prefixText, ...rest] = text.trim().split('/');
  const bytes = parseIp(address ?? '');
  if (!bytes || rest.length > 0) return null;
  const max = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefix: max };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { bytes, prefix: Number(prefixText) };
}

function inRange(bytes: Uint8Array, range: IpRange): boolean {
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (range.bytes[i]! & mask)) return false;
  }
  return true;
}

/**
 * TRUST_PROXY as written in the environment: empty or `0` trusts nobody; `1`…`10` is a hop
 * count; otherwise a comma-separated list of addresses and CIDR ranges. Null when it is none
 * of these, so the config parser can name the variable.
 */
export function parseTrustProxy(text: string): TrustProxy | null {
  const s = text.trim();
  if (s === '' || s === '0') return TRUST_NOBODY;
  if (/^\d+$/.test(s)) {
    const hops = Number(s);
    return hops <= MAX_HOPS ? { kind: 'hops', hops } : null;
  }
  const ranges: IpRange[] = [];
  for (const item of s.split(',')) {
    const range = parseRange(item);
    if (!range) return null;
    ranges.push(range);
  }
  return { kind: 'ranges', ranges };
}

/**
 * The client's address from the peer and the X-Forwarded-For header under `trust`
 * (the policy above); undefined when the peer is unknown.
 */
export function forwardedClient(peer: string | undefined, forwardedFor: string | undefined, trust: TrustProxy): string | undefined {
  if (!peer) return undefined;
  if (trust.kind === 'none' || !forwardedFor) return peer;
  // Nearest hop last. Empty entries can only come from the client, left of every proxy's.
  const chain = [...forwardedFor.split(',').map((s) => s.trim()).filter((s) => s !== ''), peer];
  if (trust.kind === 'hops') return chain[Math.max(chain.length - 1 - trust.hops, 0)];
  let i = chain.length - 1;
  while (i > 0) {
    const bytes = parseIp(chain[i]!);
    if (!bytes || !trust.ranges.some((r) => inRange(bytes, r))) break;
    i--;
  }
  return chain[i];
}

/** The socket's peer as @hono/node-server exposes it (`env.incoming`, or `env.server.incoming`). */
function socketAddress(env: unknown): string | undefined {
  type Bindings = { incoming?: { socket?: { remoteAddress?: unknown } } };
  const bindings = env as (Bindings & { server?: Bindings }) | undefined;
  const address = (bindings?.server ?? bindings)?.incoming?.socket?.remoteAddress;
  return typeof address === 'string' && address !== '' ? address : undefined;
}

/** The client's address under the policy above; 'unknown' when the runtime gives none. */
export function clientAddress(c: Context, config: Pick<AppConfig, 'runtime' | 'trustProxy'>): string {
  if (config.runtime === 'workers') return c.req.header('cf-connecting-ip')?.trim() || 'unknown';
  return forwardedClient(socketAddress(c.env), c.req.header('x-forwarded-for'), config.trustProxy ?? TRUST_NOBODY) ?? 'unknown';
}
