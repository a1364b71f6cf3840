// Runs in Node (vitest). The certificate unlock's flow around the access rule: it opens the same
// session as a PIN, refusals count in the PIN's limiter (and a lockout stops both ways in before
// the central API is asked), an unreachable API counts nothing, the password Buffer is zeroed on
// every path, one attempt at a time, and the log names a role and a keyed reference, never a person.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountRole } from '../../shared/accounts';
import { CodedError } from '../../shared/envelope';
import type { SessionView } from '../accounts/client';
import { fakeClock } from '../clock';
import { memoryLogger } from '../log';
import type { CheckLogin } from './certificate';
import { createCertificateUnlock } from './certificate';
import { FIRST_LOCKOUT_MS, FREE_TRIES, OPERATOR_FILE, SESSION_MS, openOperatorLock } from './pin';

const PIN = '246813';
const HOME = 'facility-example-jongno';
const USER_ID = '6f1c2a9e-0d4b-4a57-9e3c-2b8f7a1d5c44';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'munjigi-operator-cert-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const view = (roles: AccountRole[], institutionId = HOME, status: 'active' | 'pending' | 'disabled' = 'active'): SessionView => ({
  user: { id: USER_ID, loginId: 'hong.gildong', name: '홍길동', institutionId, institutionName: '예시도서관', status },
  roles,
  menus: ['myRoles'],
  expiresAt: 1_800_000_900_000,
});

function make(answer: () => Promise<SessionView>, opts: { pinSet?: boolean; bound?: string | null } = {}) {
  const clock = fakeClock(1_800_000_000_000);
  const log = memoryLogger();
  const lock = openOperatorLock({ path: join(dir, OPERATOR_FILE), clock, logger: log.logger, demo: false, scrypt: { N: 1024, r: 8, p: 1 } });
  if (opts.pinSet !== false) lock.setPin(PIN);
  if (opts.bound !== null && opts.pinSet !== false) lock.bindInstitution(opts.bound ?? HOME, PIN);
  let calls = 0;
  const passwords: Buffer[] = [];
  const checkLogin: CheckLogin = async (input) => {
    calls++;
    passwords.push(input.password);
    return answer();
  };
  const unlock = createCertificateUnlock({ lock: () => lock, checkLogin });
  const password = () => Buffer.from('Test1234!', 'utf8');
  const attempt = async () => {
    const pw = password();
    try {
      return await unlock.unlock({ loginId: 'hong.gildong', certificateRef: 'AAAAAAAAAAAAAAAA', password: pw });
    } finally {
      expect(pw.every((b) => b === 0)).toBe(true);
    }
  };
  const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof CodedError ? e.code : String(e)));
  return { lock, clock, log, unlock, attempt, codeOf, calls: () => calls, passwords };
}

const refused = (code: string) => () => Promise.reject(new CodedError(code, '거부되었습니다.'));

describe('certificate unlock', () => {
  it('a 시설관리자 of the bound institution opens a PIN-length session; the log has the role and a keyed reference only', async () => {
    const t = make(async () => view(['facility_manager']));
    const opened = await t.attempt();
    expect(opened).toEqual({ unlockedUntil: t.clock() + SESSION_MS, role: 'facility_manager' });
    expect(t.lock.isUnlocked()).toBe(true);
    const line = t.log.lines.find((l) => l.msg === 'operator unlocked' && l.method === 'certificate');
    expect(line).toMatchObject({ role: 'facility_manager', account: expect.stringMatching(/^acct-[0-9a-f]{12}$/) });
    const all = JSON.stringify(t.log.lines);
    for (const secret of ['홍길동', 'hong.gildong', USER_ID, 'Test1234!', '예시도서관']) expect(all).not.toContain(secret);
    // The same account gives the same reference on this kiosk (an inspector can count one person's unlocks).
    t.lock.lock();
    await t.attempt();
    const refs = t.log.lines.filter((l) => l.method === 'certificate').map((l) => l.account);
    expect(refs[0]).toBe(refs[1]);
  });

  it('a 시스템관리자 opens a kiosk that is bound to no institution; a 시설관리자 cannot', async () => {
    expect(await make(async () => view(['system_admin'], 'hc-seoul-jongno'), { bound: null }).attempt()).toMatchObject({ role: 'system_admin' });
    rmSync(join(dir, OPERATOR_FILE));
    const t = make(async () => view(['facility_manager']), { bound: null });
    expect(await t.codeOf(t.attempt())).toBe('OPERATOR_CERT_NO_INSTITUTION');
    expect(t.lock.isUnlocked()).toBe(false);
  });

  it('refusals of every kind count like wrong PINs: the fifth locks out both ways in, before the central API is asked', async () => {
    const answers: Array<() => Promise<SessionView>> = [
      async () => view(['facility_manager'], 'facility-example-songpa'),
      async () => view(['clinic_security']),
      refused('NPKI_WRONG_PASSWORD'),
      refused('CERT_NOT_REGISTERED'),
      refused('ACCOUNT_DISABLED'),
    ];
    let i = 0;
    const t = make(() => answers[i++]!());
    const codes = [];
    for (let n = 0; n < FREE_TRIES; n++) codes.push(await t.codeOf(t.attempt()));
    expect(codes).toEqual(['OPERATOR_CERT_OTHER_FACILITY', 'OPERATOR_CERT_ROLE', 'NPKI_WRONG_PASSWORD', 'CERT_NOT_REGISTERED', 'ACCOUNT_DISABLED']);
    expect(t.lock.status()).toMatchObject({ attemptsLeft: 0, lockedUntil: t.clock() + FIRST_LOCKOUT_MS });
    // Locked out: a right PIN and a 시스템관리자 certificate are both refused; the API is not asked.
    expect(() => t.lock.unlock(PIN)).toThrow(expect.objectContaining({ code: 'OPERATOR_LOCKED_OUT' }));
    answers.push(async () => view(['system_admin']));
    const before = t.calls();
    expect(await t.codeOf(t.attempt())).toBe('OPERATOR_LOCKED_OUT');
    expect(t.calls()).toBe(before);
    // After the lockout a success clears the count.
    t.clock.advance(FIRST_LOCKOUT_MS);
    expect(await t.attempt()).toMatchObject({ role: 'system_admin' });
    expect(t.lock.status().attemptsLeft).toBe(FREE_TRIES);
    expect(JSON.stringify(t.log.lines)).not.toContain('Test1234!');
  });

  it('wrong PINs and refused certificates share one count', async () => {
    const t = make(refused('NPKI_WRONG_PASSWORD'));
    for (let n = 0; n < FREE_TRIES - 1; n++) expect(() => t.lock.unlock('999999')).toThrow();
    expect(await t.codeOf(t.attempt())).toBe('NPKI_WRONG_PASSWORD');
    expect(t.lock.status().lockedUntil).toBe(t.clock() + FIRST_LOCKOUT_MS);
  });

  it('an unreachable central API says to use the PIN and counts nothing', async () => {
    const serverTrouble = () => Promise.reject(Object.assign(new CodedError('INTERNAL', '서버 내부 오류입니다.'), { status: 500 }));
    for (const answer of [refused('ACCOUNTS_NETWORK'), refused('ACCOUNTS_NO_SERVER'), refused('ACCOUNTS_BAD_RESPONSE'), serverTrouble]) {
      rmSync(join(dir, OPERATOR_FILE), { force: true });
      const t = make(answer);
      const err = await t.attempt().catch((e: unknown) => e as CodedError);
      expect(err).toMatchObject({ code: 'OPERATOR_CERT_OFFLINE' });
      expect((err as CodedError).message).toContain('PIN');
      expect(t.lock.status().attemptsLeft).toBe(FREE_TRIES);
    }
  });

  it('an account that is pending or disabled is refused even with the right role', async () => {
    const d = make(async () => view(['system_admin'], HOME, 'disabled'));
    expect(await d.codeOf(d.attempt())).toBe('OPERATOR_CERT_ACCOUNT_INACTIVE');
    rmSync(join(dir, OPERATOR_FILE));
    const t = make(async () => view(['facility_manager'], HOME, 'pending'));
    expect(await t.codeOf(t.attempt())).toBe('OPERATOR_CERT_ACCOUNT_INACTIVE');
  });

  it('no PIN set yet: refused before the API is asked (the first start sets a PIN)', async () => {
    const t = make(async () => view(['system_admin']), { pinSet: false });
    expect(await t.codeOf(t.attempt())).toBe('OPERATOR_PIN_NOT_SET');
    expect(t.calls()).toBe(0);
  });

  it('one attempt at a time: a second one while the first waits for the API is refused', async () => {
    let release!: (v: SessionView) => void;
    const t = make(() => new Promise<SessionView>((done) => (release = done)));
    const first = t.attempt();
    await Promise.resolve();
    expect(await t.codeOf(t.attempt())).toBe('OPERATOR_CERT_BUSY');
    release(view(['facility_manager']));
    expect(await first).toMatchObject({ role: 'facility_manager' });
    expect(t.passwords.every((p) => p.every((b) => b === 0))).toBe(true);
  });

  it('an unexpected failure is refused (and counted) with a code of its own', async () => {
    const t = make(() => Promise.reject(new Error('boom')));
    expect(await t.codeOf(t.attempt())).toBe('OPERATOR_CERT_FAILED');
    expect(t.lock.status().attemptsLeft).toBe(FREE_TRIES - 1);
  });
});

describe('binding the kiosk to its institution', () => {
  it('needs the current PIN (a wrong one counts), refuses a malformed id, and can be undone', () => {
    const t = make(async () => view([]), { bound: null });
    expect(t.lock.status().institutionId).toBeNull();
    expect(() => t.lock.bindInstitution(HOME, '000000')).toThrow(expect.objectContaining({ code: 'OPERATOR_PIN_WRONG' }));
    expect(t.lock.status()).toMatchObject({ institutionId: null, attemptsLeft: FREE_TRIES - 1 });
    expect(() => t.lock.bindInstitution(HOME, undefined)).toThrow(expect.objectContaining({ code: 'OPERATOR_PIN_WRONG' }));
    expect(() => t.lock.bindInstitution('../etc', PIN)).toThrow(expect.objectContaining({ code: 'OPERATOR_INSTITUTION_INVALID' }));
    t.lock.bindInstitution(HOME, PIN);
    expect(t.lock.status()).toMatchObject({ institutionId: HOME, attemptsLeft: FREE_TRIES });
    // It survives a restart (operator.json), and null unbinds.
    const again = openOperatorLock({ path: join(dir, OPERATOR_FILE), clock: t.clock, logger: t.log.logger, demo: false });
    expect(again.status().institutionId).toBe(HOME);
    again.bindInstitution(null, PIN);
    expect(again.status().institutionId).toBeNull();
  });
});
