/// <reference lib="dom" />
// 공동인증서로 잠금 해제 end to end: the built renderer in Chromium, the kiosk core behind the
// development host (a real, non-demo kiosk) with its accounts client pointed at a real central
// API on loopback that trusts the shared test CA. The first PIN is set, the kiosk is bound to
// 예시도서관 (운영 기관, needs the PIN), then a 의료기관 보안담당자 is refused with the role's reason
// and a 시설관리자 of 예시도서관 opens settings with their certificate. The kiosk log names the role
// and a keyed reference, never the person. Screenshots of the certificate path in both languages
// go to docs/screenshots with UPDATE_SCREENSHOTS=1. Skips when ../shared/npki-test is absent.
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { SKIP_REASON, npkiMaterial } from '../../src/core/npki/testSupport';
import type { StaffSetup } from './support/staff';
import { STAFF_PASSWORD, certRow, signUpAndApprove, startStaffSetup } from './support/staff';

const mat = npkiMaterial();
const OUT = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
const PIN = '246813';

test.describe.configure({ mode: 'serial' });
test.skip(!mat, SKIP_REASON);

let setup: StaffSetup;
let manager: { loginId: string };
let security: { loginId: string };

test.beforeAll(async () => {
  if (!mat) return;
  setup = await startStaffSetup({ mat, prefix: 'munjigi-operator-cert-e2e-' });
  manager = await signUpAndApprove(setup, { holder: '홍길동', role: 'facility_manager', institution: 'facility-example-jongno' });
  security = await signUpAndApprove(setup, { holder: '김철수', loginId: 'kim.security', role: 'clinic_security', institution: 'clinic-example-gangnam' });
});

test.afterAll(async () => {
  await setup?.close();
});

async function typePin(page: Page, pin: string) {
  await page.getByTestId('pin-field').fill(pin);
  await page.getByTestId('pin-field').press('Enter');
}

/** The lock screen's certificate path: 아이디, the holder's row, the password, submit. */
async function unlockWithCertificate(page: Page, loginId: string, holder: string) {
  await page.getByTestId('cert-unlock-id').fill(loginId);
  await certRow(page, holder).click();
  await page.getByTestId('cert-password').fill(STAFF_PASSWORD);
  await page.getByTestId('cert-submit').click();
}

test('bind the kiosk to its institution, a wrong role is refused, the 시설관리자 opens settings with a certificate', async ({ page }) => {
  test.setTimeout(120_000);
  mkdirSync(OUT, { recursive: true });
  await page.goto(setup.hostUrl);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');

  // First start: the PIN (twice); there is no certificate way in before a PIN exists.
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-mode', 'setup');
  await expect(page.getByTestId('lock-use-certificate')).toHaveCount(0);
  await typePin(page, PIN);
  await typePin(page, PIN);
  await expect(page.getByTestId('settings')).toBeVisible();

  // 운영 기관: 예시도서관, saved with the current PIN (a wrong one is refused).
  await page.getByTestId('menu-institution').click();
  await expect(page.getByTestId('institution-current')).toContainText('지정 안 됨');
  await page.getByTestId('operator-institution-pick-query').fill('예시도서관');
  await page.getByTestId('operator-institution-pick-search').click();
  await page.getByTestId('operator-institution-pick-option').first().click();
  await page.getByTestId('institution-pin').fill('135792');
  await page.getByTestId('institution-save').click();
  await expect(page.getByTestId('institution-error')).toContainText('PIN');
  await page.getByTestId('institution-pin').fill(PIN);
  await page.getByTestId('institution-save').click();
  await expect(page.getByTestId('institution-saved')).toBeVisible();
  await expect(page.getByTestId('operator-institution')).toHaveAttribute('data-bound', 'facility-example-jongno');
  await page.getByTestId('lock-now').click();
  await expect(page.getByTestId('session-bar')).toHaveCount(0);

  // The lock screen's second way in.
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-mode', 'unlock');
  await page.getByTestId('lock-use-certificate').click();
  await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-via', 'certificate');
  await expect(certRow(page, '홍길동')).toHaveAttribute('data-usable', 'true');
  await page.screenshot({ path: `${OUT}/lock-certificate-ko.png` });

  // 의료기관 보안담당자: signed in at the API, refused here with the role's reason; nothing opens.
  await unlockWithCertificate(page, security.loginId, '김철수');
  await expect(page.getByTestId('lock-message')).toHaveAttribute('data-code', 'OPERATOR_CERT_ROLE');
  await expect(page.getByTestId('lock-message')).toContainText('시설관리자 또는 시스템관리자');
  await expect(page.getByTestId('cert-error')).toContainText('OPERATOR_CERT_ROLE');
  await expect(page.getByTestId('cert-password')).toHaveValue('');
  await expect(page.getByTestId('settings')).toHaveCount(0);

  // The 시설관리자 of 예시도서관: settings open, with the session bar and its time left.
  await unlockWithCertificate(page, manager.loginId, '홍길동');
  await expect(page.getByTestId('settings')).toBeVisible();
  await expect(page.getByTestId('session-left')).toContainText(/남은 시간 [45]:\d\d/);
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  await page.getByTestId('lock-now').click();

  // The kiosk log: the unlock with its role and a keyed account reference; no name, id or password.
  const log = setup.devhost.log();
  expect(log).toMatch(/"msg":"operator unlocked",[^\n]*"method":"certificate","role":"facility_manager","account":"acct-[0-9a-f]{12}"/);
  expect(log).toContain('"code":"OPERATOR_CERT_ROLE"');
  for (const secret of ['홍길동', '김철수', manager.loginId, security.loginId, STAFF_PASSWORD]) expect(log).not.toContain(secret);
});

test('the certificate path in English (visitor language); back to the PIN pad', async ({ page }) => {
  mkdirSync(OUT, { recursive: true });
  await page.goto(setup.hostUrl);
  await page.getByTestId('language-toggle').click();
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-mode', 'unlock');
  await page.getByTestId('lock-use-certificate').click();
  await expect(page.getByTestId('lock-use-pin')).toHaveText('Unlock with PIN');
  await expect(page.getByTestId('cert-unlock')).toContainText('facility manager');
  await page.screenshot({ path: `${OUT}/lock-certificate-en.png` });
  await page.getByTestId('lock-use-pin').click();
  await expect(page.getByTestId('pin-field')).toBeVisible();
  await page.getByTestId('lock-cancel').click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  // The certificate dialog's own 취소 leaves the lock screen too; nothing opened.
  await page.getByTestId('open-settings').click();
  await page.getByTestId('lock-use-certificate').click();
  await page.getByTestId('cert-dialog').getByRole('button', { name: '취소' }).click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  await expect(page.getByTestId('settings')).toHaveCount(0);
  await page.getByTestId('language-toggle').click();
});
