// Runs in the central API (Node). Migration 0008 (SQLite only): the facility and subject lookups
// of entries move out of the ingest transaction. Two random-key indexes on entries cost every
// insert a B-tree descent each and dirtied index pages all over every commit; now the ingest
// writer appends entries (token index only) and indexes them afterwards, in chunks sorted by key,
// into two covering tables. `entry_index_mark` is the highest seq indexed; queries read the
// unindexed tail (seq above the mark) directly (docs/server.md "Throughput").

const sqlite = [
  `CREATE TABLE entry_by_facility (facility_key INTEGER NOT NULL, scanned_at INTEGER NOT NULL, seq INTEGER NOT NULL,
     PRIMARY KEY (facility_key, scanned_at, seq)) WITHOUT ROWID`,
  `CREATE TABLE entry_by_subject (subject_key INTEGER NOT NULL, scanned_at INTEGER NOT NULL, seq INTEGER NOT NULL,
     PRIMARY KEY (subject_key, scanned_at, seq)) WITHOUT ROWID`,
  `CREATE TABLE entry_index_mark (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL)`,
  'INSERT INTO entry_by_facility SELECT facility_key, scanned_at, seq FROM entries ORDER BY 1, 2, 3',
  'INSERT INTO entry_by_subject SELECT subject_key, scanned_at, seq FROM entries ORDER BY 1, 2, 3',
  'INSERT INTO entry_index_mark (id, seq) SELECT 1, coalesce(max(seq), 0) FROM entries',
  'DROP INDEX entries_facility',
  'DROP INDEX entries_subject',
];

export const entryIndexMigration = { sqlite, pg: [] as string[] };
