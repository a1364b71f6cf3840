/// <reference lib="dom" />
// Accounts end to end: the built renderer in Debian's Chromium, the kiosk core behind the
// development host (its accounts client pointed at a real central API on loopback with SQLite,
// trusting the shared test CA), and a temp copy of the shared NPKI folder as the only place
// certificates are looked for. 홍길동 signs up in the wizard, a bootstrapped 보건소 승인자
// approves in the approvals screen, 홍길동 logs in and sees the new menus.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { sign } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../../src/core/log';
import { unlockCertificate } from '../../src/core/npki';
import { SKIP_REASON, npkiMaterial } from '../../src/core/npki/testSupport';
import { CURRENT_CONSENT, signingMessage } from '../../src/shared/accounts';
import { grantRoleDirectly } from '../../src/server/accounts/bootstrap';
import { loadCertificates } from '../../src/server/accounts/certificates';
import { createServer } from '../../src/server/app';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';

const mat = npkiMaterial();
const DEVHOST = join(process.cwd(), 'out', 'node', 'devhost.js');
const PASSWORD = 'Test1234!';

test.describe.configure({ mode: 'serial' });
test.skip(!mat, SKIP_REASON);

let tmp = '';
let db: ServerDb;
let api: FastifyInstance;
let apiUrl = '';
let host: ChildProcess | null = null;
let hostUrl = '';
let apiRequests = 0;

async function startDevhost(): Promise<string> {
  if (!existsSync(DEVHOST)) throw new Error('out/node/devhost.js is missing: run `npm run build` first');
  const child = spawn(process.execPath, [DEVHOST, '--data', join(tmp, 'kiosk'), '--port', '0', '--accounts-api', apiUrl, '--npki-root', join(tmp, 'NPKI')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  host = child;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return new Promise<string>((done, failed) => {
    const timer = setTimeout(() => failed(new Error(`devhost did not start: ${stderr}`)), 15_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      done(line.trim());
    });
    child.once('exit', (code) => failed(new Error(`devhost exited ${code}: ${stderr}`)));
  });
}

/** The first 보건소 승인자 (김철수, 강남구보건소): signed up over the API with his own key, then granted by the operator function. */
async function bootstrapApprover() {
  const id = mat!.identities.find((i) => i.subjectCN.startsWith('김철수'))!;
  const dir = join(mat!.root, id.dir);
  const { cert, key } = await unlockCertificate({ certPath: join(dir, 'signCert.der'), keyPath: join(dir, 'signPri.key'), password: Buffer.from(id.password) });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return res.json() as Promise<Record<string, unknown>>;
  };
  const { nonce, audience } = (await post('/v1/accounts/challenge', { purpose: 'signup' })) as { nonce: string; audience: string };
  const consent = { version: CURRENT_CONSENT.version, sha256: CURRENT_CONSENT.sha256, agreedAt: Date.now() };
  const user = { name: '김철수', loginId: 'kimapprover', institutionId: 'hc-seoul-gangnam', mobile: '010-2222-3333', officePhone: '02-3423-5555' };
  const roles = ['health_center_approver'];
  const payload = { consent, user, roles, approverId: null, spkiSha256: cert.spkiSha256 };
  const signature = sign('sha256', Buffer.from(signingMessage('signup', audience, nonce, payload)), key.privateKey).toString('base64');
  const res = await post('/v1/accounts/signup', { consent, certificate: cert.der.toString('base64'), user, roles, nonce, signature });
  if (res.status !== 'pending') throw new Error(`approver sign-up failed: ${JSON.stringify(res)}`);
  await grantRoleDirectly(db.db, Date.now, { loginId: 'kimapprover', role: 'health_center_approver', operator: 'e2e', reason: '초기 승인자 지정' });
}

test.beforeAll(async () => {
  if (!mat) return;
  tmp = mkdtempSync(join(tmpdir(), 'munjigi-accounts-e2e-'));
  cpSync(join(mat.root, 'NPKI'), join(tmp, 'NPKI'), { recursive: true });
  db = await openServerDb({ file: join(tmp, 'server.db') });
  const crl = readFileSync(mat.crl);
  api = await createServer({
    db,
    clock: Date.now,
    logger: silentLogger,
    accounts: {
      anchors: loadCertificates([mat.trustAnchor]),
      intermediates: loadCertificates([mat.intermediate]),
      // The test CA's CRL, served from memory: no traffic leaves the machine.
      fetchCrl: async () => crl,
      audience: 'munjigi-e2e',
    },
  });
  api.addHook('onRequest', async () => {
    apiRequests++;
  });
  apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });
  await bootstrapApprover();
  hostUrl = await startDevhost();
});

test.afterAll(async () => {
  if (host && host.exitCode === null) {
    host.kill('SIGTERM');
    await new Promise((done) => host!.once('exit', done));
  }
  await api?.close();
  await db?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const row = (page: Page, holder: string) => page.locator(`[data-testid="cert-row"][data-holder="${holder}"]`);

async function openAccounts(page: Page) {
  await page.goto(hostUrl);
  await page.getByTestId('open-accounts').click();
  await expect(page.getByTestId('accounts')).toBeVisible();
}

async function login(page: Page, loginId: string, holder: string) {
  await page.getByTestId('accounts-login').click();
  await page.getByTestId('login-id').fill(loginId);
  await row(page, holder).click();
  await page.getByTestId('cert-password').fill(PASSWORD);
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-signed-in', 'true');
}

test('the dialog greys out expired and corporate certificates, and a wrong password is refused before anything is sent', async ({ page }) => {
  await openAccounts(page);
  await page.getByTestId('accounts-login').click();
  await expect(row(page, '홍길동')).toHaveAttribute('data-usable', 'true');
  await expect(row(page, '박영희')).toHaveAttribute('data-usable', 'false');
  await expect(row(page, '박영희')).toHaveAttribute('aria-disabled', 'true');
  await row(page, '박영희').click({ force: true }); // aria-disabled: a person can still click it and is told why
  await expect(page.getByTestId('cert-error')).toContainText('만료');
  const corporate = page.locator('[data-testid="cert-row"][data-usable="false"]', { hasText: '법인' });
  await expect(corporate).toHaveCount(1);
  await corporate.click({ force: true });
  await expect(page.getByTestId('cert-error')).toContainText('법인');

  await page.getByTestId('login-id').fill('hong.gildong');
  await row(page, '홍길동').click();
  const before = apiRequests;
  await page.getByTestId('cert-password').fill('Wrong-pass1');
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('cert-error')).toContainText('인증서 암호가 올바르지 않습니다');
  await expect(page.getByTestId('cert-password')).toHaveValue('');
  expect(apiRequests).toBe(before);
});

test('sign up 홍길동 → the 보건소 approver approves → 홍길동 logs in and the new menus appear', async ({ page }) => {
  await openAccounts(page);
  await page.getByTestId('accounts-signup').click();
  // 1. 개인정보 수집 동의
  await expect(page.getByTestId('consent-text')).toHaveAttribute('data-version', CURRENT_CONSENT.version);
  await expect(page.getByTestId('signup-next')).toBeDisabled();
  await page.getByTestId('consent-agree').check();
  await page.getByTestId('signup-next').click();
  // 2. 인증서 등록: a corporate certificate is refused; 홍길동's is checked in main
  await page.locator('[data-testid="cert-row"]', { hasText: '법인' }).click({ force: true });
  await expect(page.getByTestId('cert-error')).toContainText('법인');
  await row(page, '홍길동').click();
  await page.getByTestId('cert-password').fill(PASSWORD);
  await page.getByTestId('cert-submit').click();
  // 3. 사용자정보 입력, with Korean messages for bad values
  await expect(page.getByTestId('signup')).toHaveAttribute('data-step', '3');
  await expect(page.getByTestId('signup-name')).toHaveValue('홍길동');
  await page.getByTestId('signup-loginId').fill('Hong');
  await page.getByTestId('signup-mobile').fill('01012345678');
  await page.getByTestId('signup-next').click();
  await expect(page.getByTestId('signup-error-loginId')).toContainText('아이디는');
  await expect(page.getByTestId('signup-error-mobile')).toContainText('010-0000-0000');
  await expect(page.getByTestId('signup-error-institutionId')).toBeVisible();
  await page.getByTestId('signup-loginId').fill('hong.gildong');
  await page.getByTestId('signup-mobile').fill('010-1234-5678');
  await page.getByTestId('signup-officePhone').fill('02-3423-5555');
  await page.getByTestId('signup-institution-query').fill('예시');
  await page.getByTestId('signup-institution-search').click();
  await page.getByTestId('signup-institution-option').first().click();
  await page.getByTestId('signup-next').click();
  // 4. 권한신청: 승인기관 defaults to the institution's 관할 보건소
  await expect(page.getByTestId('signup')).toHaveAttribute('data-step', '4');
  await expect(page.getByTestId('signup-approver-value')).toContainText('보건소');
  await page.getByTestId('role-facility_manager').check();
  await page.getByTestId('signup-submit').click();
  await row(page, '홍길동').click();
  await page.getByTestId('cert-password').fill(PASSWORD);
  await page.getByTestId('cert-submit').click();
  // 5. 가입신청 완료: pending, whom to call
  await expect(page.getByTestId('signup-done')).toBeVisible();
  await expect(page.getByTestId('signup-contact')).toContainText('보건소');

  // The approver signs in and approves.
  await openAccounts(page);
  await login(page, 'kimapprover', '김철수');
  await page.getByTestId('menu-approvals').click();
  const item = page.locator('[data-testid="approval-item"][data-requester="홍길동"]');
  await expect(item).toHaveCount(1);
  await item.getByTestId('approval-comment').fill('재직 확인 완료');
  await item.getByTestId('approval-approve').click();
  await expect(page.getByTestId('approvals-message')).toContainText('승인');
  await page.getByTestId('accounts-logout').click();

  // 홍길동 logs in: the approved role's menus are there.
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-signed-in', 'false');
  await login(page, 'hong.gildong', '홍길동');
  await expect(page.getByTestId('menu-entryLog')).toBeVisible();
  await expect(page.getByTestId('menu-kioskEnrollment')).toBeVisible();
  await expect(page.getByTestId('menu-approvals')).toHaveCount(0);
  await page.getByTestId('roles-filter-held').click();
  await expect(page.locator('[data-testid="role-item"][data-role="facility_manager"]')).toHaveAttribute('data-status', 'held');
});
