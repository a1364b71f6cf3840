// Runs under vitest (Node). The address guard: what counts as public, per URL and after DNS.
import { describe, expect, it } from 'vitest';
import { checkUrlForm, isPublicAddress, resolvePublic, siteOf } from './address';

describe('isPublicAddress', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fc00::1', 'fd12::1', 'fe80::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1', '64:ff9b::a00:1', '2002:c0a8:0101::1', 'not-an-ip'])(
    'refuses %s',
    (ip) => expect(isPublicAddress(ip)).toBe(false),
  );
  it.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '211.234.10.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('allows %s', (ip) =>
    expect(isPublicAddress(ip)).toBe(true),
  );
});

describe('checkUrlForm', () => {
  it.each([
    ['javascript:alert(1)', 'URL_SCHEME_REFUSED'],
    ['file:///etc/passwd', 'URL_SCHEME_REFUSED'],
    ['ftp://clinic.example/', 'URL_SCHEME_REFUSED'],
    ['http://user:pw@clinic.example/', 'URL_MALFORMED'],
    ['http://127.1/', 'ADDRESS_REFUSED'],
    ['http://0x7f000001/', 'ADDRESS_REFUSED'],
    ['http://2130706433/', 'ADDRESS_REFUSED'],
    ['http://[::ffff:7f00:1]/', 'ADDRESS_REFUSED'],
    ['http://printer.local/', 'ADDRESS_REFUSED'],
    ['http://intranet/', 'ADDRESS_REFUSED'],
  ])('%s → %s', (url, code) => expect(() => checkUrlForm(url)).toThrow(expect.objectContaining({ code })));
  it('accepts a public clinic URL', () => expect(checkUrlForm('https://www.clinic.co.kr/main').hostname).toBe('www.clinic.co.kr'));
});

describe('resolvePublic', () => {
  it('refuses when any resolved address is private (DNS rebinding to an internal host)', async () => {
    await expect(resolvePublic('clinic.example', async () => ['8.8.8.8', '10.0.0.5'])).rejects.toMatchObject({ code: 'ADDRESS_REFUSED' });
  });
  it('reports a name that does not resolve', async () => {
    await expect(resolvePublic('clinic.example', async () => [])).rejects.toMatchObject({ code: 'DNS_FAILED' });
  });
  it('returns public addresses', async () => expect(await resolvePublic('clinic.example', async () => ['8.8.4.4'])).toEqual(['8.8.4.4']));
});

it('siteOf groups subdomains and knows Korean second-level domains', () => {
  expect(siteOf('www.clinic.co.kr')).toBe('clinic.co.kr');
  expect(siteOf('cdn.a.example')).toBe('a.example');
  expect(siteOf('clinic.seoul.kr')).toBe('clinic.seoul.kr');
});
