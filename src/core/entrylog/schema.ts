// Runs in Node (main, hosts). The entry log's schema as numbered migrations. Each runs in its
// own transaction and bumps PRAGMA user_version; a migration, once released, never changes —
// a new one is appended instead.

/** 'MJG1' — marks a SQLite file as a Munjigi entry log, so another database is never migrated. */
export const APPLICATION_ID = 0x4d4a4731;

export interface Migration {
  version: number;
  why: string;
  sql: string;
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
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);
