// Runs in Node (vitest). Who may open the operator lock with a 공동인증서: every role (and none)
// × the kiosk's own institution / another / an unbound kiosk × account state, as one table.
import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/accounts';
import type { AccountRole } from '../../shared/accounts';
import { CodedError } from '../../shared/envelope';
import { operatorAccess, OPERATOR_ACCESS_CODES } from './access';

const KIOSK = 'facility-example-jongno';
const where = { own: KIOSK, other: 'facility-example-songpa' } as const;
type Where = keyof typeof where | 'unbound';
type State = 'active' | 'pending' | 'disabled';

/** The rule written out independently of the code: what each case must give. */
function expected(roles: readonly AccountRole[], at: Where, state: State): string {
  if (state !== 'active') return 'OPERATOR_CERT_ACCOUNT_INACTIVE';
  if (roles.includes('system_admin')) return 'system_admin';
  if (!roles.includes('facility_manager')) return 'OPERATOR_CERT_ROLE';
  if (at === 'unbound') return 'OPERATOR_CERT_NO_INSTITUTION';
  return at === 'own' ? 'facility_manager' : 'OPERATOR_CERT_OTHER_FACILITY';
}

function decide(roles: readonly AccountRole[], at: Where, state: State): string {
  const account = { status: state, roles, institutionId: at === 'other' ? where.other : KIOSK };
  try {
    return operatorAccess(account, at === 'unbound' ? null : KIOSK);
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    expect((err as CodedError).message).toMatch(/[가-힣]/);
    return (err as CodedError).code;
  }
}

// Each single role, no role, and the combinations a real account holds.
const roleSets: AccountRole[][] = [[], ...ROLES.map((r) => [r]), ['facility_manager', 'clinic_security'], ['health_center_approver', 'epidemiologist'], ['facility_manager', 'system_admin']];
const cases = roleSets.flatMap((roles) =>
  (['own', 'other', 'unbound'] as const).flatMap((at) => (['active', 'pending', 'disabled'] as const).map((state) => ({ roles, at, state }))),
);

describe('operatorAccess', () => {
  it.each(cases)('$roles at $at kiosk, account $state', ({ roles, at, state }) => {
    expect(decide(roles, at, state)).toBe(expected(roles, at, state));
  });

  it('lets in exactly 시스템관리자 anywhere and 시설관리자 of the kiosk own institution, both active', () => {
    const allowed = cases.filter((c) => !OPERATOR_ACCESS_CODES.includes(decide(c.roles, c.at, c.state) as never));
    expect(allowed.every((c) => c.state === 'active')).toBe(true);
    expect(allowed.every((c) => c.roles.includes('system_admin') || (c.roles.includes('facility_manager') && c.at === 'own'))).toBe(true);
    expect(allowed.length).toBeGreaterThan(0);
  });

  it('compares institution ids exactly (no prefix or case games)', () => {
    const fm = (institutionId: string) => ({ status: 'active' as const, roles: ['facility_manager' as const], institutionId });
    expect(() => operatorAccess(fm('facility-example-jongno-2'), KIOSK)).toThrow(expect.objectContaining({ code: 'OPERATOR_CERT_OTHER_FACILITY' }));
    expect(() => operatorAccess(fm('FACILITY-EXAMPLE-JONGNO'), KIOSK)).toThrow(expect.objectContaining({ code: 'OPERATOR_CERT_OTHER_FACILITY' }));
    expect(() => operatorAccess(fm(''), KIOSK)).toThrow(expect.objectContaining({ code: 'OPERATOR_CERT_OTHER_FACILITY' }));
  });
});
