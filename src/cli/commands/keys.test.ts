// Runs under vitest (Node). `munjigi keys`, `trust` and `issue` in-process, end to end: an
// authority root and an issuer key, a signed trust list, a minted token (and its QR) that
// `verify` admits; and bad input to each refused with a Korean message, a code and exit 2.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import QRCode from 'qrcode';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../testing';

const dir = mkdtempSync(join(tmpdir(), 'munjigi-cli-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (argv: string[]) => runCli(argv, { cwd: dir });
const T0 = 1_795_392_000;

describe('keys → trust sign → issue → verify', () => {
  it('runs the whole authority/issuer flow', async () => {
    const root = await cli(['keys', 'new-authority', '--out', 'root.pem']);
    expect(root.code).toBe(0);
    const rootOut = JSON.parse(root.out) as { keyId: string; publicKey: string };
    expect(rootOut.keyId).toBe('root-1');
    expect(rootOut.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(root.out).not.toMatch(/PRIVATE/);
    expect(statSync(join(dir, 'root.pem')).mode & 0o777).toBe(0o600);

    const issuer = await cli(['keys', 'new-issuer', '--out', 'naver.pem', '--key-id', '3']);
    expect(issuer.code).toBe(0);
    const { trustKey, publicKey } = JSON.parse(issuer.out) as { publicKey: string; trustKey: { keyId: number; publicKey: string; notBefore: string; notAfter: string } };
    expect(trustKey).toMatchObject({ keyId: 3, publicKey, status: 'active' });
    expect(Date.parse(trustKey.notAfter) - Date.parse(trustKey.notBefore)).toBe(365 * 86_400_000);
    expect(JSON.parse((await cli(['keys', 'public', '--key', 'naver.pem'])).out)).toEqual({ publicKey });

    // a demo trust list valid around T0
    const list = {
      version: 1,
      sequence: 4,
      issuedAt: '2026-11-23T00:00:00Z',
      issuers: [{ code: 1, name: 'naver', displayName: '네이버', keys: [{ ...trustKey, notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-12-31T23:59:59Z' }] }],
    };
    writeFileSync(join(dir, 'list.json'), JSON.stringify(list));
    const signed = await cli(['trust', 'sign', '--key', 'root.pem', '--key-id', 'root-1', 'list.json']);
    expect(signed.code).toBe(0);
    writeFileSync(join(dir, 'envelope.json'), signed.out);
    expect(Object.keys(JSON.parse(signed.out) as object)).toEqual(['payload', 'keyId', 'signature']);

    const shown = await cli(['trust', 'show', '--trust', 'envelope.json', '--root', rootOut.publicKey]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ sequence: 4, issuers: [{ code: 1, keys: [{ keyId: 3, status: 'active' }] }] });

    const issued = await cli(['issue', '--key', 'naver.pem', '--issuer', '1', '--key-id', '3', '--at', String(T0), '--ttl', '10', '--minor', '--png', 'qr.png']);
    expect(issued.code).toBe(0);
    const token = issued.out.trim();
    expect(token).toMatch(/^KP1\.[A-Za-z0-9_-]{130}$/);
    const png = readFileSync(join(dir, 'qr.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // the spec's QR size: version 8 (49×49) at error correction M
    expect(QRCode.create(token, { errorCorrectionLevel: 'M' }).version).toBe(8);

    const verified = await runCli(['verify', '--trust', 'envelope.json', '--root', `root-1=${rootOut.publicKey}`, '--at', String(T0 + 5), token], { cwd: dir });
    expect(verified.code).toBe(0);
    expect(jsonLines(verified.out)).toEqual([
      expect.objectContaining({ ok: true, code: 'OK', issuer: 1, issuerName: 'naver', keyId: 3, issuedAt: T0, expiresAt: T0 + 10, minorWithConsent: true }),
    ]);
  });

  it('--print-private prints the PEM only when asked; an existing key file is never overwritten', async () => {
    const printed = JSON.parse((await cli(['keys', 'new-authority', '--print-private', '--key-id', 'root-2'])).out) as { privateKeyPem: string; keyId: string };
    expect(printed.keyId).toBe('root-2');
    expect(printed.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    writeFileSync(join(dir, 'keep.pem'), 'precious');
    const r = await cli(['keys', 'new-issuer', '--out', 'keep.pem']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/덮어쓰지 않으니.*KEY_FILE_EXISTS/);
    expect(readFileSync(join(dir, 'keep.pem'), 'utf8')).toBe('precious');
  });
});

describe('bad input: Korean message, code, exit 2, nothing on stdout', () => {
  writeFileSync(join(dir, 'junk.pem'), 'not a key');
  writeFileSync(join(dir, 'bad-list.json'), JSON.stringify({ version: 1, sequence: -1 }));
  it.each([
    ['keys without action', ['keys'], /new-authority.*UNKNOWN_SUBCOMMAND/],
    ['keys unknown action', ['keys', 'rotate'], /UNKNOWN_SUBCOMMAND/],
    ['keys without --out', ['keys', 'new-issuer'], /--out.*MISSING_OPTION/],
    ['keys with a bad root key id', ['keys', 'new-authority', '--out', 'x.pem', '--key-id', 'a b'], /--key-id.*BAD_OPTION/],
    ['keys with issuer key id 256', ['keys', 'new-issuer', '--out', 'y.pem', '--key-id', '256'], /--key-id.*BAD_OPTION/],
    ['keys public of a junk file', ['keys', 'public', '--key', 'junk.pem'], /PKCS#8.*KEY_INVALID/],
    ['trust without subcommand', ['trust'], /sign, show.*UNKNOWN_SUBCOMMAND/],
    ['trust sign of an invalid list', ['trust', 'sign', '--key', 'junk.pem', '--key-id', 'root-1', 'bad-list.json'], /TRUST_LIST_INVALID/],
    ['trust sign without a file', ['trust', 'sign', '--key', 'junk.pem', '--key-id', 'root-1'], /BAD_OPTION/],
    ['trust show of a missing file', ['trust', 'show', '--trust', 'nope.json'], /FILE_UNREADABLE/],
    ['issue without --issuer', ['issue', '--key', 'junk.pem', '--key-id', '1'], /--issuer.*MISSING_OPTION/],
    ['issue with ttl 61', ['issue', '--key', 'junk.pem', '--issuer', '1', '--key-id', '1', '--ttl', '61'], /--ttl.*BAD_OPTION/],
    ['issue with a fractional --at', ['issue', '--key', 'junk.pem', '--issuer', '1', '--key-id', '1', '--at', '1.5'], /--at.*BAD_OPTION/],
    ['issue with a junk key', ['issue', '--key', 'junk.pem', '--issuer', '1', '--key-id', '1'], /KEY_INVALID/],
    ['issue with a missing key', ['issue', '--key', 'missing.pem', '--issuer', '1', '--key-id', '1'], /KEY_FILE_UNREADABLE/],
  ])('%s', async (_n, argv, pattern) => {
    const r = await cli(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(pattern);
  });

  it('issue --png into a missing folder fails cleanly and prints no token', async () => {
    await cli(['keys', 'new-issuer', '--out', 'png-issuer.pem']);
    const r = await cli(['issue', '--key', 'png-issuer.pem', '--issuer', '1', '--key-id', '1', '--png', 'no/such/dir/qr.png']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/FILE_UNWRITABLE/);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });
});
