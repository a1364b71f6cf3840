// Runs in the central API (Node). 역학조사 queries for the investigator role: visits of a
// facility in a window, and visits of one issuer subject handle in a window. Every query is
// written to the audit log (who, when, what, how many rows). Answers carry opaque handles
// only; the issuer alone can map a handle to a person.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { DAY_MS } from '../core/clock';
import type { Clock } from '../core/clock';
import type { PersonPrincipal } from './auth';
import { hexKey } from './db/entryKeys';
import type { Engine } from './db/open';
import type { ServerSchema } from './db/schema';
import { apiErrors } from './errors';

type Db = Kysely<ServerSchema>;

export const MAX_WINDOW_MS = 28 * DAY_MS;
const MAX_ROWS = 50_000;

function checkWindow(from: number, to: number) {
  if (!(from < to) || to - from > MAX_WINDOW_MS) throw apiErrors.windowInvalid();
}

async function audit(db: Db, clock: Clock, who: PersonPrincipal, action: string, params: Record<string, unknown>, count: number) {
  await db
    .insertInto('audit_log')
    .values({ id: randomUUID(), at: clock(), actor_id: who.tokenId, actor_name: who.name, action, params: JSON.stringify(params), result_count: count })
    .execute();
}

/**
 * On SQLite, entries are found through narrow integer keys (migration 0004) in the lookup tables
 * the ingest writer fills after the fact (migration 0008), plus the entries it has not indexed yet
 * (seq above the mark, read in the same snapshot); the full values are compared too.
 */
function sqliteLookup(engine: Engine, by: 'facility' | 'subject', value: string, from: number, to: number) {
  if (engine !== 'sqlite') return sql<boolean>`TRUE`;
  const key = hexKey(value);
  const table = sql.table(by === 'facility' ? 'entry_by_facility' : 'entry_by_subject');
  const column = sql.ref(by === 'facility' ? 'facility_key' : 'subject_key');
  return sql<boolean>`${sql.ref('entries.seq')} IN (
    SELECT seq FROM ${table} WHERE ${column} = ${key} AND scanned_at >= ${from} AND scanned_at < ${to}
    UNION ALL
    SELECT seq FROM entries WHERE seq > (SELECT seq FROM entry_index_mark WHERE id = 1) AND ${column} = ${key})`;
}

/** The visits of one facility in a window (one row more than the cap, to tell truncation). Exported for the query-plan test. */
export const facilityVisitsQuery = (db: Db, engine: Engine, q: { facilityId: string; from: number; to: number }) =>
  db
    .selectFrom('entries')
    .select(['issuer', 'subject', 'scanned_at', 'kiosk_id'])
    .where(sqliteLookup(engine, 'facility', q.facilityId, q.from, q.to))
    .where('facility_id', '=', q.facilityId)
    .where('scanned_at', '>=', q.from)
    .where('scanned_at', '<', q.to)
    .orderBy('scanned_at')
    .limit(MAX_ROWS + 1);

/** The visits of one issuer subject handle in a window. Exported for the query-plan test. */
export const subjectVisitsQuery = (db: Db, engine: Engine, q: { issuer: number; subject: string; from: number; to: number }) =>
  db
    .selectFrom('entries')
    .innerJoin('facilities', 'facilities.id', 'entries.facility_id')
    .select(['entries.facility_id', 'facilities.name', 'facilities.jurisdiction', 'entries.scanned_at'])
    .where(sqliteLookup(engine, 'subject', q.subject, q.from, q.to))
    .where('entries.issuer', '=', q.issuer)
    .where('entries.subject', '=', q.subject)
    .where('entries.scanned_at', '>=', q.from)
    .where('entries.scanned_at', '<', q.to)
    .orderBy('entries.scanned_at')
    .limit(MAX_ROWS);

export async function facilityVisits(db: Db, engine: Engine, clock: Clock, who: PersonPrincipal, q: { facilityId: string; from: number; to: number }) {
  checkWindow(q.from, q.to);
  const facility = await db.selectFrom('facilities').select(['id', 'name', 'jurisdiction']).where('id', '=', q.facilityId).executeTakeFirst();
  if (!facility) {
    await audit(db, clock, who, 'facility-visits', q, 0);
    throw apiErrors.facilityNotFound();
  }
  const rows = await facilityVisitsQuery(db, engine, q).execute();
  await audit(db, clock, who, 'facility-visits', q, Math.min(rows.length, MAX_ROWS));
  return {
    facility: { id: facility.id, name: facility.name, jurisdiction: facility.jurisdiction },
    truncated: rows.length > MAX_ROWS,
    visits: rows.slice(0, MAX_ROWS).map((r) => ({ issuer: r.issuer, subject: r.subject, scannedAt: r.scanned_at, kioskId: r.kiosk_id })),
  };
}

export async function subjectVisits(db: Db, engine: Engine, clock: Clock, who: PersonPrincipal, q: { issuer: number; subject: string; from: number; to: number }) {
  checkWindow(q.from, q.to);
  const rows = await subjectVisitsQuery(db, engine, q).execute();
  await audit(db, clock, who, 'subject-visits', q, rows.length);
  return { visits: rows.map((r) => ({ facilityId: r.facility_id, facilityName: r.name, jurisdiction: r.jurisdiction, scannedAt: r.scanned_at })) };
}

export async function auditEntries(db: Db, q: { from: number; to: number }) {
  const rows = await db.selectFrom('audit_log').selectAll().where('at', '>=', q.from).where('at', '<', q.to).orderBy('at').limit(10_000).execute();
  return rows.map((r) => ({ at: r.at, actorId: r.actor_id, actorName: r.actor_name, action: r.action, params: JSON.parse(r.params) as unknown, resultCount: r.result_count }));
}
