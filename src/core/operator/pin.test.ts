// Runs in Node (vitest). The operator PIN: hashing at rest, sessions, exponential lockout that
// survives a restart, deny-by-default on a damaged file, and no PIN in any log line.
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { memoryLogger } from '../log';
import { pinProblem } from '../../shared/operatorPin';
import { FIRST_LOCKOUT_MS, lockoutMs, MAX_LOCKOUT_MS, OPERATOR_FILE, openOperatorLock, SESSION_MS } from './pin';

const cheap = { N: 1024, r: 8, p: 1 };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'munjigi-operator-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function make(opts: { demo?: boolean; clock?: ReturnType<typeof fakeClock> } = {}) {
  const clock = opts.clock ?? fakeClock(1_800_000_000_000);
  const log = memoryLogger();
  const lock = openOperatorLock({ path: join(dir, OPERATOR_FILE), clock, logger: log.logger, demo: opts.demo ?? false, scrypt: cheap });
  return { lock, clock, log };
}
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'NO_ERROR';
};

describe('lockoutMs', () => {
  it('allows four wrong PINs, then 30 s doubling up to 15 min', () => {
    expect([0, 1, 2, 3, 4].map(lockoutMs)).toEqual([0, 0, 0, 0, 0]);
    expect(lockoutMs(5)).toBe(FIRST_LOCKOUT_MS);
    expect(lockoutMs(6)).toBe(60_000);
    expect(lockoutMs(7)).toBe(120_000);
    expect(lockoutMs(10)).toBe(MAX_LOCKOUT_MS);
    expect(lockoutMs(1000)).toBe(MAX_LOCKOUT_MS);
  });
});

describe('new PIN rules (shared with the PIN pad)', () => {
  it('needs 6–12 digits, not one repeated digit, not a run up or down', () => {
    for (const good of ['246813', '135792', '100000', '123457', '864209864209']) expect(pinProblem(good)).toBeNull();
    for (const format of ['', '12345', '1234567890123', '12 3456', '١٢٣٤٥٦', '12345a', null, 123456]) expect(pinProblem(format)).toBe('FORMAT');
    for (const same of ['000000', '7777777', '999999999999']) expect(pinProblem(same)).toBe('REPEATED');
    for (const run of ['123456', '654321', '890123', '3210987', '012345678901']) expect(pinProblem(run)).toBe('SEQUENTIAL');
  });

  it('setPin refuses a weak PIN with the rule that failed; a 4-digit PIN stored earlier still unlocks', () => {
    const { lock } = make();
    for (const [pin, problem] of [['1234', 'FORMAT'], ['111111', 'REPEATED'], ['234567', 'SEQUENTIAL']] as const) {
      try {
        lock.setPin(pin);
        expect.unreachable();
      } catch (err) {
        expect(err).toMatchObject({ code: 'OPERATOR_PIN_INVALID', problem });
      }
    }
    // A file written under the old 4–12 digit rule: its PIN keeps working until it is changed.
    const salt = randomBytes(16);
    const hash = scryptSync('2468', salt, 32, cheap).toString('hex');
    writeFileSync(join(dir, OPERATOR_FILE), JSON.stringify({ v: 1, pin: { salt: salt.toString('hex'), hash, ...cheap }, failures: 0, lockedUntil: 0 }));
    const legacy = make();
    expect(codeOf(() => legacy.lock.unlock('2468'))).toBe('NO_ERROR');
    expect(codeOf(() => legacy.lock.setPin('1357', '2468'))).toBe('OPERATOR_PIN_INVALID');
    expect(codeOf(() => legacy.lock.setPin('135792', '2468'))).toBe('NO_ERROR');
  });
});

describe('operator lock', () => {
  it('a real kiosk starts locked and asks for a PIN to be set; a demo without a PIN is open', () => {
    const real = make();
    expect(real.lock.status()).toMatchObject({ pinSet: false, setupRequired: true, unlockedUntil: null });
    expect(codeOf(() => real.lock.requireUnlocked('settings:set'))).toBe('OPERATOR_LOCKED');
    expect(codeOf(() => real.lock.unlock('1234'))).toBe('OPERATOR_PIN_NOT_SET');
    const demo = make({ demo: true });
    expect(demo.lock.status()).toMatchObject({ pinSet: false, setupRequired: false });
    expect(codeOf(() => demo.lock.requireUnlocked('settings:set'))).toBe('NO_ERROR');
    demo.lock.setPin('246813');
    expect(codeOf(() => demo.lock.requireUnlocked('settings:set'))).toBe('OPERATOR_LOCKED');
  });

  it('stores only a salted hash, never the PIN', () => {
    const { lock } = make();
    lock.setPin('135790');
    const text = readFileSync(join(dir, OPERATOR_FILE), 'utf8');
    expect(text).not.toContain('135790');
    const stored = JSON.parse(text) as { pin: { salt: string; hash: string } };
    expect(stored.pin.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(stored.pin.hash).toMatch(/^[0-9a-f]{64}$/);
    // Same PIN, new salt → different hash.
    lock.setPin('135790', '135790');
    const again = JSON.parse(readFileSync(join(dir, OPERATOR_FILE), 'utf8')) as { pin: { hash: string } };
    expect(again.pin.hash).not.toBe(stored.pin.hash);
  });

  it('a right PIN opens a session that ends after SESSION_MS or on lock()', () => {
    const { lock, clock } = make();
    lock.setPin('246813');
    const { unlockedUntil } = lock.unlock('246813');
    expect(unlockedUntil).toBe(clock() + SESSION_MS);
    expect(codeOf(() => lock.requireUnlocked('settings:set'))).toBe('NO_ERROR');
    clock.advance(SESSION_MS);
    expect(codeOf(() => lock.requireUnlocked('settings:set'))).toBe('OPERATOR_LOCKED');
    lock.unlock('246813');
    lock.lock();
    expect(lock.isUnlocked()).toBe(false);
  });

  it('locks out after five wrong PINs, doubles, and a restart does not reset it', () => {
    const clock = fakeClock(1_800_000_000_000);
    const first = make({ clock });
    first.lock.setPin('246813');
    for (let i = 0; i < 4; i++) {
      expect(first.lock.status().attemptsLeft).toBe(5 - i);
      expect(codeOf(() => first.lock.unlock('000111'))).toBe('OPERATOR_PIN_WRONG');
    }
    expect(first.lock.status().attemptsLeft).toBe(1);
    expect(codeOf(() => first.lock.unlock('000111'))).toBe('OPERATOR_LOCKED_OUT');
    // Even the right PIN is refused during the lockout.
    expect(codeOf(() => first.lock.unlock('246813'))).toBe('OPERATOR_LOCKED_OUT');

    const restarted = make({ clock });
    expect(restarted.lock.status()).toMatchObject({ lockedUntil: clock() + FIRST_LOCKOUT_MS, attemptsLeft: 0 });
    expect(codeOf(() => restarted.lock.unlock('246813'))).toBe('OPERATOR_LOCKED_OUT');
    clock.advance(FIRST_LOCKOUT_MS);
    expect(codeOf(() => restarted.lock.unlock('111222'))).toBe('OPERATOR_LOCKED_OUT');
    expect(restarted.lock.status().lockedUntil).toBe(clock() + 2 * FIRST_LOCKOUT_MS);
    clock.advance(2 * FIRST_LOCKOUT_MS);
    expect(codeOf(() => restarted.lock.unlock('246813'))).toBe('NO_ERROR');
    // Success clears the count.
    expect(codeOf(() => restarted.lock.unlock('000111'))).toBe('OPERATOR_PIN_WRONG');
  });

  it('malformed PINs count as wrong ones and are refused with a code, not a crash', () => {
    const { lock } = make();
    lock.setPin('246813');
    for (const bad of ['', 'abcd', '12', '1'.repeat(13), null, 42, { pin: '246813' }]) {
      expect(codeOf(() => lock.unlock(bad as string))).toMatch(/^OPERATOR_(PIN_WRONG|LOCKED_OUT)$/);
    }
    expect(codeOf(() => make().lock.setPin('12ab'))).toBe('OPERATOR_PIN_INVALID');
  });

  it('changing the PIN needs the current PIN', () => {
    const { lock } = make();
    lock.setPin('246813');
    lock.unlock('246813');
    expect(codeOf(() => lock.setPin('135792'))).toBe('OPERATOR_PIN_WRONG');
    expect(codeOf(() => lock.setPin('135792', '999888'))).toBe('OPERATOR_PIN_WRONG');
    lock.setPin('135792', '246813');
    expect(codeOf(() => lock.unlock('135792'))).toBe('NO_ERROR');
  });

  it('a damaged file is refused (never read as "no PIN"), and the file is left for the operator', () => {
    const path = join(dir, OPERATOR_FILE);
    writeFileSync(path, '{"v":1,"pin":null');
    expect(codeOf(() => make())).toBe('OPERATOR_STORE_DAMAGED');
    writeFileSync(path, JSON.stringify({ v: 1, pin: null, failures: -1, lockedUntil: 0 }));
    expect(codeOf(() => make())).toBe('OPERATOR_STORE_DAMAGED');
    expect(readFileSync(path, 'utf8')).toContain('"failures":-1');
  });

  it('never writes the PIN into a log line', () => {
    const { lock, log } = make();
    lock.setPin('864209');
    lock.unlock('864209');
    codeOf(() => lock.unlock('864201'));
    codeOf(() => lock.requireUnlocked('kiosk:leave'));
    const text = JSON.stringify(log.lines);
    expect(text).not.toContain('864209');
    expect(text).not.toContain('864201');
    expect(log.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['operator pin set', 'operator unlocked', 'operator pin refused']));
  });
});
