// Runs everywhere (renderer, main, server). The accounts contract: roles, the ONE permission
// table (menus the renderer shows and what every server route allows), the consent text,
// the exact message a 공동인증서 signs, and the request/response schemas of every accounts route.
import { z } from 'zod';

// ───────────────────────────── roles ─────────────────────────────

export const ROLES = ['facility_manager', 'clinic_security', 'health_center_approver', 'epidemiologist', 'system_admin'] as const;
export type AccountRole = (typeof ROLES)[number];
export const accountRole = z.enum(ROLES);

export const ROLE_LABELS: Record<AccountRole, string> = {
  facility_manager: '시설관리자',
  clinic_security: '의료기관 보안담당자',
  health_center_approver: '보건소 승인자',
  epidemiologist: '역학조사관',
  system_admin: '시스템관리자',
};

/** Roles a person may ask for in the sign-up wizard or the 권한/부가정보 menu. system_admin is only made by `munjigi accounts bootstrap-admin`. */
export const REQUESTABLE_ROLES = ['facility_manager', 'clinic_security', 'health_center_approver', 'epidemiologist'] as const satisfies readonly AccountRole[];
export type RequestableRole = (typeof REQUESTABLE_ROLES)[number];
export const requestableRole = z.enum(REQUESTABLE_ROLES);

/**
 * Who decides a request for each role. 'health_center' = a health_center_approver of the
 * request's 승인기관 (never the requester); 'system_admin' = a system administrator (an approver
 * does not make other approvers).
 */
export const ROLE_DECIDED_BY: Record<RequestableRole, 'health_center' | 'system_admin'> = {
  facility_manager: 'health_center',
  clinic_security: 'health_center',
  epidemiologist: 'health_center',
  health_center_approver: 'system_admin',
};

// ───────────────────────────── permissions ─────────────────────────────

/** What a route or a menu needs. 'session' = any signed-in account (even with no roles yet). */
export const PERMISSIONS = [
  'session',
  'kiosk.enroll',
  'entrylog.read',
  'sitescan.manage',
  'roleRequest.decide',
  'investigation.query',
  'deletionReceipt.read',
  'system.admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** THE table: role → permissions. Deny by default: anything not listed is refused. */
export const ROLE_PERMISSIONS: Record<AccountRole, readonly Permission[]> = {
  facility_manager: ['session', 'kiosk.enroll', 'entrylog.read'],
  clinic_security: ['session', 'sitescan.manage'],
  health_center_approver: ['session', 'roleRequest.decide'],
  epidemiologist: ['session', 'investigation.query', 'deletionReceipt.read'],
  // 시스템관리자 also sees every institution's homepage-security sites (the routes check ownership).
  system_admin: ['session', 'system.admin', 'roleRequest.decide', 'sitescan.manage', 'deletionReceipt.read'],
};

export const MENUS = ['myRoles', 'kioskEnrollment', 'entryLog', 'homepageSecurity', 'approvals', 'investigations', 'administration'] as const;
export type MenuId = (typeof MENUS)[number];

/** Menus of the app: label and the permission that shows it. */
export const MENU_TABLE: Record<MenuId, { label: string; needs: Permission }> = {
  myRoles: { label: '권한/부가정보', needs: 'session' },
  kioskEnrollment: { label: '키오스크 등록', needs: 'kiosk.enroll' },
  entryLog: { label: '출입기록', needs: 'entrylog.read' },
  homepageSecurity: { label: '홈페이지 보안점검', needs: 'sitescan.manage' },
  approvals: { label: '권한 승인', needs: 'roleRequest.decide' },
  investigations: { label: '역학조사', needs: 'investigation.query' },
  administration: { label: '시스템 관리', needs: 'system.admin' },
};

/**
 * Server routes that need a person's session, "METHOD /path" (Fastify pattern) → permission.
 * Routes not listed here are public (challenge, sign-up, login, directory, consent) or kiosk-signed.
 */
export const ROUTE_PERMISSIONS = {
  'POST /v1/accounts/refresh': 'session',
  'GET /v1/accounts/me': 'session',
  'GET /v1/accounts/me/roles': 'session',
  'POST /v1/accounts/me/role-requests': 'session',
  'POST /v1/accounts/me/role-requests/:requestId/cancel': 'session',
  'GET /v1/approvals/role-requests': 'roleRequest.decide',
  'GET /v1/approvals/role-requests/:requestId': 'roleRequest.decide',
  'POST /v1/approvals/role-requests/:requestId/decision': 'roleRequest.decide',
  'POST /v1/approvals/users/:userId/rebind': 'roleRequest.decide',
  'GET /v1/approvals/users': 'roleRequest.decide',
  'GET /v1/system/institutions': 'system.admin',
  'POST /v1/system/institutions': 'system.admin',
  'POST /v1/system/institutions/:institutionId': 'system.admin',
  'POST /v1/system/institutions/:institutionId/deactivate': 'system.admin',
  'POST /v1/system/institutions/:institutionId/reactivate': 'system.admin',
  'GET /v1/system/institutions/:institutionId/events': 'system.admin',
  'POST /v1/system/users/:userId/roles/:role/revoke': 'system.admin',
  'GET /v1/sitescan/sites': 'sitescan.manage',
  'POST /v1/sitescan/sites': 'sitescan.manage',
  'GET /v1/sitescan/sites/:siteId': 'sitescan.manage',
  'POST /v1/sitescan/sites/:siteId/verify': 'sitescan.manage',
  'POST /v1/sitescan/sites/:siteId/resend-code': 'sitescan.manage',
  'POST /v1/sitescan/sites/:siteId/remediated': 'sitescan.manage',
  'GET /v1/sitescan/sites/:siteId/results/:resultId/evidence': 'sitescan.manage',
  'GET /v1/sitescan/sites/:siteId/results/:resultId/screenshot': 'sitescan.manage',
  'GET /v1/investigations/facility-visits': 'investigation.query',
  'GET /v1/investigations/subject-visits': 'investigation.query',
  // Kiosk deletion receipts: 역학조사관 and 시스템관리자 inspect that purges were lawful.
  'GET /v1/investigations/deletion-receipts': 'deletionReceipt.read',
} as const satisfies Record<string, Permission>;
export type AccountRoute = keyof typeof ROUTE_PERMISSIONS;

/** Permissions of a signed-in account; 'session' always (a person with no role yet still sees 권한/부가정보). */
export function permissionsOf(roles: readonly AccountRole[]): Set<Permission> {
  const out = new Set<Permission>(['session']);
  for (const r of roles) for (const p of ROLE_PERMISSIONS[r] ?? []) out.add(p);
  return out;
}
export const allows = (roles: readonly AccountRole[], needs: Permission): boolean => permissionsOf(roles).has(needs);
export const menusFor = (roles: readonly AccountRole[]): MenuId[] => MENUS.filter((m) => allows(roles, MENU_TABLE[m].needs));

// ───────────────────────────── consent ─────────────────────────────

export interface ConsentVersion {
  version: string;
  /** SHA-256 (lowercase hex) of the UTF-8 text; the server stores it with the agreement. */
  sha256: string;
  text: string;
}

const CONSENT_2026_1 = [
  '개인정보 수집·이용 동의 (문지기 사용자 가입)',
  '',
  '1. 수집 항목: 이름, 아이디, 소속 기관명, 부서, 휴대폰번호, 기관(부서) 전화번호, 공동인증서의 공개키 정보(일련번호, 발급기관, 유효기간, 공개키 해시).',
  '2. 수집·이용 목적: 사용자 본인 확인, 권한 신청과 승인, 접속 기록과 감사 기록의 관리.',
  '3. 보유·이용 기간: 회원 탈퇴 후 1년(감사 기록은 관계 법령이 정한 기간) 동안 보관한 뒤 파기합니다.',
  '4. 동의를 거부할 권리가 있으며, 거부하면 사용자 가입과 권한 신청을 할 수 없습니다.',
].join('\n');

/** Every consent text ever shown; the newest is CURRENT_CONSENT. A test checks each sha256. */
export const CONSENT_VERSIONS: readonly ConsentVersion[] = [
  { version: '2026-1', sha256: '4bb6d89e1ef9fad8cbea812f25b71df4a0e8127d5919e55ebd981922b747e13a', text: CONSENT_2026_1 },
];
export const CURRENT_CONSENT: ConsentVersion = CONSENT_VERSIONS[CONSENT_VERSIONS.length - 1]!;

// ───────────────────────────── what the certificate signs ─────────────────────────────

export const SIGNING_PURPOSES = ['login', 'signup', 'role-request', 'rebind'] as const;
export type SigningPurpose = (typeof SIGNING_PURPOSES)[number];

/** The single-use nonce lives 2 minutes. */
export const NONCE_TTL_MS = 2 * 60 * 1000;
/** Session tokens live 15 minutes; refresh before then. */
export const SESSION_TTL_MS = 15 * 60 * 1000;
/** Pending role requests expire after 30 days. */
export const ROLE_REQUEST_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** JSON with object keys sorted at every level and no spaces: the same bytes on every side. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The exact text a 공동인증서 key signs (UTF-8 bytes, RSA PKCS#1 v1.5 with SHA-256):
 *   MUNJIGI-ACCOUNTS-1 \n purpose \n audience \n nonce \n canonicalJson(payload)
 * `audience` and `nonce` come from POST /v1/accounts/challenge. The payload is what the
 * request asserts (see signedPayload*), so a signature cannot be moved to another request.
 */
export function signingMessage(purpose: SigningPurpose, audience: string, nonce: string, payload: unknown): string {
  return `MUNJIGI-ACCOUNTS-1\n${purpose}\n${audience}\n${nonce}\n${canonicalJson(payload)}`;
}

// ───────────────────────────── field rules ─────────────────────────────

/** 아이디: 6–20, starts with a lowercase letter, then lowercase letters, digits, '_' or '.'. */
export const LOGIN_ID_RE = /^[a-z][a-z0-9_.]{5,19}$/;
/** 휴대폰번호: 010-XXXX-XXXX. */
export const MOBILE_RE = /^010-\d{4}-\d{4}$/;
/** Korean area codes (지역번호) and 070 for internet phones. */
export const AREA_CODES = ['02', '031', '032', '033', '041', '042', '043', '044', '051', '052', '053', '054', '055', '061', '062', '063', '064', '070'] as const;
/** 기관(부서) 전화번호: area code, 3–4 digits, 4 digits (02-2133-7000, 031-123-4567), or a 15XX/16XX/18XX-XXXX 대표번호. */
export const OFFICE_PHONE_RE = new RegExp(`^(?:(?:${AREA_CODES.join('|')})-\\d{3,4}-\\d{4}|1[568]\\d{2}-\\d{4})$`);
/** 이름: 2–20 Hangul or Latin letters (spaces allowed inside). */
export const PERSON_NAME_RE = /^[가-힣A-Za-z][가-힣A-Za-z ]{0,18}[가-힣A-Za-z]$/;

const ko = (message: string) => ({ message });
export const loginId = z.string().regex(LOGIN_ID_RE, ko('아이디는 영문 소문자로 시작하는 6~20자(영문 소문자, 숫자, _ .)여야 합니다.'));
export const mobilePhone = z.string().regex(MOBILE_RE, ko('휴대폰번호는 010-0000-0000 형식으로 입력해 주세요.'));
export const officePhone = z.string().regex(OFFICE_PHONE_RE, ko('기관 전화번호는 지역번호를 포함해 02-0000-0000 형식으로 입력해 주세요.'));
export const personName = z.string().regex(PERSON_NAME_RE, ko('이름은 2~20자의 한글 또는 영문으로 입력해 주세요.'));
export const institutionId = z.string().regex(/^[a-z0-9-]{3,64}$/, ko('기관을 목록에서 선택해 주세요.'));
const base64 = (max: number) => z.string().min(4).max(max).regex(/^[A-Za-z0-9+/]+={0,2}$/, ko('base64 형식이 아닙니다.'));
/** DER certificate, base64 (NPKI signCert.der is ~1.5 KiB; 16 KiB is generous). */
export const certificateB64 = base64(16 * 1024);
/** RSA signature, base64 (up to 4096-bit keys). */
export const signatureB64 = base64(1024);
export const nonceString = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

// ───────────────────────────── directory ─────────────────────────────

export const INSTITUTION_KINDS = ['health_center', 'clinic', 'facility'] as const;
export const institutionKind = z.enum(INSTITUTION_KINDS);
export const INSTITUTION_KIND_LABELS: Record<(typeof INSTITUTION_KINDS)[number], string> = {
  health_center: '보건소',
  clinic: '의료기관',
  facility: '다중이용시설',
};

export const institution = z.object({
  id: institutionId,
  name: z.string(),
  kind: institutionKind,
  /** 시도, e.g. 서울특별시. */
  sido: z.string(),
  /** 시군구, e.g. 강남구. */
  sigungu: z.string(),
  /** 대표번호, or null when the directory does not know it yet. */
  phone: z.string().nullable(),
  /** The jurisdictional 보건소 (for a 보건소: itself). */
  healthCenterId: institutionId,
});
export type Institution = z.infer<typeof institution>;

/** The 17 시도 (광역자치단체) an institution's jurisdiction may name. */
export const SIDO = [
  '서울특별시', '부산광역시', '대구광역시', '인천광역시', '광주광역시', '대전광역시', '울산광역시', '세종특별자치시', '경기도',
  '강원특별자치도', '충청북도', '충청남도', '전북특별자치도', '전라남도', '경상북도', '경상남도', '제주특별자치도',
] as const;

const institutionName = z.string().trim().min(2, ko('기관명은 2~60자로 입력해 주세요.')).max(60, ko('기관명은 2~60자로 입력해 주세요.')).refine((v) => !/[<>]/.test(v) && [...v].every((c) => c >= ' '), ko('기관명에 쓸 수 없는 문자가 있습니다.'));
const sidoName = z.enum(SIDO, ko('시도는 서울특별시, 경기도처럼 17개 시도 중 하나여야 합니다.'));
/** 시군구: 강남구, 수원시 영통구, 양평군 (세종특별자치시 itself for 세종). */
const sigunguName = z.string().trim().regex(/^[가-힣]{1,10}(?:[시군구])(?: [가-힣]{1,10}구)?$|^세종특별자치시$/, ko('시군구는 강남구, 수원시 영통구, 양평군처럼 입력해 주세요.'));
const reasonText = z.string().trim().min(1, ko('사유를 입력해 주세요.')).max(500, ko('사유는 500자 이내로 입력해 주세요.'));

/** POST /v1/system/institutions: a new institution (a 보건소 is its own jurisdiction). */
export const institutionCreate = z
  .object({
    id: institutionId,
    name: institutionName,
    kind: institutionKind,
    sido: sidoName,
    sigungu: sigunguName,
    phone: officePhone.nullable().optional(),
    /** The jurisdictional 보건소; omitted for a 보건소 (itself). */
    healthCenterId: institutionId.optional(),
  })
  .strict();
/** POST /v1/system/institutions/:institutionId: the fields to change (the kind never changes: roles depend on it). */
export const institutionUpdate = z
  .object({ name: institutionName, sido: sidoName, sigungu: sigunguName, phone: officePhone.nullable(), healthCenterId: institutionId, reason: reasonText })
  .partial()
  .strict()
  .refine((u) => Object.keys(u).some((k) => k !== 'reason'), { message: '바꿀 항목을 하나 이상 지정해 주세요.' });
/** …/deactivate and …/reactivate */
export const institutionStatusChange = z.object({ reason: reasonText }).strict();
export const adminInstitutionQuery = z
  .object({ q: z.string().max(50).optional(), kind: institutionKind.optional(), includeInactive: z.enum(['true', 'false']).optional() })
  .strict();
export const adminInstitution = institution.extend({
  active: z.boolean(),
  /** Accounts that belong to it (it is never deleted: deactivated instead). */
  users: z.number().int().nonnegative(),
  updatedAt: z.number().int().nullable(),
});
export const adminInstitutionList = z.object({ institutions: z.array(adminInstitution) });
export const institutionEvent = z.object({
  at: z.number().int(),
  actorId: z.string(),
  actorName: z.string(),
  action: z.enum(['create', 'update', 'deactivate', 'reactivate']),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().nullable(),
});
export const institutionEvents = z.object({ events: z.array(institutionEvent) });
/** POST /v1/system/users/:userId/roles/:role/revoke */
export const roleRevoke = z.object({ reason: reasonText }).strict();
export const roleRevoked = z.object({ userId: uuid, role: accountRole, roles: z.array(accountRole) });

/** GET /v1/accounts/institutions?q=&kind= */
export const institutionQuery = z.object({ q: z.string().max(50).optional(), kind: institutionKind.optional() }).strict();
export const institutionList = z.object({ institutions: z.array(institution) });

// ───────────────────────────── routes: requests and responses ─────────────────────────────

/** GET /v1/accounts/consent → the current text (the wizard's step 1). */
export const consentResponse = z.object({ version: z.string(), sha256: z.string(), text: z.string() });

/** POST /v1/accounts/challenge */
export const challengeRequest = z.object({ purpose: z.enum(SIGNING_PURPOSES) }).strict();
export const challengeResponse = z.object({ nonce: nonceString, audience: z.string(), expiresAt: z.number().int() });
export type ChallengeResponse = z.infer<typeof challengeResponse>;

export const consentAgreement = z
  .object({
    version: z.string().min(1).max(32),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** When the person ticked 동의 (ms); the server also stores when it received it. */
    agreedAt: z.number().int().nonnegative(),
  })
  .strict();

export const signupUser = z
  .object({
    name: personName,
    loginId,
    institutionId,
    department: z.string().trim().min(1).max(50).optional(),
    mobile: mobilePhone,
    officePhone,
  })
  .strict();
export type SignupUser = z.infer<typeof signupUser>;

/** What a sign-up signature covers (payload of signingMessage('signup', …)). */
export interface SignupSignedPayload {
  consent: z.infer<typeof consentAgreement>;
  user: SignupUser;
  roles: RequestableRole[];
  /** As sent (null when omitted: the server then uses the jurisdictional 보건소). */
  approverId: string | null;
  spkiSha256: string;
}

/** POST /v1/accounts/signup */
export const signupRequest = z
  .object({
    consent: consentAgreement,
    certificate: certificateB64,
    user: signupUser,
    roles: z.array(requestableRole).min(1).max(REQUESTABLE_ROLES.length),
    /** 승인기관: a 보건소 id; omitted = the institution's jurisdictional 보건소. */
    approverId: institutionId.optional(),
    nonce: nonceString,
    signature: signatureB64,
  })
  .strict();
export type SignupRequest = z.infer<typeof signupRequest>;

export const roleStatus = z.enum(['available', 'pending', 'held']);
export const roleRequestState = z.enum(['pending', 'approved', 'rejected', 'cancelled', 'expired']);

export const roleRequestView = z.object({
  id: uuid,
  role: accountRole,
  roleLabel: z.string(),
  state: roleRequestState,
  approverId: institutionId,
  approverName: z.string(),
  approverPhone: z.string().nullable(),
  requestedAt: z.number().int(),
  expiresAt: z.number().int(),
  decidedAt: z.number().int().nullable(),
  comment: z.string().nullable(),
});
export type RoleRequestView = z.infer<typeof roleRequestView>;

export const signupResponse = z.object({
  userId: uuid,
  status: z.literal('pending'),
  requests: z.array(roleRequestView),
  /** Whom to call about the approval (the 가입신청 완료 step). */
  approver: z.object({ id: institutionId, name: z.string(), phone: z.string().nullable() }),
});

/** POST /v1/accounts/login — payload of signingMessage('login', …) is { loginId, spkiSha256 }. */
export const loginRequest = z.object({ loginId, certificate: certificateB64, nonce: nonceString, signature: signatureB64 }).strict();

export const accountUser = z.object({
  id: uuid,
  loginId: z.string(),
  name: z.string(),
  institutionId: institutionId,
  institutionName: z.string(),
  status: z.enum(['pending', 'active', 'disabled']),
});

export const sessionResponse = z.object({
  /** Bearer token "mjs_…"; send as Authorization: Bearer. */
  token: z.string(),
  expiresAt: z.number().int(),
  user: accountUser,
  roles: z.array(accountRole),
  menus: z.array(z.enum(MENUS)),
});
export type SessionResponse = z.infer<typeof sessionResponse>;

/** GET /v1/accounts/me/roles: every role, as the 권한/부가정보 menu filters it. */
export const myRolesResponse = z.object({
  roles: z.array(
    z.object({
      role: accountRole,
      label: z.string(),
      status: roleStatus,
      requestable: z.boolean(),
      /** For 'pending': the open request. */
      request: roleRequestView.nullable(),
    }),
  ),
  history: z.array(roleRequestView),
});

/** POST /v1/accounts/me/role-requests — payload of signingMessage('role-request', …) is { roles, approverId (null when omitted), userId }. */
export const roleRequestCreate = z
  .object({
    roles: z.array(requestableRole).min(1).max(REQUESTABLE_ROLES.length),
    approverId: institutionId.optional(),
    nonce: nonceString,
    signature: signatureB64,
  })
  .strict();
export const roleRequestCreated = z.object({ requests: z.array(roleRequestView) });

/** GET /v1/approvals/role-requests?state=pending */
export const approvalQuery = z.object({ state: roleRequestState.optional() }).strict();
export const approvalItem = roleRequestView.extend({
  requester: z.object({
    id: uuid,
    name: z.string(),
    loginId: z.string(),
    institutionName: z.string(),
    department: z.string().nullable(),
    mobile: z.string(),
    officePhone: z.string(),
    certificateSubject: z.string(),
  }),
});
export const approvalList = z.object({ requests: z.array(approvalItem) });

export const auditEvent = z.object({
  at: z.number().int(),
  actorId: z.string(),
  actorName: z.string(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  comment: z.string().nullable(),
});
export const approvalDetail = z.object({ request: approvalItem, audit: z.array(auditEvent) });

/** POST /v1/approvals/role-requests/:requestId/decision */
export const decisionRequest = z
  .object({ decision: z.enum(['approve', 'reject']), comment: z.string().trim().max(500) })
  .strict()
  .refine((d) => d.decision === 'approve' || d.comment.length > 0, { message: '반려할 때는 사유를 입력해 주세요.', path: ['comment'] });
export const decisionResponse = z.object({ request: roleRequestView });

/**
 * POST /v1/accounts/rebind — a renewed certificate, signed by the OLD key and the NEW key over
 * the same message; payload of signingMessage('rebind', …) is { loginId, oldSpkiSha256, newSpkiSha256 }.
 */
export const rebindRequest = z
  .object({
    loginId,
    oldCertificate: certificateB64,
    newCertificate: certificateB64,
    nonce: nonceString,
    oldSignature: signatureB64,
    newSignature: signatureB64,
  })
  .strict();
/** POST /v1/approvals/users/:userId/rebind — an approver re-binds after checking the person (lost old key). */
export const approverRebindRequest = z.object({ newCertificate: certificateB64, comment: z.string().trim().min(1).max(500) }).strict();
export const rebindResponse = z.object({ userId: uuid, spkiSha256: z.string() });
/** GET /v1/approvals/users?q= — people of the approver's 보건소 by 아이디 or 이름 (2+ characters). */
export const approverUserQuery = z.object({ q: z.string().trim().min(2, ko('아이디나 이름을 두 글자 이상 입력해 주세요.')).max(50) }).strict();
export const approverUserList = z.object({
  users: z.array(
    z.object({
      id: uuid,
      loginId: z.string(),
      name: z.string(),
      institutionName: z.string(),
      status: z.enum(['pending', 'active', 'disabled']),
      certificateSubject: z.string(),
      certificateNotAfter: z.number().int(),
    }),
  ),
});

/** Error codes the accounts routes return (besides VALIDATION_FAILED / UNAUTHENTICATED / FORBIDDEN). */
export const ACCOUNT_ERROR_CODES = [
  'CONSENT_OUTDATED',
  'CERT_INVALID',
  'CERT_CORPORATE',
  'CERT_POLICY_NOT_ALLOWED',
  'CERT_UNTRUSTED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_KEY_USAGE',
  'CERT_REVOKED',
  'CRL_UNAVAILABLE',
  'CERT_NOT_REGISTERED',
  'CERT_IN_USE',
  'NAME_MISMATCH',
  'LOGIN_ID_TAKEN',
  'INSTITUTION_UNKNOWN',
  'APPROVER_INVALID',
  'NONCE_INVALID',
  'SIGNATURE_INVALID',
  'ACCOUNT_DISABLED',
  'ROLE_ALREADY_HELD',
  'ROLE_REQUEST_PENDING',
  'ROLE_REQUEST_NOT_FOUND',
  'ROLE_REQUEST_NOT_PENDING',
  'SELF_APPROVAL',
  'NOT_YOUR_HEALTH_CENTER',
  'SESSION_EXPIRED',
  'INSTITUTION_EXISTS',
  'INSTITUTION_INACTIVE',
  'INSTITUTION_IN_USE',
  'INSTITUTION_ACTIVE',
  'HEALTH_CENTER_INVALID',
  'ROLE_NOT_HELD',
  'SELF_CHANGE',
] as const;
export type AccountErrorCode = (typeof ACCOUNT_ERROR_CODES)[number];
