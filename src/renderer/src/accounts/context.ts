// Runs in the renderer. Hands the accounts screens the bridge to main, and one typed call that
// turns a thrown transport error into an envelope like any refusal.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { MunjigiBridge } from '../../../shared/bridge';
import type { Channel, EventPayload, Request, Response } from '../../../shared/contract';
import type { Envelope } from '../../../shared/envelope';
import { fail } from '../../../shared/envelope';

export const AccountsContext = createContext<MunjigiBridge | null>(null);

export type AccountsCall = <C extends Channel>(channel: C, request: Request<C>) => Promise<Envelope<Response<C>>>;

export function useAccountsCall(): AccountsCall {
  const bridge = useContext(AccountsContext);
  if (!bridge) throw new Error('AccountsContext is missing');
  return async (channel, request) => {
    try {
      return await bridge.invoke(channel, request);
    } catch {
      return fail('IPC_FAILED', '관리 프로그램에 요청하지 못했습니다.');
    }
  };
}

/** "message (CODE)": the Korean sentence for the person, the code for support. */
export const errorLine = (e: { code: string; message: string }) => `${e.message} (${e.code})`;

/** Follows main's staff session (refreshed, new roles, signed out by expiry or revocation). */
export function useAccountsSession(listener: (change: EventPayload<'accounts:session'>) => void): void {
  const bridge = useContext(AccountsContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    if (!bridge) return;
    return bridge.on('accounts:session', (change) => latest.current(change));
  }, [bridge]);
}
