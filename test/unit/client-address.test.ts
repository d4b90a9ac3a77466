import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress, forwardedClient, parseIp, parseTrustProxy, TRUST_NOBODY, type TrustProxy } from '../../worker/client-address';
import { ConfigError, nodeEnvSchema, parseConfig, type AppConfig } from '../../worker/config';

const trust = (text: string): TrustProxy => {
  const t = parseTrustProxy(text);
  if (!t) throw new Error(`bad test setting ${text}`);
  return t;
};

/** What the app sees for one request: the socket peer as @hono/node-server passes it, and the headers. */
async function seenAddress(config: Pick<AppConfig, 'runtime' | 'trustProxy'>, headers: Record<string, string>, peer?: string): Promise<string> {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, config)));
  const env = peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } };
  return (await app.request('/', { headers }, env)).text();
}

describe('client address on Node', () => {
  it('with no TRUST_PROXY, is the socket peer: forged forwarding headers are ignored', async () => {
    const forged = { 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '198.51.100.2', 'cf-connecting-ip': '198.51.100.3' };
    expect(await seenAddress({ runtime: 'node' }, forged, '203.0.113.7')).toBe('203.0.113.7');
    expect(await seenAddress({ runtime: 'node', trustProxy: TRUST_NOBODY }, forged, '203.0.113.7')).toBe('203.0.113.7');
    expect(await seenAddress({ runtime: 'node' }, forged)).toBe('unknown');
  });

  it('with TRUST_PROXY=1, is the last X-Forwarded-For hop, whatever the client put before it', async () => {
    const config = { runtime: 'node' as const, trustProxy: trust('1') };
    expect(await seenAddress(config, { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' }, '127.0.0.1')).toBe('203.0.113.7');
    expect(await seenAddress(config, { 'x-forwarded-for': '203.0.113.7' }, '127.0.0.1')).toBe('203.0.113.7');
    // Nothing forwarded: the peer itself.
    expect(await seenAddress(config, {}, '203.0.113.7')).toBe('203.0.113.7');
  });

  it('with TRUST_PROXY=2, skips both proxies; fewer hops than that gives the farthest one', () => {
    expect(forwardedClient('10.0.0.2', '198.51.100.1, 203.0.113.7, 10.0.0.1', trust('2'))).toBe('203.0.113.7');
    expect(forwardedClient('10.0.0.2', '203.0.113.7', trust('2'))).toBe('203.0.113.7');
  });

  it('with an address list, reads X-Forwarded-For only from a listed peer, and walks back through listed proxies', async () => {
    const config = { runtime: 'node' as const, trustProxy: trust('127.0.0.1, 10.0.0.0/8') };
    const headers = { 'x-forwarded-for': '198.51.100.1, 203.0.113.7, 10.1.2.3' };
    expect(await seenAddress(config, headers, '127.0.0.1')).toBe('203.0.113.7');
    // A dual-stack socket reports an IPv4 peer as IPv4-mapped IPv6.
    expect(await seenAddress(config, headers, '::ffff:127.0.0.1')).toBe('203.0.113.7');
    // A peer that is not a listed proxy: its headers mean nothing.
    expect(await seenAddress(config, headers, '192.0.2.9')).toBe('192.0.2.9');
    // An entry that is not an address stops the walk there.
    expect(forwardedClient('127.0.0.1', 'junk, 10.0.0.5', config.trustProxy)).toBe('junk');
  });

  it('matches IPv6 proxies by range', () => {
    expect(forwardedClient('fd00::1', '2001:db8::7', trust('fd00::/8'))).toBe('2001:db8::7');
    expect(forwardedClient('fe80::1', '2001:db8::7', trust('fd00::/8'))).toBe('fe80::1');
  });
});

describe('client address on Workers', () => {
  it("is Cloudflare's cf-connecting-ip, never X-Forwarded-For", async () => {
    expect(await seenAddress({ runtime: 'workers' }, { 'cf-connecting-ip': '203.0.113.7', 'x-forwarded-for': '198.51.100.1' })).toBe('203.0.113.7');
    expect(await seenAddress({ runtime: 'workers' }, { 'x-forwarded-for': '198.51.100.1' })).toBe('unknown');
  });
});

describe('parseIp', () => {
  it('reads IPv4, IPv6 with ::, embedded IPv4 and zones; refuses the rest', () => {
    expect([...parseIp('192.0.2.1')!]).toEqual([192, 0, 2, 1]);
    expect(parseIp('::1')).toHaveLength(16);
    expect([...parseIp('::ffff:192.0.2.1')!]).toEqual([192, 0, 2, 1]);
    expect(parseIp('fe80::1%eth0')).toHaveLength(16);
    expect([...parseIp('2001:db8::')!.slice(0, 4)]).toEqual([0x20, 0x01, 0x0d, 0xb8]);
    for (const bad of ['', '1.2.3', '1.2.3.256', '01.2.3.4', '1:2:3:4:5:6:7:8:9', '1::2::3', 'g::1', 'localhost']) expect(parseIp(bad), bad).toBeNull();
  });
});

describe('TRUST_PROXY setting', () => {
  const parse = (v: string | undefined) => parseConfig(nodeEnvSchema, v === undefined ? {} : { TRUST_PROXY: v }).TRUST_PROXY;

  it('defaults to trusting nobody', () => {
    expect(parse(undefined)).toEqual({ kind: 'none' });
    expect(parse('')).toEqual({ kind: 'none' });
    expect(parse('0')).toEqual({ kind: 'none' });
  });

  it('takes a hop count or a list of addresses and ranges', () => {
    expect(parse('1')).toEqual({ kind: 'hops', hops: 1 });
    const list = parse('127.0.0.1, 10.0.0.0/8, ::1');
    expect(list.kind).toBe('ranges');
    expect(list.kind === 'ranges' && list.ranges.map((r) => r.prefix)).toEqual([32, 8, 128]);
  });

  it('refuses anything else, naming the variable and what it must be', () => {
    for (const bad of ['yes', '11', '-1', '10.0.0.0/33', '10.0.0.1/8/8', 'proxy.local', '1.2.3.4,']) {
      expect(() => parse(bad), bad).toThrow(ConfigError);
      expect(() => parse(bad), bad).toThrow(/TRUST_PROXY must be a hop count .* or a comma-separated list/);
    }
  });
});
