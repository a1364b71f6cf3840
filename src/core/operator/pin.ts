// Runs in Node (main, dev host). The operator PIN: a scrypt hash with a random salt in
// <dataDir>/operator.json (never in settings.json, never sent to the renderer), a short unlocked
// session after a right PIN, and an exponential lockout after wrong ones that survives a restart.
// A 공동인증서 unlock (./certificate) opens the same session and counts its refusals here too:
// one limiter for both ways in. The file also binds the kiosk to the institution that runs it.
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { institutionId as institutionIdSchema } from '../../shared/accounts';
import { CodedError } from '../../shared/envelope';
import { pinProblem, PIN_PROBLEM_TEXT } from '../../shared/operatorPin';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { writeAtomically } from '../settings/store';

export const OPERATOR_FILE = 'operator.json';
export const SESSION_MS = 5 * 60_000;
export const FREE_TRIES = 5;
export const FIRST_LOCKOUT_MS = 30_000;
export const MAX_LOCKOUT_MS = 15 * 60_000;
/** What unlock accepts: 4–12 digits, so a PIN set under the earlier 4-digit rule still opens; new PINs follow pinProblem(). */
const PIN_RE = /^[0-9]{4,12}$/;
// N=2^15, r=8 (32 MiB): ~50–100 ms per try, cheap for one operator and slow for a guesser.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LEN = 32;

const fileSchema = z.object({
  v: z.literal(1),
  pin: z
    .object({
      salt: z.string().regex(/^[0-9a-f]{32}$/),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      N: z.number().int().min(1024).max(1 << 20),
      r: z.number().int().min(1).max(32),
      p: z.number().int().min(1).max(16),
    })
    .nullable(),
  failures: z.number().int().min(0),
  lockedUntil: z.number().int().min(0),
  /** The institution (accounts directory id) whose 시설관리자 may unlock with a certificate; absent = none. */
  institutionId: institutionIdSchema.nullable().optional(),
  /** Key of the non-identifying account references in the log (HMAC of the account id); made on first use. */
  refKey: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
type OperatorFile = z.infer<typeof fileSchema>;

export interface OperatorStatus {
  /** A PIN has been set on this kiosk. */
  pinSet: boolean;
  /** The first start of a real kiosk: a PIN must be set before anything else. */
  setupRequired: boolean;
  /** Session end (ms since epoch) or null when locked. */
  unlockedUntil: number | null;
  /** Wrong PINs refused until this time (ms since epoch), or null. */
  lockedUntil: number | null;
  /** Wrong PINs that may still be entered before the next lockout (at least 1 outside a lockout). */
  attemptsLeft: number;
  /** The institution whose 시설관리자 may unlock this kiosk with a certificate, or null (시스템관리자 only). */
  institutionId: string | null;
}

/** Who opened a session by certificate, as the log may say it: the role and a non-identifying reference. */
export interface CertificateOperator {
  role: 'system_admin' | 'facility_manager';
  /** The central API's account id; only its keyed hash reaches the log. */
  accountId: string;
}

export interface OperatorLock {
  status(): OperatorStatus;
  /** Right PIN → an unlocked session until the returned time. Wrong → OPERATOR_PIN_WRONG / OPERATOR_LOCKED_OUT. */
  unlock(pin: string): { unlockedUntil: number };
  lock(): void;
  /** Set the first PIN (no session needed while none is set) or change it (needs the current PIN). */
  setPin(newPin: string, currentPin?: string): void;
  /** Throws OPERATOR_LOCKED unless a session is open; handlers call this before privileged work. */
  requireUnlocked(action: string): void;
  isUnlocked(): boolean;
  /** Before a certificate unlock: OPERATOR_PIN_NOT_SET / OPERATOR_LOCKED_OUT like a PIN try. */
  assertMayTry(): void;
  /** A refused certificate unlock counts like a wrong PIN (the shared limiter); the caller rethrows its reason. */
  countRefusal(action: string, code: string): void;
  /** A certificate unlock the access rule allowed: the same session a right PIN opens. */
  openByCertificate(who: CertificateOperator): { unlockedUntil: number };
  /** Bind (or unbind with null) the kiosk to the institution that runs it; needs the current PIN. */
  bindInstitution(institutionId: string | null, currentPin: unknown): void;
}

/** Lockout after the n-th consecutive wrong PIN: none for the first FREE_TRIES-1, then 30 s doubling to 15 min. */
export function lockoutMs(failures: number): number {
  if (failures < FREE_TRIES) return 0;
  const doublings = Math.min(failures - FREE_TRIES, 20);
  return Math.min(FIRST_LOCKOUT_MS * 2 ** doublings, MAX_LOCKOUT_MS);
}

function hashPin(pin: string, salt: Buffer, params: { N: number; r: number; p: number }): Buffer {
  return scryptSync(pin.normalize('NFKC'), salt, KEY_LEN, { ...params, maxmem: SCRYPT.maxmem });
}

function checkNewPin(pin: unknown): string {
  const problem = pinProblem(pin);
  if (problem !== null) throw Object.assign(new CodedError('OPERATOR_PIN_INVALID', `새 PIN으로 쓸 수 없습니다: ${PIN_PROBLEM_TEXT[problem].ko}`), { problem });
  return pin as string;
}

export function openOperatorLock(opts: {
  path: string;
  clock: Clock;
  logger: Logger;
  /** Demo setup: no PIN is required until one is set. A real kiosk requires one from the first start. */
  demo: boolean;
  sessionMs?: number;
  /** Tests pass cheaper scrypt parameters; the stored file records which were used. */
  scrypt?: { N: number; r: number; p: number };
}): OperatorLock {
  const params = opts.scrypt ?? { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p };
  const sessionMs = opts.sessionMs ?? SESSION_MS;
  let state: OperatorFile = load();
  let unlockedUntil: number | null = null;

  function load(): OperatorFile {
    let text: string;
    try {
      text = readFileSync(opts.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { v: 1, pin: null, failures: 0, lockedUntil: 0 };
      throw new CodedError('OPERATOR_STORE_UNREADABLE', '관리자 잠금 파일을 읽을 수 없습니다. 데이터 폴더 권한을 확인해 주세요.');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const checked = fileSchema.safeParse(parsed);
    if (!checked.success) {
      // Deny by default: a damaged file must not turn into "no PIN set" (that would unlock the kiosk).
      throw new CodedError(
        'OPERATOR_STORE_DAMAGED',
        `관리자 잠금 파일(${OPERATOR_FILE})이 손상되었습니다. 관리자가 파일을 지우고 PIN을 다시 설정해야 합니다.`,
      );
    }
    return checked.data;
  }
  const save = () => writeAtomically(opts.path, state);

  const now = () => opts.clock();
  const open = () => unlockedUntil !== null && now() < unlockedUntil;
  // Demo setups without a PIN are open: there is nothing to protect and a demo must be usable.
  const openWithoutPin = () => state.pin === null && opts.demo;

  function refuseIfLockedOut(): void {
    const t = now();
    if (state.lockedUntil > t) {
      const retryAfterS = Math.ceil((state.lockedUntil - t) / 1000);
      throw Object.assign(
        new CodedError('OPERATOR_LOCKED_OUT', `PIN을 여러 번 잘못 입력했습니다. ${retryAfterS}초 후에 다시 시도해 주세요.`),
        { retryAfterMs: state.lockedUntil - t },
      );
    }
  }

  function verify(pin: string): boolean {
    const stored = state.pin;
    if (!stored) return false;
    const expected = Buffer.from(stored.hash, 'hex');
    const actual = hashPin(pin, Buffer.from(stored.salt, 'hex'), stored);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** One more failed unlock (PIN or certificate); returns the lockout it started (0 for none). */
  function countFailure(): number {
    state = { ...state, failures: state.failures + 1 };
    const wait = lockoutMs(state.failures);
    if (wait > 0) state = { ...state, lockedUntil: now() + wait };
    save();
    return wait;
  }

  function clearFailures(): void {
    if (state.failures !== 0 || state.lockedUntil !== 0) {
      state = { ...state, failures: 0, lockedUntil: 0 };
      save();
    }
  }

  function requirePinSet(): void {
    if (state.pin === null) {
      throw new CodedError('OPERATOR_PIN_NOT_SET', '관리자 PIN이 아직 설정되지 않았습니다. 먼저 PIN을 설정해 주세요.');
    }
  }

  /** A short keyed hash of an account id: the same account gives the same reference on this kiosk, and the log names no one. */
  function accountRef(accountId: string): string {
    if (!state.refKey) {
      state = { ...state, refKey: randomBytes(32).toString('hex') };
      save();
    }
    return `acct-${createHmac('sha256', Buffer.from(state.refKey!, 'hex')).update(accountId).digest('hex').slice(0, 12)}`;
  }

  function recordFailure(action: string): never {
    const wait = countFailure();
    opts.logger.warn('operator pin refused', { action, failures: state.failures, lockoutS: wait / 1000 });
    if (wait > 0) refuseIfLockedOut();
    throw new CodedError('OPERATOR_PIN_WRONG', `PIN이 맞지 않습니다. (${FREE_TRIES - state.failures}번 더 틀리면 잠시 잠깁니다)`);
  }

  function checkPin(pin: unknown, action: string): void {
    refuseIfLockedOut();
    // A malformed PIN counts as a wrong one: otherwise the shape check would be a free oracle.
    if (typeof pin !== 'string' || !PIN_RE.test(pin) || !verify(pin)) recordFailure(action);
    clearFailures();
  }

  return {
    status() {
      const t = now();
      return {
        pinSet: state.pin !== null,
        setupRequired: state.pin === null && !opts.demo,
        unlockedUntil: open() ? unlockedUntil : null,
        lockedUntil: state.lockedUntil > t ? state.lockedUntil : null,
        attemptsLeft: state.lockedUntil > t ? 0 : Math.max(1, FREE_TRIES - state.failures),
        institutionId: state.institutionId ?? null,
      };
    },
    unlock(pin) {
      requirePinSet();
      checkPin(pin, 'unlock');
      unlockedUntil = now() + sessionMs;
      opts.logger.info('operator unlocked', { method: 'pin', untilS: Math.round(sessionMs / 1000) });
      return { unlockedUntil };
    },
    assertMayTry() {
      requirePinSet();
      refuseIfLockedOut();
    },
    countRefusal(action, code) {
      const wait = countFailure();
      opts.logger.warn('operator certificate unlock refused', { action, code, failures: state.failures, lockoutS: wait / 1000 });
    },
    openByCertificate(who) {
      // A lockout that began while the certificate was being checked (a wrong PIN meanwhile) still holds.
      refuseIfLockedOut();
      clearFailures();
      unlockedUntil = now() + sessionMs;
      opts.logger.info('operator unlocked', { method: 'certificate', role: who.role, account: accountRef(who.accountId), untilS: Math.round(sessionMs / 1000) });
      return { unlockedUntil };
    },
    bindInstitution(institutionId, currentPin) {
      if (institutionId !== null && !institutionIdSchema.safeParse(institutionId).success) {
        throw new CodedError('OPERATOR_INSTITUTION_INVALID', '운영 기관을 기관 목록에서 선택해 주세요.');
      }
      requirePinSet();
      // Like a PIN change: whoever stands at an unlocked kiosk must not hand it to another institution.
      checkPin(currentPin, 'bindInstitution');
      state = { ...state, institutionId };
      save();
      opts.logger.info('operator institution bound', { institutionId });
    },
    lock() {
      if (unlockedUntil !== null) opts.logger.info('operator locked');
      unlockedUntil = null;
    },
    setPin(newPin, currentPin) {
      const pin = checkNewPin(newPin);
      if (state.pin !== null) {
        // Changing a PIN needs the current one, even inside a session: a passer-by at an
        // unlocked kiosk must not be able to take it over.
        checkPin(currentPin, 'setPin');
      }
      const salt = randomBytes(16);
      state = {
        ...state,
        pin: { salt: salt.toString('hex'), hash: hashPin(pin, salt, params).toString('hex'), ...params },
        failures: 0,
        lockedUntil: 0,
      };
      save();
      unlockedUntil = null;
      opts.logger.info('operator pin set');
    },
    requireUnlocked(action) {
      if (open() || openWithoutPin()) return;
      unlockedUntil = null;
      opts.logger.warn('operator action refused while locked', { action });
      throw new CodedError('OPERATOR_LOCKED', '관리자 잠금 상태입니다. 관리자 PIN으로 잠금을 해제한 뒤 다시 시도해 주세요.');
    },
    isUnlocked: () => open() || openWithoutPin(),
  };
}
