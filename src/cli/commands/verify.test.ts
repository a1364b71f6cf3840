// Runs under vitest (Node). `munjigi verify` in-process: the shared vectors through the CLI
// (positional tokens, stdin lines with clocks, signed envelope with a pinned root), and bad
// files, options and lines refused with a Korean message, a code and exit 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeyPair, mintToken, publicKeyToBase64url, signTrustList } from '../../core/kp1';
import type { TrustList } from '../../core/kp1';
import { ABSENT_MESSAGE, loadKp1Vectors } from '../../core/kp1/testVectors';
import { jsonLines, runCli } from '../testing';

const vectors = loadKp1Vectors();
const dir = mkdtempSync(join(tmpdir(), 'munjigi-cli-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown) => {
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return name;
};
const verify = (argv: string[], stdin?: string) => runCli(['verify', ...argv], { stdin, cwd: dir });

describe.skipIf(!vectors)('munjigi verify with kp1-vectors.json', () => {
  const v = vectors!;
  const list = vectors ? file('trust.json', v.trustList) : '';
  const envelope = vectors ? file('envelope.json', v.trustListEnvelope) : '';
  const tampered = vectors ? file('tampered.json', v.tamperedEnvelope) : '';

  it.each(vectors ? v.cases.filter((c) => c.token.length < 1000).map((c) => [c.name, c] as const) : [])('case: %s', async (_n, c) => {
    const argv = ['--trust', list, '--at', String(c.at)];
    if (c.skew !== undefined) argv.push('--skew', String(c.skew));
    if (c.maxTtl !== undefined) argv.push('--max-ttl', String(c.maxTtl));
    const r = await verify([...argv, c.token]);
    expect(r.err).toBe('');
    expect(r.code).toBe(c.expect.ok ? 0 : 1);
    const [result] = jsonLines(r.out) as { ok: boolean; code: string }[];
    if (c.expect.ok) expect(r.out).toBe(JSON.stringify(c.expect) + '\n');
    else expect({ ok: result!.ok, code: result!.code }).toStrictEqual(c.expect);
  });

  it.each(vectors ? v.sequences.map((s) => [s.name, s] as const) : [])('sequence on stdin: %s', async (_n, s) => {
    const r = await verify(['--trust', envelope, '--root', v.rootPublicKey], s.steps.map((st) => `${st.at}\t${st.token}`).join('\n') + '\n');
    expect(r.err).toBe('');
    expect((jsonLines(r.out) as { code: string }[]).map((x) => x.code)).toEqual(s.steps.map((st) => st.expect));
    expect(r.code).toBe(s.steps.every((st) => st.expect === 'OK') ? 0 : 1);
  });

  it('the huge-input case goes through stdin and is MALFORMED', async () => {
    const huge = v.cases.find((c) => c.token.length >= 1000)!;
    const r = await verify(['--trust', list, '--at', String(huge.at)], huge.token + '\n');
    expect(jsonLines(r.out)).toEqual([{ ok: false, code: 'MALFORMED' }]);
    expect(r.code).toBe(1);
  });

  it('an envelope needs --root; a wrong root, a tampered envelope and a KEYID mismatch are refused', async () => {
    const token = v.cases[0]!.token;
    const noRoot = await verify(['--trust', envelope, token]);
    expect(noRoot.code).toBe(2);
    expect(noRoot.err).toMatch(/루트 공개키.*TRUST_LIST_ROOT_REQUIRED/);
    const wrong = await verify(['--trust', envelope, '--root', publicKeyToBase64url(generateKeyPair().publicKey), token]);
    expect(wrong.err).toMatch(/TRUST_LIST_BAD_SIGNATURE/);
    expect((await verify(['--trust', tampered, '--root', v.rootPublicKey, token])).err).toMatch(/TRUST_LIST_BAD_SIGNATURE/);
    expect((await verify(['--trust', envelope, '--root', `root-9=${v.rootPublicKey}`, token])).err).toMatch(/TRUST_LIST_UNKNOWN_ROOT/);
    const ok = await verify(['--trust', envelope, '--root', `root-1=${v.rootPublicKey}`, '--at', String(v.cases[0]!.at), token]);
    expect(ok.code).toBe(0);
  });

  it('takes a root key that starts with a dash as the value of --root (one base64url key in 64 does)', async () => {
    let dashKey = '';
    for (let i = 0; i < 2000 && !dashKey.startsWith('-'); i++) dashKey = publicKeyToBase64url(generateKeyPair().publicKey);
    expect(dashKey.startsWith('-')).toBe(true);
    const r = await verify(['--trust', envelope, '--root', dashKey, v.cases[0]!.token]);
    expect(r.err).toMatch(/TRUST_LIST_BAD_SIGNATURE/);
    expect(r.err).not.toMatch(/BAD_OPTION/);
  });
});
if (!vectors) it.skip(ABSENT_MESSAGE, () => {});

describe('munjigi verify with its own keys', () => {
  const issuer = generateKeyPair();
  const root = generateKeyPair();
  const list: TrustList = {
    version: 1,
    sequence: 1,
    issuedAt: '2026-11-23T00:00:00Z',
    issuers: [
      {
        code: 1,
        name: 'naver',
        displayName: '네이버',
        keys: [{ keyId: 1, publicKey: publicKeyToBase64url(issuer.publicKey), notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-12-31T23:59:59Z', status: 'active' }],
      },
    ],
  };
  const listFile = file('own-trust.json', list);
  const envFile = file('own-envelope.json', signTrustList(list, root.privateKey, 'root-1'));
  const T0 = 1_795_392_000;
  const token = mintToken({ privateKey: issuer.privateKey, issuer: 1, keyId: 1, issuedAt: T0 });

  it('one replay state per run: the second sight of an admitted token is DUPLICATE, exit 1', async () => {
    const r = await verify(['--trust', listFile, '--at', String(T0 + 1), token, token]);
    expect((jsonLines(r.out) as { code: string }[]).map((x) => x.code)).toEqual(['OK', 'DUPLICATE']);
    expect(r.code).toBe(1);
    // a new run starts fresh
    expect((await verify(['--trust', listFile, '--at', String(T0 + 1), token])).code).toBe(0);
  });

  it('stdin: bare tokens use --at, clocked lines their own; CRLF and blank lines are fine', async () => {
    const other = mintToken({ privateKey: issuer.privateKey, issuer: 1, keyId: 1, issuedAt: T0 + 100 });
    const r = await verify(['--trust', envFile, '--root', publicKeyToBase64url(root.publicKey), '--at', String(T0 + 2)], `${token}\r\n\n${T0 + 101.5}\t${other}\r\n`);
    expect((jsonLines(r.out) as { code: string }[]).map((x) => x.code)).toEqual(['OK', 'OK']);
    expect(r.code).toBe(0);
  });

  it('garbage tokens get results, not crashes', async () => {
    const r = await verify(['--trust', listFile, '--at', String(T0)], ['', 'hello', '\u0000\u0001binary', '4006381333931', 'x'.repeat(100_000), 'KP1.' + 'A'.repeat(130)].join('\n'));
    // the all-zero body is well formed but version 0
    expect(jsonLines(r.out)).toEqual([...Array(4).fill({ ok: false, code: 'MALFORMED' }), { ok: false, code: 'UNSUPPORTED_VERSION' }]);
    expect(r.code).toBe(1);
  });

  it.each([
    ['no --trust', [token], /--trust.*MISSING_OPTION/],
    ['a missing trust file', ['--trust', 'nope.json', token], /신뢰 목록 파일을 읽을 수 없습니다.*FILE_UNREADABLE/],
    ['a trust file that is not JSON', ['--trust', file('junk.json', 'not json{'), token], /JSON.*FILE_NOT_JSON/],
    ['a trust file that is not a trust list', ['--trust', file('wrong.json', { version: 1 }), token], /TRUST_LIST_INVALID/],
    ['a bad --at', ['--trust', listFile, '--at', 'yesterday', token], /--at.*BAD_OPTION/],
    ['a negative --skew', ['--trust', listFile, '--skew', '-3', token], /--skew.*BAD_OPTION/],
    ['a --max-ttl out of range', ['--trust', listFile, '--max-ttl', '61', token], /--max-ttl.*BAD_OPTION/],
    ['a bad --root', ['--trust', envFile, '--root', 'short', token], /--root.*BAD_OPTION/],
    ['an unknown option', ['--trust', listFile, '--bogus', token], /BAD_OPTION/],
  ])('%s: Korean message, code, exit 2', async (_n, argv, pattern) => {
    const r = await verify(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(pattern);
  });

  it('a bad clock on a stdin line is reported by line number; the other lines still run; exit 2', async () => {
    const r = await verify(['--trust', listFile, '--at', String(T0 + 1)], `soon\t${token}\n${token}\n`);
    expect(r.err).toMatch(/1번째 줄.*BAD_LINE/);
    expect((jsonLines(r.out) as { code: string }[]).map((x) => x.code)).toEqual(['OK']);
    expect(r.code).toBe(2);
  });
});
