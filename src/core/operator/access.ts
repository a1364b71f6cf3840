// Runs in Node (main, dev host). Who may operate THIS kiosk after a 공동인증서 login: the one
// decision the certificate unlock makes, on the session the central API answered. Deny by
// default: only an active account that is 시스템관리자, or 시설관리자 of the institution this kiosk
// is bound to (operator.json), opens the lock. Every other case is refused with its own code.
import type { AccountRole } from '../../shared/accounts';
import { CodedError } from '../../shared/envelope';

/** The roles that may open the operator lock of a kiosk (and under what condition, see operatorAccess). */
export const OPERATOR_ROLES = ['system_admin', 'facility_manager'] as const satisfies readonly AccountRole[];
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** What the decision needs of a signed-in account (from the central API's login answer). */
export interface OperatorCandidate {
  status: 'pending' | 'active' | 'disabled';
  institutionId: string;
  roles: readonly AccountRole[];
}

/** Refusal codes of the decision (stable; docs/error-codes.md). */
export const OPERATOR_ACCESS_CODES = ['OPERATOR_CERT_ACCOUNT_INACTIVE', 'OPERATOR_CERT_ROLE', 'OPERATOR_CERT_NO_INSTITUTION', 'OPERATOR_CERT_OTHER_FACILITY'] as const;

/**
 * The role by which `account` may operate a kiosk bound to `kioskInstitutionId` (null: not bound),
 * or a CodedError saying why not. 시스템관리자 first: it opens any kiosk, bound or not.
 */
export function operatorAccess(account: OperatorCandidate, kioskInstitutionId: string | null): OperatorRole {
  if (account.status === 'disabled') {
    throw new CodedError('OPERATOR_CERT_ACCOUNT_INACTIVE', '사용이 중지된 계정이라 키오스크 잠금을 해제할 수 없습니다. 승인기관에 문의해 주세요.');
  }
  if (account.status !== 'active') {
    throw new CodedError('OPERATOR_CERT_ACCOUNT_INACTIVE', '아직 승인되지 않은 계정이라 키오스크 잠금을 해제할 수 없습니다. 권한 승인 후 다시 시도해 주세요.');
  }
  if (account.roles.includes('system_admin')) return 'system_admin';
  if (!account.roles.includes('facility_manager')) {
    throw new CodedError('OPERATOR_CERT_ROLE', '이 계정에는 키오스크를 관리할 권한(시설관리자 또는 시스템관리자)이 없습니다. 관리자 PIN을 사용해 주세요.');
  }
  if (kioskInstitutionId === null) {
    throw new CodedError(
      'OPERATOR_CERT_NO_INSTITUTION',
      '이 키오스크의 운영 기관이 지정되지 않아 시설관리자 인증서로 열 수 없습니다. 관리자 PIN으로 잠금을 해제한 뒤 운영 기관을 지정해 주세요.',
    );
  }
  if (account.institutionId !== kioskInstitutionId) {
    throw new CodedError('OPERATOR_CERT_OTHER_FACILITY', '다른 기관의 시설관리자 계정입니다. 이 키오스크를 운영하는 기관의 시설관리자만 잠금을 해제할 수 있습니다.');
  }
  return 'facility_manager';
}
