// Runs under vitest. The accounts channels through the real dispatcher and kiosk handlers:
// the dialog's list and 인증서 찾기, and bad requests refused with stable codes.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/dispatch';
import { createKioskApp } from '../app/kiosk';
import { silentLogger } from '../log';
import { SKIP_REASON, npkiMaterial } from '../npki/testSupport';

const material = npkiMaterial();

describe.skipIf(!material)(`accounts channels${material ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'accounts-ch-'));
  const root = join(tmp, 'NPKI');
  if (material) cpSync(join(material.root, 'NPKI'), root, { recursive: true });
  const app = createKioskApp({ dataDir: join(tmp, 'data'), logger: silentLogger, demo: false, npkiRoots: [{ path: root, location: 'hdd' }] });
  const dispatch = createDispatcher(app.handlers, silentLogger);
  afterAll(async () => {
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the certificates for the dialog', async () => {
    const env = await dispatch('accounts:certificates', {});
    expect(env.ok).toBe(true);
    const rows = (env as { value: { certificates: { holderName: string; kindLabel: string }[] } }).value.certificates;
    expect(rows.map((r) => r.holderName)).toEqual(expect.arrayContaining(['홍길동', '김철수', '박영희']));
  });

  it('checks a certificate password in main: right, wrong, corporate, expired, unknown ref', async () => {
    const env = await dispatch('accounts:certificates', {});
    const rows = (env as { value: { certificates: { ref: string; holderName: string; kind: string }[] } }).value.certificates;
    const ref = (name: string) => rows.find((r) => r.holderName.includes(name))?.ref;
    expect(await dispatch('accounts:checkCertificate', { certificateRef: ref('홍길동'), password: 'Test1234!' })).toMatchObject({
      ok: true,
      value: { holderName: '홍길동' },
    });
    const refused = async (certificateRef: string | undefined, password: string) =>
      ((await dispatch('accounts:checkCertificate', { certificateRef, password })) as { error?: { code: string; message: string } }).error;
    const wrong = await refused(ref('홍길동'), 'Test1234?');
    expect(wrong?.code).toBe('NPKI_WRONG_PASSWORD');
    expect(wrong?.message).toContain('암호');
    expect((await refused(ref('예시병원'), 'Test1234!'))?.code).toBe('ACCOUNTS_CERT_CORPORATE');
    expect((await refused(ref('박영희'), 'Test1234!'))?.code).toBe('ACCOUNTS_CERT_EXPIRED');
    expect((await refused('AAAAAAAAAAAAAAAA', 'Test1234!'))?.code).toBe('ACCOUNTS_UNKNOWN_CERTIFICATE');
    expect((await refused('../../etc/passwd', 'Test1234!'))?.code).toBe('INVALID_REQUEST');
    expect((await refused(ref('홍길동'), ''))?.code).toBe('INVALID_REQUEST');
    expect((await refused(ref('홍길동'), 'x'.repeat(257)))?.code).toBe('INVALID_REQUEST');
  });

  it('refuses bad requests and missing files with stable codes and keeps serving', async () => {
    expect(await dispatch('accounts:certificates', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('accounts:findCertificate', { path: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('accounts:findCertificate', { path: 42 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('accounts:findCertificate', { path: join(tmp, 'missing.der') })).toMatchObject({
      ok: false,
      error: { code: 'NPKI_FILE_NOT_FOUND' },
    });
    expect(await dispatch('accounts:findCertificate', { path: join(tmp, 'data', 'settings.json') })).toMatchObject({ ok: false, error: { code: 'NPKI_BAD_CERT' } });
    expect((await dispatch('accounts:certificates', {})).ok).toBe(true);
  });

  it('the re-bind, people search and institution channels refuse bad input, and need a session', async () => {
    const ref = 'AAAAAAAAAAAAAAAA';
    const uuid = '0b7c5c1e-2f0a-4c3e-9a51-5c3f1f6a0a01';
    const code = async (channel: Parameters<typeof dispatch>[0], request: unknown) => ((await dispatch(channel, request as never)) as { error?: { code: string } }).error?.code;
    const rebind = { loginId: 'hong.gildong', oldCertificateRef: ref, oldPassword: 'a', newCertificateRef: 'BBBBBBBBBBBBBBBB', newPassword: 'b' };
    for (const bad of [{ ...rebind, loginId: 'X' }, { ...rebind, oldPassword: '' }, { ...rebind, newCertificateRef: '../x' }, { ...rebind, extra: 1 }]) {
      expect(await code('accounts:rebind', bad), JSON.stringify(bad)).toBe('INVALID_REQUEST');
    }
    // A well-formed request with refs main never listed: refused before any key or network.
    expect(await code('accounts:rebind', rebind)).toBe('ACCOUNTS_UNKNOWN_CERTIFICATE');
    expect(await code('accounts:findUsers', { q: 'a' })).toBe('INVALID_REQUEST');
    expect(await code('accounts:approverRebind', { userId: 'nope', certificateRef: ref, comment: '확인' })).toBe('INVALID_REQUEST');
    expect(await code('accounts:approverRebind', { userId: uuid, certificateRef: ref, comment: '' })).toBe('INVALID_REQUEST');
    expect(await code('accounts:createInstitution', { id: 'x', name: '', kind: 'hospital' })).toBe('INVALID_REQUEST');
    expect(await code('accounts:updateInstitution', { id: 'clinic-example-gangnam', change: { kind: 'facility' } })).toBe('INVALID_REQUEST');
    expect(await code('accounts:setInstitutionActive', { id: 'clinic-example-gangnam', active: false, reason: '' })).toBe('INVALID_REQUEST');
    // Valid requests without a signed-in staff session (or a server) are refused, not attempted.
    expect(await code('accounts:findUsers', { q: 'hong' })).toMatch(/ACCOUNTS_NOT_SIGNED_IN|ACCOUNTS_NO_SERVER/);
    expect(await code('accounts:adminInstitutions', {})).toMatch(/ACCOUNTS_NOT_SIGNED_IN|ACCOUNTS_NO_SERVER/);
    expect(await code('accounts:setInstitutionActive', { id: 'clinic-example-gangnam', active: false, reason: '폐업' })).toMatch(/ACCOUNTS_NOT_SIGNED_IN|ACCOUNTS_NO_SERVER/);
  });
});
