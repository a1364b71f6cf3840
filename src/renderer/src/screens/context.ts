// Runs in the renderer. Hands the kiosk store and voice to the screens without globals, and a
// hook to read the store with React's external-store subscription.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Voice } from '../feedback/voice';
import type { KioskState, KioskStore } from '../store/kiosk';

export interface KioskContextValue {
  kiosk: KioskStore;
  voice: Voice | null;
}

export const KioskContext = createContext<KioskContextValue | null>(null);

export function useKiosk(): KioskContextValue {
  const value = useContext(KioskContext);
  if (!value) throw new Error('KioskContext is missing');
  return value;
}

export function useKioskState<T>(select: (s: KioskState) => T): T {
  return useStore(useKiosk().kiosk.store, select);
}
