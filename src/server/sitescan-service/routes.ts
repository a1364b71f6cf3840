// Runs in the central API (Node). HTTP routes of the homepage-security service, registered on
// the Fastify app as a plugin: registration and email verification, a site's status with its
// scan history and notices, 조치 완료, and the malicious-host register for administrators.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import { authenticateBearer } from '../auth';
import type { ServerSchema } from '../db/schema';
import { apiErrors } from '../errors';
import { FOLLOWUP_LABEL, markRemediated } from './followup';
import { listMaliciousHosts } from './hostRegister';
import type { Mailer } from './mailer';
import type { RegistrationInput, SitescanDb } from './registration';
import { registerSite, registrationErrors, resendCode, sitescanDb, verifyEmail } from './registration';

export const STATUS_LABEL = { applied: '신청', verified: '이메일 인증', monitoring: '모니터링 중', suspended: '서비스 중단' } as const;

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const siteParams = { type: 'object', additionalProperties: false, required: ['siteId'], properties: { siteId: { type: 'string', pattern: UUID } } } as const;
const errorResponses = { 400: { $ref: 'ApiError#' }, 404: { $ref: 'ApiError#' }, 409: { $ref: 'ApiError#' }, 429: { $ref: 'ApiError#' } } as const;

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

export interface SitescanRouteDeps {
  /** The server database (ServerDb.db); the service's tables are added with withTables. */
  db: Kysely<ServerSchema>;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
  suspendAfterDays?: number;
}

/** The service's routes as a plugin for `createServer({ plugins })`. */
export function sitescanRoutes(deps: SitescanRouteDeps) {
  const { clock, mailer, logger } = deps;
  const db: SitescanDb = sitescanDb(deps.db);
  const followDeps = { db, clock, mailer, logger, suspendAfterDays: deps.suspendAfterDays ?? 14 };
  return (app: FastifyInstance) => {
    app.post<{ Body: RegistrationInput }>(
      '/v1/sitescan/sites',
      { schema: { tags: ['sitescan'], summary: '홈페이지 보안 점검 신청', body: registerBody, response: { ...errorResponses, 502: { $ref: 'ApiError#' } } } },
      async (req, reply) => {
        const out = await registerSite({ db, clock, mailer }, req.body);
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
      },
      async (req) => {
        const out = await verifyEmail({ db, clock, mailer }, req.params.siteId, req.body.code);
        logger.info('sitescan email verified', { siteId: req.params.siteId });
        return { ...out, statusLabel: STATUS_LABEL.verified };
      },
    );

    app.post<{ Params: { siteId: string } }>(
      '/v1/sitescan/sites/:siteId/resend-code',
      { schema: { tags: ['sitescan'], summary: '인증 코드 다시 받기', params: siteParams, response: { ...errorResponses, 502: { $ref: 'ApiError#' } } } },
      async (req, reply) => {
        await resendCode({ db, clock, mailer }, req.params.siteId);
        return reply.status(204).send();
      },
    );

    app.get<{ Params: { siteId: string } }>(
      '/v1/sitescan/sites/:siteId',
      { schema: { tags: ['sitescan'], summary: '점검 상태, 이력, 알림', params: siteParams, response: errorResponses } },
      async (req) => {
        const site = await db.selectFrom('sitescan_sites').selectAll().where('id', '=', req.params.siteId).executeTakeFirst();
        if (!site) throw registrationErrors.siteNotFound();
        const [results, notices, job] = await Promise.all([
          db.selectFrom('sitescan_results').selectAll().where('site_id', '=', site.id).orderBy('started_at', 'desc').limit(90).execute(),
          db.selectFrom('sitescan_notices').selectAll().where('site_id', '=', site.id).orderBy('at', 'desc').limit(50).execute(),
          db.selectFrom('sitescan_jobs').select('due_at').where('site_id', '=', site.id).executeTakeFirst(),
        ]);
        return {
          siteId: site.id,
          clinicName: site.clinic_name,
          url: site.url,
          status: site.status,
          statusLabel: STATUS_LABEL[site.status],
          followup: site.followup,
          followupLabel: FOLLOWUP_LABEL[site.followup],
          lastScanAt: site.last_scan_at,
          lastOutcome: site.last_outcome,
          nextScanAt: job?.due_at ?? null,
          results: results.map((r) => ({ startedAt: r.started_at, finishedAt: r.finished_at, outcome: r.outcome, errorCode: r.error_code, findings: JSON.parse(r.findings) as unknown })),
          notices: notices.map((n) => ({ at: n.at, kind: n.kind, title: n.title, body: n.body, emailed: n.emailed === 1 })),
        };
      },
    );

    app.post<{ Params: { siteId: string } }>(
      '/v1/sitescan/sites/:siteId/remediated',
      { schema: { tags: ['sitescan'], summary: '조치 완료 (바로 재점검)', params: siteParams, response: errorResponses } },
      async (req) => {
        const exists = await db.selectFrom('sitescan_sites').select('id').where('id', '=', req.params.siteId).executeTakeFirst();
        if (!exists) throw registrationErrors.siteNotFound();
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
