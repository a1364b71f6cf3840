// Runs in the renderer. One operator store per kiosk store, made on first use, so the kiosk's
// root and the operator screens share it without a global or a change to the entry point.
import { useStore } from 'zustand';
import type { KioskStore } from '../store/kiosk';
import { useKiosk } from '../screens/context';
import type { OperatorState, OperatorStore } from './operatorStore';
import { createOperatorStore } from './operatorStore';

const stores = new WeakMap<KioskStore, OperatorStore>();

export function operatorFor(kiosk: KioskStore): OperatorStore {
  let op = stores.get(kiosk);
  if (!op) {
    op = createOperatorStore({
      call: kiosk.ask,
      now: () => Date.now(),
      openKioskScreen: (target) => (target === 'settings' ? kiosk.openSettings(true) : kiosk.openConsole(true)),
      closeAll: () => {
        kiosk.openConsole(false);
        kiosk.openSettings(false);
      },
      screenOpen: () => kiosk.getState().settingsOpen || kiosk.getState().consoleOpen,
    });
    stores.set(kiosk, op);
  }
  return op;
}

export function useOperator(): OperatorStore {
  return operatorFor(useKiosk().kiosk);
}

export function useOperatorState<T>(select: (s: OperatorState) => T): T {
  return useStore(useOperator().store, select);
}
