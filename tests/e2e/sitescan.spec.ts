/// <reference lib="dom" />
// 홈페이지 보안점검 end to end: the built renderer in Debian's Chromium, the kiosk core behind the
// development host (its accounts client pointed at a real central API on loopback with SQLite and
// the homepage-security routes), and a real SMTP server (smtp-server) on 127.0.0.1 that receives
// the verification mail. 홍길동, 의료기관 보안담당자 of 예시내과의원, logs in with his 공동인증서:
// a blog address is refused with its reason (in the form) and a private address by the server;
// he registers the homepage, enters the mailed code (a wrong one first), and after the first
// scan the site shows 모니터링 중; an infected scan with a stored visit record then shows its
// chart, findings, screenshot, redirects and requests, and 조치 완료 moves it to 조치완료(재점검).
// The scans are a fake scanner run by the real scheduler (the scanner has its own corpus tests).
// Screenshots go to docs/screenshots/sitescan-*.png with UPDATE_SCREENSHOTS=1.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { silentLogger } from '../../src/core/log';
import { SKIP_REASON, npkiMaterial } from '../../src/core/npki/testSupport';
import { createScheduler, createSmtpMailer, sitescanDb, sitescanRoutes } from '../../src/server/sitescan-service';
import type { SiteScan } from '../../src/server/sitescan-service';
import type { SiteEvidence } from '../../src/server/sitescan-service/routes';
import type { StaffSetup } from './support/staff';
import { openAccountsAs, signUpAndApprove, startStaffSetup } from './support/staff';

const mat = npkiMaterial();
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
const SITE_URL = 'https://www.yesi-clinic.kr/';

/** The staff overlay scrolls inside a fixed layer, so a full-page shot is the viewport: make it tall enough for the whole screen first. */
async function shot(page: Page, name: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const height = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('.accounts-overlay, body'), (e) => e.scrollHeight)));
  await page.setViewportSize({ width: size.width, height: Math.min(4000, Math.max(size.height, height + 40)) });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
  await page.setViewportSize(size);
}

test.describe.configure({ mode: 'serial' });
test.skip(!mat, SKIP_REASON);

let setup: StaffSetup;
/** 홍길동, 의료기관 보안담당자 of 예시내과의원. */
const HONG = { loginId: 'hong.gildong', holder: '홍길동' };
let smtp: SMTPServer;
let mailer: ReturnType<typeof createSmtpMailer>;
const inbox: Array<{ to: string[]; raw: string }> = [];
const evidence = new Map<string, SiteEvidence>();
/** What the fake scanner answers next. */
let nextScan: Awaited<ReturnType<SiteScan>> = { verdict: 'clean', findings: [], indicators: { hosts: [], urls: [], hashes: [] } };

/** The 6-digit code from the newest mail to `to` (quoted-printable or base64 body). */
function codeFromMail(to: string): string | null {
  const mail = inbox.filter((m) => m.to.includes(to)).at(-1);
  if (!mail) return null;
  const split = mail.raw.indexOf('\r\n\r\n');
  const head = mail.raw.slice(0, split);
  const body = mail.raw.slice(split + 4);
  const text = /content-transfer-encoding:\s*base64/i.test(head)
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  return /(\d{6})/.exec(text.slice(text.indexOf('인증 코드')))?.[1] ?? null;
}

/** One worker pass of the real scheduler with the fake scanner, the site's job made due first. */
async function runScanNow() {
  const sdb = sitescanDb(setup.db.db);
  await sdb.updateTable('sitescan_jobs').set({ due_at: Date.now() - 1 }).execute();
  const scan: SiteScan = async () => nextScan;
  const worker = createScheduler({ db: sdb, engine: 'sqlite', clock: Date.now, logger: silentLogger, mailer, scan, workerId: 'e2e', random: () => 0.5 });
  expect(await worker.runDue()).toBe(1);
}

test.beforeAll(async () => {
  if (!mat) return;
  mkdirSync(SHOTS, { recursive: true });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
  mailer = createSmtpMailer({ host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, requireTls: false, from: 'munjigi@localhost' });
  setup = await startStaffSetup({
    mat,
    prefix: 'munjigi-sitescan-e2e-',
    plugins: (db) => [
      sitescanRoutes({
        db: db.db,
        clock: Date.now,
        mailer,
        logger: silentLogger,
        loadEvidence: async (_db, siteId, resultId) => {
          const e = evidence.get(resultId);
          return e && e.siteId === siteId ? e : null;
        },
      }),
    ],
  });
  // 홍길동 signs up over the API (its own e2e covers the wizard's screens) and gets 의료기관 보안담당자.
  await signUpAndApprove(setup, { ...HONG, role: 'clinic_security', institution: 'clinic-example-gangnam' });
});

test.afterAll(async () => {
  await setup?.close();
  mailer?.close();
  if (smtp) await new Promise<void>((done) => smtp.close(() => done()));
});

async function openSitescan(page: Page) {
  await openAccountsAs(page, setup.hostUrl, HONG);
  // The menu entry comes from the permission table: 의료기관 보안담당자 → 홈페이지 보안점검.
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-menus', /homepageSecurity/);
  await page.getByTestId('menu-homepageSecurity').click();
  await expect(page.getByTestId('sitescan')).toBeVisible();
}

async function fillForm(page: Page, url: string) {
  await page.getByTestId('ss-clinicName').fill('예시내과의원');
  await page.getByTestId('ss-url').fill(url);
  await page.getByTestId('ss-contactName').fill('홍길동');
  await page.getByTestId('ss-officePhone').fill('0234235555');
  await page.getByTestId('ss-mobile').fill('01022223333');
  await page.getByTestId('ss-email').fill('security@yesi-clinic.kr');
}

test('register: bad fields and a blog are refused with reasons; the mailed code is entered; after the first scan 모니터링 중', async ({ page }) => {
  await openSitescan(page);
  await expect(page.getByTestId('ss-empty')).toBeVisible();
  await page.getByTestId('ss-new').click();

  // Every field checked with a Korean message, nothing sent.
  await page.getByTestId('ss-mobile').fill('010-2222-3333');
  await page.getByTestId('ss-submit').click();
  await expect(page.getByTestId('ss-clinicName-error')).toContainText('의료기관명');
  await expect(page.getByTestId('ss-mobile-error')).toContainText('숫자만');
  await expect(page.getByTestId('ss-consentCollection-error')).toContainText('동의');
  await expect(page.getByTestId('ss-consentSuspension-error')).toContainText('서비스 중단');

  // A blog is refused with the reason; a private address by the server, with its reason too.
  await fillForm(page, 'https://blog.naver.com/yesiclinic');
  await page.getByTestId('ss-consentCollection').check();
  await page.getByTestId('ss-consentSuspension').check();
  await page.getByTestId('ss-submit').click();
  await expect(page.getByTestId('ss-url-error')).toContainText('네이버 블로그은(는) 블로그·카페·SNS 페이지라 등록할 수 없습니다');
  await shot(page, 'sitescan-register-ko');
  await page.getByTestId('ss-url').fill('http://192.168.0.10/');
  await page.getByTestId('ss-submit').click();
  await expect(page.getByTestId('ss-register-error')).toContainText('SITE_URL_REFUSED');
  expect(inbox.length).toBe(0);

  await page.getByTestId('ss-url').fill(SITE_URL);
  await page.getByTestId('ss-submit').click();
  await expect(page.getByTestId('ss-verify')).toBeVisible();
  await expect(page.getByTestId('ss-code-info')).toContainText('남은 입력 횟수 5회');
  await expect.poll(() => codeFromMail('security@yesi-clinic.kr'), { timeout: 10_000 }).toMatch(/^\d{6}$/);
  const code = codeFromMail('security@yesi-clinic.kr')!;
  await page.getByTestId('ss-code').fill(code === '000000' ? '000001' : '000000');
  await page.getByTestId('ss-verify-submit').click();
  await expect(page.getByTestId('ss-verify-error')).toContainText('남은 시도 횟수: 4회');
  await expect(page.getByTestId('ss-code-info')).toContainText('남은 입력 횟수 4회');
  await shot(page, 'sitescan-verify-ko');
  await page.getByTestId('ss-code').fill(code);
  await page.getByTestId('ss-verify-submit').click();
  await expect(page.getByTestId('ss-verified')).toContainText('첫 점검');

  // 이메일 인증 until the first scan; then 모니터링 중.
  await page.getByTestId('ss-back').click();
  await expect(page.getByTestId('ss-site').getByTestId('ss-badge')).toContainText('첫 점검 대기');
  await runScanNow();
  await page.getByTestId('ss-reload').click();
  await expect(page.getByTestId('ss-site').getByTestId('ss-badge')).toHaveText(/모니터링 중/);
  await expect(page.getByTestId('ss-site').getByTestId('ss-badge')).toHaveAttribute('data-tone', 'ok');
});

test('report: an infected scan with its visit record shows the chart, findings, screenshot, redirects and requests; 조치 완료', async ({ page, context }) => {
  const evil = 'cdn.evil-counter.example';
  nextScan = {
    verdict: 'malicious',
    findings: [
      { ruleId: 'HIDDEN_IFRAME', severity: 'high', evidence: `보이지 않는 iframe(0×0)이 외부 사이트 ${evil}를 불러옵니다.`, resource: `http://${evil}/in.html`, page: SITE_URL, profile: 'desktop' },
      { ruleId: 'OBFUSCATED_SINK', severity: 'medium', evidence: 'eval(unescape(...)) 형태의 난독화된 스크립트', resource: `${SITE_URL}js/common.js`, page: SITE_URL, profile: 'mobile' },
    ],
    indicators: { hosts: [evil], urls: [`http://${evil}/in.html`], hashes: [] },
  };
  await runScanNow();
  const sdb = sitescanDb(setup.db.db);
  const site = await sdb.selectFrom('sitescan_sites').select('id').executeTakeFirstOrThrow();
  const latest = await sdb.selectFrom('sitescan_results').select('id').where('site_id', '=', site.id).orderBy('started_at', 'desc').executeTakeFirstOrThrow();
  // A real PNG as the visit's screenshot: what a visitor saw.
  const shotPage = await context.newPage();
  await shotPage.setViewportSize({ width: 640, height: 360 });
  await shotPage.setContent('<body style="font-family:sans-serif;background:#f6fbff"><h1>예시내과의원</h1><p>진료시간 안내 · 공지사항 · 오시는 길</p></body>');
  const png = await shotPage.screenshot();
  await shotPage.close();
  evidence.set(latest.id, {
    resultId: latest.id,
    siteId: site.id,
    screenshotPng: png,
    pages: [
      {
        url: 'http://www.yesi-clinic.kr/',
        finalUrl: SITE_URL,
        redirectChain: ['http://www.yesi-clinic.kr/', SITE_URL],
        requests: [
          { url: SITE_URL, type: 'document', status: 200, host: 'www.yesi-clinic.kr' },
          { url: `${SITE_URL}js/common.js`, type: 'script', status: 200, host: 'www.yesi-clinic.kr' },
          { url: `http://${evil}/in.html`, type: 'subdocument', status: 200, host: evil },
        ],
        serverIp: '203.0.113.10',
        tlsIssuer: 'Example Test CA',
      },
    ],
  });

  await openSitescan(page);
  await expect(page.getByTestId('ss-site').getByTestId('ss-badge')).toContainText('조치요청');
  await page.getByTestId('ss-open').click();
  await expect(page.getByTestId('ss-report')).toBeVisible();
  await expect(page.getByTestId('ss-chart').locator('svg')).toHaveAttribute('data-bars', '2');
  await expect(page.locator('[data-testid="ss-bar"][data-outcome="malicious"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="ss-bar"][data-outcome="clean"]')).toHaveCount(1);
  await expect(page.getByTestId('ss-finding')).toHaveCount(2);
  await expect(page.locator('[data-testid="ss-finding"][data-rule="HIDDEN_IFRAME"]')).toContainText(evil);
  const img = page.getByTestId('ss-screenshot');
  await expect(img).toBeVisible();
  expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
  await expect(page.getByTestId('ss-redirects')).toContainText('http://www.yesi-clinic.kr/');
  await expect(page.getByTestId('ss-requests').locator('tr')).toHaveCount(3);
  await expect(page.getByTestId('ss-followup')).toHaveAttribute('data-state', 'action_requested');
  await expect(page.getByTestId('ss-notices')).toContainText('악성코드');
  await shot(page, 'sitescan-report-ko');

  // The clean scan before it has no visit record: said so, not an error.
  await page.locator('[data-testid="ss-bar"][data-outcome="clean"]').click();
  await expect(page.getByTestId('ss-visit-missing')).toContainText('저장되지 않았습니다');

  await page.getByTestId('ss-remediated').click();
  await expect(page.getByTestId('ss-followup')).toHaveAttribute('data-state', 'remediated');
  await expect(page.getByTestId('ss-remediated')).toHaveCount(0);

  await page.getByTestId('ss-lang').click();
  await page.locator('[data-testid="ss-bar"][data-outcome="malicious"]').click();
  await expect(page.getByTestId('ss-report')).toContainText('Scan history');
  await shot(page, 'sitescan-report-en');
  await page.getByTestId('ss-back').click();
  await expect(page.getByTestId('ss-site').getByTestId('ss-badge')).toContainText('Fixed');
  await shot(page, 'sitescan-list-en');
});
