import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../../src/lib/probe/address.ts';
import { parseResolve } from '../../../src/lib/probe/net.ts';

describe('isPublicAddress', () => {
  it('accepts public unicast addresses', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '151.101.1.69', '2606:4700:4700::1111', '2a00:1450:4001:82b::200e'])
      expect(isPublicAddress(address), address).toBe(true);
  });

  it('refuses loopback, private, link-local, metadata, CGNAT, multicast, reserved and documentation ranges', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.255.254',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '192.0.2.1',
      '198.18.0.1',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '2001:db8::1',
    ])
      expect(isPublicAddress(address), address).toBe(false);
  });

  it('looks through IPv6 forms that embed an IPv4 address', () => {
    expect(isPublicAddress('::ffff:127.0.0.1')).toBe(false);
    expect(isPublicAddress('::ffff:7f00:1')).toBe(false);
    expect(isPublicAddress('::ffff:169.254.169.254')).toBe(false);
    expect(isPublicAddress('64:ff9b::a00:1')).toBe(false); // NAT64 of 10.0.0.1
    expect(isPublicAddress('2002:c0a8:101::1')).toBe(false); // 6to4 of 192.168.1.1
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
  });

  it('treats anything that is not an IP address as not public', () => {
    for (const value of ['localhost', '', '127.1', '0x7f000001', 'example.com'])
      expect(isPublicAddress(value)).toBe(false);
  });
});

describe('parseResolve', () => {
  it('maps lower-cased hosts to base URLs', () => {
    const map = parseResolve(['MCP.Example.com=http://127.0.0.1:4567/prefix']);
    expect(map).toBeInstanceOf(Map);
    expect((map as Map<string, URL>).get('mcp.example.com')!.href).toBe('http://127.0.0.1:4567/prefix');
  });

  it('names the bad option', () => {
    expect(parseResolve(['=http://x'])).toMatch(/expected HOST=BASE_URL/);
    expect(parseResolve(['a.example.com=file:///etc/passwd'])).toMatch(/BASE_URL must be an http\(s\) URL/);
  });
});
