// Runs in vitest (Node). The accounts contract: consent hashes, the permission table, field rules, the signed message.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CONSENT_VERSIONS,
  MENUS,
  ROLES,
  ROUTE_PERMISSIONS,
  allows,
  canonicalJson,
  decisionRequest,
  menusFor,
  mobilePhone,
  officePhone,
  loginId,
  signingMessage,
} from './accounts';

describe('accounts contract', () => {
  it('every consent version carries the SHA-256 of its text', () => {
    for (const c of CONSENT_VERSIONS) expect(createHash('sha256').update(c.text, 'utf8').digest('hex'), c.version).toBe(c.sha256);
  });

  it('menus follow the permission table; no roles → only 권한/부가정보', () => {
    expect(menusFor([])).toEqual(['myRoles']);
    expect(menusFor(['facility_manager'])).toEqual(['myRoles', 'kioskEnrollment', 'entryLog']);
    expect(menusFor(['epidemiologist'])).toContain('investigations');
    expect(menusFor(['epidemiologist'])).not.toContain('approvals');
    for (const r of ROLES) expect(menusFor([r]).every((m) => MENUS.includes(m))).toBe(true);
    expect(allows(['clinic_security'], 'investigation.query')).toBe(false);
    expect(ROUTE_PERMISSIONS['GET /v1/investigations/facility-visits']).toBe('investigation.query');
  });

  it('field rules accept the usual forms and refuse the rest', () => {
    expect(mobilePhone.safeParse('010-1234-5678').success).toBe(true);
    for (const bad of ['01012345678', '011-123-4567', '010-123-45678']) expect(mobilePhone.safeParse(bad).success, bad).toBe(false);
    for (const good of ['02-2133-7000', '031-123-4567', '064-710-2000', '070-1234-5678', '1588-1234']) expect(officePhone.safeParse(good).success, good).toBe(true);
    for (const bad of ['02-12-3456', '099-123-4567', '2133-7000', '010-1234-5678']) expect(officePhone.safeParse(bad).success, bad).toBe(false);
    expect(loginId.safeParse('hong.gd01').success).toBe(true);
    for (const bad of ['Hong01', '1hong01', 'hong', 'hong-gd01']) expect(loginId.safeParse(bad).success, bad).toBe(false);
  });

  it('a rejection needs a comment', () => {
    expect(decisionRequest.safeParse({ decision: 'reject', comment: '' }).success).toBe(false);
    expect(decisionRequest.safeParse({ decision: 'approve', comment: '' }).success).toBe(true);
  });

  it('the signed message is canonical: key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }] })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
    expect(signingMessage('login', 'aud', 'n', { z: 1, a: '홍' })).toBe('MUNJIGI-ACCOUNTS-1\nlogin\naud\nn\n{"a":"홍","z":1}');
  });
});
