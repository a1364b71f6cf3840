// Runs under vitest (Node). `munjigi npki list|check` in-process: agreement with
// ../shared/npki-test/cases.json for every identity, and bad input (exit 2, Korean + code).
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SKIP_REASON, npkiMaterial } from '../../core/npki/testSupport';
import { runCli } from '../testing';

const run = (argv: string[], env: Record<string, string> = {}) => runCli(['npki', ...argv], { env });

describe('munjigi npki: bad input', () => {
  it.each([
    [[], 'UNKNOWN_SUBCOMMAND'],
    [['frobnicate'], 'UNKNOWN_SUBCOMMAND'],
    [['check'], 'BAD_OPTION'],
    [['check', '--cert', 'a', '--key', 'b', '--password', 'hunter2'], 'BAD_OPTION'],
    [['check', '--cert', 'a', '--key', 'b', '--password-env', 'not a name!'], 'BAD_OPTION'],
    [['check', '--cert', 'a', '--key', 'b', '--password-env', 'UNSET_VAR'], 'NPKI_PASSWORD_MISSING'],
    [['check', '--cert', '/nonexistent/c.der', '--key', '/nonexistent/k.key', '--password-env', 'PW'], 'NPKI_FILE_NOT_FOUND'],
    [['list', '--root', '/nonexistent/npki'], 'NPKI_FILE_NOT_FOUND'],
    [['list', 'stray'], 'BAD_OPTION'],
  ])('%j → exit 2 with %s', async (argv, code) => {
    const r = await run(argv, { PW: 'x' });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`(code: ${code})`);
    expect(r.err).toMatch(/[가-힣]/);
    expect(r.err).not.toContain('hunter2');
  });

  it('garbage certificate and key files → NPKI_BAD_CERT / NPKI_BAD_DER, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-npki-cli-'));
    writeFileSync(join(dir, 'c.der'), 'garbage');
    writeFileSync(join(dir, 'k.key'), 'garbage');
    const r = await run(['check', '--cert', join(dir, 'c.der'), '--key', join(dir, 'k.key'), '--password-env', 'PW'], { PW: 'x' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('(code: NPKI_BAD_CERT)');
  });

  it('an empty --root folder lists nothing and succeeds', async () => {
    const r = await run(['list', '--root', mkdtempSync(join(tmpdir(), 'munjigi-npki-empty-'))]);
    expect(r).toEqual({ code: 0, out: '', err: '' });
  });
});

const m = npkiMaterial();
describe.skipIf(!m)(`munjigi npki against cases.json (${m ? 'present' : SKIP_REASON})`, () => {
  const mat = m!;
  const cases = mat?.identities.map((c) => [c.subjectCN, c] as const) ?? [];

  it('list --root prints one JSON line per identity, agreeing with cases.json', async () => {
    for (const root of [mat.root, join(mat.root, 'NPKI')]) {
      const r = await run(['list', '--root', root]);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toHaveLength(mat.identities.length);
      for (const c of mat.identities) {
        const line = lines.find((l) => l.serial === c.serial)!;
        expect(line).toMatchObject({
          path: join(mat.root, c.dir),
          subjectCN: c.subjectCN,
          kind: c.kind,
          policy: c.policy,
          notAfter: new Date(c.notAfter).toISOString(),
          issuer: 'CN=yessign-Test CA,OU=AccreditedCA,O=yessign-Test,C=KR',
        });
        expect(line.subject).toEqual(expect.stringContaining(`CN=${c.subjectCN}`));
      }
    }
  });

  it.each(cases)('check %s agrees with cases.json', async (_cn, c) => {
    const dir = join(mat.root, c.dir);
    const r = await run(
      ['check', '--cert', join(dir, 'signCert.der'), '--key', join(dir, 'signPri.key'), '--password-env', 'NPKI_PW'],
      { NPKI_PW: c.password },
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as Record<string, unknown>;
    expect(out).toMatchObject({
      subjectCN: c.subjectCN,
      kind: c.kind,
      policy: c.policy,
      serial: c.serial,
      notAfter: new Date(c.notAfter).toISOString(),
      keyMatches: true,
      randomNum: c.randomNum !== null,
      expired: c.expired,
    });
    // cases.json says "pbes1" for the seedCBCWithSHA1 form; the CLI names it pbes1-seed.
    expect(String(out.encryption).startsWith(c.encryption)).toBe(true);
    expect(r.out).not.toContain(c.password);
  });

  it('list reports an unreadable certificate on stderr with its code and still lists the rest', async () => {
    const root = mkdtempSync(join(tmpdir(), 'munjigi-npki-bad-'));
    const bad = join(root, 'NPKI', 'CA', 'USER', 'cn=broken');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'signCert.der'), 'not a certificate');
    const good = join(root, 'NPKI', 'CA', 'USER', 'cn=good');
    mkdirSync(good, { recursive: true });
    copyFileSync(join(mat.root, mat.identities[0]!.dir, 'signCert.der'), join(good, 'signCert.der'));
    const r = await run(['list', '--root', root]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('(code: NPKI_BAD_CERT)');
    expect(JSON.parse(r.out)).toMatchObject({ serial: mat.identities[0]!.serial, keyPath: null });
  });

  it('a garbage key beside a good certificate → NPKI_BAD_DER, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-npki-key-'));
    writeFileSync(join(dir, 'k.key'), Buffer.from('3003020101', 'hex'));
    const r = await run(
      ['check', '--cert', join(mat.root, mat.identities[0]!.dir, 'signCert.der'), '--key', join(dir, 'k.key'), '--password-env', 'PW'],
      { PW: 'x' },
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('(code: NPKI_BAD_DER)');
  });

  it('a wrong password is exit 2 with NPKI_WRONG_PASSWORD and a Korean message', async () => {
    const c = mat.identities[0]!;
    const dir = join(mat.root, c.dir);
    const r = await run(['check', '--cert', join(dir, 'signCert.der'), '--key', join(dir, 'signPri.key'), '--password-env', 'PW'], {
      PW: 'wrong-password',
    });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('(code: NPKI_WRONG_PASSWORD)');
    expect(r.err).toContain('암호');
  });

  it('a key from another identity: keyMatches false, exit 1', async () => {
    const [a, b] = mat.identities;
    const r = await run(
      ['check', '--cert', join(mat.root, a!.dir, 'signCert.der'), '--key', join(mat.root, b!.dir, 'signPri.key'), '--password-env', 'PW'],
      { PW: b!.password },
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ keyMatches: false });
    expect(r.err).toContain('NPKI_KEY_MISMATCH');
  });
});
