// Runs in Node (vitest). The app's homepage-security client: bad input is refused in main with
// a Korean message and nothing is sent; paths and bodies are the service's; a visit's screenshot
// is kept only when it is a PNG; without a staff session nothing goes out.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { silentLogger } from '../log';
import { createAccountsClient } from '../accounts/client';
import { createCertificateWallet } from '../accounts/wallet';
import type { AuthorizedCall } from './client';
import { createSitescanClient } from './client';

const SITE = '0a1b2c3d-0000-4000-8000-000000000001';
const form = {
  clinicName: '튼튼내과의원',
  url: 'https://www.teunteun-clinic.kr/',
  contactName: '김담당',
  officePhone: '0212345678',
  mobile: '01012345678',
  email: 'staff@teunteun-clinic.kr',
  consentCollection: true as const,
  consentSuspension: true as const,
};

/** A fake authorised call: records what would be sent and answers from a table, checked by the caller's schema. */
function fakeAuthorized(answers: Record<string, unknown>) {
  const sent: Array<{ method: string; path: string; body: unknown }> = [];
  const authorized = (async (method: 'GET' | 'POST', path: string, schema: z.ZodType, body?: unknown) => {
    sent.push({ method, path, body });
    if (!(path in answers)) throw new Error(`unexpected ${path}`);
    return schema.parse(answers[path]);
  }) as AuthorizedCall;
  return { sent, authorized };
}

describe('sitescan client', () => {
  it('checks the form and ids before sending; nothing goes out on bad input', async () => {
    const { sent, authorized } = fakeAuthorized({});
    const c = createSitescanClient({ authorized });
    await expect(c.register({ ...form, url: 'https://blog.naver.com/x' })).rejects.toMatchObject({ code: 'SITESCAN_INPUT_INVALID', message: expect.stringMatching(/네이버 블로그/) });
    await expect(c.register({ ...form, mobile: '010-1234-5678' })).rejects.toMatchObject({ code: 'SITESCAN_INPUT_INVALID', message: expect.stringMatching(/숫자만/) });
    await expect(c.register({ ...form, consentSuspension: false as unknown as true })).rejects.toMatchObject({ message: expect.stringMatching(/서비스 중단/) });
    await expect(c.verify(SITE, '12ab56')).rejects.toMatchObject({ code: 'SITESCAN_INPUT_INVALID', message: expect.stringMatching(/6자리/) });
    await expect(c.report('../../v1/accounts/me')).rejects.toMatchObject({ code: 'SITESCAN_INPUT_INVALID' });
    await expect(c.visit(SITE, 'a/../b')).rejects.toMatchObject({ code: 'SITESCAN_INPUT_INVALID' });
    expect(sent).toEqual([]);
  });

  it('sends to the service routes and reads their answers', async () => {
    const { sent, authorized } = fakeAuthorized({
      '/v1/sitescan/sites': { siteId: SITE, status: 'applied', statusLabel: '신청' },
      [`/v1/sitescan/sites/${SITE}/verify`]: { status: 'verified', statusLabel: '이메일 인증', firstScanAt: 5 },
      [`/v1/sitescan/sites/${SITE}/resend-code`]: { sent: true, expiresAt: 9 },
      [`/v1/sitescan/sites/${SITE}/remediated`]: { followup: 'remediated', followupLabel: '조치완료(재점검)' },
    });
    const c = createSitescanClient({ authorized });
    expect(await c.register({ ...form, email: ' staff@teunteun-clinic.kr ' })).toMatchObject({ siteId: SITE, statusLabel: '신청' });
    expect(await c.verify(SITE, ' 123456 ')).toMatchObject({ firstScanAt: 5 });
    expect(await c.resendCode(SITE)).toEqual({ sent: true, expiresAt: 9 });
    expect(await c.remediated(SITE)).toMatchObject({ followup: 'remediated' });
    expect(sent.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /v1/sitescan/sites',
      `POST /v1/sitescan/sites/${SITE}/verify`,
      `POST /v1/sitescan/sites/${SITE}/resend-code`,
      `POST /v1/sitescan/sites/${SITE}/remediated`,
    ]);
    expect(sent[0]!.body).toMatchObject({ email: 'staff@teunteun-clinic.kr' });
    expect(sent[1]!.body).toEqual({ code: '123456' });
  });

  it('keeps a visit screenshot only when it is a PNG; unreadable findings show as none', async () => {
    const ev = { resultId: 'r1', siteId: SITE, hasScreenshot: true, pages: [] };
    const base = `/v1/sitescan/sites/${SITE}/results/r1`;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
    const ok = createSitescanClient(fakeAuthorized({ [`${base}/evidence`]: ev, [`${base}/screenshot`]: { pngBase64: png } }));
    expect((await ok.visit(SITE, 'r1')).screenshotPngBase64).toBe(png);
    const html = Buffer.from('<html><script>alert(1)</script>').toString('base64');
    const notPng = createSitescanClient(fakeAuthorized({ [`${base}/evidence`]: ev, [`${base}/screenshot`]: { pngBase64: html } }));
    expect((await notPng.visit(SITE, 'r1')).screenshotPngBase64).toBeNull();
    const bad = createSitescanClient(fakeAuthorized({ [`${base}/evidence`]: { ...ev, pages: 'x' } }));
    await expect(bad.visit(SITE, 'r1')).rejects.toBeTruthy();

    const report = {
      siteId: SITE, clinicName: 'a', url: 'https://a.kr/', status: 'monitoring', statusLabel: '모니터링 중', followup: 'normal', followupLabel: '정상',
      lastScanAt: 1, lastOutcome: 'clean', createdAt: 1, nextScanAt: null, emailCode: null, notices: [],
      results: [{ resultId: 'r1', startedAt: 1, finishedAt: 2, outcome: 'clean', errorCode: null, findings: { not: 'a list' } }],
    };
    const r = await createSitescanClient(fakeAuthorized({ [`/v1/sitescan/sites/${SITE}`]: report })).report(SITE);
    expect(r.results[0]!.findings).toEqual([]);
  });

  it('without a staff session nothing is sent (ACCOUNTS_NOT_SIGNED_IN)', async () => {
    const calls: string[] = [];
    const accounts = createAccountsClient({
      apiUrl: () => 'http://127.0.0.1:9',
      http: async (req) => {
        calls.push(req.url);
        return { status: 200, headers: {}, body: '{}' };
      },
      wallet: createCertificateWallet({ clock: () => 0, platform: 'linux', roots: [] }),
      clock: () => 0,
      logger: silentLogger,
    });
    const c = createSitescanClient({ authorized: accounts.authorized });
    await expect(c.list()).rejects.toMatchObject({ code: 'ACCOUNTS_NOT_SIGNED_IN' });
    expect(calls).toEqual([]);
  });
});
