// Runs in the central API (Node). HTTP routes of the homepage-security service, registered on
// the Fastify app as a plugin: registration and email verification, my institution's sites, a
// site's status with its scan history and notices, a visit's evidence and screenshot, 조치 완료
// (all behind a 의료기관 보안담당자 session, own institution only), and the malicious-host register.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import type { AccountRoute } from '../../shared/accounts';
import { needs } from '../accounts/routes';
import { authenticateBearer } from '../auth';
import type { ServerSchema } from '../db/schema';
import type { SitescanTables } from '../db/sitescanMigration';
import { ApiError, apiErrors } from '../errors';
import { loadEvidence } from './evidence';
import { FOLLOWUP_LABEL, markRemediated } from './followup';
import { listMaliciousHosts } from './hostRegister';
import type { Mailer } from './mailer';
import type { RegistrationInput, SitescanDb } from './registration';
import { CODE_MAX_ATTEMPTS, CODE_MAX_SENDS, registerSite, registrationErrors, resendCode, sitescanDb, verifyEmail } from './registration';

export const STATUS_LABEL = { applied: '신청', verified: '이메일 인증', monitoring: '모니터링 중', suspended: '서비스 중단' } as const;

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const siteParams = { type: 'object', additionalProperties: false, required: ['siteId'], properties: { siteId: { type: 'string', pattern: UUID } } } as const;
const resultParams = {
  type: 'object',
  additionalProperties: false,
  required: ['siteId', 'resultId'],
  properties: { siteId: { type: 'string', pattern: UUID }, resultId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } },
} as const;
const errorResponses = {
  400: { $ref: 'ApiError#' },
  401: { $ref: 'ApiError#' },
  403: { $ref: 'ApiError#' },
  404: { $ref: 'ApiError#' },
  409: { $ref: 'ApiError#' },
  429: { $ref: 'ApiError#' },
} as const;

const registerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['clinicName', 'url', 'contactName', 'officePhone', 'mobile', 'email', 'consentCollection', 'consentSuspension'],
  properties: {
    clinicName: { ...text(100), description: '의료기관명' },
    url: { ...text(2000), description: '홈페이지 주소 (http/https)' },
    contactName: { ...text(50), description: '담당자명' },
    officePhone: { type: 'string', pattern: '^[0-9]{8,12}$', description: '회사 전화번호 (숫자만)' },
    mobile: { type: 'string', pattern: '^[0-9]{10,11}$', description: '휴대폰 번호 (숫자만)' },
    email: { ...text(254), description: '이메일 (인증 코드를 보냄)' },
    consentCollection: { type: 'boolean', description: '개인정보 수집·이용 동의' },
    consentSuspension: { type: 'boolean', description: '보안 조치 미이행 시 서비스 중단 동의' },
  },
} as const;

/** What the scan evidence store keeps of one visit (src/server/sitescan-service/evidence.ts). */
export interface SiteEvidence {
  resultId: string;
  siteId: string;
  screenshotPng: Uint8Array | null;
  pages: Array<{
    url: string;
    finalUrl: string;
    redirectChain: string[];
    requests: Array<{ url: string; type: string; status: number | null; host: string }>;
    serverIp: string | null;
    tlsIssuer: string | null;
  }>;
  preopen?: unknown;
}
export type EvidenceLoader = (db: SitescanDb, siteId: string, resultId: string) => Promise<SiteEvidence | null>;

/** Who asks: their institution's sites only; 시스템관리자 sees every site. */
interface Viewer {
  userId: string;
  institutionId: string | null;
  all: boolean;
}

export interface SitescanRouteDeps {
  /** The server database (ServerDb.db); the service's tables are added with withTables. */
  db: Kysely<ServerSchema>;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  suspendAfterDays?: number;
  /** Where a visit's evidence is read from; default the evidence store (evidence.ts, migration 0005). */
  loadEvidence?: EvidenceLoader;
}

type SiteRow = Selectable<SitescanTables['sitescan_sites']>;
/** What the list and the detail both say about a site. */
const siteSummary = (site: SiteRow) => ({
  siteId: site.id,
  clinicName: site.clinic_name,
  url: site.url,
  status: site.status,
  statusLabel: STATUS_LABEL[site.status],
  followup: site.followup,
  followupLabel: FOLLOWUP_LABEL[site.followup],
  lastScanAt: site.last_scan_at,
  lastOutcome: site.last_outcome,
  createdAt: site.created_at,
});

const evidenceMissing = () => new ApiError(404, 'EVIDENCE_NOT_FOUND', '이 점검 결과에는 저장된 방문 기록(요청, 리다이렉트, 화면)이 없습니다.');

/** The service's routes as a plugin for `createServer({ plugins })`. */
export function sitescanRoutes(deps: SitescanRouteDeps) {
  const { clock, mailer, logger } = deps;
  const db: SitescanDb = sitescanDb(deps.db);
  const followDeps = { db, clock, mailer, logger, suspendAfterDays: deps.suspendAfterDays ?? 14 };
  return (app: FastifyInstance) => {
    /** Session gate (before body validation, so no session is 401 whatever the body) and the viewer. */
    const gate = (route: AccountRoute) => needs(app.sessions, route);
    const viewerOf = async (req: FastifyRequest): Promise<Viewer> => {
      const actor = req.actor!;
      const user = await db.selectFrom('users').select(['institution_id', 'status']).where('id', '=', actor.userId).executeTakeFirst();
      const institutionId = user && user.status === 'active' ? user.institution_id : null;
      return { userId: actor.userId, institutionId, all: actor.roles.includes('system_admin') };
    };
    /** The site if the viewer may see it; another institution's site is "not found", never "forbidden". */
    const ownedSite = async (req: FastifyRequest, siteId: string) => {
      const viewer = await viewerOf(req);
      const site = await db.selectFrom('sitescan_sites').selectAll().where('id', '=', siteId).executeTakeFirst();
      if (!site || !(viewer.all || (viewer.institutionId !== null && site.institution_id === viewer.institutionId))) throw registrationErrors.siteNotFound();
      return site;
    };

    app.get(
      '/v1/sitescan/sites',
      { schema: { tags: ['sitescan'], summary: '우리 기관의 등록 홈페이지', response: errorResponses }, preValidation: gate('GET /v1/sitescan/sites') },
      async (req) => {
        const viewer = await viewerOf(req);
        if (!viewer.all && !viewer.institutionId) return { sites: [] };
        let q = db.selectFrom('sitescan_sites').selectAll().orderBy('created_at', 'desc').limit(500);
        if (!viewer.all) q = q.where('institution_id', '=', viewer.institutionId);
        const sites = await q.execute();
        return {
          sites: sites.map(siteSummary),
        };
      },
    );

    app.post<{ Body: RegistrationInput }>(
      '/v1/sitescan/sites',
      {
        schema: { tags: ['sitescan'], summary: '홈페이지 보안 점검 신청', body: registerBody, response: { ...errorResponses, 502: { $ref: 'ApiError#' } } },
        preValidation: gate('POST /v1/sitescan/sites'),
      },
      async (req, reply) => {
        const viewer = await viewerOf(req);
        if (!viewer.institutionId) throw apiErrors.forbidden();
        const out = await registerSite({ db, clock, mailer }, req.body, { userId: viewer.userId, institutionId: viewer.institutionId });
        logger.info('sitescan site registered', { siteId: out.siteId });
        return reply.status(201).send({ ...out, statusLabel: STATUS_LABEL.applied });
      },
    );

    app.post<{ Params: { siteId: string }; Body: { code: string } }>(
      '/v1/sitescan/sites/:siteId/verify',
      {
        schema: {
          tags: ['sitescan'],
          summary: '이메일 인증 코드 확인',
          params: siteParams,
          body: { type: 'object', additionalProperties: false, required: ['code'], properties: { code: { type: 'string', maxLength: 16 } } },
          response: errorResponses,
        },
        preValidation: gate('POST /v1/sitescan/sites/:siteId/verify'),
      },
      async (req) => {
        await ownedSite(req, req.params.siteId);
        const out = await verifyEmail({ db, clock, mailer }, req.params.siteId, req.body.code);
        logger.info('sitescan email verified', { siteId: req.params.siteId });
        return { ...out, statusLabel: STATUS_LABEL.verified };
      },
    );

    app.post<{ Params: { siteId: string } }>(
      '/v1/sitescan/sites/:siteId/resend-code',
      {
        schema: { tags: ['sitescan'], summary: '인증 코드 다시 받기', params: siteParams, response: { ...errorResponses, 502: { $ref: 'ApiError#' } } },
        preValidation: gate('POST /v1/sitescan/sites/:siteId/resend-code'),
      },
      async (req) => {
        await ownedSite(req, req.params.siteId);
        return { sent: true, expiresAt: await resendCode({ db, clock, mailer }, req.params.siteId) };
      },
    );

    app.get<{ Params: { siteId: string } }>(
      '/v1/sitescan/sites/:siteId',
      {
        schema: { tags: ['sitescan'], summary: '점검 상태, 이력, 알림', params: siteParams, response: errorResponses },
        preValidation: gate('GET /v1/sitescan/sites/:siteId'),
      },
      async (req) => {
        const site = await ownedSite(req, req.params.siteId);
        const [results, notices, job, code] = await Promise.all([
          db.selectFrom('sitescan_results').selectAll().where('site_id', '=', site.id).orderBy('started_at', 'desc').limit(90).execute(),
          db.selectFrom('sitescan_notices').selectAll().where('site_id', '=', site.id).orderBy('at', 'desc').limit(50).execute(),
          db.selectFrom('sitescan_jobs').select('due_at').where('site_id', '=', site.id).executeTakeFirst(),
          db.selectFrom('sitescan_email_codes').selectAll().where('site_id', '=', site.id).executeTakeFirst(),
        ]);
        return {
          ...siteSummary(site),
          nextScanAt: job?.due_at ?? null,
          // While the email is not verified: what the code-entry screen shows.
          emailCode:
            site.status === 'applied' && code
              ? {
                  expiresAt: code.expires_at,
                  attemptsLeft: Math.max(0, CODE_MAX_ATTEMPTS - code.attempts),
                  sendsLeft: Math.max(0, CODE_MAX_SENDS - code.send_count),
                  resendAt: code.sent_at + 60_000,
                }
              : null,
          results: results.map((r) => ({
            resultId: r.id,
            startedAt: r.started_at,
            finishedAt: r.finished_at,
            outcome: r.outcome,
            errorCode: r.error_code,
            findings: JSON.parse(r.findings) as unknown,
          })),
          notices: notices.map((n) => ({ at: n.at, kind: n.kind, title: n.title, body: n.body, emailed: n.emailed === 1 })),
        };
      },
    );

    /** The evidence of one result of a site the viewer may see, or 404. */
    const evidenceOf = async (req: FastifyRequest, siteId: string, resultId: string): Promise<SiteEvidence> => {
      await ownedSite(req, siteId);
      const result = await db.selectFrom('sitescan_results').select('id').where('id', '=', resultId).where('site_id', '=', siteId).executeTakeFirst();
      if (!result) throw new ApiError(404, 'RESULT_NOT_FOUND', '점검 결과를 찾을 수 없습니다.');
      const ev = await (deps.loadEvidence ?? loadEvidence)(db, siteId, resultId);
      if (!ev || ev.siteId !== siteId) throw evidenceMissing();
      return ev;
    };

    app.get<{ Params: { siteId: string; resultId: string } }>(
      '/v1/sitescan/sites/:siteId/results/:resultId/evidence',
      {
        schema: { tags: ['sitescan'], summary: '방문 기록: 페이지, 리다이렉트, 요청', params: resultParams, response: errorResponses },
        preValidation: gate('GET /v1/sitescan/sites/:siteId/results/:resultId/evidence'),
      },
      async (req) => {
        const ev = await evidenceOf(req, req.params.siteId, req.params.resultId);
        return { resultId: ev.resultId, siteId: ev.siteId, hasScreenshot: !!ev.screenshotPng && ev.screenshotPng.length > 0, pages: ev.pages, preopen: ev.preopen ?? null };
      },
    );

    app.get<{ Params: { siteId: string; resultId: string } }>(
      '/v1/sitescan/sites/:siteId/results/:resultId/screenshot',
      {
        schema: { tags: ['sitescan'], summary: '방문 화면 (PNG)', params: resultParams, response: errorResponses },
        preValidation: gate('GET /v1/sitescan/sites/:siteId/results/:resultId/screenshot'),
      },
      async (req, reply) => {
        const ev = await evidenceOf(req, req.params.siteId, req.params.resultId);
        if (!ev.screenshotPng || ev.screenshotPng.length === 0) throw evidenceMissing();
        // The app's client speaks JSON only; a browser or <img> gets the PNG itself.
        if (/application\/json/.test(req.headers.accept ?? '')) return { pngBase64: Buffer.from(ev.screenshotPng).toString('base64') };
        return reply
          .header('content-type', 'image/png')
          .header('cache-control', 'private, no-store')
          .header('x-content-type-options', 'nosniff')
          .send(Buffer.from(ev.screenshotPng));
      },
    );

    app.post<{ Params: { siteId: string } }>(
      '/v1/sitescan/sites/:siteId/remediated',
      {
        schema: { tags: ['sitescan'], summary: '조치 완료 (바로 재점검)', params: siteParams, response: errorResponses },
        preValidation: gate('POST /v1/sitescan/sites/:siteId/remediated'),
      },
      async (req) => {
        await ownedSite(req, req.params.siteId);
        const followup = await markRemediated(followDeps, req.params.siteId);
        return { followup, followupLabel: FOLLOWUP_LABEL[followup] };
      },
    );

    app.get<{ Querystring: { limit?: string } }>(
      '/v1/admin/sitescan/malicious-hosts',
      {
        schema: {
          tags: ['sitescan'],
          summary: '악성코드 은닉사이트 정보 (관리자)',
          querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'string', pattern: '^[0-9]{1,4}$' } } },
        },
        preHandler: async (req) => {
          const who = await authenticateBearer(deps.db, req.headers.authorization);
          if (who.role !== 'admin') throw apiErrors.forbidden();
        },
      },
      async (req) => ({ hosts: await listMaliciousHosts(db, req.query.limit ? Number(req.query.limit) : 100) }),
    );
  };
}
