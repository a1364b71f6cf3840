// Runs in the central API (Node). Migration 0004: (1) on SQLite, the entries table becomes an
// append-only rowid table with narrow integer lookup keys, and token ownership moves into it
// (docs/server.md "Throughput"); (2) on both engines, kiosk deletion receipts and the pinned
// receipt key of each kiosk (docs/api.md).

/** Plain SQL per engine, like the other migrations; `big` is the millisecond-time column type. */
const receiptTables = (big: string) => [
  // The first receipt a kiosk sends pins its receipt public key; a different key later is refused.
  `CREATE TABLE kiosk_receipt_keys (kiosk_id TEXT PRIMARY KEY REFERENCES kiosks(id), public_key TEXT NOT NULL, pinned_at ${big} NOT NULL)`,
  `CREATE TABLE deletion_receipts (kiosk_id TEXT NOT NULL REFERENCES kiosks(id), n INTEGER NOT NULL, facility_id TEXT NOT NULL REFERENCES facilities(id),
     purge_date TEXT NOT NULL, purged_at ${big} NOT NULL, cutoff ${big} NOT NULL, entry_count INTEGER NOT NULL,
     body TEXT NOT NULL, signature TEXT NOT NULL, received_at ${big} NOT NULL, PRIMARY KEY (kiosk_id, n))`,
  `CREATE INDEX deletion_receipts_facility ON deletion_receipts (facility_id, purged_at)`,
];

/**
 * SQLite entries, rebuilt: `seq` (INTEGER PRIMARY KEY) orders rows by arrival, so the table
 * itself only ever appends; lookups go through three narrow integer indexes (the token's whole
 * 64 bits, 52-bit prefixes of the facility and subject hex; computed by the server, full values
 * compared on every hit). Token ownership is the lowest seq holding the token (SQLite has one writer),
 * which replaces the token_uses table there. munjigi_hex_key() is registered by open.ts.
 */
const sqliteEntries = [
  `CREATE TABLE entries_v4 (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, scanned_at INTEGER NOT NULL, token_id TEXT NOT NULL, issuer INTEGER NOT NULL,
     subject TEXT NOT NULL, facility_id TEXT NOT NULL, kiosk_id TEXT NOT NULL, issued_at INTEGER NOT NULL, source TEXT NOT NULL,
     received_at INTEGER NOT NULL, replay INTEGER NOT NULL DEFAULT 0,
     token_key INTEGER NOT NULL, facility_key INTEGER NOT NULL, subject_key INTEGER NOT NULL)`,
  // Owners (replay = 0) first, so each token's lowest seq is still the entry that owned it.
  `INSERT INTO entries_v4 (id, scanned_at, token_id, issuer, subject, facility_id, kiosk_id, issued_at, source, received_at, replay, token_key, facility_key, subject_key)
     SELECT id, scanned_at, token_id, issuer, subject, facility_id, kiosk_id, issued_at, source, received_at, replay,
       munjigi_token_key(token_id), munjigi_hex_key(facility_id), munjigi_hex_key(subject)
     FROM entries ORDER BY replay, received_at`,
  'DROP TABLE entries',
  'DROP TABLE token_uses',
  'ALTER TABLE entries_v4 RENAME TO entries',
  'CREATE INDEX entries_token ON entries (token_key)',
  'CREATE INDEX entries_facility ON entries (facility_key, scanned_at)',
  'CREATE INDEX entries_subject ON entries (subject_key, scanned_at)',
];

export const ingestMigration = {
  sqlite: [...sqliteEntries, ...receiptTables('INTEGER')],
  pg: receiptTables('BIGINT'),
};
