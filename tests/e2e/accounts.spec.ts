/// <reference lib="dom" />
// Accounts end to end: the built renderer in Debian's Chromium, the kiosk core behind the
// development host (its accounts client pointed at a real central API on loopback with SQLite,
// trusting the shared test CA), and a temp copy of the shared NPKI folder as the only place
// certificates are looked for. 홍길동 signs up in the wizard, a bootstrapped 보건소 승인자
// approves in the approvals screen, 홍길동 logs in and sees the new menus; then 권한 추가 신청,
// cancel, a rejection with its comment, an approver of another 보건소 who sees nothing, a role
// approved meanwhile appearing without logging in again (session refresh), and 인증서 갱신 등록.
import { X509Certificate, createHash, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { SKIP_REASON, npkiMaterial, renewCertificate } from '../../src/core/npki/testSupport';
import { CURRENT_CONSENT, signingMessage } from '../../src/shared/accounts';
import { grantRoleDirectly } from '../../src/server/accounts/bootstrap';
import type { StaffKey, StaffSetup } from './support/staff';
import { STAFF_PASSWORD as PASSWORD, certRow, loginInPanel, openAccountsSignedOut, signUpAndApprove, staffKey, startStaffSetup } from './support/staff';

const mat = npkiMaterial();

test.describe.configure({ mode: 'serial' });
test.skip(!mat, SKIP_REASON);

let setup: StaffSetup;
let kimKey: StaffKey | null = null;

/** The first 보건소 승인자 (김철수, 강남구보건소), and 이몽룡 of 마포구보건소 (a certificate the test CA issues here). */
async function bootstrapApprovers() {
  kimKey = await staffKey(mat!, '김철수');
  await signUpAndApprove(setup, { holder: '김철수', loginId: 'kimapprover', institution: 'hc-seoul-gangnam', role: 'health_center_approver', key: kimKey });
  const lee = issue('이몽룡()004199', '7101', PASSWORD, new Date('2029-03-01T00:00:00Z'));
  const leeKey = { certDer: lee.certDer, key: lee.privateKey, spkiSha256: spkiOf(lee.certDer) };
  await signUpAndApprove(setup, { holder: '이몽룡', loginId: 'leemapo', institution: 'hc-seoul-mapo', role: 'health_center_approver', key: leeKey });
}

const spkiOf = (certDer: Buffer) => createHash('sha256').update(new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' })).digest('hex');

/** A certificate of the test CA written into the temp NPKI folder: 홍길동's renewal, or another person (subjectCN). */
function issue(subjectCN: string | undefined, serialHex: string, password: string, notAfter: Date) {
  const hong = mat!.identities.find((i) => i.subjectCN.startsWith('홍길동'))!;
  const made = renewCertificate({ certDer: readFileSync(join(mat!.root, hong.dir, 'signCert.der')), caKeyPem: readFileSync(join(mat!.root, 'ca', 'ca.key.pem'), 'utf8'), serialHex, password, notAfter, ...(subjectCN ? { subjectCN } : {}) });
  const folder = join(setup.npkiRoot, 'yessign-Test', 'USER', `cn=${subjectCN ?? `홍길동()004113-${serialHex}`},ou=personal4IB,ou=yessign-Test,o=yessign-Test,c=kr`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'signCert.der'), made.certDer);
  writeFileSync(join(folder, 'signPri.key'), made.keyFile);
  return made;
}

/** 김철수 decides over the API with his own key (as another kiosk would), while 홍길동 stays signed in here. */
async function kimDecidesOverApi(role: string, decision: 'approve' | 'reject', comment: string) {
  const { nonce, audience } = (await setup.post('/v1/accounts/challenge', { purpose: 'login' })) as { nonce: string; audience: string };
  const signature = sign('sha256', Buffer.from(signingMessage('login', audience, nonce, { loginId: 'kimapprover', spkiSha256: kimKey!.spkiSha256 })), kimKey!.key).toString('base64');
  const { token } = (await setup.post('/v1/accounts/login', { loginId: 'kimapprover', certificate: kimKey!.certDer.toString('base64'), nonce, signature })) as { token: string };
  const list = (await (await fetch(`${setup.apiUrl}/v1/approvals/role-requests?state=pending`, { headers: { authorization: `Bearer ${token}` } })).json()) as { requests: Array<{ id: string; role: string }> };
  const item = list.requests.find((r) => r.role === role);
  if (!item) throw new Error(`no pending ${role} request`);
  await setup.post(`/v1/approvals/role-requests/${item.id}/decision`, { decision, comment }, token);
}

test.beforeAll(async () => {
  if (!mat) return;
  // Refresh every 1.5 s so a role approved meanwhile shows up within the test's patience.
  setup = await startStaffSetup({ mat, prefix: 'munjigi-accounts-e2e-', devhostArgs: ['--accounts-refresh-ms', '1500'] });
  await bootstrapApprovers();
});

test.afterAll(async () => {
  await setup?.close();
});

const row = (page: Page, holder: string) => certRow(page, holder);
const openAccounts = (page: Page) => openAccountsSignedOut(page, setup.hostUrl);
const login = (page: Page, loginId: string, holder: string) => loginInPanel(page, { loginId, holder });

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
  const before = setup.requests();
  await page.getByTestId('cert-password').fill('Wrong-pass1');
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('cert-error')).toContainText('인증서 암호가 올바르지 않습니다');
  await expect(page.getByTestId('cert-password')).toHaveValue('');
  expect(setup.requests()).toBe(before);
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

/** 권한/부가정보: pick one available role and sign the request with 홍길동's certificate. */
async function requestRole(page: Page, role: string) {
  await page.getByTestId('menu-myRoles').click();
  await page.getByTestId('roles-filter-available').click();
  await page.locator(`[data-testid="role-item"][data-role="${role}"] input[type="checkbox"]`).check();
  await page.getByTestId('roles-request').click();
  await row(page, '홍길동').click();
  await page.getByTestId('cert-password').fill(PASSWORD);
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('roles-message')).toContainText('권한을 신청했습니다');
}

test('권한 추가 신청 and cancel; another 보건소 sees nothing; a rejection shows its comment; an approval appears without logging in again', async ({ page }) => {
  await openAccounts(page);
  await login(page, 'hong.gildong', '홍길동');
  // Request 의료기관 보안담당자, see it pending, cancel it.
  await requestRole(page, 'clinic_security');
  await page.getByTestId('roles-filter-pending').click();
  const pending = page.locator('[data-testid="role-item"][data-role="clinic_security"]');
  await expect(pending).toHaveAttribute('data-status', 'pending');
  await expect(pending).toContainText('강남구보건소');
  await pending.getByTestId('role-cancel').click();
  await expect(page.getByTestId('roles-message')).toContainText('신청을 취소했습니다');
  await expect(page.locator('[data-testid="role-history"][data-role="clinic_security"][data-state="cancelled"]')).toHaveCount(1);
  // Ask again; the approver of another 보건소 (이몽룡, 마포구보건소) does not see it.
  await requestRole(page, 'clinic_security');
  await page.getByTestId('accounts-logout').click();
  await login(page, 'leemapo', '이몽룡');
  await page.getByTestId('menu-approvals').click();
  await expect(page.getByTestId('approvals-empty')).toBeVisible();
  await page.getByTestId('accounts-logout').click();
  // 김철수 (강남구보건소) rejects it with a reason; a rejection without one is refused.
  await login(page, 'kimapprover', '김철수');
  await page.getByTestId('menu-approvals').click();
  const item = page.locator('[data-testid="approval-item"][data-requester="홍길동"][data-role="clinic_security"]');
  await expect(item).toHaveCount(1);
  await item.getByTestId('approval-reject').click();
  await expect(page.getByTestId('approvals-message')).toContainText('사유');
  await item.getByTestId('approval-comment').fill('보안담당자 지정 공문을 첨부해 다시 신청해 주세요');
  await item.getByTestId('approval-reject').click();
  await expect(page.getByTestId('approvals-message')).toContainText('반려');
  await expect(page.getByTestId('approvals-empty')).toBeVisible();
  await page.getByTestId('accounts-logout').click();
  // 홍길동 sees 반려 with the comment.
  await login(page, 'hong.gildong', '홍길동');
  const rejected = page.locator('[data-testid="role-history"][data-role="clinic_security"][data-state="rejected"]');
  await expect(rejected).toContainText('반려');
  await expect(rejected.getByTestId('role-history-comment')).toContainText('공문을 첨부해');
  // Asks once more and stays signed in; 김철수 approves elsewhere; the menu appears here by itself.
  await requestRole(page, 'clinic_security');
  await expect(page.getByTestId('menu-homepageSecurity')).toHaveCount(0);
  await kimDecidesOverApi('clinic_security', 'approve', '공문 확인');
  await expect(page.getByTestId('menu-homepageSecurity')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('accounts-message')).toContainText('권한이 바뀌어');
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-signed-in', 'true');
});

test('인증서 갱신 등록: a renewed certificate is refused at login, then re-bound with the old and the new key and used', async ({ page }) => {
  issue(undefined, '7201', 'Renew5678!', new Date('2029-06-01T00:00:00Z'));
  const byDate = (d: string) => page.locator(`[data-testid="cert-row"][data-holder="홍길동"][data-not-after="${d}"]`);
  await openAccounts(page);
  await page.getByTestId('accounts-login').click();
  await page.getByTestId('login-id').fill('hong.gildong');
  await byDate('2029-06-01').click();
  await page.getByTestId('cert-password').fill('Renew5678!');
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('cert-error')).toContainText('CERT_NOT_REGISTERED');
  await page.getByTestId('login-rebind').click();
  await expect(page.getByTestId('rebind')).toHaveAttribute('data-step', 'old');
  await byDate('2028-11-22').click();
  await page.getByTestId('cert-password').fill(PASSWORD);
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('rebind')).toHaveAttribute('data-step', 'new');
  await byDate('2029-06-01').click();
  await page.getByTestId('cert-password').fill('Renew5678!');
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-signed-in', 'true');
  await expect(page.getByTestId('accounts-message')).toContainText('새 인증서를 등록');
  await expect(page.getByTestId('menu-homepageSecurity')).toBeVisible();
  // The old certificate no longer logs in.
  await page.getByTestId('accounts-logout').click();
  await page.getByTestId('accounts-login').click();
  await page.getByTestId('login-id').fill('hong.gildong');
  await byDate('2028-11-22').click();
  await page.getByTestId('cert-password').fill(PASSWORD);
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('cert-error')).toContainText('CERT_NOT_REGISTERED');
});

test('the approver re-binds a lost certificate after checking the person; a 시스템관리자 adds and deactivates institutions', async ({ page }) => {
  issue(undefined, '7301', 'Third9012!', new Date('2029-09-01T00:00:00Z'));
  await grantRoleDirectly(setup.db.db, Date.now, { loginId: 'kimapprover', role: 'system_admin', operator: 'e2e', reason: '관리자 지정' });
  await openAccounts(page);
  await login(page, 'kimapprover', '김철수');
  // 권한 승인 → 인증서 재등록: find 홍길동, note the check, bind the renewed certificate (no password).
  await page.getByTestId('menu-approvals').click();
  await page.getByTestId('rebind-user-query').fill('hong');
  await page.getByTestId('rebind-user-search').click();
  await page.locator('[data-testid="rebind-user"][data-login-id="hong.gildong"]').getByTestId('rebind-user-pick').click();
  await expect(page.getByTestId('cert-password')).toHaveCount(0);
  await page.locator('[data-testid="cert-row"][data-holder="홍길동"][data-not-after="2029-09-01"]').click();
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('cert-error')).toContainText('본인 확인 내용');
  await page.getByTestId('rebind-comment').fill('신분증으로 본인 확인');
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('rebind-message')).toContainText('새 인증서를 등록했습니다');
  // 시스템 관리 → 기관 관리
  await page.getByTestId('menu-administration').click();
  await page.getByTestId('inst-id').fill('hc-busan-haeundae');
  await page.getByTestId('inst-name').fill('해운대구보건소');
  await page.getByTestId('inst-kind').selectOption('health_center');
  await page.getByTestId('inst-sido').selectOption('부산광역시');
  await page.getByTestId('inst-sigungu').fill('해운대구');
  await page.getByTestId('inst-create').click();
  await expect(page.getByTestId('inst-message')).toContainText('추가했습니다');
  // An empty form is refused in Korean before it leaves the app; the same institution again by the server, with its code.
  await page.getByTestId('inst-create').click();
  await expect(page.getByTestId('inst-message')).toContainText('기관 코드: 영문 소문자');
  await page.getByTestId('inst-id').fill('hc-busan-haeundae');
  await page.getByTestId('inst-name').fill('해운대구보건소');
  await page.getByTestId('inst-kind').selectOption('health_center');
  await page.getByTestId('inst-sido').selectOption('부산광역시');
  await page.getByTestId('inst-sigungu').fill('해운대구');
  await page.getByTestId('inst-create').click();
  await expect(page.getByTestId('inst-message')).toContainText('INSTITUTION_EXISTS');
  const mapo = page.locator('[data-testid="inst-row"][data-id="clinic-example-mapo"]');
  await mapo.getByTestId('inst-reason').fill('폐업');
  await mapo.getByTestId('inst-deactivate').click();
  await expect(page.getByTestId('inst-message')).toContainText('사용 중지');
  await expect(mapo).toHaveCount(0);
  await page.getByTestId('inst-include-inactive').check();
  await expect(mapo).toHaveAttribute('data-active', 'false');
  await page.getByTestId('accounts-logout').click();
  // 홍길동 logs in with the certificate the approver bound.
  await page.getByTestId('accounts-login').click();
  await page.getByTestId('login-id').fill('hong.gildong');
  await page.locator('[data-testid="cert-row"][data-holder="홍길동"][data-not-after="2029-09-01"]').click();
  await page.getByTestId('cert-password').fill('Third9012!');
  await page.getByTestId('cert-submit').click();
  await expect(page.getByTestId('accounts')).toHaveAttribute('data-signed-in', 'true');
});
