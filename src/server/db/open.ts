// Runs in the central API (Node). Opens the server database: an SQLite file (embedded
// default) or PostgreSQL (DATABASE_URL), both behind one Kysely query layer, migrated.
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { hexKey, tokenKey } from './entryKeys';
import { migrate } from './migrations';
import type { ServerSchema } from './schema';

export type Engine = 'sqlite' | 'pg';

export interface ServerDb {
  db: Kysely<ServerSchema>;
  engine: Engine;
  /** The raw SQLite handle, for the entry-ingest hot path (used only while holding Kysely's connection). */
  sqlite?: Database.Database;
  /** SQLite file only: entry batches are written by a worker thread with its own connection (the default). */
  ingestWorker?: boolean;
  close(): Promise<void>;
}

/** Every SQLite connection to the server database (the main one and the ingest writer's) runs these. */
export const SQLITE_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  // 64 MiB page cache: token and subject keys are random, so index inserts touch pages all over.
  'cache_size = -65536',
  // Checkpoint every ~80 MB of WAL instead of 4 MB: random-key index pages are rewritten many
  // times between checkpoints, so fewer checkpoints mean far fewer page writes. Durability is
  // unchanged: synchronous=FULL syncs the WAL at every commit, so an acknowledged batch
  // survives power loss (the kiosk deletes its outbox rows on the acknowledgement).
  'wal_autocheckpoint = 20000',
  'journal_size_limit = 134217728',
] as const;

/**
 * `ingestWorker`: write SQLite entry batches in a worker thread, so HTTP work and the commit's
 * fsync wait overlap on two cores. On by default since the idle A/B of session 3 (docs/server.md
 * "Throughput"); `false` keeps the writes on the main thread.
 */
export type DbTarget = { file: string; ingestWorker?: boolean } | { url: string; poolSize?: number };

// BIGINT (int8) columns hold millisecond times: read them back as numbers, not strings.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Migration 0004 computes the entry lookup keys in SQL with the same functions as ingest. */
export function registerKeyFunctions(sqlite: Database.Database): void {
  sqlite.function('munjigi_hex_key', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? hexKey(v) : 0));
  sqlite.function('munjigi_token_key', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? tokenKey(v) : 0n));
}

export async function openServerDb(target: DbTarget): Promise<ServerDb> {
  let db: Kysely<ServerSchema>;
  let engine: Engine;
  let raw: Database.Database | undefined;
  if ('file' in target) {
    const sqlite = new Database(target.file);
    for (const p of SQLITE_PRAGMAS) sqlite.pragma(p);
    registerKeyFunctions(sqlite);
    raw = sqlite;
    db = new Kysely<ServerSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
    engine = 'sqlite';
  } else {
    if (!/^postgres(ql)?:\/\//.test(target.url)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10, types: pgTypes });
    db = new Kysely<ServerSchema>({ dialect: new PostgresDialect({ pool }) });
    engine = 'pg';
  }
  try {
    await migrate(db as unknown as Kysely<unknown>, engine);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, engine, ...(raw ? { sqlite: raw } : {}), ...('file' in target && target.ingestWorker !== false ? { ingestWorker: true } : {}), close: () => db.destroy() };
}
