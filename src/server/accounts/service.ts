// Runs in the central API (Node). Staff accounts: sign-up with a personal 공동인증서 (proof of
// possession over a single-use nonce), certificate login into short sessions, role requests,
// approval by the 승인기관 (보건소) with an audit trail, expiry after 30 days, and re-binding a
// renewed certificate. Every check that refuses says why (code + Korean sentence).
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import type { NpkiCertificate } from '../../core/npki';
import type { AccountRole, RequestableRole, RoleRequestView, SigningPurpose } from '../../shared/accounts';
import {
  CONSENT_VERSIONS,
  CURRENT_CONSENT,
  NONCE_TTL_MS,
  REQUESTABLE_ROLES,
  ROLES,
  ROLE_DECIDED_BY,
  ROLE_LABELS,
  ROLE_REQUEST_TTL_MS,
  menusFor,
  signingMessage,
} from '../../shared/accounts';
import type { z } from 'zod';
import type { loginRequest, rebindRequest, roleRequestCreate, signupRequest, approverRebindRequest } from '../../shared/accounts';
import type { ServerSchema } from '../db/schema';
import { ApiError } from '../errors';
import type { DirectoryTables } from '../directory/migration';
import { createDirectoryAdmin, likePattern } from '../directory/admin';
import type { CertificateChecker } from './certificates';
import { certErrors, verifyCertificateSignature } from './certificates';
import type { SessionKeys } from './sessions';

type Db = Kysely<ServerSchema>;
type Tx = Transaction<ServerSchema>;

export const accountErrors = {
  consentOutdated: () => new ApiError(400, 'CONSENT_OUTDATED', '동의한 개인정보 수집·이용 안내문이 최신 버전이 아닙니다. 안내문을 다시 읽고 동의해 주세요.'),
  nameMismatch: () => new ApiError(400, 'NAME_MISMATCH', '입력한 이름이 인증서의 이름과 다릅니다. 인증서에 등록된 이름을 그대로 입력해 주세요.'),
  loginIdTaken: () => new ApiError(409, 'LOGIN_ID_TAKEN', '이미 사용 중인 아이디입니다. 다른 아이디를 입력해 주세요.'),
  certInUse: () => new ApiError(409, 'CERT_IN_USE', '이미 다른 계정에 등록된 인증서입니다. 기존 계정으로 로그인해 주세요.'),
  institutionUnknown: () => new ApiError(400, 'INSTITUTION_UNKNOWN', '기관 목록에 없는 기관입니다. 목록에서 기관을 선택해 주세요.'),
  approverInvalid: (why: string) => new ApiError(400, 'APPROVER_INVALID', `승인기관을 선택할 수 없습니다: ${why}`),
  nonceInvalid: () => new ApiError(401, 'NONCE_INVALID', '인증 요청이 만료되었거나 이미 사용되었습니다. 처음부터 다시 시도해 주세요.'),
  notRegistered: () => new ApiError(401, 'CERT_NOT_REGISTERED', '이 아이디에 등록된 인증서가 아닙니다. 인증서를 갱신했다면 인증서 재등록을 해 주세요.'),
  disabled: () => new ApiError(403, 'ACCOUNT_DISABLED', '사용이 중지된 계정입니다. 승인기관에 문의해 주세요.'),
  roleHeld: () => new ApiError(409, 'ROLE_ALREADY_HELD', '이미 보유한 권한입니다.'),
  rolePending: () => new ApiError(409, 'ROLE_REQUEST_PENDING', '이미 신청 중인 권한입니다. 승인 결과를 기다리거나 신청을 취소해 주세요.'),
  roleNotFit: (why: string) => new ApiError(400, 'ROLE_NOT_AVAILABLE', `신청할 수 없는 권한입니다: ${why}`),
  requestNotFound: () => new ApiError(404, 'ROLE_REQUEST_NOT_FOUND', '권한 신청을 찾을 수 없습니다.'),
  requestNotPending: () => new ApiError(409, 'ROLE_REQUEST_NOT_PENDING', '이미 처리되었거나 취소·만료된 신청입니다.'),
  selfApproval: () => new ApiError(403, 'SELF_APPROVAL', '본인의 권한 신청은 승인하거나 반려할 수 없습니다.'),
  notYours: () => new ApiError(403, 'NOT_YOUR_HEALTH_CENTER', '소속 보건소가 승인기관인 신청만 처리할 수 있습니다.'),
  userNotFound: () => new ApiError(404, 'USER_NOT_FOUND', '사용자를 찾을 수 없습니다.'),
  institutionInactive: () => new ApiError(400, 'INSTITUTION_INACTIVE', '사용이 중지된 기관입니다. 기관 목록에서 다른 기관을 선택하거나 시스템관리자에게 문의해 주세요.'),
  roleNotHeld: () => new ApiError(404, 'ROLE_NOT_HELD', '이 사용자가 보유하지 않은 권한입니다.'),
  selfChange: () => new ApiError(403, 'SELF_CHANGE', '본인의 권한은 직접 회수할 수 없습니다. 다른 시스템관리자에게 요청해 주세요.'),
  tooManyChallenges: () => new ApiError(429, 'TOO_MANY_CHALLENGES', '인증 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.'),
};

/** A signed-in person acting through a session. */
export interface Actor {
  userId: string;
  name: string;
  roles: AccountRole[];
}

export interface AccountsServiceOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  checker: CertificateChecker;
  sessions: SessionKeys;
  /** What the client puts in the signed message as audience; e.g. the API's public origin. */
  audience: string;
  /** Unexpired nonces allowed at once (default 20,000: ~170 logins a second for 2 minutes). */
  maxOpenNonces?: number;
}

const b64 = (s: string) => Buffer.from(s, 'base64');

/** Which institutions may hold which role. */
const ROLE_FITS: Record<RequestableRole, readonly string[]> = {
  facility_manager: ['facility', 'clinic'],
  clinic_security: ['clinic'],
  health_center_approver: ['health_center'],
  epidemiologist: ['health_center'],
};

export function createAccountsService(opts: AccountsServiceOptions) {
  const { db, clock, logger, checker, sessions, audience } = opts;
  const maxOpenNonces = opts.maxOpenNonces ?? 20_000;

  async function claimNonce(trx: Db | Tx, nonce: string, purpose: SigningPurpose) {
    const res = await trx
      .updateTable('account_nonces')
      .set({ used_at: clock() })
      .where('nonce', '=', nonce)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>=', clock())
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw accountErrors.nonceInvalid();
  }

  const ddb = db.withTables<DirectoryTables>();
  async function institution(id: string) {
    return ddb.selectFrom('institutions').selectAll().where('id', '=', id).executeTakeFirst();
  }
  /** An institution a new account or request may name: known and not deactivated. */
  async function activeInstitution(id: string) {
    const inst = await institution(id);
    if (!inst) throw accountErrors.institutionUnknown();
    if (Number(inst.active) !== 1) throw accountErrors.institutionInactive();
    return inst;
  }

  async function resolveApprover(inst: { health_center_id: string }, approverId: string | undefined) {
    const id = approverId ?? inst.health_center_id;
    const approver = await institution(id);
    if (!approver) throw accountErrors.approverInvalid('기관 목록에 없는 승인기관입니다.');
    if (approver.kind !== 'health_center') throw accountErrors.approverInvalid('승인기관은 보건소여야 합니다.');
    if (Number(approver.active) !== 1) throw accountErrors.approverInvalid('사용이 중지된 보건소입니다.');
    return approver;
  }

  function checkRolesFit(roles: readonly RequestableRole[], kind: string) {
    if (new Set(roles).size !== roles.length) throw accountErrors.roleNotFit('같은 권한을 두 번 신청했습니다.');
    for (const r of roles) {
      if (!ROLE_FITS[r].includes(kind)) throw accountErrors.roleNotFit(`${ROLE_LABELS[r]} 권한은 소속 기관의 종류에 맞지 않습니다.`);
    }
  }

  const event = (trx: Db | Tx, e: AuditInput) => recordEvent(trx, clock, e);

  async function openRequests(trx: Tx, userId: string, roles: readonly RequestableRole[], approverId: string, actorName: string, evidence: { message: string; signature: string }) {
    const held = await trx.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    const pending = await trx.selectFrom('role_requests').select('role').where('user_id', '=', userId).where('state', '=', 'pending').execute();
    const ids: string[] = [];
    for (const role of roles) {
      if (held.some((h) => h.role === role)) throw accountErrors.roleHeld();
      if (pending.some((p) => p.role === role)) throw accountErrors.rolePending();
      const id = randomUUID();
      const now = clock();
      await trx
        .insertInto('role_requests')
        .values({ id, user_id: userId, role, approver_id: approverId, state: 'pending', requested_at: now, expires_at: now + ROLE_REQUEST_TTL_MS, decided_at: null, decided_by: null, comment: null, signed_message: evidence.message, signature: evidence.signature })
        .execute();
      await event(trx, { requestId: id, actorId: userId, actorName, action: 'request', from: null, to: 'pending' });
      ids.push(id);
    }
    return ids;
  }

  async function views(where: { userId?: string; ids?: string[] }): Promise<RoleRequestView[]> {
    let q = db
      .selectFrom('role_requests as r')
      .innerJoin('institutions as i', 'i.id', 'r.approver_id')
      .select(['r.id', 'r.role', 'r.state', 'r.approver_id', 'i.name as approver_name', 'i.phone as approver_phone', 'r.requested_at', 'r.expires_at', 'r.decided_at', 'r.comment'])
      .orderBy('r.requested_at', 'desc')
      .orderBy('r.id');
    if (where.userId) q = q.where('r.user_id', '=', where.userId);
    if (where.ids) {
      if (where.ids.length === 0) return [];
      q = q.where('r.id', 'in', where.ids);
    }
    const rows = await q.execute();
    return rows.map(toView);
  }

  async function rolesOf(userId: string): Promise<AccountRole[]> {
    const rows = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
    return ROLES.filter((r) => rows.some((x) => x.role === r));
  }

  async function session(user: { id: string; login_id: string; name: string; institution_id: string; status: 'pending' | 'active' | 'disabled' }) {
    const roles = await rolesOf(user.id);
    const inst = await institution(user.institution_id);
    const { token, expiresAt } = sessions.issue({ sub: user.id, name: `${user.name}(${user.login_id})`, roles });
    return {
      token,
      expiresAt,
      user: { id: user.id, loginId: user.login_id, name: user.name, institutionId: user.institution_id, institutionName: inst?.name ?? '', status: user.status },
      roles,
      menus: menusFor(roles),
    };
  }

  /** The certificate checks of sign-up and login: corporate first (its reason), then the rest. */
  async function presented(certB64: string): Promise<NpkiCertificate> {
    const parsed = checker.parse(b64(certB64));
    if (parsed.kind === 'corporate') throw certErrors.corporate();
    return checker.check(b64(certB64));
  }

  return {
    consent: () => CURRENT_CONSENT,

    /** Institution administration (시스템관리자): src/server/directory/admin.ts. */
    directory: createDirectoryAdmin({ db, clock, logger }),

    async institutions(q: { q?: string; kind?: 'health_center' | 'clinic' | 'facility' }) {
      // Deactivated institutions are not offered for new sign-ups or requests.
      let sel = ddb.selectFrom('institutions').selectAll().where('active', '=', 1).orderBy('kind').orderBy('name').limit(200);
      if (q.kind) sel = sel.where('kind', '=', q.kind);
      const needle = q.q?.trim();
      if (needle) {
        // LIKE with its wildcards escaped: a typed % or _ matches itself on both engines.
        const pattern = likePattern(needle);
        sel = sel.where((eb) => eb.or([sql<boolean>`${eb.ref('name')} LIKE ${pattern} ESCAPE '\\'`, sql<boolean>`${eb.ref('sigungu')} LIKE ${pattern} ESCAPE '\\'`]));
      }
      const rows = await sel.execute();
      return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, sido: r.sido, sigungu: r.sigungu, phone: r.phone, healthCenterId: r.health_center_id }));
    },

    async challenge(purpose: SigningPurpose) {
      const nonce = randomBytes(32).toString('base64url');
      const expiresAt = clock() + NONCE_TTL_MS;
      await db.deleteFrom('account_nonces').where('expires_at', '<', clock() - NONCE_TTL_MS).execute();
      // The route is public: bound the outstanding nonces so a flood cannot grow the table without end.
      const open = await db.selectFrom('account_nonces').select((eb) => eb.fn.countAll().as('n')).where('expires_at', '>=', clock()).executeTakeFirstOrThrow();
      if (Number(open.n) >= maxOpenNonces) throw accountErrors.tooManyChallenges();
      await db.insertInto('account_nonces').values({ nonce, purpose, expires_at: expiresAt, used_at: null }).execute();
      return { nonce, audience, expiresAt };
    },

    async signup(req: z.infer<typeof signupRequest>) {
      const consent = CONSENT_VERSIONS.find((c) => c.version === req.consent.version);
      if (!consent || consent.version !== CURRENT_CONSENT.version || consent.sha256 !== req.consent.sha256) throw accountErrors.consentOutdated();
      const cert = await presented(req.certificate);
      if (cert.holderName.normalize('NFC') !== req.user.name.normalize('NFC')) throw accountErrors.nameMismatch();
      const inst = await activeInstitution(req.user.institutionId);
      const approver = await resolveApprover(inst, req.approverId);
      checkRolesFit(req.roles, inst.kind);
      if (await db.selectFrom('users').select('id').where('login_id', '=', req.user.loginId).executeTakeFirst()) throw accountErrors.loginIdTaken();
      if (await db.selectFrom('users').select('id').where('cert_spki_sha256', '=', cert.spkiSha256).executeTakeFirst()) throw accountErrors.certInUse();
      const message = signingMessage('signup', audience, req.nonce, {
        consent: req.consent,
        user: req.user,
        roles: req.roles,
        approverId: req.approverId ?? null,
        spkiSha256: cert.spkiSha256,
      });
      await claimNonce(db, req.nonce, 'signup');
      if (!verifyCertificateSignature(cert, message, req.signature)) throw certErrors.badSignature();
      const userId = randomUUID();
      const now = clock();
      let ids: string[] = [];
      try {
        ids = await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('users')
            .values({
              id: userId,
              login_id: req.user.loginId,
              name: req.user.name,
              institution_id: inst.id,
              department: req.user.department ?? null,
              mobile: req.user.mobile,
              office_phone: req.user.officePhone,
              status: 'pending',
              cert_spki_sha256: cert.spkiSha256,
              cert_der: req.certificate,
              cert_subject: cert.subject.text,
              cert_serial: cert.serial,
              cert_not_after: cert.notAfter.getTime(),
              consent_version: consent.version,
              consent_sha256: consent.sha256,
              consent_agreed_at: req.consent.agreedAt,
              consent_received_at: now,
              created_at: now,
            })
            .execute();
          return openRequests(trx, userId, req.roles, approver.id, `${req.user.name}(${req.user.loginId})`, { message, signature: req.signature });
        });
      } catch (e) {
        // Two sign-ups racing for one 아이디 or certificate: the UNIQUE constraint decides.
        if (/unique|duplicate/i.test(e instanceof Error ? e.message : '')) throw accountErrors.loginIdTaken();
        throw e;
      }
      logger.info('account signed up', { userId, roles: req.roles.length });
      return { userId, status: 'pending' as const, requests: await views({ ids }), approver: { id: approver.id, name: approver.name, phone: approver.phone } };
    },

    async login(req: z.infer<typeof loginRequest>) {
      await claimNonce(db, req.nonce, 'login');
      const cert = await presented(req.certificate);
      const user = await db.selectFrom('users').selectAll().where('login_id', '=', req.loginId).executeTakeFirst();
      if (!user || user.cert_spki_sha256 !== cert.spkiSha256) throw accountErrors.notRegistered();
      const message = signingMessage('login', audience, req.nonce, { loginId: req.loginId, spkiSha256: cert.spkiSha256 });
      if (!verifyCertificateSignature(cert, message, req.signature)) throw certErrors.badSignature();
      if (user.status === 'disabled') throw accountErrors.disabled();
      logger.info('account login', { userId: user.id });
      return session(user);
    },

    async refresh(userId: string) {
      const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
      if (!user) throw accountErrors.userNotFound();
      if (user.status === 'disabled') throw accountErrors.disabled();
      return session(user);
    },

    async me(userId: string) {
      const s = await this.refresh(userId);
      return s.user;
    },

    async myRoles(userId: string) {
      const user = await db.selectFrom('users').select(['institution_id']).where('id', '=', userId).executeTakeFirst();
      if (!user) throw accountErrors.userNotFound();
      const inst = await institution(user.institution_id);
      const held = await rolesOf(userId);
      const history = await views({ userId });
      return {
        roles: ROLES.map((role) => {
          const pending = history.find((h) => h.role === role && h.state === 'pending') ?? null;
          const requestable = (REQUESTABLE_ROLES as readonly string[]).includes(role) && !!inst && ROLE_FITS[role as RequestableRole].includes(inst.kind);
          const status = held.includes(role) ? ('held' as const) : pending ? ('pending' as const) : ('available' as const);
          return { role, label: ROLE_LABELS[role], status, requestable: requestable && status === 'available', request: pending };
        }),
        history,
      };
    },

    async requestRoles(actor: Actor, req: z.infer<typeof roleRequestCreate>) {
      const user = await db.selectFrom('users').selectAll().where('id', '=', actor.userId).executeTakeFirst();
      if (!user) throw accountErrors.userNotFound();
      if (user.status === 'disabled') throw accountErrors.disabled();
      const inst = await activeInstitution(user.institution_id);
      const approver = await resolveApprover(inst, req.approverId);
      checkRolesFit(req.roles, inst.kind);
      const cert = checker.parse(b64(user.cert_der));
      const message = signingMessage('role-request', audience, req.nonce, { roles: req.roles, approverId: req.approverId ?? null, userId: user.id });
      await claimNonce(db, req.nonce, 'role-request');
      if (!verifyCertificateSignature(cert, message, req.signature)) throw certErrors.badSignature();
      const ids = await db.transaction().execute((trx) => openRequests(trx, user.id, req.roles, approver.id, actor.name, { message, signature: req.signature }));
      return { requests: await views({ ids }) };
    },

    async cancel(actor: Actor, requestId: string) {
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('role_requests').select(['user_id', 'state']).where('id', '=', requestId).executeTakeFirst();
        if (!row || row.user_id !== actor.userId) throw accountErrors.requestNotFound();
        const res = await trx.updateTable('role_requests').set({ state: 'cancelled', decided_at: clock(), decided_by: actor.userId }).where('id', '=', requestId).where('state', '=', 'pending').executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw accountErrors.requestNotPending();
        await event(trx, { requestId, actorId: actor.userId, actorName: actor.name, action: 'cancel', from: 'pending', to: 'cancelled' });
      });
      return { request: (await views({ ids: [requestId] }))[0]! };
    },

    /** The requests this approver may see: their 보건소's (health-centre roles) or, for a system admin, approver roles. */
    async approvals(actor: Actor, state: RoleRequestView['state'] | undefined) {
      const scope = await approverScope(actor);
      let q = db
        .selectFrom('role_requests as r')
        .innerJoin('institutions as i', 'i.id', 'r.approver_id')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .innerJoin('institutions as ui', 'ui.id', 'u.institution_id')
        .select([
          'r.id', 'r.role', 'r.state', 'r.approver_id', 'i.name as approver_name', 'i.phone as approver_phone', 'r.requested_at', 'r.expires_at', 'r.decided_at', 'r.comment',
          'u.id as user_id', 'u.name as user_name', 'u.login_id', 'ui.name as user_institution', 'u.department', 'u.mobile', 'u.office_phone', 'u.cert_subject',
        ])
        .orderBy('r.requested_at')
        .orderBy('r.id')
        .limit(500);
      if (state) q = q.where('r.state', '=', state);
      // The scope in SQL, so the 500-row page is this approver's rows, not everyone's (inScope re-checks).
      const byAdmin = REQUESTABLE_ROLES.filter((r) => ROLE_DECIDED_BY[r] === 'system_admin');
      const byHealthCenter = REQUESTABLE_ROLES.filter((r) => ROLE_DECIDED_BY[r] === 'health_center');
      const hc = scope.healthCenterId;
      if (!scope.systemAdmin && !hc) return { requests: [] };
      q = q.where((eb) =>
        eb.or([
          ...(scope.systemAdmin ? [eb('r.role', 'in', byAdmin)] : []),
          ...(hc ? [eb.and([eb('r.role', 'in', byHealthCenter), eb('r.approver_id', '=', hc)])] : []),
        ]),
      );
      const rows = (await q.execute()).filter((r) => inScope(scope, r.role, r.approver_id));
      return { requests: rows.map(toApprovalItem) };
    },

    async approvalDetail(actor: Actor, requestId: string) {
      const { requests } = await this.approvals(actor, undefined);
      const request = requests.find((r) => r.id === requestId);
      if (!request) throw accountErrors.requestNotFound();
      const audit = await db.selectFrom('role_request_events').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
      return {
        request,
        audit: audit.map((a) => ({ at: a.at, actorId: a.actor_id, actorName: a.actor_name, action: a.action, fromState: a.from_state, toState: a.to_state, comment: a.comment })),
      };
    },

    async decide(actor: Actor, requestId: string, decision: 'approve' | 'reject', comment: string) {
      const scope = await approverScope(actor);
      await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('role_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
        if (!row) throw accountErrors.requestNotFound();
        if (row.user_id === actor.userId) throw accountErrors.selfApproval();
        if (!inScope(scope, row.role, row.approver_id)) throw accountErrors.notYours();
        const to = decision === 'approve' ? 'approved' : 'rejected';
        const now = clock();
        const res = await trx
          .updateTable('role_requests')
          .set({ state: to, decided_at: now, decided_by: actor.userId, comment: comment || null })
          .where('id', '=', requestId)
          .where('state', '=', 'pending')
          .where('expires_at', '>=', now)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw accountErrors.requestNotPending();
        if (decision === 'approve') {
          await trx
            .insertInto('user_roles')
            .values({ user_id: row.user_id, role: row.role, granted_at: now, granted_by: actor.userId, request_id: row.id })
            .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
            .execute();
          await trx.updateTable('users').set({ status: 'active' }).where('id', '=', row.user_id).where('status', '=', 'pending').execute();
        }
        await event(trx, { requestId, actorId: actor.userId, actorName: actor.name, action: decision, from: 'pending', to, comment: comment || null });
      });
      logger.info('role request decided', { requestId, decision });
      return { request: (await views({ ids: [requestId] }))[0]! };
    },

    /** The 30-day expiry job: every pending request past expires_at becomes expired, with an event. */
    async expirePending(): Promise<number> {
      const now = clock();
      const due = await db.selectFrom('role_requests').select('id').where('state', '=', 'pending').where('expires_at', '<', now).limit(1000).execute();
      let n = 0;
      for (const { id } of due) {
        await db.transaction().execute(async (trx) => {
          const res = await trx.updateTable('role_requests').set({ state: 'expired', decided_at: now }).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
          if (Number(res.numUpdatedRows) === 1) {
            n++;
            await event(trx, { requestId: id, actorId: 'system', actorName: '시스템(만료)', action: 'expire', from: 'pending', to: 'expired' });
          }
        });
      }
      if (n > 0) logger.info('role requests expired', { count: n });
      return n;
    },

    /** A renewed certificate, proven by signatures of both the old and the new key. */
    async rebind(req: z.infer<typeof rebindRequest>) {
      await claimNonce(db, req.nonce, 'rebind');
      const user = await db.selectFrom('users').selectAll().where('login_id', '=', req.loginId).executeTakeFirst();
      const old = checker.parse(b64(req.oldCertificate));
      if (!user || user.cert_spki_sha256 !== old.spkiSha256) throw accountErrors.notRegistered();
      const fresh = await presented(req.newCertificate);
      if (fresh.holderName.normalize('NFC') !== user.name.normalize('NFC')) throw accountErrors.nameMismatch();
      const message = signingMessage('rebind', audience, req.nonce, { loginId: req.loginId, oldSpkiSha256: old.spkiSha256, newSpkiSha256: fresh.spkiSha256 });
      if (!verifyCertificateSignature(old, message, req.oldSignature) || !verifyCertificateSignature(fresh, message, req.newSignature)) throw certErrors.badSignature();
      await bind(user.id, fresh, req.newCertificate);
      logger.info('certificate re-bound by old key', { userId: user.id });
      return { userId: user.id, spkiSha256: fresh.spkiSha256 };
    },

    /** People an approver may act on (their 보건소's jurisdiction; a system admin: everyone), by 아이디 or 이름. */
    async approverUsers(actor: Actor, q: string) {
      const scope = await approverScope(actor);
      if (!scope.systemAdmin && !scope.healthCenterId) return { users: [] };
      const pattern = likePattern(q.trim());
      let sel = db
        .selectFrom('users as u')
        .innerJoin('institutions as i', 'i.id', 'u.institution_id')
        .select(['u.id', 'u.login_id', 'u.name', 'i.name as institution_name', 'u.status', 'u.cert_subject', 'u.cert_not_after'])
        .where((eb) => eb.or([sql<boolean>`${eb.ref('u.login_id')} LIKE ${pattern} ESCAPE '\\'`, sql<boolean>`${eb.ref('u.name')} LIKE ${pattern} ESCAPE '\\'`]))
        .orderBy('u.name')
        .orderBy('u.login_id')
        .limit(50);
      if (!scope.systemAdmin) sel = sel.where('i.health_center_id', '=', scope.healthCenterId!);
      const rows = await sel.execute();
      return {
        users: rows.map((r) => ({
          id: r.id,
          loginId: r.login_id,
          name: r.name,
          institutionName: r.institution_name,
          status: r.status,
          certificateSubject: r.cert_subject,
          certificateNotAfter: Number(r.cert_not_after),
        })),
      };
    },

    /** 시스템관리자 takes a role away (e.g. a 보건소 승인자 who moved); audited; the person's menus change at their next refresh. */
    async revokeRole(actor: Actor, userId: string, role: AccountRole, reason: string) {
      if (userId === actor.userId) throw accountErrors.selfChange();
      await ddb.transaction().execute(async (trx) => {
        const res = await trx.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role).executeTakeFirst();
        if (Number(res.numDeletedRows) !== 1) {
          if (!(await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst())) throw accountErrors.userNotFound();
          throw accountErrors.roleNotHeld();
        }
        await trx
          .insertInto('user_role_events')
          .values({ id: randomUUID(), user_id: userId, role, at: clock(), actor_id: actor.userId, actor_name: actor.name, action: 'revoke', reason })
          .execute();
      });
      logger.info('role revoked', { userId, by: actor.userId });
      return { userId, role, roles: await rolesOf(userId) };
    },

    /** An approver re-binds after checking the person (the old key is lost). */
    async approverRebind(actor: Actor, userId: string, req: z.infer<typeof approverRebindRequest>) {
      if (userId === actor.userId) throw accountErrors.selfApproval();
      const user = await db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
      if (!user) throw accountErrors.userNotFound();
      const inst = await institution(user.institution_id);
      const scope = await approverScope(actor);
      if (!scope.systemAdmin && (!inst || scope.healthCenterId !== inst.health_center_id)) throw accountErrors.notYours();
      const fresh = await presented(req.newCertificate);
      if (fresh.holderName.normalize('NFC') !== user.name.normalize('NFC')) throw accountErrors.nameMismatch();
      await bind(user.id, fresh, req.newCertificate);
      logger.info('certificate re-bound by approver', { userId: user.id, by: actor.userId });
      return { userId: user.id, spkiSha256: fresh.spkiSha256 };
    },
  };

  async function bind(userId: string, cert: NpkiCertificate, certB64: string) {
    try {
      await db
        .updateTable('users')
        .set({ cert_spki_sha256: cert.spkiSha256, cert_der: certB64, cert_subject: cert.subject.text, cert_serial: cert.serial, cert_not_after: cert.notAfter.getTime() })
        .where('id', '=', userId)
        .execute();
    } catch (e) {
      if (/unique|duplicate/i.test(e instanceof Error ? e.message : '')) throw accountErrors.certInUse();
      throw e;
    }
  }

  async function approverScope(actor: Actor): Promise<{ systemAdmin: boolean; healthCenterId: string | null }> {
    const systemAdmin = actor.roles.includes('system_admin');
    let healthCenterId: string | null = null;
    if (actor.roles.includes('health_center_approver')) {
      const u = await db.selectFrom('users as u').innerJoin('institutions as i', 'i.id', 'u.institution_id').select(['i.id', 'i.kind']).where('u.id', '=', actor.userId).executeTakeFirst();
      if (u?.kind === 'health_center') healthCenterId = u.id;
    }
    return { systemAdmin, healthCenterId };
  }
}

export interface AuditInput {
  requestId: string;
  actorId: string;
  actorName: string;
  action: string;
  from: string | null;
  to: string | null;
  comment?: string | null;
}

/** One transition in a request's audit trail; called inside the transaction that makes it. */
export async function recordEvent(trx: Kysely<ServerSchema>, clock: Clock, e: AuditInput) {
  const prior = await trx.selectFrom('role_request_events').select((eb) => eb.fn.countAll().as('n')).where('request_id', '=', e.requestId).executeTakeFirstOrThrow();
  await trx
    .insertInto('role_request_events')
    .values({ id: randomUUID(), request_id: e.requestId, seq: Number(prior.n), at: clock(), actor_id: e.actorId, actor_name: e.actorName, action: e.action, from_state: e.from, to_state: e.to, comment: e.comment ?? null })
    .execute();
}

function inScope(scope: { systemAdmin: boolean; healthCenterId: string | null }, role: string, approverId: string): boolean {
  const by = ROLE_DECIDED_BY[role as RequestableRole];
  if (by === 'system_admin') return scope.systemAdmin;
  if (by === 'health_center') return scope.healthCenterId !== null && scope.healthCenterId === approverId;
  return false;
}

interface ViewRow {
  id: string;
  role: string;
  state: RoleRequestView['state'];
  approver_id: string;
  approver_name: string;
  approver_phone: string | null;
  requested_at: number;
  expires_at: number;
  decided_at: number | null;
  comment: string | null;
}

function toView(r: ViewRow): RoleRequestView {
  const role = r.role as AccountRole;
  return {
    id: r.id,
    role,
    roleLabel: ROLE_LABELS[role] ?? r.role,
    state: r.state,
    approverId: r.approver_id,
    approverName: r.approver_name,
    approverPhone: r.approver_phone,
    requestedAt: Number(r.requested_at),
    expiresAt: Number(r.expires_at),
    decidedAt: r.decided_at === null ? null : Number(r.decided_at),
    comment: r.comment,
  };
}

function toApprovalItem(
  r: ViewRow & { user_id: string; user_name: string; login_id: string; user_institution: string; department: string | null; mobile: string; office_phone: string; cert_subject: string },
) {
  return {
    ...toView(r),
    requester: {
      id: r.user_id,
      name: r.user_name,
      loginId: r.login_id,
      institutionName: r.user_institution,
      department: r.department,
      mobile: r.mobile,
      officePhone: r.office_phone,
      certificateSubject: r.cert_subject,
    },
  };
}

export type AccountsService = ReturnType<typeof createAccountsService>;
