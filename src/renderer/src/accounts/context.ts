// Runs in the renderer. Hands the accounts screens the bridge to main, and one typed call that
// turns a thrown transport error into an envelope like any refusal.
import { createContext, useContext } from 'react';
import type { MunjigiBridge } from '../../../shared/bridge';
import type { Channel, Request, Response } from '../../../shared/contract';
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
