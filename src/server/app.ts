// Runs in the central API (Node). The Fastify app factory: routes, validation, auth, error
// shape and OpenAPI. No listen here: the CLI listens, tests use inject or 127.0.0.1:0.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';
import type { KioskPrincipal, PersonPrincipal, Role } from './auth';
import { authenticateBearer, authenticateKiosk } from './auth';
import type { ServerDb } from './db/open';
import type { WireEntry } from './entries';
import { createEntryStore } from './entries';
import { ApiError, apiErrors } from './errors';
import { createEnrollmentCode, createFacility, enrollKiosk, listFacilities, listKiosks, revokeKiosk } from './facilities';
import { auditEntries, facilityVisits, subjectVisits } from './investigations';
import { facilityReceipts, storeReceipts } from './receipts';
import type { WireReceipt } from './receipts';
import { errorSchema, facilitySchema, routeSchemas as s } from './schemas';
import type { CertificatePolicyOptions } from './accounts/certificates';
import { createCertificateChecker } from './accounts/certificates';
import { needs, registerAccountRoutes, sessionActor } from './accounts/routes';
import type { AccountsService } from './accounts/service';
import { createAccountsService } from './accounts/service';
import { loadSessionKeys } from './accounts/sessions';
import type { SessionKeys } from './accounts/sessions';
import { seedInstitutions } from './directory';
import { addIssuer, addIssuerKey, currentTrustList, ensureAuthority, revokeIssuerKey } from './trust';
import type { AuthorityInfo } from './trust';

/** 512 KiB holds a full batch of 1,000 entries (~230 KiB) with room to spare. */
export const DEFAULT_BODY_LIMIT = 512 * 1024;

export interface ServerOptions {
  db: ServerDb;
  clock: Clock;
  logger: Logger;
  bodyLimit?: number;
  /** Extra routes (the demo issuer page) registered on the same app. */
  plugins?: Array<(app: FastifyInstance) => Promise<void> | void>;
  /**
   * 공동인증서 checks for staff accounts (docs/accounts.md). Without anchors every certificate
   * is refused (CERT_UNTRUSTED): deny by default.
   */
  accounts?: Omit<CertificatePolicyOptions, 'clock' | 'logger'> & { audience?: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody: Buffer | null;
    kiosk: KioskPrincipal | null;
    person: PersonPrincipal | null;
  }
  interface FastifyInstance {
    authority: AuthorityInfo;
    entryStore: ReturnType<typeof createEntryStore>;
    accounts: AccountsService;
    sessions: SessionKeys;
  }
}

const EMPTY = Buffer.alloc(0);

export async function createServer(opts: ServerOptions): Promise<FastifyInstance> {
  const { db: serverDb, clock, logger } = opts;
  const db = serverDb.db;
  const app = Fastify({
    logger: false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: false,
    return503OnClosing: true,
    // Strict validation: no type coercion in bodies, unknown fields refused, not stripped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });

  const authority = await ensureAuthority(db, clock);
  if (authority.created) logger.info('authority root key created', { keyId: authority.keyId });
  app.decorate('authority', authority);
  // Publish the first signed list at start, so kiosks never race to create it.
  await currentTrustList(db, clock);
  const entryStore = createEntryStore(db, serverDb.engine, clock, serverDb.sqlite, { ingestWorker: serverDb.ingestWorker ?? false });
  app.decorate('entryStore', entryStore);
  // The SQLite ingest writer holds its own connection: stop it with the app.
  app.addHook('onClose', async () => entryStore.close());

  await seedInstitutions(db);
  const sessions = await loadSessionKeys(db, clock);
  const checker = createCertificateChecker({ anchors: [], ...opts.accounts, clock, logger });
  const accounts = createAccountsService({ db, clock, logger, checker, sessions, audience: opts.accounts?.audience ?? 'munjigi-central' });
  app.decorate('accounts', accounts);
  app.decorate('sessions', sessions);

  app.decorateRequest('rawBody', null);
  app.decorateRequest('kiosk', null);
  app.decorateRequest('person', null);

  // Keep the exact bytes: kiosk signatures cover the body hash.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(/^application\/json(\s*;.*)?$/i, { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    req.rawBody = buf;
    if (buf.length === 0) return done(apiErrors.badJson(), undefined);
    try {
      done(null, JSON.parse(buf.toString('utf8')) as unknown);
    } catch {
      done(apiErrors.badJson(), undefined);
    }
  });

  app.addSchema(errorSchema);
  app.addSchema(facilitySchema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Munjigi central API', version: '1', description: '문지기 중앙 API: 신뢰 목록, 시간, 키오스크 등록, 출입 기록, 역학조사' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'admin or investigator token (munjigi server token)' },
          kioskSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'x-munjigi-signature',
            description:
              'Ed25519 device-key signature over "MUNJIGI-KIOSK-1\\nMETHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nSHA256HEX(BODY)", with x-munjigi-kiosk, x-munjigi-timestamp (ms), x-munjigi-nonce',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { url: '/openapi.json' } as never });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    // Route pattern, never the URL: query strings may hold subject handles.
    logger.info('request', { method: req.method, route: req.routeOptions.url ?? 'unknown', status: reply.statusCode, ms: Math.round(reply.elapsedTime) });
  });

  app.setNotFoundHandler((_req, reply) => send(reply, apiErrors.notFound()));
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) return send(reply, err);
    if (err.validation) return send(reply, apiErrors.validation(`${err.validationContext ?? ''}${err.validation[0]?.instancePath ?? ''} ${err.validation[0]?.message ?? ''}`.trim()));
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, apiErrors.tooLarge());
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return send(reply, apiErrors.unsupportedType());
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') return send(reply, apiErrors.badJson());
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, new ApiError(err.statusCode, 'BAD_REQUEST', '요청을 처리할 수 없습니다. 요청 형식을 확인해 주세요.'));
    }
    logger.error('unhandled error', { route: req.routeOptions.url ?? 'unknown', error: err.message });
    return reply.status(500).send({ error: { code: 'INTERNAL', message: '서버 내부 오류입니다. 잠시 후 다시 시도해 주세요.' } });
  });

  const kioskAuth = (deferNonce: boolean) => async (req: FastifyRequest) => {
    req.kiosk = await authenticateKiosk(db, clock, { method: req.method, url: req.url, headers: req.headers, rawBody: req.rawBody ?? EMPTY }, { deferNonce });
  };
  const kioskOnly = kioskAuth(false);
  // Entry uploads claim their nonce in the same transaction as the entries.
  const kioskWriter = kioskAuth(true);
  const role = (wanted: Role) => async (req: FastifyRequest) => {
    const who = await authenticateBearer(db, req.headers.authorization);
    if (who.role !== wanted) throw apiErrors.forbidden();
    req.person = who;
  };
  const admin = role('admin');
  // 역학조사: an epidemiologist's session (permission table), or an admin-issued investigator
  // token (kept for operations and scripted checks; docs/accounts.md).
  const investigationRoute = (
    route: 'GET /v1/investigations/facility-visits' | 'GET /v1/investigations/subject-visits' | 'GET /v1/investigations/deletion-receipts',
    tokenRoles: Role[] = ['investigator'],
  ) => {
    const bySession = needs(sessions, route);
    const byToken = async (req: FastifyRequest) => {
      const who = await authenticateBearer(db, req.headers.authorization);
      if (!tokenRoles.includes(who.role)) throw apiErrors.forbidden();
      req.person = who;
    };
    return async (req: FastifyRequest) => {
      if (req.headers.authorization?.startsWith('Bearer mjs_')) {
        await bySession(req);
        const a = sessionActor(sessions, req.headers.authorization)!;
        req.person = { kind: 'person', tokenId: a.userId, name: a.name, role: 'investigator' };
        return;
      }
      await byToken(req);
    };
  };

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/healthz', { schema: s.healthz }, async () => {
    await sql`SELECT 1`.execute(db);
    return { status: 'ok', engine: serverDb.engine };
  });

  app.get('/v1/time', { schema: s.time }, async () => ({ serverTime: clock() }));

  app.get('/v1/trust-list', { schema: s.trustList }, async (req, reply) => {
    const current = await currentTrustList(db, clock);
    reply.header('etag', current.etag).header('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === current.etag) return reply.status(304).send();
    return current.envelope;
  });

  app.post<{ Body: { code: string; publicKey: string; label: string } }>('/v1/kiosks/enroll', { schema: s.enroll }, async (req) => {
    const enrolled = await enrollKiosk(db, clock, req.body);
    logger.info('kiosk enrolled', { kioskId: enrolled.kioskId, facilityId: enrolled.facilityId });
    return enrolled;
  });

  app.get('/v1/kiosks/me', { schema: s.kioskMe, preHandler: kioskOnly }, async (req) => ({ kioskId: req.kiosk!.kioskId, facilityId: req.kiosk!.facilityId }));

  app.post<{ Body: { entries: WireEntry[] } }>('/v1/entries', { schema: s.entries, preHandler: kioskWriter }, async (req) => {
    const ids = new Set(req.body.entries.map((e) => e.id));
    if (ids.size !== req.body.entries.length) throw apiErrors.batchDuplicateIds();
    const result = await entryStore.ingest(req.kiosk!, req.body.entries);
    if (result.replays.length > 0 || result.rejected.length > 0) {
      logger.warn('entries flagged', { kioskId: req.kiosk!.kioskId, replays: result.replays.length, rejected: result.rejected.length });
    }
    return result;
  });

  app.post<{ Body: { name: string; address: string; businessNo: string; jurisdiction: string } }>(
    '/v1/admin/facilities',
    { schema: s.createFacility, preHandler: admin },
    async (req, reply) => reply.status(201).send(await createFacility(db, clock, req.body)),
  );
  app.get('/v1/admin/facilities', { schema: s.listFacilities, preHandler: admin }, async () => ({ facilities: await listFacilities(db) }));
  app.post<{ Params: { facilityId: string } }>(
    '/v1/admin/facilities/:facilityId/enrollment-codes',
    { schema: s.enrollmentCode, preHandler: admin },
    async (req, reply) => reply.status(201).send(await createEnrollmentCode(db, clock, req.params.facilityId)),
  );
  app.get<{ Params: { facilityId: string } }>('/v1/admin/facilities/:facilityId/kiosks', { schema: s.listKiosks, preHandler: admin }, async (req) => ({
    kiosks: await listKiosks(db, req.params.facilityId),
  }));
  app.post<{ Params: { kioskId: string } }>('/v1/admin/kiosks/:kioskId/revoke', { schema: s.revokeKiosk, preHandler: admin }, async (req, reply) => {
    await revokeKiosk(db, clock, req.params.kioskId);
    logger.info('kiosk revoked', { kioskId: req.params.kioskId });
    return reply.status(204).send();
  });
  app.post<{ Body: { code: number; name: string; displayName: string } }>('/v1/admin/issuers', { schema: s.addIssuer, preHandler: admin }, async (req, reply) => {
    await addIssuer(db, clock, req.body);
    return reply.status(204).send();
  });
  app.post<{ Params: { code: string }; Body: { keyId: number; publicKey: string; notBefore: number; notAfter: number } }>(
    '/v1/admin/issuers/:code/keys',
    { schema: s.addIssuerKey, preHandler: admin },
    async (req, reply) => {
      await addIssuerKey(db, clock, { issuerCode: Number(req.params.code), ...req.body });
      return reply.status(204).send();
    },
  );
  app.post<{ Params: { code: string; keyId: string } }>(
    '/v1/admin/issuers/:code/keys/:keyId/revoke',
    { schema: s.revokeIssuerKey, preHandler: admin },
    async (req, reply) => {
      await revokeIssuerKey(db, clock, Number(req.params.code), Number(req.params.keyId));
      return reply.status(204).send();
    },
  );
  app.get<{ Querystring: { from: string; to: string } }>('/v1/admin/audit', { schema: s.audit, preHandler: admin }, async (req) => ({
    entries: await auditEntries(db, { from: Number(req.query.from), to: Number(req.query.to) }),
  }));

  app.get<{ Querystring: { facilityId: string; from: string; to: string } }>(
    '/v1/investigations/facility-visits',
    { schema: s.facilityVisits, preHandler: investigationRoute('GET /v1/investigations/facility-visits') },
    async (req) => facilityVisits(db, serverDb.engine, clock, req.person!, { facilityId: req.query.facilityId, from: Number(req.query.from), to: Number(req.query.to) }),
  );
  app.get<{ Querystring: { issuer: string; subject: string; from: string; to: string } }>(
    '/v1/investigations/subject-visits',
    { schema: s.subjectVisits, preHandler: investigationRoute('GET /v1/investigations/subject-visits') },
    async (req) =>
      subjectVisits(db, serverDb.engine, clock, req.person!, { issuer: Number(req.query.issuer), subject: req.query.subject, from: Number(req.query.from), to: Number(req.query.to) }),
  );

  // Deletion receipts: kiosks upload them (signed); 역학조사관 and 시스템관리자 (or an investigator/admin token) read them.
  app.post<{ Body: { receipts: WireReceipt[] } }>('/v1/deletion-receipts', { schema: s.uploadReceipts, preHandler: kioskOnly }, async (req) => {
    const result = await storeReceipts(db, clock, req.kiosk!, req.body.receipts);
    logger.info('deletion receipts received', { kioskId: req.kiosk!.kioskId, stored: result.stored, duplicates: result.duplicates });
    return result;
  });
  app.get<{ Querystring: { facilityId: string; from: string; to: string } }>(
    '/v1/investigations/deletion-receipts',
    { schema: s.facilityReceipts, preHandler: investigationRoute('GET /v1/investigations/deletion-receipts', ['investigator', 'admin']) },
    async (req) => facilityReceipts(db, clock, req.person!, { facilityId: req.query.facilityId, from: Number(req.query.from), to: Number(req.query.to) }),
  );

  registerAccountRoutes(app, accounts, sessions);

  for (const plugin of opts.plugins ?? []) await plugin(app);
  return app;
}

function send(reply: FastifyReply, err: ApiError) {
  return reply.status(err.status).send({ error: { code: err.code, message: err.message } });
}
