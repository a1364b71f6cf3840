// Runs under vitest (Node). SQLite entries are indexed for investigations after they are written
// (migration 0008): facility and subject visits must still show every entry, indexed or not yet,
// through the lookup tables and never a scan of all entries; the purge removes expired entries
// with their lookup rows; and a database migrated from 0007 keeps every entry findable.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../core/clock';
import { seededRandom } from '../core/seededRandom';
import type { PersonPrincipal } from './auth';
import { hexKey, tokenKey } from './db/entryKeys';
import { migrate } from './db/migrations';
import type { ServerDb } from './db/open';
import { openServerDb, registerKeyFunctions } from './db/open';
import type { WireEntry } from './entries';
import { createEntryStore } from './entries';
import { createFacility } from './facilities';
import { facilityVisits, facilityVisitsQuery, subjectVisits, subjectVisitsQuery } from './investigations';

const T0 = Date.UTC(2026, 10, 23, 3);
const investigator: PersonPrincipal = { kind: 'person', tokenId: 'tok-1', name: '역학조사관', role: 'investigator' };
const SUBJECTS = ['0a'.repeat(16), '1b'.repeat(16), '2c'.repeat(16)];

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-entry-index-'));
  const clock = fakeClock(T0);
  const db = await openServerDb({ file: join(dir, 'server.db') });
  const store = createEntryStore(db.db, 'sqlite', clock, db.sqlite, { ingestWorker: true });
  cleanup.push(async () => {
    await store.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const facility = (name: string) => createFacility(db.db, clock, { name, address: '서울특별시 중구 세종대로 110', businessNo: '220-81-62517', jurisdiction: '서울특별시 중구' });
  const facilities = [await facility('가 의원'), await facility('나 약국')];
  return { db, clock, store, facilities };
}


const entryAt = (scannedAt: number, subject: string): WireEntry => ({
  id: randomUUID(),
  tokenId: `1:${randomUUID().replace(/-/g, '').slice(0, 16)}`,
  issuer: 1,
  subject,
  scannedAt,
  issuedAt: Math.floor(scannedAt / 1000),
  source: 'wedge',
});

describe('SQLite entry lookups written after the fact (migration 0008)', () => {
  it('investigations see every entry, indexed or still in the unindexed tail', async () => {
    const { db, clock, store, facilities } = await setup();
    const random = seededRandom(8);
    const stored: Array<{ facilityId: string; e: WireEntry }> = [];
    const post = async (n: number) => {
      for (const f of facilities) {
        const batch = Array.from({ length: n }, () => entryAt(T0 - Math.floor(random() * 10 * DAY_MS), SUBJECTS[Math.floor(random() * SUBJECTS.length)]!));
        expect((await store.ingest({ kind: 'kiosk', kioskId: `kiosk-${f.name}`, facilityId: f.id }, batch)).accepted).toBe(n);
        stored.push(...batch.map((e) => ({ facilityId: f.id, e })));
      }
    };
    const check = async () => {
      for (const [from, to] of [[T0 - 10 * DAY_MS, T0 + 1], [T0 - 3 * DAY_MS, T0 - DAY_MS], [T0 - 5 * DAY_MS - 7, T0 - 5 * DAY_MS + 3_600_000]] as const) {
        for (const f of facilities) {
          const want = stored.filter((s) => s.facilityId === f.id && s.e.scannedAt >= from && s.e.scannedAt < to).map((s) => s.e.scannedAt).sort((a, b) => a - b);
          const got = await facilityVisits(db.db, 'sqlite', clock, investigator, { facilityId: f.id, from, to });
          expect(got.visits.map((v) => v.scannedAt)).toEqual(want);
        }
        for (const subject of SUBJECTS) {
          const want = stored.filter((s) => s.e.subject === subject && s.e.scannedAt >= from && s.e.scannedAt < to).map((s) => `${s.e.scannedAt} ${s.facilityId}`).sort();
          const got = await subjectVisits(db.db, 'sqlite', clock, investigator, { issuer: 1, subject, from, to });
          expect(got.visits.map((v) => `${v.scannedAt} ${v.facilityId}`).sort()).toEqual(want);
        }
      }
    };
    const indexedSeqs = () => db.sqlite!.prepare('SELECT count(*) FROM entry_by_subject').pluck().get();
    await post(40);
    await check(); // all in the tail (the default policy waits for 20,000 entries or a quiet second)
    expect(await store.flushIndex()).toBe(80);
    await post(30);
    await check(); // 80 indexed, 60 in the tail
    expect(indexedSeqs()).toBe(80);
    await store.flushIndex();
    await check();
    expect(indexedSeqs()).toBe(140);
  });

  it('finds entries through the lookup tables and by rowid, never by scanning all entries', async () => {
    const { db, facilities } = await setup();
    const plan = (compiled: { sql: string; parameters: readonly unknown[] }) =>
      (db.sqlite!.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...(compiled.parameters as unknown[])) as Array<{ detail: string }>).map((r) => r.detail);
    const byFacility = plan(facilityVisitsQuery(db.db, 'sqlite', { facilityId: facilities[0]!.id, from: T0 - DAY_MS, to: T0 }).compile());
    const bySubject = plan(subjectVisitsQuery(db.db, 'sqlite', { issuer: 1, subject: SUBJECTS[0]!, from: T0 - DAY_MS, to: T0 }).compile());
    for (const [steps, table] of [[byFacility, 'entry_by_facility'], [bySubject, 'entry_by_subject']] as const) {
      expect(steps.some((d) => d.startsWith(`SEARCH ${table} USING PRIMARY KEY`))).toBe(true);
      // The entries themselves: by rowid from the lookup, and the tail above the mark by a rowid range.
      expect(steps.some((d) => /^SEARCH entries USING INTEGER PRIMARY KEY \(rowid=\?\)/.test(d))).toBe(true);
      expect(steps.some((d) => /^SEARCH entries USING INTEGER PRIMARY KEY \(rowid>\?\)/.test(d))).toBe(true);
      expect(steps.filter((d) => /^SCAN entries\b/.test(d))).toEqual([]);
    }
  });

  it('the purge removes expired entries with their lookup rows, indexed or not, and leaves the rest findable', async () => {
    const { db, clock, store, facilities } = await setup();
    const f = facilities[0]!;
    const kiosk = { kind: 'kiosk' as const, kioskId: 'kiosk-1', facilityId: f.id };
    const old = Array.from({ length: 30 }, (_, i) => entryAt(T0 - 27 * DAY_MS - i * 60_000, SUBJECTS[i % 3]!));
    const recent = Array.from({ length: 20 }, (_, i) => entryAt(T0 - DAY_MS - i * 60_000, SUBJECTS[i % 3]!));
    await store.ingest(kiosk, old.slice(0, 20));
    await store.flushIndex();
    // Ten expired entries and the recent ones are still unindexed when the purge starts.
    await store.ingest(kiosk, [...old.slice(20), ...recent]);
    clock.set(T0 + 2 * DAY_MS);
    expect((await store.purge()).entries).toBe(30);
    const sqlite = db.sqlite!;
    expect(sqlite.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(20);
    for (const table of ['entry_by_facility', 'entry_by_subject']) {
      // No lookup row points at a deleted entry, and every kept entry has its lookup row.
      expect(sqlite.prepare(`SELECT count(*) FROM ${table} WHERE seq NOT IN (SELECT seq FROM entries)`).pluck().get()).toBe(0);
      expect(sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(20);
    }
    const visits = await facilityVisits(db.db, 'sqlite', clock, investigator, { facilityId: f.id, from: T0 - 10 * DAY_MS, to: T0 });
    expect(visits.visits.map((v) => v.scannedAt).sort((a, b) => a - b)).toEqual(recent.map((e) => e.scannedAt).sort((a, b) => a - b));
    // Entries after the purge get new seqs above the mark and are found like the others.
    const later = entryAt(T0 + DAY_MS, SUBJECTS[0]!);
    await store.ingest(kiosk, [later]);
    const mine = await subjectVisits(db.db, 'sqlite', clock, investigator, { issuer: 1, subject: SUBJECTS[0]!, from: T0, to: T0 + 2 * DAY_MS });
    expect(mine.visits.map((v) => v.scannedAt)).toEqual([later.scannedAt]);
  });
});

describe('migration 0008', () => {
  it('moves the keys of existing entries into the lookup tables and drops the two entry indexes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-mig8-'));
    cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'server.db');
    const raw = new Database(file);
    registerKeyFunctions(raw);
    const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    await migrate(old, 'sqlite', '0007_institution_admin');
    const facility = randomUUID();
    const insert = raw.prepare(`INSERT INTO entries (id, scanned_at, token_id, issuer, subject, facility_id, kiosk_id, issued_at, source, received_at, replay, token_key, facility_key, subject_key)
      VALUES (?, ?, ?, 1, ?, ?, 'kiosk-1', 1, 'wedge', ?, 0, ?, ?, ?)`);
    const rows = Array.from({ length: 25 }, (_, i) => entryAt(T0 - i * 3_600_000, SUBJECTS[i % 3]!));
    for (const e of rows) insert.run(e.id, e.scannedAt, e.tokenId, e.subject, facility, T0, tokenKey(e.tokenId), hexKey(facility), hexKey(e.subject));
    await old.destroy();

    const db: ServerDb = await openServerDb({ file });
    try {
      const sqlite = db.sqlite!;
      expect(sqlite.prepare('SELECT seq FROM entry_index_mark').pluck().get()).toBe(25);
      expect(sqlite.prepare('SELECT count(*) FROM entry_by_facility WHERE facility_key = ?').pluck().get(hexKey(facility))).toBe(25);
      expect(sqlite.prepare('SELECT count(*) FROM entry_by_subject WHERE subject_key = ?').pluck().get(hexKey(SUBJECTS[1]!))).toBe(8);
      expect(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL").pluck().all()).toEqual(['entries_token']);
    } finally {
      await db.close();
    }
  });
});
