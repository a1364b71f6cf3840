// Runs in Node (main, dev host). 공동인증서로 잠금 해제: the operator's certificate signs the central
// API's login challenge (the accounts client does it exactly as accounts:login, without keeping a
// staff session), then operatorAccess decides on the answer. Refusals count in the PIN's limiter;
// an unreachable central API counts nothing and tells the operator to use the PIN instead.
import { CodedError } from '../../shared/envelope';
import type { SessionView } from '../accounts/client';
import { operatorAccess } from './access';
import type { OperatorRole } from './access';
import type { OperatorLock } from './pin';

/** The accounts client's one-shot login (src/core/accounts/client.ts checkLogin); zeroes the password. */
export type CheckLogin = (input: { loginId: string; certificateRef: string; password: Buffer }) => Promise<SessionView>;

/** Answers that say the central API could not be asked, not that the person was refused. */
const UNREACHABLE = new Set(['ACCOUNTS_NO_SERVER', 'ACCOUNTS_NETWORK', 'ACCOUNTS_BAD_RESPONSE', 'CRL_UNAVAILABLE']);
/** The accounts client attaches the HTTP status to a server's refusal: 5xx is server trouble, not the person. */
const unreachable = (err: CodedError) => {
  const status = (err as CodedError & { status?: unknown }).status;
  return UNREACHABLE.has(err.code) || (typeof status === 'number' && status >= 500);
};

export const offline = () =>
  new CodedError('OPERATOR_CERT_OFFLINE', '중앙 서버에 연결할 수 없어 인증서로 잠금을 해제할 수 없습니다. 관리자 PIN으로 잠금을 해제해 주세요.');

export interface CertificateUnlock {
  unlock(input: { loginId: string; certificateRef: string; password: Buffer }): Promise<{ unlockedUntil: number; role: OperatorRole }>;
}

export function createCertificateUnlock(deps: { lock: () => OperatorLock; checkLogin: CheckLogin }): CertificateUnlock {
  // One attempt at a time: parallel tries would all pass the lockout check before any counted.
  let busy = false;
  return {
    async unlock(input) {
      if (busy) {
        input.password.fill(0);
        throw new CodedError('OPERATOR_CERT_BUSY', '인증서 확인이 이미 진행 중입니다. 잠시 후 다시 시도해 주세요.');
      }
      busy = true;
      try {
        const lock = deps.lock();
        try {
          lock.assertMayTry();
        } catch (err) {
          input.password.fill(0);
          throw err;
        }
        let role: OperatorRole;
        let accountId: string;
        try {
          const session = await deps.checkLogin(input);
          role = operatorAccess({ status: session.user.status, institutionId: session.user.institutionId, roles: session.roles }, lock.status().institutionId);
          accountId = session.user.id;
        } catch (err) {
          const code = err instanceof CodedError ? err.code : 'OPERATOR_CERT_FAILED';
          if (err instanceof CodedError && unreachable(err)) throw offline();
          // Wrong password, unregistered / expired / revoked certificate, disabled account, wrong role:
          // all count like a wrong PIN, so the certificate is no way around the lockout.
          lock.countRefusal('unlockWithCertificate', code);
          if (err instanceof CodedError) throw err;
          throw new CodedError('OPERATOR_CERT_FAILED', '인증서로 잠금을 해제하지 못했습니다. 다시 시도하거나 관리자 PIN을 사용해 주세요.');
        }
        return { ...lock.openByCertificate({ role, accountId }), role };
      } finally {
        input.password.fill(0);
        busy = false;
      }
    },
  };
}
