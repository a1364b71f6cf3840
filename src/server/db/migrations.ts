// Runs in the central API (Node). Versioned migrations for both engines. Each migration is
// plain SQL per engine so PostgreSQL can use what SQLite lacks (partitioned entry tables).
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { Migrator, sql } from 'kysely';
import type { Engine } from './open';
import { entryIndexMigration } from './entryIndexMigration';
import { ingestMigration } from './ingestMigration';
import { sitescanMigration } from './sitescanMigration';
import { sitescanEvidenceMigration } from './sitescanEvidenceMigration';
import { sitescanOwnershipMigration } from './sitescanOwnershipMigration';
import { institutionAdminMigration } from '../directory/migration';

type SqlByEngine = Record<Engine, string[]>;

const common = (big: string) => [
  `CREATE TABLE authority_keys (key_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, private_key_pem TEXT NOT NULL, created_at ${big} NOT NULL)`,
  `CREATE TABLE issuers (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, created_at ${big} NOT NULL)`,
  `CREATE TABLE issuer_keys (issuer_code INTEGER NOT NULL REFERENCES issuers(code), key_id INTEGER NOT NULL, public_key TEXT NOT NULL,
     not_before ${big} NOT NULL, not_after ${big} NOT NULL, status TEXT NOT NULL CHECK (status IN ('active','revoked')),
     created_at ${big} NOT NULL, PRIMARY KEY (issuer_code, key_id))`,
  `CREATE TABLE trust_state (id INTEGER PRIMARY KEY CHECK (id = 1), sequence ${big} NOT NULL, envelope TEXT NOT NULL, etag TEXT NOT NULL, updated_at ${big} NOT NULL)`,
  `CREATE TABLE facilities (id TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT NOT NULL, business_no TEXT NOT NULL,
     jurisdiction TEXT NOT NULL, created_at ${big} NOT NULL)`,
  `CREATE TABLE kiosks (id TEXT PRIMARY KEY, facility_id TEXT NOT NULL REFERENCES facilities(id), public_key TEXT NOT NULL UNIQUE,
     label TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('active','revoked')), enrolled_at ${big} NOT NULL, revoked_at ${big})`,
  `CREATE TABLE enrollment_codes (code_hash TEXT PRIMARY KEY, facility_id TEXT NOT NULL REFERENCES facilities(id),
     expires_at ${big} NOT NULL, used_at ${big}, kiosk_id TEXT, created_at ${big} NOT NULL)`,
  `CREATE TABLE request_nonces (kiosk_id TEXT NOT NULL, nonce TEXT NOT NULL, seen_at ${big} NOT NULL, PRIMARY KEY (kiosk_id, nonce))`,
  `CREATE INDEX request_nonces_seen ON request_nonces (seen_at)`,
  `CREATE TABLE token_uses (token_id TEXT PRIMARY KEY, first_entry_id TEXT NOT NULL, facility_id TEXT NOT NULL, scanned_at ${big} NOT NULL)`,
  `CREATE INDEX token_uses_scanned ON token_uses (scanned_at)`,
  `CREATE TABLE api_tokens (id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('admin','investigator')),
     name TEXT NOT NULL, created_at ${big} NOT NULL, revoked_at ${big})`,
  `CREATE TABLE audit_log (id TEXT PRIMARY KEY, at ${big} NOT NULL, actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, action TEXT NOT NULL,
     params TEXT NOT NULL, result_count INTEGER NOT NULL)`,
  `CREATE INDEX audit_log_at ON audit_log (at)`,
];

const entryColumns = (big: string) => `id TEXT NOT NULL, scanned_at ${big} NOT NULL, token_id TEXT NOT NULL, issuer INTEGER NOT NULL,
  subject TEXT NOT NULL, facility_id TEXT NOT NULL, kiosk_id TEXT NOT NULL, issued_at ${big} NOT NULL, source TEXT NOT NULL,
  received_at ${big} NOT NULL, replay INTEGER NOT NULL DEFAULT 0`;

const entryIndexes = [
  'CREATE INDEX entries_facility ON entries (facility_id, scanned_at)',
  'CREATE INDEX entries_subject ON entries (issuer, subject, scanned_at)',
];

const v1: SqlByEngine = {
  sqlite: [
    ...common('INTEGER'),
    `CREATE TABLE entries (${entryColumns('INTEGER')}, PRIMARY KEY (id))`,
    'CREATE INDEX entries_scanned ON entries (scanned_at)',
    ...entryIndexes,
  ],
  // Entries are range-partitioned by day on scanned_at; retention drops whole partitions.
  // The primary key must contain the partition key: a resent entry carries the same
  // scanned_at, so (id, scanned_at) is still the idempotency key.
  pg: [
    ...common('BIGINT'),
    `CREATE TABLE entries (${entryColumns('BIGINT')}, PRIMARY KEY (id, scanned_at)) PARTITION BY RANGE (scanned_at)`,
    ...entryIndexes,
  ],
};

// Accounts: institutions, people bound to one 공동인증서 (SPKI hash), roles, role requests
// with their audit trail, single-use login nonces and the server's session key.
const accounts = (big: string) => [
  `CREATE TABLE institutions (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('health_center','clinic','facility')),
     sido TEXT NOT NULL, sigungu TEXT NOT NULL, phone TEXT, health_center_id TEXT NOT NULL)`,
  `CREATE TABLE users (id TEXT PRIMARY KEY, login_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, institution_id TEXT NOT NULL REFERENCES institutions(id),
     department TEXT, mobile TEXT NOT NULL, office_phone TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending','active','disabled')),
     cert_spki_sha256 TEXT NOT NULL UNIQUE, cert_der TEXT NOT NULL, cert_subject TEXT NOT NULL, cert_serial TEXT NOT NULL, cert_not_after ${big} NOT NULL,
     consent_version TEXT NOT NULL, consent_sha256 TEXT NOT NULL, consent_agreed_at ${big} NOT NULL, consent_received_at ${big} NOT NULL,
     created_at ${big} NOT NULL)`,
  `CREATE TABLE user_roles (user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL, granted_at ${big} NOT NULL, granted_by TEXT NOT NULL,
     request_id TEXT, PRIMARY KEY (user_id, role))`,
  `CREATE TABLE role_requests (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL, approver_id TEXT NOT NULL REFERENCES institutions(id),
     state TEXT NOT NULL CHECK (state IN ('pending','approved','rejected','cancelled','expired')), requested_at ${big} NOT NULL, expires_at ${big} NOT NULL,
     decided_at ${big}, decided_by TEXT, comment TEXT, signed_message TEXT NOT NULL, signature TEXT NOT NULL)`,
  `CREATE INDEX role_requests_approver ON role_requests (approver_id, state)`,
  `CREATE INDEX role_requests_user ON role_requests (user_id, state)`,
  `CREATE INDEX role_requests_expiry ON role_requests (state, expires_at)`,
  `CREATE TABLE role_request_events (id TEXT PRIMARY KEY, request_id TEXT NOT NULL REFERENCES role_requests(id), seq INTEGER NOT NULL, at ${big} NOT NULL, actor_id TEXT NOT NULL,
     actor_name TEXT NOT NULL, action TEXT NOT NULL, from_state TEXT, to_state TEXT, comment TEXT)`,
  `CREATE UNIQUE INDEX role_request_events_request ON role_request_events (request_id, seq)`,
  `CREATE TABLE account_nonces (nonce TEXT PRIMARY KEY, purpose TEXT NOT NULL, expires_at ${big} NOT NULL, used_at ${big})`,
  `CREATE INDEX account_nonces_expiry ON account_nonces (expires_at)`,
  `CREATE TABLE server_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at ${big} NOT NULL)`,
];
const v2: SqlByEngine = { sqlite: accounts('INTEGER'), pg: accounts('BIGINT') };

const ALL: Array<[string, SqlByEngine]> = [
  ['0001_initial', v1],
  ['0002_accounts', v2],
  ['0003_sitescan', sitescanMigration],
  ['0004_entry_keys_receipts', ingestMigration],
  ['0005_sitescan_evidence', sitescanEvidenceMigration],
  ['0006_sitescan_ownership', sitescanOwnershipMigration],
  ['0007_institution_admin', institutionAdminMigration],
  ['0008_entry_index', entryIndexMigration],
];

function provider(engine: Engine): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, byEngine] of ALL) {
        out[name] = {
          async up(db: Kysely<unknown>) {
            for (const stmt of byEngine[engine]) await sql.raw(stmt).execute(db);
          },
        };
      }
      return out;
    },
  };
}

/** Brings the schema up to date (or up to `target`, for migration tests); throws (with the failing migration's name) on error. */
export async function migrate(db: Kysely<unknown>, engine: Engine, target?: string): Promise<string[]> {
  // Migration numbers are allocated ahead and land in any order: a database that already ran
  // a later one still gets an earlier one that arrives afterwards.
  const migrator = new Migrator({ db, provider: provider(engine), migrationTableName: 'munjigi_migrations', migrationLockTableName: 'munjigi_migrations_lock', allowUnorderedMigrations: true });
  const { error, results } = await (target ? migrator.migrateTo(target) : migrator.migrateToLatest());
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
