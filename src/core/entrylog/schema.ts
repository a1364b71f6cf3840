// Runs in Node (main, hosts). The entry log's schema as numbered migrations. Each runs in its
// own transaction and bumps PRAGMA user_version; a migration, once released, never changes —
// a new one is appended instead.
import type Database from 'better-sqlite3';
import { GENESIS_HASH, recordHash } from './chain';
import type { EntryRecord } from './chain';

/** 'MJG1' — marks a SQLite file as a Munjigi entry log, so another database is never migrated. */
export const APPLICATION_ID = 0x4d4a4731;

export interface Migration {
  version: number;
  why: string;
  sql: string;
  /** Data work after the SQL, in the same transaction (e.g. chaining existing rows). */
  run?: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    why: 'entries, their outbox rows, refusal counters and replays reported by the central API',
    sql: `
      CREATE TABLE entry (
        id          TEXT PRIMARY KEY NOT NULL,
        token_id    TEXT NOT NULL UNIQUE,
        issuer      INTEGER NOT NULL,
        subject     TEXT NOT NULL,
        facility_id TEXT NOT NULL,
        kiosk_id    TEXT NOT NULL,
        scanned_at  INTEGER NOT NULL,
        issued_at   INTEGER NOT NULL,
        source      TEXT NOT NULL,
        result      TEXT NOT NULL,
        replayed_at INTEGER
      ) STRICT;
      -- todayCount (range count) and purgeExpired (range delete).
      CREATE INDEX entry_scanned_at ON entry (scanned_at);

      CREATE TABLE outbox (
        seq        INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id   TEXT NOT NULL UNIQUE REFERENCES entry (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        attempts   INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      ) STRICT;
      -- oldestPendingAt.
      CREATE INDEX outbox_created_at ON outbox (created_at);

      CREATE TABLE refusal_count (
        day   TEXT NOT NULL,
        code  TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, code)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE known_replay (
        token_id    TEXT PRIMARY KEY NOT NULL,
        reported_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      -- purgeExpired.
      CREATE INDEX known_replay_reported_at ON known_replay (reported_at);
    `,
  },
  {
    version: 2,
    why: 'hash chain over entries, its head, signed deletion receipts, opening self-test runs',
    sql: `
      ALTER TABLE entry ADD COLUMN seq INTEGER;
      ALTER TABLE entry ADD COLUMN prev_hash TEXT;
      ALTER TABLE entry ADD COLUMN hash TEXT;
      -- Chain order: verification and the prefix purge walk it.
      CREATE UNIQUE INDEX entry_seq ON entry (seq);

      -- One row: the last entry ever chained (kept when entries are purged).
      CREATE TABLE chain_head (
        one  INTEGER PRIMARY KEY CHECK (one = 1),
        seq  INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;

      -- Signed records of each purge. Never purged; no personal data. sent_at: the central API has it.
      CREATE TABLE deletion_receipt (
        id         INTEGER PRIMARY KEY,
        created_at INTEGER NOT NULL,
        body       TEXT NOT NULL,
        signature  TEXT NOT NULL,
        sent_at    INTEGER
      ) STRICT;
      CREATE INDEX deletion_receipt_unsent ON deletion_receipt (id) WHERE sent_at IS NULL;

      -- Opening self-test runs (자가점검), the last few kept.
      CREATE TABLE selftest_run (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  INTEGER NOT NULL,
        day         TEXT NOT NULL,
        trigger     TEXT NOT NULL,
        ok          INTEGER NOT NULL,
        results     TEXT NOT NULL
      ) STRICT;
    `,
    run(db) {
      // Existing entries are chained in the order they were written (rowid), oldest first.
      const rows = db.prepare('SELECT rowid AS r, * FROM entry ORDER BY rowid').iterate() as IterableIterator<EntryRecord & { r: number }>;
      const pending: Array<[number, string, string, number]> = [];
      let prev = GENESIS_HASH;
      let seq = 0;
      for (const r of rows) {
        seq++;
        const hash = recordHash(prev, r);
        pending.push([seq, prev, hash, r.r]);
        prev = hash;
      }
      const set = db.prepare('UPDATE entry SET seq = ?, prev_hash = ?, hash = ? WHERE rowid = ?');
      for (const p of pending) set.run(...p);
      db.prepare('INSERT INTO chain_head (one, seq, hash) VALUES (1, ?, ?)').run(seq, prev);
    },
  },
  {
    version: 3,
    why: 'entries per hour, kept by triggers in the same transaction as every insert and purge, so the console counts a day from 24 rows instead of scanning the index',
    sql: `
      -- hour = scanned_at / 3600000 (whole UTC hours; Seoul is UTC+9, so its hours are the same).
      CREATE TABLE entry_hour (
        hour  INTEGER PRIMARY KEY,
        count INTEGER NOT NULL
      ) STRICT;
      INSERT INTO entry_hour (hour, count) SELECT scanned_at / 3600000, count(*) FROM entry GROUP BY 1;

      CREATE TRIGGER entry_hour_insert AFTER INSERT ON entry BEGIN
        INSERT INTO entry_hour (hour, count) VALUES (NEW.scanned_at / 3600000, 1)
          ON CONFLICT (hour) DO UPDATE SET count = count + 1;
      END;
      CREATE TRIGGER entry_hour_delete AFTER DELETE ON entry BEGIN
        UPDATE entry_hour SET count = count - 1 WHERE hour = OLD.scanned_at / 3600000;
        DELETE FROM entry_hour WHERE hour = OLD.scanned_at / 3600000 AND count <= 0;
      END;
      -- Entries never change their time; should one ever, its hour moves with it.
      CREATE TRIGGER entry_hour_move AFTER UPDATE OF scanned_at ON entry WHEN OLD.scanned_at <> NEW.scanned_at BEGIN
        UPDATE entry_hour SET count = count - 1 WHERE hour = OLD.scanned_at / 3600000;
        DELETE FROM entry_hour WHERE hour = OLD.scanned_at / 3600000 AND count <= 0;
        INSERT INTO entry_hour (hour, count) VALUES (NEW.scanned_at / 3600000, 1)
          ON CONFLICT (hour) DO UPDATE SET count = count + 1;
      END;
    `,
  },
  {
    version: 4,
    why: 'entries the central API refused for good (4xx about the entry itself) wait in quarantine, so one bad entry never blocks the outbox',
    sql: `
      CREATE TABLE outbox_quarantine (
        entry_id       TEXT PRIMARY KEY REFERENCES entry (id) ON DELETE CASCADE,
        quarantined_at INTEGER NOT NULL,
        code           TEXT NOT NULL,
        attempts       INTEGER NOT NULL
      ) STRICT;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);
