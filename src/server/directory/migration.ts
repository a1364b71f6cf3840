// Runs in the central API (Node). Migration 0007 (institution administration): institutions
// can be deactivated (never deleted: users and requests point at them) and every change to the
// directory, and every role granted or revoked outside a request, is an audit row.

const tables = (big: string) => [
  `ALTER TABLE institutions ADD COLUMN active INTEGER NOT NULL DEFAULT 1`,
  `ALTER TABLE institutions ADD COLUMN updated_at ${big}`,
  `CREATE TABLE institution_events (id TEXT PRIMARY KEY, institution_id TEXT NOT NULL REFERENCES institutions(id), seq INTEGER NOT NULL, at ${big} NOT NULL,
     actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, action TEXT NOT NULL, before_json TEXT, after_json TEXT, reason TEXT)`,
  `CREATE UNIQUE INDEX institution_events_institution ON institution_events (institution_id, seq)`,
  `CREATE TABLE user_role_events (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL, at ${big} NOT NULL,
     actor_id TEXT NOT NULL, actor_name TEXT NOT NULL, action TEXT NOT NULL, reason TEXT)`,
  `CREATE INDEX user_role_events_user ON user_role_events (user_id, at)`,
];

export const institutionAdminMigration = { sqlite: tables('INTEGER'), pg: tables('BIGINT') };

// A type alias, not an interface: Kysely's withTables needs an index-signature-compatible type.
export type DirectoryTables = {
  /** The columns 0007 adds to institutions (merged with ServerSchema's by withTables). */
  institutions: { active: number; updated_at: number | null };
  institution_events: {
    id: string;
    institution_id: string;
    seq: number;
    at: number;
    actor_id: string;
    actor_name: string;
    action: 'create' | 'update' | 'deactivate' | 'reactivate';
    before_json: string | null;
    after_json: string | null;
    reason: string | null;
  };
  user_role_events: {
    id: string;
    user_id: string;
    role: string;
    at: number;
    actor_id: string;
    actor_name: string;
    action: 'revoke';
    reason: string | null;
  };
};
