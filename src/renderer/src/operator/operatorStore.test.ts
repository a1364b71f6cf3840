// Runs under vitest (Node). The lock screen's state machine with a fake clock and a fake main
// that answers like src/core/operator (5 tries, then a lockout): first-PIN setup with the shared
// rules, wrong PINs → attempts left → lockout, unlock → the screen opens, the session and the
// screen timeout lock it again, a PIN change reopens the session, and no PIN ever sits in state.
import { describe, expect, it } from 'vitest';
import type { Channel, OperatorStatusView, Request, Response } from '../../../shared/contract';
import type { Envelope } from '../../../shared/envelope';
import { fail, ok } from '../../../shared/envelope';
import { createOperatorStore, gateFor, relockReason, setupProblem } from './operatorStore';

const SESSION = 5 * 60_000;

function fakeMain(clock: { t: number }, opts: { demo?: boolean } = {}) {
  let pin: string | null = null;
  let failures = 0;
  let lockedUntil = 0;
  let unlockedUntil: number | null = null;
  const calls: Array<[string, unknown]> = [];
  const status = (): OperatorStatusView => ({
    pinSet: pin !== null,
    setupRequired: pin === null && !opts.demo,
    unlockedUntil: unlockedUntil !== null && clock.t < unlockedUntil ? unlockedUntil : null,
    lockedUntil: lockedUntil > clock.t ? lockedUntil : null,
    attemptsLeft: lockedUntil > clock.t ? 0 : Math.max(1, 5 - failures),
    institutionId: null,
  });
  const wrong = () => {
    failures++;
    if (failures >= 5) lockedUntil = clock.t + 30_000;
    return failures >= 5 ? fail('OPERATOR_LOCKED_OUT', '잠김') : fail('OPERATOR_PIN_WRONG', 'PIN이 맞지 않습니다.');
  };
  const handlers: Record<string, (r: never) => Envelope<unknown>> = {
    'operator:status': () => ok(status()),
    'operator:unlock': (r: { pin: string }) => {
      if (pin === null) return fail('OPERATOR_PIN_NOT_SET', '');
      if (lockedUntil > clock.t) return fail('OPERATOR_LOCKED_OUT', '잠김');
      if (r.pin !== pin) return wrong();
      failures = 0;
      unlockedUntil = clock.t + SESSION;
      return ok({ unlockedUntil });
    },
    'operator:lock': () => {
      unlockedUntil = null;
      return ok(status());
    },
    'operator:setPin': (r: { pin: string; currentPin?: string }) => {
      if (pin !== null && r.currentPin !== pin) return wrong();
      pin = r.pin;
      unlockedUntil = null;
      return ok(status());
    },
    // 공동인증서로 잠금 해제: 'admin.kim' is a 시스템관리자; anyone else is refused and counts like a wrong PIN.
    'operator:unlockWithCertificate': (r: { loginId: string; password: string }) => {
      if (lockedUntil > clock.t) return fail('OPERATOR_LOCKED_OUT', '잠김');
      if (r.loginId !== 'admin.kim') {
        failures++;
        if (failures >= 5) lockedUntil = clock.t + 30_000;
        return fail('OPERATOR_CERT_ROLE', '권한이 없습니다.');
      }
      failures = 0;
      unlockedUntil = clock.t + SESSION;
      return ok({ unlockedUntil, role: 'system_admin' });
    },
    'kiosk:leave': () => (status().unlockedUntil ? ok({ left: true }) : fail('OPERATOR_LOCKED', '')),
  };
  const call = async <C extends Channel>(channel: C, request: Request<C>): Promise<Envelope<Response<C>>> => {
    calls.push([channel, request]);
    const h = handlers[channel];
    return (h ? h(request as never) : fail('UNKNOWN', '')) as Envelope<Response<C>>;
  };
  return { call, calls };
}

function setup(opts: { demo?: boolean } = {}) {
  const clock = { t: 1_800_000_000_000 };
  const main = fakeMain(clock, opts);
  const kiosk = { open: null as string | null };
  const op = createOperatorStore({
    call: main.call,
    now: () => clock.t,
    openKioskScreen: (t) => (kiosk.open = t),
    closeAll: () => (kiosk.open = null),
    screenOpen: () => kiosk.open !== null,
  });
  return { clock, main, kiosk, op };
}

describe('pure decisions', () => {
  it('gateFor: setup first, then unlock, straight in with a session or a demo without a PIN', () => {
    const base = { pinSet: true, setupRequired: false, unlockedUntil: null, lockedUntil: null, attemptsLeft: 5, institutionId: null };
    expect(gateFor({ ...base, pinSet: false, setupRequired: true })).toBe('setup');
    expect(gateFor(base)).toBe('unlock');
    expect(gateFor({ ...base, unlockedUntil: 5 })).toBe('open');
    expect(gateFor({ ...base, pinSet: false })).toBe('open');
  });

  it('setupProblem uses the shared rules and needs both entries to match', () => {
    expect(setupProblem('1234', '1234')).toBe('FORMAT');
    expect(setupProblem('555555', '555555')).toBe('REPEATED');
    expect(setupProblem('456789', '456789')).toBe('SEQUENTIAL');
    expect(setupProblem('246813', '246831')).toBe('MISMATCH');
    expect(setupProblem('246813', '246813')).toBeNull();
  });

  it('relockReason: session end first, then the screen timeout without input', () => {
    expect(relockReason({ sessionUntil: 100, lastInputAt: 90 }, 100, 1000, true)).toBe('session');
    expect(relockReason({ sessionUntil: 5000, lastInputAt: 0 }, 1000, 1000, false)).toBe('idle');
    expect(relockReason({ sessionUntil: null, lastInputAt: 0 }, 1000, 1000, true)).toBe('idle');
    expect(relockReason({ sessionUntil: null, lastInputAt: 0 }, 1000, 1000, false)).toBeNull();
    expect(relockReason({ sessionUntil: 5000, lastInputAt: 500 }, 1000, 1000, true)).toBeNull();
  });
});

describe('operator store', () => {
  it('first run: the PIN is set twice under the rules, then settings open', async () => {
    const { op, kiosk, main } = setup();
    await op.request('settings');
    expect(op.getState().gate).toEqual({ target: 'settings', mode: 'setup' });
    expect(kiosk.open).toBeNull();
    expect(await op.setFirstPin('123456', '123456')).toBe('SEQUENTIAL');
    expect(await op.setFirstPin('246813', '246810')).toBe('MISMATCH');
    expect(main.calls.filter(([c]) => c === 'operator:setPin')).toHaveLength(0); // refused before asking main
    expect(await op.setFirstPin('246813', '246813')).toBeNull();
    expect(kiosk.open).toBe('settings');
    expect(op.getState().gate).toBeNull();
    expect(JSON.stringify(op.getState())).not.toContain('246813');
  });

  it('wrong PINs show attempts left, then the lockout until when; a right PIN opens the screen', async () => {
    const { op, kiosk, clock } = setup();
    await op.request('console');
    await op.setFirstPin('246813', '246813');
    await op.lock();
    expect(kiosk.open).toBeNull();
    await op.request('console');
    expect(op.getState().gate?.mode).toBe('unlock');
    for (let i = 4; i >= 1; i--) {
      expect(await op.unlock('000111')).toBe(false);
      expect(op.getState().error?.code).toBe('OPERATOR_PIN_WRONG');
      expect(op.getState().status?.attemptsLeft).toBe(i);
    }
    expect(await op.unlock('000111')).toBe(false);
    expect(op.getState().error?.code).toBe('OPERATOR_LOCKED_OUT');
    expect(op.getState().status?.lockedUntil).toBe(clock.t + 30_000);
    expect(await op.unlock('246813')).toBe(false); // even the right PIN waits out the lockout
    clock.t += 30_000;
    expect(await op.unlock('246813')).toBe(true);
    expect(kiosk.open).toBe('console');
    expect(JSON.stringify(op.getState())).not.toMatch(/246813|000111/);
  });

  it('an open session locks itself at its end and after the screen timeout; 잠금 locks at once', async () => {
    const { op, kiosk, clock } = setup();
    await op.request('settings');
    await op.setFirstPin('246813', '246813');
    // Screen timeout without input.
    clock.t += 60_000;
    op.tick(120_000);
    expect(kiosk.open).toBe('settings');
    clock.t += 60_000;
    op.tick(120_000);
    await Promise.resolve();
    expect(kiosk.open).toBeNull();
    expect(op.getState()).toMatchObject({ sessionUntil: null, relocked: 'idle' });
    // Session end, though the operator keeps touching the screen.
    await op.request('selftest');
    expect(op.getState().gate?.mode).toBe('unlock');
    await op.unlock('246813');
    expect(op.getState().view).toBe('selftest');
    for (let i = 0; i < 5; i++) {
      clock.t += 60_000;
      op.touch();
      op.tick(120_000);
    }
    await Promise.resolve();
    expect(op.getState()).toMatchObject({ view: null, relocked: 'session' });
    // Lock button.
    await op.request('settings');
    await op.unlock('246813');
    await op.lock();
    expect(kiosk.open).toBeNull();
    expect(op.getState().sessionUntil).toBeNull();
  });

  it('a PIN change needs the current PIN and keeps the operator in; moving between screens asks no PIN', async () => {
    const { op, kiosk } = setup();
    await op.request('settings');
    await op.setFirstPin('246813', '246813');
    op.open('pinChange');
    expect(kiosk.open).toBe('settings'); // still open underneath
    expect(op.getState().view).toBe('pinChange');
    expect(await op.changePin('999999', '135792', '135792')).toBe('REFUSED');
    expect(op.getState().error?.code).toBe('OPERATOR_PIN_WRONG');
    expect(await op.changePin('246813', '111111', '111111')).toBe('REPEATED');
    expect(await op.changePin('246813', '135792', '135792')).toBeNull();
    expect(op.getState().sessionUntil).not.toBeNull();
    op.open('console');
    expect(kiosk.open).toBe('console');
    await op.lock();
    await op.request('settings');
    expect(await op.unlock('246813')).toBe(false);
    expect(await op.unlock('135792')).toBe(true);
  });

  it('a demo without a PIN opens straight away; leaving kiosk mode is main’s decision', async () => {
    const { op, kiosk } = setup({ demo: true });
    await op.request('settings');
    expect(kiosk.open).toBe('settings');
    expect(op.getState().openWithoutPin).toBe(true);
    expect((await op.leaveKiosk()).ok).toBe(false);
    expect(op.getState().error?.code).toBe('OPERATOR_LOCKED');
  });
});

describe('certificate unlock in the store', () => {
  it('opens the requested screen, shares the attempts count, and keeps no password in state', async () => {
    const { op, kiosk, main } = setup();
    await op.setFirstPin('246813', '246813');
    await op.lock();
    await op.request('console');
    const refused = await op.unlockWithCertificate('clinic.sec', 'AAAAAAAAAAAAAAAA', 'Secret-pw1');
    expect(refused).toMatchObject({ code: 'OPERATOR_CERT_ROLE' });
    expect(op.getState()).toMatchObject({ gate: { target: 'console' }, error: { code: 'OPERATOR_CERT_ROLE' } });
    expect(op.getState().status?.attemptsLeft).toBe(4);
    expect(await op.unlockWithCertificate('admin.kim', 'AAAAAAAAAAAAAAAA', 'Secret-pw1')).toBeNull();
    expect(op.getState().gate).toBeNull();
    expect(kiosk.open).toBe('console');
    expect(op.getState().sessionUntil).not.toBeNull();
    expect(JSON.stringify(op.getState())).not.toContain('Secret-pw1');
    // The password went to main in exactly the calls that needed it.
    expect(main.calls.filter(([, r]) => JSON.stringify(r).includes('Secret-pw1')).map(([c]) => c)).toEqual(['operator:unlockWithCertificate', 'operator:unlockWithCertificate']);
  });

  it('does nothing without a lock screen up', async () => {
    const { op, main } = setup();
    expect(await op.unlockWithCertificate('admin.kim', 'AAAAAAAAAAAAAAAA', 'pw')).toBeNull();
    expect(main.calls.some(([c]) => c === 'operator:unlockWithCertificate')).toBe(false);
  });
});
