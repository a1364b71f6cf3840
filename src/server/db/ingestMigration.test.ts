// Runs in Node (vitest). Migration 0004 on SQLite: entries written under the old schema keep
// their data and their token ownership, and get the lookup keys ingest and investigations use.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../../core/clock';
import { createEntryStore } from '../entries';
import { hexKey, tokenKey } from './entryKeys';
import { migrate } from './migrations';
import { openServerDb } from './open';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration 0004 (SQLite entries)', () => {
  it('keeps old entries, their replay flags and token owners, and adds their keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-mig-'));
    dirs.push(dir);
    const file = join(dir, 'server.db');
    const raw = new Database(file);
    const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    await migrate(old, 'sqlite', '0003_sitescan');
    const now = 1_790_000_000_000;
    const facility = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const kiosk = '11111111-2222-4333-8444-555555555555';
    raw.prepare(`INSERT INTO facilities VALUES (?, '시설', '주소', '2208162517', '서울특별시 강남구', ?)`).run(facility, now);
    raw.prepare(`INSERT INTO kiosks VALUES (?, ?, 'pk', '정문', 'active', ?, NULL)`).run(kiosk, facility, now);
    const token = '1:f0112233445566ff';
    const subject = 'ab'.repeat(16);
    const insert = raw.prepare(`INSERT INTO entries VALUES (?, ?, ?, 1, ?, ?, ?, ?, 'wedge', ?, ?)`);
    // The replay was stored before its owner, with the same received_at: only the replay flag tells them apart.
    insert.run('aaaaaaaa-0000-4000-8000-000000000002', now - 500, token, subject, facility, kiosk, 1, now - 100, 1);
    insert.run('aaaaaaaa-0000-4000-8000-000000000001', now - 1000, token, subject, facility, kiosk, 1, now - 100, 0);
    raw.prepare('INSERT INTO token_uses VALUES (?, ?, ?, ?)').run(token, 'aaaaaaaa-0000-4000-8000-000000000001', facility, now - 1000);
    await old.destroy();

    const db = await openServerDb({ file });
    try {
      const rows = db.sqlite!.prepare('SELECT id, replay, token_key, facility_key, subject_key FROM entries ORDER BY seq').safeIntegers(true).all() as Array<Record<string, unknown>>;
      expect(rows.map((r) => [r.id, r.replay])).toEqual([
        ['aaaaaaaa-0000-4000-8000-000000000001', 0n],
        ['aaaaaaaa-0000-4000-8000-000000000002', 1n],
      ]);
      // The token key is all 64 bits (here above 2^63, so negative as a signed INTEGER).
      expect(tokenKey(token)).toBe(0xf0112233445566ffn - (1n << 64n));
      // Sequential (low-entropy) token ids still get distinct keys: lookups never degrade into scans.
      expect(new Set(Array.from({ length: 5000 }, (_, i) => tokenKey(`1:${i.toString(16).padStart(16, '0')}`))).size).toBe(5000);
      expect(rows[0]).toMatchObject({ token_key: tokenKey(token), facility_key: BigInt(hexKey(facility)), subject_key: BigInt(hexKey(subject)) });
      expect(db.sqlite!.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'token_uses'").pluck().get()).toBe(0);
      // Ingest after the migration: a resend is a duplicate (still reported as a replay), a new use a replay.
      const store = createEntryStore(db.db, 'sqlite', fakeClock(now), db.sqlite);
      const principal = { kind: 'kiosk' as const, kioskId: kiosk, facilityId: facility };
      const base = { tokenId: token, issuer: 1, subject, issuedAt: 1, source: 'wedge' };
      const res = await store.ingest(principal, [
        { ...base, id: 'aaaaaaaa-0000-4000-8000-000000000002', scannedAt: now - 500 },
        { ...base, id: 'aaaaaaaa-0000-4000-8000-000000000003', scannedAt: now },
      ]);
      expect(res).toEqual({
        accepted: 1,
        duplicates: 1,
        rejected: [],
        replays: [
          { entryId: 'aaaaaaaa-0000-4000-8000-000000000002', tokenId: token },
          { entryId: 'aaaaaaaa-0000-4000-8000-000000000003', tokenId: token },
        ],
      });
      await store.close();
    } finally {
      await db.close();
    }
  });
});
