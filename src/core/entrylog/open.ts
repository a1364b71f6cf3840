// Runs in Node (main, hosts). Opens the entry log's SQLite file, and refuses — with a coded,
// Korean error — a file that is missing when one was expected, is not a database, fails
// PRAGMA quick_check, belongs to something else or to a newer Munjigi. Every check on an
// existing file runs on a read-only connection first, so a refused file is left byte for byte
// as it was: what to do with it is the operator's decision, never ours.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { CodedError } from '../../shared/envelope';
import type { Logger } from '../log';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from './schema';

export type Db = Database.Database;

/** How long a writer waits for another connection's lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 3000;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export const entryLogErrors = {
  missing: () =>
    new CodedError(
      'ENTRY_LOG_MISSING',
      '출입 기록 파일을 찾을 수 없습니다. 새 기록을 임의로 만들지 않았습니다. 파일이 옮겨지거나 지워졌는지 관리자에게 확인해 주세요.',
    ),
  corrupt: (why: string) =>
    new CodedError(
      'ENTRY_LOG_CORRUPT',
      `출입 기록 파일이 손상되어 열 수 없습니다 (${why}). 파일을 지우거나 옮기지 말고 관리자에게 연락해 주세요.`,
    ),
  foreign: () =>
    new CodedError(
      'ENTRY_LOG_FOREIGN',
      '지정된 파일은 문지기 출입 기록이 아닌 다른 데이터베이스입니다. 출입 기록 경로 설정을 관리자에게 확인해 주세요.',
    ),
  tooNew: (found: number) =>
    new CodedError(
      'ENTRY_LOG_TOO_NEW',
      `출입 기록이 더 새로운 버전의 문지기로 만들어졌습니다 (형식 ${found}, 지원 ${SCHEMA_VERSION}). 문지기를 최신 버전으로 업데이트해 주세요.`,
    ),
  unavailable: () =>
    new CodedError(
      'ENTRY_LOG_UNAVAILABLE',
      '출입 기록 파일을 열 수 없습니다 (권한 또는 디스크 문제). 관리자에게 연락해 주세요.',
    ),
};

interface Inspection {
  /** The file holds no entry log yet (created empty, or a SQLite file without any schema). */
  blank: boolean;
}

function sqliteCode(err: unknown): string {
  return typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : '';
}

function isFsPermissionError(code: string): boolean {
  return code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY';
}

/** Read-only look at an existing file: never writes to it, never checkpoints into it. */
function inspect(path: string): Inspection {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw entryLogErrors.unavailable();
    size = st.size;
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw entryLogErrors.unavailable();
  }
  if (size === 0) return { blank: true };

  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, header, 0, header.length, 0);
  } catch {
    throw entryLogErrors.unavailable();
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (size < 512 || !header.equals(SQLITE_HEADER)) throw entryLogErrors.corrupt('SQLite 데이터베이스가 아님');

  let db: Db | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const check = db.pragma('quick_check') as Array<{ quick_check: string }>;
    if (check.length !== 1 || check[0]?.quick_check !== 'ok') throw entryLogErrors.corrupt('무결성 검사 실패');
    const userVersion = db.pragma('user_version', { simple: true }) as number;
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
    if (userVersion === 0 && applicationId === 0 && objects === 0) return { blank: true };
    if (applicationId !== APPLICATION_ID) throw entryLogErrors.foreign();
    if (userVersion > SCHEMA_VERSION) throw entryLogErrors.tooNew(userVersion);
    return { blank: false };
  } catch (err) {
    if (err instanceof CodedError) throw err;
    const code = sqliteCode(err);
    if (isFsPermissionError(code)) throw entryLogErrors.unavailable();
    if (code === 'SQLITE_BUSY') throw entryLogErrors.unavailable();
    throw entryLogErrors.corrupt('읽기 실패');
  } finally {
    db?.close();
  }
}

/**
 * Opens an existing entry log read-only after the same checks as openDatabase (for inspection
 * tools): nothing is created, migrated or checkpointed. Throws the same CodedErrors.
 */
export function openReadOnly(path: string): Db {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) throw entryLogErrors.unavailable();
  if (!existsSync(path)) throw entryLogErrors.missing();
  if (inspect(path).blank) throw entryLogErrors.corrupt('비어 있음');
  try {
    return new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  } catch {
    throw entryLogErrors.unavailable();
  }
}

function migrate(db: Db, from: number, logger: Logger): number {
  let version = from;
  for (const m of MIGRATIONS) {
    if (m.version <= version) continue;
    db.transaction(() => {
      db.exec(m.sql);
      m.run?.(db);
      if (version === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${m.version}`);
    })();
    logger.info('entry log migrated', { from: version, to: m.version });
    version = m.version;
  }
  return version;
}

/**
 * Opens (creating only when none exists and none is expected) and migrates the entry log.
 * The connection runs WAL with synchronous=FULL: a commit that returned survives a crash and
 * a power cut. Throws CodedError ENTRY_LOG_MISSING / _CORRUPT / _FOREIGN / _TOO_NEW / _UNAVAILABLE.
 */
export function openDatabase(opts: { path: string; expectExisting: boolean; logger: Logger }): Db {
  const { path, expectExisting, logger } = opts;
  if (typeof path !== 'string' || path === '' || path === ':memory:' || path.includes('\0')) {
    throw entryLogErrors.unavailable();
  }

  if (existsSync(path)) {
    const found = inspect(path);
    if (found.blank && expectExisting) throw entryLogErrors.corrupt('비어 있음');
  } else {
    // A write-ahead log without its database is what is left of an old log: never start over it.
    if (expectExisting || existsSync(`${path}-wal`)) throw entryLogErrors.missing();
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // Created 0600 before SQLite sees it; SQLite gives -wal and -shm the same mode.
      closeSync(openSync(path, 'wx', 0o600));
    } catch (err) {
      if (sqliteCode(err) !== 'EEXIST') throw entryLogErrors.unavailable();
    }
    logger.info('entry log created');
  }

  let db: Db | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const journal = db.pragma('journal_mode', { simple: true });
    if (journal !== 'wal') logger.warn('entry log not in WAL mode', { journal: String(journal) });
    // Checked again on the writing connection: another process may have migrated meanwhile.
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) throw entryLogErrors.tooNew(current);
    migrate(db, current, logger);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof CodedError) throw err;
    const code = sqliteCode(err);
    logger.error('entry log open failed', { code });
    if (isFsPermissionError(code) || code === 'SQLITE_BUSY' || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR') {
      throw entryLogErrors.unavailable();
    }
    throw entryLogErrors.corrupt('열기 실패');
  }
}
