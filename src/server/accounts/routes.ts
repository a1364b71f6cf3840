// Runs in the central API (Node). The accounts and approvals routes. Bodies are checked with
// the shared zod schemas (src/shared/accounts.ts), and every person-only route takes its
// permission from ROUTE_PERMISSIONS: the same table decides the app's menus.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AccountRoute, Permission } from '../../shared/accounts';
import {
  ROUTE_PERMISSIONS,
  accountRole,
  adminInstitutionQuery,
  allows,
  approvalQuery,
  approverRebindRequest,
  approverUserQuery,
  institutionCreate,
  institutionId,
  institutionStatusChange,
  institutionUpdate,
  roleRevoke,
  challengeRequest,
  decisionRequest,
  institutionQuery,
  loginRequest,
  rebindRequest,
  roleRequestCreate,
  signupRequest,
  uuid,
} from '../../shared/accounts';
import { apiErrors } from '../errors';
import type { Actor, AccountsService } from './service';
import type { SessionKeys } from './sessions';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw apiErrors.validation(`${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
}

/** The session behind "Authorization: Bearer mjs_…", or null when there is none or it is invalid. */
export function sessionActor(sessions: SessionKeys, authorization: string | undefined): Actor | null {
  const m = authorization ? /^Bearer (mjs_\S{10,5000})$/.exec(authorization) : null;
  if (!m) return null;
  const claims = sessions.verify(m[1]!);
  return claims ? { userId: claims.sub, name: claims.name, roles: claims.roles } : null;
}

/** preHandler for a route in ROUTE_PERMISSIONS: 401 without a valid session, 403 without the permission. */
export function needs(sessions: SessionKeys, route: AccountRoute) {
  const permission: Permission = ROUTE_PERMISSIONS[route];
  return async (req: FastifyRequest) => {
    const actor = sessionActor(sessions, req.headers.authorization);
    if (!actor) throw apiErrors.unauthenticated();
    if (!allows(actor.roles, permission)) throw apiErrors.forbidden();
    req.actor = actor;
  };
}

const requestIdParam = (p: unknown) => parse(uuid, (p as { requestId?: unknown }).requestId);
const param = <T extends z.ZodType>(schema: T, p: unknown, name: string): z.infer<T> => parse(schema, (p as Record<string, unknown>)[name]);
/** The session's person as the directory audit names them. */
const directoryActor = (req: FastifyRequest) => ({ id: req.actor!.userId, name: req.actor!.name });

export function registerAccountRoutes(app: FastifyInstance, service: AccountsService, sessions: SessionKeys) {
  app.decorateRequest('actor', null);
  const hide = { schema: { tags: ['accounts'] } };

  app.get('/v1/accounts/consent', hide, async () => service.consent());
  app.get('/v1/accounts/institutions', hide, async (req) => ({ institutions: await service.institutions(parse(institutionQuery, req.query)) }));
  app.post('/v1/accounts/challenge', hide, async (req) => service.challenge(parse(challengeRequest, req.body).purpose));
  app.post('/v1/accounts/signup', hide, async (req, reply) => reply.status(201).send(await service.signup(parse(signupRequest, req.body))));
  app.post('/v1/accounts/login', hide, async (req) => service.login(parse(loginRequest, req.body)));
  app.post('/v1/accounts/rebind', hide, async (req) => service.rebind(parse(rebindRequest, req.body)));

  app.post('/v1/accounts/refresh', { ...hide, preHandler: needs(sessions, 'POST /v1/accounts/refresh') }, async (req) => service.refresh(req.actor!.userId));
  app.get('/v1/accounts/me', { ...hide, preHandler: needs(sessions, 'GET /v1/accounts/me') }, async (req) => service.me(req.actor!.userId));
  app.get('/v1/accounts/me/roles', { ...hide, preHandler: needs(sessions, 'GET /v1/accounts/me/roles') }, async (req) => service.myRoles(req.actor!.userId));
  app.post('/v1/accounts/me/role-requests', { ...hide, preHandler: needs(sessions, 'POST /v1/accounts/me/role-requests') }, async (req, reply) =>
    reply.status(201).send(await service.requestRoles(req.actor!, parse(roleRequestCreate, req.body))),
  );
  app.post('/v1/accounts/me/role-requests/:requestId/cancel', { ...hide, preHandler: needs(sessions, 'POST /v1/accounts/me/role-requests/:requestId/cancel') }, async (req) =>
    service.cancel(req.actor!, requestIdParam(req.params)),
  );

  app.get('/v1/approvals/role-requests', { ...hide, preHandler: needs(sessions, 'GET /v1/approvals/role-requests') }, async (req) =>
    service.approvals(req.actor!, parse(approvalQuery, req.query).state),
  );
  app.get('/v1/approvals/role-requests/:requestId', { ...hide, preHandler: needs(sessions, 'GET /v1/approvals/role-requests/:requestId') }, async (req) =>
    service.approvalDetail(req.actor!, requestIdParam(req.params)),
  );
  app.post('/v1/approvals/role-requests/:requestId/decision', { ...hide, preHandler: needs(sessions, 'POST /v1/approvals/role-requests/:requestId/decision') }, async (req) => {
    const d = parse(decisionRequest, req.body);
    return service.decide(req.actor!, requestIdParam(req.params), d.decision, d.comment);
  });
  app.post('/v1/approvals/users/:userId/rebind', { ...hide, preHandler: needs(sessions, 'POST /v1/approvals/users/:userId/rebind') }, async (req) =>
    service.approverRebind(req.actor!, parse(uuid, (req.params as { userId?: unknown }).userId), parse(approverRebindRequest, req.body)),
  );
  app.get('/v1/approvals/users', { ...hide, preHandler: needs(sessions, 'GET /v1/approvals/users') }, async (req) =>
    service.approverUsers(req.actor!, parse(approverUserQuery, req.query).q),
  );

  // 시스템관리자: the institution directory and role revocation (src/server/directory/admin.ts).
  const directory = service.directory;
  app.get('/v1/system/institutions', { ...hide, preHandler: needs(sessions, 'GET /v1/system/institutions') }, async (req) => ({
    institutions: await directory.list(parse(adminInstitutionQuery, req.query)),
  }));
  app.post('/v1/system/institutions', { ...hide, preHandler: needs(sessions, 'POST /v1/system/institutions') }, async (req, reply) =>
    reply.status(201).send(await directory.create(directoryActor(req), parse(institutionCreate, req.body))),
  );
  app.post('/v1/system/institutions/:institutionId', { ...hide, preHandler: needs(sessions, 'POST /v1/system/institutions/:institutionId') }, async (req) =>
    directory.update(directoryActor(req), param(institutionId, req.params, 'institutionId'), parse(institutionUpdate, req.body)),
  );
  app.post('/v1/system/institutions/:institutionId/deactivate', { ...hide, preHandler: needs(sessions, 'POST /v1/system/institutions/:institutionId/deactivate') }, async (req) =>
    directory.setActive(directoryActor(req), param(institutionId, req.params, 'institutionId'), false, parse(institutionStatusChange, req.body).reason),
  );
  app.post('/v1/system/institutions/:institutionId/reactivate', { ...hide, preHandler: needs(sessions, 'POST /v1/system/institutions/:institutionId/reactivate') }, async (req) =>
    directory.setActive(directoryActor(req), param(institutionId, req.params, 'institutionId'), true, parse(institutionStatusChange, req.body).reason),
  );
  app.get('/v1/system/institutions/:institutionId/events', { ...hide, preHandler: needs(sessions, 'GET /v1/system/institutions/:institutionId/events') }, async (req) =>
    directory.events(param(institutionId, req.params, 'institutionId')),
  );
  app.post('/v1/system/users/:userId/roles/:role/revoke', { ...hide, preHandler: needs(sessions, 'POST /v1/system/users/:userId/roles/:role/revoke') }, async (req) =>
    service.revokeRole(req.actor!, param(uuid, req.params, 'userId'), param(accountRole, req.params, 'role'), parse(roleRevoke, req.body).reason),
  );
}
