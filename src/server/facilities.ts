// Runs in the central API and the admin CLI (Node). Facilities, kiosk enrollment with
// one-time codes (hashed at rest, expiring, single use) and kiosk revocation.
import type { Kysely } from 'kysely';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock';
import { publicKeyFromRaw, sha256hex } from './crypto';
import type { ServerSchema } from './db/schema';
import { apiErrors } from './errors';

type Db = Kysely<ServerSchema>;

/** 사업자등록번호: 10 digits, the last a check digit over weights 1,3,7,1,3,7,1,3,5. */
export function normalizeBusinessNo(input: string): string | undefined {
  const m = /^(\d{3})-?(\d{2})-?(\d{5})$/.exec(input.trim());
  if (!m) return undefined;
  const digits = (m[1]! + m[2]! + m[3]!).split('').map(Number);
  const weights = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digits[i]! * weights[i]!;
  sum += Math.floor((digits[8]! * 5) / 10);
  const check = (10 - (sum % 10)) % 10;
  return check === digits[9] ? digits.join('') : undefined;
}

/** 관할 시군구 such as "서울특별시 강남구" or "경기도 수원시 팔달구": Hangul words, the last ending in 시/군/구. */
export function isJurisdiction(input: string): boolean {
  return /^[가-힣]{1,20}( [가-힣]{1,20}){0,3}$/.test(input) && /[시군구]$/.test(input);
}

export interface NewFacility {
  name: string;
  address: string;
  businessNo: string;
  jurisdiction: string;
}

export interface Facility {
  id: string;
  name: string;
  address: string;
  businessNo: string;
  jurisdiction: string;
  createdAt: number;
}

export async function createFacility(db: Db, clock: Clock, input: NewFacility): Promise<Facility> {
  const businessNo = normalizeBusinessNo(input.businessNo);
  if (!businessNo) throw apiErrors.businessNoInvalid();
  if (!isJurisdiction(input.jurisdiction)) throw apiErrors.jurisdictionInvalid();
  const row = { id: randomUUID(), name: input.name.trim(), address: input.address.trim(), business_no: businessNo, jurisdiction: input.jurisdiction, created_at: clock() };
  await db.insertInto('facilities').values(row).execute();
  return toFacility(row);
}

export async function listFacilities(db: Db): Promise<Facility[]> {
  return (await db.selectFrom('facilities').selectAll().orderBy('created_at').limit(10_000).execute()).map(toFacility);
}

const toFacility = (r: ServerSchema['facilities']): Facility => ({
  id: r.id,
  name: r.name,
  address: r.address,
  businessNo: r.business_no,
  jurisdiction: r.jurisdiction,
  createdAt: r.created_at,
});

// No 0/O/1/I/L: codes are read off a screen and typed at the kiosk.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ENROLLMENT_CODE_TTL_MS = 24 * 3_600_000;

/** 16 characters in four groups (~79 bits): not guessable within its lifetime. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out += CODE_ALPHABET[bytes[i]! % CODE_ALPHABET.length];
    if (i % 4 === 3 && i < 15) out += '-';
  }
  return out;
}

const normalizeCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export async function createEnrollmentCode(db: Db, clock: Clock, facilityId: string, ttlMs = ENROLLMENT_CODE_TTL_MS): Promise<{ code: string; expiresAt: number }> {
  const facility = await db.selectFrom('facilities').select('id').where('id', '=', facilityId).executeTakeFirst();
  if (!facility) throw apiErrors.facilityNotFound();
  const code = newEnrollmentCode();
  const expiresAt = clock() + ttlMs;
  await db
    .insertInto('enrollment_codes')
    .values({ code_hash: sha256hex(normalizeCode(code)), facility_id: facilityId, expires_at: expiresAt, used_at: null, kiosk_id: null, created_at: clock() })
    .execute();
  return { code, expiresAt };
}

export interface Enrollment {
  kioskId: string;
  facilityId: string;
  facilityName: string;
}

/** Spends a code (atomically: a second use fails) and registers the kiosk's device public key. */
export async function enrollKiosk(db: Db, clock: Clock, input: { code: string; publicKey: string; label: string }): Promise<Enrollment> {
  if (!publicKeyFromRaw(input.publicKey)) throw apiErrors.publicKeyInvalid();
  const now = clock();
  const kioskId = randomUUID();
  return db.transaction().execute(async (tx) => {
    const hash = sha256hex(normalizeCode(input.code));
    const spent = await tx
      .updateTable('enrollment_codes')
      .set({ used_at: now, kiosk_id: kioskId })
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('facility_id')
      .executeTakeFirst();
    if (!spent) throw apiErrors.enrollmentInvalid();
    const keyTaken = await tx.selectFrom('kiosks').select('id').where('public_key', '=', input.publicKey).executeTakeFirst();
    if (keyTaken) throw apiErrors.kioskKeyInUse();
    await tx
      .insertInto('kiosks')
      .values({ id: kioskId, facility_id: spent.facility_id, public_key: input.publicKey, label: input.label, status: 'active', enrolled_at: now, revoked_at: null })
      .execute();
    const facility = await tx.selectFrom('facilities').select('name').where('id', '=', spent.facility_id).executeTakeFirstOrThrow();
    return { kioskId, facilityId: spent.facility_id, facilityName: facility.name };
  });
}

export async function revokeKiosk(db: Db, clock: Clock, kioskId: string): Promise<void> {
  const res = await db.updateTable('kiosks').set({ status: 'revoked', revoked_at: clock() }).where('id', '=', kioskId).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw apiErrors.kioskNotFound();
}

export async function listKiosks(db: Db, facilityId: string) {
  const rows = await db.selectFrom('kiosks').select(['id', 'label', 'status', 'enrolled_at', 'revoked_at']).where('facility_id', '=', facilityId).orderBy('enrolled_at').execute();
  return rows.map((r) => ({ id: r.id, label: r.label, status: r.status, enrolledAt: r.enrolled_at, revokedAt: r.revoked_at }));
}
