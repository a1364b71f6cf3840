// Runs in the central API (Node). Registering a clinic homepage for monitoring: field checks
// (http(s) homepage, not a blog/café/SNS page, digit-only phone numbers, both consents), the
// emailed verification code (hashed, 10 minutes, 5 attempts, a bounded number of resends), the
// per-person daily registration limit, and the status 신청 → 이메일 인증.
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock';
import type { ServerSchema } from '../db/schema';
import type { SitescanTables } from '../db/sitescanMigration';
import type { SitescanOwnershipTables } from '../db/sitescanOwnershipMigration';
import { ApiError } from '../errors';
import { EMAIL_RE as EMAIL, isMobilePhone, isOfficePhone, nonHomepageKind } from '../../shared/sitescanApp';
import { checkUrlForm } from '../sitescan';
import type { Mailer } from './mailer';

export type SitescanDb = Kysely<ServerSchema & SitescanTables & SitescanOwnershipTables>;

/** The server database seen with the service's tables (migrations 0003_sitescan and 0006_sitescan_ownership). */
export const sitescanDb = (db: Kysely<ServerSchema>): SitescanDb => db.withTables<SitescanTables & SitescanOwnershipTables>();

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
/** The first scan runs this soon after the email is verified. */
export const FIRST_SCAN_DELAY_MS = 2 * 60_000;
const RESEND_MIN_MS = 60_000;
/** Codes one registration may be sent in all (the first one and 4 resends); then register again. */
export const CODE_MAX_SENDS = 5;
/** Registrations one person may file per 24 hours (each sends a mail to an address they typed). */
export const REGISTRATIONS_PER_DAY = 5;
/** An unverified registration stops blocking its address after this long. */
export const STALE_APPLICATION_MS = 24 * 60 * 60_000;

export const registrationErrors = {
  urlRefused: (why: string) => new ApiError(400, 'SITE_URL_REFUSED', why),
  notHomepage: (what: string) =>
    new ApiError(400, 'SITE_NOT_HOMEPAGE', `${what}은(는) 블로그·카페·SNS 페이지라 등록할 수 없습니다. 의료기관이 직접 운영하는 홈페이지 주소를 입력해 주세요.`),
  phoneInvalid: (field: string) => new ApiError(400, 'PHONE_INVALID', `${field}는 숫자만 입력해 주세요 (예: 0212345678). 지역번호를 포함한 올바른 번호가 아닙니다.`),
  mobileInvalid: () => new ApiError(400, 'MOBILE_INVALID', '휴대폰 번호는 010으로 시작하는 숫자 10~11자리로 입력해 주세요 (예: 01012345678).'),
  nameMissing: (field: string) => new ApiError(400, 'FIELD_REQUIRED', `${field}을(를) 입력해 주세요.`),
  emailInvalid: () => new ApiError(400, 'EMAIL_INVALID', '이메일 주소 형식이 올바르지 않습니다.'),
  consentMissing: () =>
    new ApiError(400, 'CONSENT_REQUIRED', '개인정보 수집·이용과 서비스 중단 조건(보안 조치 미이행 시 서비스 중단)에 모두 동의해야 신청할 수 있습니다.'),
  siteExists: () => new ApiError(409, 'SITE_ALREADY_REGISTERED', '이 홈페이지는 이미 등록(신청)되어 있습니다. 기존 신청의 이메일 인증을 마쳐 주세요.'),
  siteNotFound: () => new ApiError(404, 'SITE_NOT_FOUND', '등록된 홈페이지를 찾을 수 없습니다.'),
  codeInvalid: (left: number) => new ApiError(400, 'EMAIL_CODE_INVALID', `인증 코드가 올바르지 않습니다. 남은 시도 횟수: ${left}회.`),
  codeExpired: () => new ApiError(400, 'EMAIL_CODE_EXPIRED', '인증 코드가 만료되었습니다. 인증 코드를 다시 받아 주세요.'),
  codeLocked: () => new ApiError(429, 'EMAIL_CODE_LOCKED', '인증 코드 입력 횟수(5회)를 넘었습니다. 인증 코드를 다시 받아 주세요.'),
  resendTooSoon: () => new ApiError(429, 'EMAIL_CODE_TOO_SOON', '인증 코드는 1분에 한 번만 다시 보낼 수 있습니다. 잠시 후 다시 시도해 주세요.'),
  resendLimit: () =>
    new ApiError(429, 'EMAIL_CODE_RESEND_LIMIT', `인증 코드는 한 신청에 ${CODE_MAX_SENDS}번까지만 보낼 수 있습니다. 이메일 주소를 확인한 뒤 내일 다시 신청해 주세요.`),
  registrationLimit: () =>
    new ApiError(429, 'SITE_REGISTRATION_LIMIT', `홈페이지 보안 점검 신청은 한 사람이 하루(24시간)에 ${REGISTRATIONS_PER_DAY}건까지 할 수 있습니다. 내일 다시 신청해 주세요.`),
  alreadyVerified: () => new ApiError(409, 'EMAIL_ALREADY_VERIFIED', '이미 이메일 인증을 마친 신청입니다.'),
  mailFailed: () => new ApiError(502, 'EMAIL_SEND_FAILED', '인증 메일을 보내지 못했습니다. 이메일 주소를 확인하거나 잠시 후 인증 코드를 다시 받아 주세요.'),
};

export { NON_HOMEPAGE_HOSTS, isMobilePhone, isOfficePhone, nonHomepageKind } from '../../shared/sitescanApp';

export interface RegistrationInput {
  clinicName: string;
  url: string;
  contactName: string;
  officePhone: string;
  mobile: string;
  email: string;
  consentCollection: boolean;
  consentSuspension: boolean;
}

/** Checks the homepage address: http(s), a public-looking host, and not a blog/café/SNS page. */
export function checkHomepageUrl(raw: string): URL {
  let url: URL;
  try {
    url = checkUrlForm(raw.trim());
  } catch (err) {
    throw registrationErrors.urlRefused(err instanceof Error ? err.message : '주소를 확인해 주세요.');
  }
  const kind = nonHomepageKind(url.hostname);
  if (kind) throw registrationErrors.notHomepage(kind);
  url.hash = '';
  return url;
}

export function checkRegistration(input: RegistrationInput): { url: URL; email: string } {
  if (input.consentCollection !== true || input.consentSuspension !== true) throw registrationErrors.consentMissing();
  if (!input.clinicName.trim()) throw registrationErrors.nameMissing('의료기관명');
  if (!input.contactName.trim()) throw registrationErrors.nameMissing('담당자명');
  const url = checkHomepageUrl(input.url);
  if (!isOfficePhone(input.officePhone)) throw registrationErrors.phoneInvalid('회사 전화번호');
  if (!isMobilePhone(input.mobile)) throw registrationErrors.mobileInvalid();
  const email = input.email.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw registrationErrors.emailInvalid();
  return { url, email };
}

/** Codes are stored as an HMAC keyed by the site id, never in the clear. */
function hashCode(siteId: string, code: string): string {
  return createHmac('sha256', `sitescan-email-code:${siteId}`).update(code).digest('hex');
}

export interface RegistrationDeps {
  db: SitescanDb;
  clock: Clock;
  mailer: Mailer;
}

/** Who files a registration: the site belongs to their institution. */
export interface SiteOwner {
  userId: string;
  institutionId: string;
}

export async function registerSite(deps: RegistrationDeps, input: RegistrationInput, owner: SiteOwner): Promise<{ siteId: string; status: 'applied' }> {
  const { url, email } = checkRegistration(input);
  const { db, clock } = deps;
  const now = clock();
  const recent = await db
    .selectFrom('sitescan_sites')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('registered_by', '=', owner.userId)
    .where('created_at', '>', now - 24 * 60 * 60_000)
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= REGISTRATIONS_PER_DAY) throw registrationErrors.registrationLimit();
  const existing = await db.selectFrom('sitescan_sites').select(['id', 'status', 'created_at']).where('url', '=', url.href).where('status', '!=', 'suspended').executeTakeFirst();
  if (existing) {
    // An application never verified within a day no longer holds the address: it is dropped
    // (its code first), so a mistyped email cannot lock a clinic's homepage out for good.
    if (existing.status !== 'applied' || now - existing.created_at < STALE_APPLICATION_MS) throw registrationErrors.siteExists();
    await db.deleteFrom('sitescan_email_codes').where('site_id', '=', existing.id).execute();
    await db.deleteFrom('sitescan_sites').where('id', '=', existing.id).where('status', '=', 'applied').execute();
  }
  const siteId = randomUUID();
  await db
    .insertInto('sitescan_sites')
    .values({
      id: siteId,
      clinic_name: input.clinicName.trim(),
      url: url.href,
      host: url.hostname.toLowerCase(),
      contact_name: input.contactName.trim(),
      office_phone: input.officePhone,
      mobile: input.mobile,
      email,
      consent_collection_at: now,
      consent_suspension_at: now,
      status: 'applied',
      followup: 'normal',
      followup_since: null,
      consecutive_failures: 0,
      down_alerted: 0,
      last_scan_at: null,
      last_outcome: null,
      created_at: now,
      verified_at: null,
      institution_id: owner.institutionId,
      registered_by: owner.userId,
    })
    .execute();
  await sendCode(deps, siteId, email, input.clinicName.trim());
  return { siteId, status: 'applied' };
}

async function sendCode(deps: RegistrationDeps, siteId: string, email: string, clinicName: string): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = deps.clock();
  const row = { code_hash: hashCode(siteId, code), expires_at: now + CODE_TTL_MS, attempts: 0, sent_at: now };
  await deps.db
    .insertInto('sitescan_email_codes')
    .values({ site_id: siteId, ...row, send_count: 1 })
    .onConflict((oc) => oc.column('site_id').doUpdateSet((eb) => ({ ...row, send_count: eb('sitescan_email_codes.send_count', '+', 1) })))
    .execute();
  try {
    await deps.mailer.send({
      to: email,
      subject: '[문지기] 홈페이지 보안 점검 신청 이메일 인증 코드',
      text: `${clinicName} 홈페이지 보안 점검 신청의 이메일 인증 코드입니다.\n\n인증 코드: ${code}\n\n10분 안에 입력해 주세요. 본인이 신청하지 않았다면 이 메일을 무시하세요.`,
    });
  } catch {
    throw registrationErrors.mailFailed();
  }
}

/** Sends a new code (the old one stops working); returns when it expires. */
export async function resendCode(deps: RegistrationDeps, siteId: string): Promise<number> {
  const site = await deps.db.selectFrom('sitescan_sites').select(['email', 'clinic_name', 'status']).where('id', '=', siteId).executeTakeFirst();
  if (!site) throw registrationErrors.siteNotFound();
  if (site.status !== 'applied') throw registrationErrors.alreadyVerified();
  const prev = await deps.db.selectFrom('sitescan_email_codes').select(['sent_at', 'send_count']).where('site_id', '=', siteId).executeTakeFirst();
  if (prev && prev.send_count >= CODE_MAX_SENDS) throw registrationErrors.resendLimit();
  if (prev && deps.clock() - prev.sent_at < RESEND_MIN_MS) throw registrationErrors.resendTooSoon();
  await sendCode(deps, siteId, site.email, site.clinic_name);
  return deps.clock() + CODE_TTL_MS;
}

/** Checks the code; on success the site moves to 'verified' and its first scan is queued. */
export async function verifyEmail(deps: RegistrationDeps, siteId: string, code: string): Promise<{ status: 'verified'; firstScanAt: number }> {
  const { db, clock } = deps;
  // A wrong code must still count as an attempt, so the transaction returns instead of throwing.
  const outcome = await db.transaction().execute(async (trx) => {
    const site = await trx.selectFrom('sitescan_sites').select(['status', 'host']).where('id', '=', siteId).executeTakeFirst();
    if (!site) throw registrationErrors.siteNotFound();
    if (site.status !== 'applied') throw registrationErrors.alreadyVerified();
    const row = await trx.selectFrom('sitescan_email_codes').selectAll().where('site_id', '=', siteId).executeTakeFirst();
    const now = clock();
    if (!row || now > row.expires_at) throw registrationErrors.codeExpired();
    if (row.attempts >= CODE_MAX_ATTEMPTS) throw registrationErrors.codeLocked();
    const given = Buffer.from(hashCode(siteId, /^\d{6}$/.test(code) ? code : 'x'), 'hex');
    if (!timingSafeEqual(given, Buffer.from(row.code_hash, 'hex'))) {
      await trx.updateTable('sitescan_email_codes').set({ attempts: row.attempts + 1 }).where('site_id', '=', siteId).execute();
      return { ok: false as const, left: CODE_MAX_ATTEMPTS - row.attempts - 1 };
    }
    await trx.deleteFrom('sitescan_email_codes').where('site_id', '=', siteId).execute();
    await trx.updateTable('sitescan_sites').set({ status: 'verified', verified_at: now }).where('id', '=', siteId).execute();
    const firstScanAt = now + FIRST_SCAN_DELAY_MS;
    await trx.insertInto('sitescan_jobs').values({ site_id: siteId, host: site.host, due_at: firstScanAt, attempts: 0, locked_by: null, locked_until: null }).execute();
    return { ok: true as const, firstScanAt };
  });
  if (!outcome.ok) throw outcome.left > 0 ? registrationErrors.codeInvalid(outcome.left) : registrationErrors.codeLocked();
  return { status: 'verified', firstScanAt: outcome.firstScanAt };
}
