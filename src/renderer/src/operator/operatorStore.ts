// Runs in the renderer (vanilla zustand, so it runs under Node in tests). The operator lock as
// the kiosk screen meets it: opening settings, the console or the self-test goes through the PIN
// pad (or the first-PIN setup); an open session shows its time left and locks itself again at
// the session end or after the screen timeout without input. Main decides every unlock; this
// store only follows its answers. A PIN is an argument of one call and is never kept in state;
// so is a certificate password (공동인증서로 잠금 해제), which goes from the dialog's call to main.
import { createStore } from 'zustand/vanilla';
import type { Channel, OperatorStatusView, Request, Response } from '../../../shared/contract';
import type { AppError, Envelope } from '../../../shared/envelope';
import type { PinProblem } from '../../../shared/operatorPin';
import { pinProblem } from '../../../shared/operatorPin';

/** What an operator can open. settings and console are the kiosk store's screens; the rest are ours. */
export type OperatorTarget = 'settings' | 'console' | 'selftest' | 'pinChange' | 'institution';
export type OwnView = 'selftest' | 'pinChange' | 'institution';

/** How the lock screen asks: set the first PIN, or enter it. */
export type GateMode = 'setup' | 'unlock';

export interface OperatorState {
  status: OperatorStatusView | null;
  /** The lock screen is up for this target. */
  gate: { target: OperatorTarget; mode: GateMode } | null;
  /** Our own screen that is open (the kiosk store holds settings/console). */
  view: OwnView | null;
  /** Session end from main (ms since epoch); null when there is none. */
  sessionUntil: number | null;
  /** A demo without a PIN: open without a session. */
  openWithoutPin: boolean;
  /** The last refusal (code + main's Korean message) to explain on the lock screen. */
  error: AppError | null;
  /** Why the last re-lock happened, for one line on the idle screen. */
  relocked: 'session' | 'idle' | null;
  busy: boolean;
  lastInputAt: number;
}

export interface OperatorDeps {
  call<C extends Channel>(channel: C, request: Request<C>): Promise<Envelope<Response<C>>>;
  now(): number;
  /** Open one of the kiosk store's screens. */
  openKioskScreen(target: 'settings' | 'console'): void;
  /** Close every operator screen (back to the kiosk). */
  closeAll(): void;
  /** Any operator screen (the kiosk store's or ours) is up. */
  screenOpen(): boolean;
}

/** Where a status puts the gate: set a PIN first, enter one, or go straight in (session or demo without PIN). */
export function gateFor(status: OperatorStatusView): GateMode | 'open' {
  if (status.setupRequired) return 'setup';
  if (status.unlockedUntil !== null) return 'open';
  if (!status.pinSet) return 'open';
  return 'unlock';
}

/** Why the first PIN (entered twice) cannot be set yet, or null. */
export function setupProblem(pin: string, again: string): PinProblem | 'MISMATCH' | null {
  const problem = pinProblem(pin);
  if (problem) return problem;
  return pin === again ? null : 'MISMATCH';
}

/** Should an open operator session or screen lock again now, and why. */
export function relockReason(s: Pick<OperatorState, 'sessionUntil' | 'lastInputAt'>, now: number, screenTimeoutMs: number, screenOpen: boolean): 'session' | 'idle' | null {
  if (s.sessionUntil !== null && now >= s.sessionUntil) return 'session';
  if ((s.sessionUntil !== null || screenOpen) && now - s.lastInputAt >= screenTimeoutMs) return 'idle';
  return null;
}

export function createOperatorStore(deps: OperatorDeps) {
  const store = createStore<OperatorState>(() => ({
    status: null,
    gate: null,
    view: null,
    sessionUntil: null,
    openWithoutPin: false,
    error: null,
    relocked: null,
    busy: false,
    lastInputAt: deps.now(),
  }));

  const applyStatus = (status: OperatorStatusView) =>
    store.setState({
      status,
      sessionUntil: status.unlockedUntil,
      openWithoutPin: !status.pinSet && !status.setupRequired,
    });

  const refresh = async (): Promise<OperatorStatusView | null> => {
    const env = await deps.call('operator:status', {});
    if (!env.ok) {
      store.setState({ error: env.error });
      return null;
    }
    applyStatus(env.value);
    return env.value;
  };

  const enter = (target: OperatorTarget) => {
    store.setState({ gate: null, error: null, relocked: null, lastInputAt: deps.now() });
    if (target === 'settings' || target === 'console') {
      store.setState({ view: null });
      deps.openKioskScreen(target);
    } else {
      store.setState({ view: target });
    }
  };

  const lock = async (reason: 'session' | 'idle' | null = null) => {
    store.setState({ sessionUntil: null, view: null, gate: null, error: null, relocked: reason });
    deps.closeAll();
    const env = await deps.call('operator:lock', {});
    if (env.ok) applyStatus(env.value);
  };

  /** One unlock call with this PIN; the PIN goes no further than the call. */
  const unlockWith = async (pin: string, target: OperatorTarget): Promise<boolean> => {
    const env = await deps.call('operator:unlock', { pin });
    if (env.ok) {
      store.setState({ sessionUntil: env.value.unlockedUntil });
      void refresh();
      enter(target);
      return true;
    }
    store.setState({ error: env.error });
    await refresh(); // attempts left / lockout come from main
    return false;
  };

  /** The operator asked for a screen: straight in with a session, else the lock screen. */
  const request = async (target: OperatorTarget) => {
    store.setState({ relocked: null });
    const status = await refresh();
    if (!status) {
      store.setState({ gate: { target, mode: 'unlock' } });
      return;
    }
    const mode = gateFor(status);
    if (mode === 'open') enter(target);
    else store.setState({ gate: { target, mode }, error: null });
  };

  return {
    store,
    getState: store.getState,
    subscribe: store.subscribe,
    refresh,
    request,

    cancel() {
      store.setState({ gate: null, error: null });
    },

    /**
     * 공동인증서로 잠금 해제: main signs the login challenge and decides by role and institution.
     * Resolves to the refusal to show in the certificate dialog, or null when the session opened.
     */
    async unlockWithCertificate(loginId: string, certificateRef: string, password: string): Promise<AppError | null> {
      const gate = store.getState().gate;
      if (!gate || store.getState().busy) return null;
      store.setState({ busy: true });
      try {
        const env = await deps.call('operator:unlockWithCertificate', { loginId, certificateRef, password });
        if (env.ok) {
          store.setState({ sessionUntil: env.value.unlockedUntil });
          void refresh();
          enter(gate.target);
          return null;
        }
        store.setState({ error: env.error });
        await refresh(); // the shared limiter: attempts left / lockout come from main
        return env.error;
      } finally {
        store.setState({ busy: false });
      }
    },

    /** Bind the kiosk to the institution whose 시설관리자 may unlock by certificate (null: none); needs the current PIN. */
    async bindInstitution(institutionId: string | null, currentPin: string): Promise<AppError | null> {
      store.setState({ busy: true });
      try {
        const env = await deps.call('operator:bindInstitution', { institutionId, currentPin });
        if (!env.ok) {
          await refresh();
          return env.error;
        }
        applyStatus(env.value);
        return null;
      } finally {
        store.setState({ busy: false });
      }
    },

    async unlock(pin: string): Promise<boolean> {
      const gate = store.getState().gate;
      if (!gate || store.getState().busy) return false;
      store.setState({ busy: true });
      try {
        return await unlockWith(pin, gate.target);
      } finally {
        store.setState({ busy: false });
      }
    },

    /** The first PIN, entered twice; checked here with the shared rules, decided by main. */
    async setFirstPin(pin: string, again: string): Promise<PinProblem | 'MISMATCH' | 'REFUSED' | null> {
      const gate = store.getState().gate;
      const problem = setupProblem(pin, again);
      if (problem) return problem;
      store.setState({ busy: true });
      try {
        const env = await deps.call('operator:setPin', { pin });
        if (!env.ok) {
          store.setState({ error: env.error });
          return 'REFUSED';
        }
        applyStatus(env.value);
        await unlockWith(pin, gate?.target ?? 'settings');
        return null;
      } finally {
        store.setState({ busy: false });
      }
    },

    /** A PIN change inside a session: needs the current PIN; main ends the session, so we open a new one. */
    async changePin(current: string, next: string, again: string): Promise<PinProblem | 'MISMATCH' | 'REFUSED' | null> {
      const problem = setupProblem(next, again);
      if (problem) return problem;
      store.setState({ busy: true });
      try {
        const env = await deps.call('operator:setPin', { pin: next, currentPin: current });
        if (!env.ok) {
          store.setState({ error: env.error });
          await refresh();
          return 'REFUSED';
        }
        applyStatus(env.value);
        store.setState({ error: null });
        const reopened = await deps.call('operator:unlock', { pin: next });
        if (reopened.ok) store.setState({ sessionUntil: reopened.value.unlockedUntil, lastInputAt: deps.now() });
        return null;
      } finally {
        store.setState({ busy: false });
      }
    },

    /** Move between operator screens inside a session (no PIN asked again while it is open). */
    open(target: OperatorTarget) {
      const s = store.getState();
      if (s.sessionUntil === null && !s.openWithoutPin) {
        void request(target);
        return;
      }
      // Settings stay open under the console and our own screens, so closing those returns to them.
      enter(target);
    },

    closeView() {
      store.setState({ view: null });
    },

    clearRelocked() {
      store.setState({ relocked: null });
    },

    lock: () => lock(null),

    async leaveKiosk(): Promise<Envelope<Response<'kiosk:leave'>>> {
      const env = await deps.call('kiosk:leave', {});
      if (!env.ok) store.setState({ error: env.error });
      return env;
    },

    /** Input happened on an operator screen. */
    touch() {
      store.setState({ lastInputAt: deps.now() });
    },

    /** Called every second: locks again at the session end or after the screen timeout. */
    tick(screenTimeoutMs: number) {
      const reason = relockReason(store.getState(), deps.now(), screenTimeoutMs, deps.screenOpen() || store.getState().gate !== null);
      if (reason) void lock(reason);
    },
  };
}

export type OperatorStore = ReturnType<typeof createOperatorStore>;
