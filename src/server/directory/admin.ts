// Runs in the central API and the CLI (Node). Institution administration for 시스템관리자 (and
// for an operator before any administrator exists): add an institution with its kind and
// jurisdiction, change it, deactivate or reactivate it. Institutions are never deleted (users,
// requests and other institutions point at them); every change is an institution_events row
// written in the same transaction, with what it was before and after.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Clock } from '../../core/clock';
import type { Logger } from '../../core/log';
import type { adminInstitution, adminInstitutionQuery, institutionCreate, institutionUpdate } from '../../shared/accounts';
import type { ServerSchema } from '../db/schema';
import { ApiError } from '../errors';
import type { DirectoryTables } from './migration';

/** Who makes a change: a signed-in 시스템관리자, or `operator:<name>` from the CLI. */
export interface DirectoryActor {
  id: string;
  name: string;
}

export const directoryErrors = {
  unknown: () => new ApiError(404, 'INSTITUTION_UNKNOWN', '기관 목록에 없는 기관입니다. 기관 코드를 확인해 주세요.'),
  exists: (why: string) => new ApiError(409, 'INSTITUTION_EXISTS', `이미 등록된 기관입니다: ${why}`),
  inactive: () => new ApiError(409, 'INSTITUTION_INACTIVE', '사용이 중지된 기관입니다. 먼저 기관을 다시 사용하도록 바꿔 주세요.'),
  alreadyActive: () => new ApiError(409, 'INSTITUTION_ACTIVE', '이미 사용 중인 기관입니다.'),
  inUse: (why: string) => new ApiError(409, 'INSTITUTION_IN_USE', `지금은 사용 중지할 수 없습니다: ${why}`),
  healthCenterInvalid: (why: string) => new ApiError(400, 'HEALTH_CENTER_INVALID', `관할 보건소가 올바르지 않습니다: ${why}`),
};

type AdminInstitution = z.infer<typeof adminInstitution>;
type Db = Kysely<ServerSchema & DirectoryTables>;

/** LIKE pattern for a typed needle, with % _ and \ escaped (use with ESCAPE '\'). */
export const likePattern = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createDirectoryAdmin(opts: { db: Kysely<ServerSchema>; clock: Clock; logger: Logger }) {
  const db: Db = opts.db.withTables<DirectoryTables>();
  const { clock, logger } = opts;

  const row = (id: string, trx: Db = db) => trx.selectFrom('institutions').selectAll().where('id', '=', id).executeTakeFirst();
  type Row = NonNullable<Awaited<ReturnType<typeof row>>>;
  const fields = (r: Row) => ({ name: r.name, kind: r.kind, sido: r.sido, sigungu: r.sigungu, phone: r.phone, healthCenterId: r.health_center_id, active: Number(r.active) === 1 });

  async function event(trx: Db, e: { institutionId: string; actor: DirectoryActor; action: 'create' | 'update' | 'deactivate' | 'reactivate'; before: object | null; after: object | null; reason: string | null }) {
    const prior = await trx.selectFrom('institution_events').select((eb) => eb.fn.countAll().as('n')).where('institution_id', '=', e.institutionId).executeTakeFirstOrThrow();
    await trx
      .insertInto('institution_events')
      .values({
        id: randomUUID(),
        institution_id: e.institutionId,
        seq: Number(prior.n),
        at: clock(),
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        action: e.action,
        before_json: e.before ? JSON.stringify(e.before) : null,
        after_json: e.after ? JSON.stringify(e.after) : null,
        reason: e.reason,
      })
      .execute();
  }

  /** The jurisdiction of a non-보건소 must be an active 보건소 of the same 시도. */
  async function checkHealthCenter(trx: Db, healthCenterId: string | undefined, sido: string) {
    if (!healthCenterId) throw directoryErrors.healthCenterInvalid('관할 보건소를 지정해 주세요.');
    const hc = await row(healthCenterId, trx);
    if (!hc) throw directoryErrors.healthCenterInvalid('기관 목록에 없는 보건소입니다.');
    if (hc.kind !== 'health_center') throw directoryErrors.healthCenterInvalid('관할 기관은 보건소여야 합니다.');
    if (Number(hc.active) !== 1) throw directoryErrors.healthCenterInvalid('사용이 중지된 보건소입니다.');
    if (hc.sido !== sido) throw directoryErrors.healthCenterInvalid(`관할 보건소는 같은 시도(${sido})에 있어야 합니다.`);
  }

  async function view(id: string): Promise<AdminInstitution> {
    const [found] = await list({ id });
    if (!found) throw directoryErrors.unknown();
    return found;
  }

  async function list(q: z.infer<typeof adminInstitutionQuery> & { id?: string }): Promise<AdminInstitution[]> {
    let sel = db
      .selectFrom('institutions as i')
      .select(['i.id', 'i.name', 'i.kind', 'i.sido', 'i.sigungu', 'i.phone', 'i.health_center_id', 'i.active', 'i.updated_at'])
      .select((eb) => eb.selectFrom('users as u').select((e) => e.fn.countAll().as('n')).whereRef('u.institution_id', '=', 'i.id').as('users'))
      .orderBy('i.kind')
      .orderBy('i.name')
      .limit(500);
    if (q.id) sel = sel.where('i.id', '=', q.id);
    if (q.kind) sel = sel.where('i.kind', '=', q.kind);
    if (q.includeInactive !== 'true' && !q.id) sel = sel.where('i.active', '=', 1);
    const needle = q.q?.trim();
    if (needle) {
      const pattern = likePattern(needle);
      sel = sel.where((eb) => eb.or([sql<boolean>`${eb.ref('i.name')} LIKE ${pattern} ESCAPE '\\'`, sql<boolean>`${eb.ref('i.sigungu')} LIKE ${pattern} ESCAPE '\\'`, sql<boolean>`${eb.ref('i.id')} LIKE ${pattern} ESCAPE '\\'`]));
    }
    const rows = await sel.execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      sido: r.sido,
      sigungu: r.sigungu,
      phone: r.phone,
      healthCenterId: r.health_center_id,
      active: Number(r.active) === 1,
      users: Number(r.users ?? 0),
      updatedAt: r.updated_at === null ? null : Number(r.updated_at),
    }));
  }

  return {
    list: (q: z.infer<typeof adminInstitutionQuery>) => list(q),

    async create(actor: DirectoryActor, input: z.infer<typeof institutionCreate>): Promise<AdminInstitution> {
      await db.transaction().execute(async (trx) => {
        if (await row(input.id, trx)) throw directoryErrors.exists(`기관 코드 ${input.id}`);
        const twin = await trx.selectFrom('institutions').select('id').where('name', '=', input.name).where('sido', '=', input.sido).where('sigungu', '=', input.sigungu).executeTakeFirst();
        if (twin) throw directoryErrors.exists(`같은 지역에 같은 이름의 기관(${twin.id})이 있습니다`);
        let healthCenterId = input.healthCenterId;
        if (input.kind === 'health_center') {
          if (healthCenterId && healthCenterId !== input.id) throw directoryErrors.healthCenterInvalid('보건소의 관할은 그 보건소 자신입니다.');
          healthCenterId = input.id;
        } else {
          await checkHealthCenter(trx, healthCenterId, input.sido);
        }
        const now = clock();
        const values = { id: input.id, name: input.name, kind: input.kind, sido: input.sido, sigungu: input.sigungu, phone: input.phone ?? null, health_center_id: healthCenterId!, active: 1, updated_at: now };
        await trx.insertInto('institutions').values(values).execute();
        await event(trx, { institutionId: input.id, actor, action: 'create', before: null, after: fields(values as Row), reason: null });
      });
      logger.info('institution created', { institutionId: input.id, kind: input.kind });
      return view(input.id);
    },

    async update(actor: DirectoryActor, id: string, input: z.infer<typeof institutionUpdate>): Promise<AdminInstitution> {
      await db.transaction().execute(async (trx) => {
        const cur = await row(id, trx);
        if (!cur) throw directoryErrors.unknown();
        const next = {
          name: input.name ?? cur.name,
          sido: input.sido ?? cur.sido,
          sigungu: input.sigungu ?? cur.sigungu,
          phone: input.phone === undefined ? cur.phone : input.phone,
          health_center_id: input.healthCenterId ?? cur.health_center_id,
        };
        if (cur.kind === 'health_center') {
          if (next.health_center_id !== id) throw directoryErrors.healthCenterInvalid('보건소의 관할은 그 보건소 자신입니다.');
          if (next.sido !== cur.sido) {
            const under = await trx.selectFrom('institutions').select('id').where('health_center_id', '=', id).where('id', '!=', id).executeTakeFirst();
            if (under) throw directoryErrors.healthCenterInvalid('관할 기관이 있는 보건소의 시도는 바꿀 수 없습니다.');
          }
        } else if (next.health_center_id !== cur.health_center_id || next.sido !== cur.sido) {
          await checkHealthCenter(trx, next.health_center_id, next.sido);
        }
        if (next.name !== cur.name || next.sido !== cur.sido || next.sigungu !== cur.sigungu) {
          const twin = await trx.selectFrom('institutions').select('id').where('name', '=', next.name).where('sido', '=', next.sido).where('sigungu', '=', next.sigungu).where('id', '!=', id).executeTakeFirst();
          if (twin) throw directoryErrors.exists(`같은 지역에 같은 이름의 기관(${twin.id})이 있습니다`);
        }
        const before = fields(cur);
        const after = fields({ ...cur, ...next });
        const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => after[k] !== before[k]);
        if (changed.length === 0) return;
        await trx.updateTable('institutions').set({ ...next, updated_at: clock() }).where('id', '=', id).execute();
        await event(trx, {
          institutionId: id,
          actor,
          action: 'update',
          before: Object.fromEntries(changed.map((k) => [k, before[k]])),
          after: Object.fromEntries(changed.map((k) => [k, after[k]])),
          reason: input.reason ?? null,
        });
      });
      logger.info('institution updated', { institutionId: id });
      return view(id);
    },

    async setActive(actor: DirectoryActor, id: string, active: boolean, reason: string): Promise<AdminInstitution> {
      await db.transaction().execute(async (trx) => {
        const cur = await row(id, trx);
        if (!cur) throw directoryErrors.unknown();
        const isActive = Number(cur.active) === 1;
        if (isActive === active) throw active ? directoryErrors.alreadyActive() : directoryErrors.inactive();
        if (!active && cur.kind === 'health_center') {
          const under = await trx
            .selectFrom('institutions')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('health_center_id', '=', id)
            .where('id', '!=', id)
            .where('active', '=', 1)
            .executeTakeFirstOrThrow();
          if (Number(under.n) > 0) throw directoryErrors.inUse(`이 보건소가 관할하는 기관 ${Number(under.n)}곳을 먼저 다른 보건소로 옮기거나 사용 중지해 주세요.`);
          const pending = await trx.selectFrom('role_requests').select((eb) => eb.fn.countAll().as('n')).where('approver_id', '=', id).where('state', '=', 'pending').executeTakeFirstOrThrow();
          if (Number(pending.n) > 0) throw directoryErrors.inUse(`이 보건소가 승인기관인 대기 중 권한 신청 ${Number(pending.n)}건을 먼저 처리해 주세요.`);
        }
        if (active && cur.kind !== 'health_center') await checkHealthCenter(trx, cur.health_center_id, cur.sido);
        await trx.updateTable('institutions').set({ active: active ? 1 : 0, updated_at: clock() }).where('id', '=', id).execute();
        await event(trx, { institutionId: id, actor, action: active ? 'reactivate' : 'deactivate', before: { active: isActive }, after: { active }, reason });
      });
      logger.info(active ? 'institution reactivated' : 'institution deactivated', { institutionId: id });
      return view(id);
    },

    async events(id: string) {
      if (!(await row(id))) throw directoryErrors.unknown();
      const rows = await db.selectFrom('institution_events').selectAll().where('institution_id', '=', id).orderBy('seq').limit(1000).execute();
      return {
        events: rows.map((r) => ({
          at: Number(r.at),
          actorId: r.actor_id,
          actorName: r.actor_name,
          action: r.action,
          before: r.before_json ? (JSON.parse(r.before_json) as Record<string, unknown>) : null,
          after: r.after_json ? (JSON.parse(r.after_json) as Record<string, unknown>) : null,
          reason: r.reason,
        })),
      };
    },
  };
}

export type DirectoryAdmin = ReturnType<typeof createDirectoryAdmin>;
