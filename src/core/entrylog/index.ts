// Runs in Node (main, development host). The entry log capability: the durable SQLite log,
// admit(scan), retention, and the outbox API the sync worker drains. Import from here.
export { openEntryLog, RETENTION_MS, PURGE_BATCH, MAX_OUTBOX_BATCH, CHECKPOINT_EVERY, WAL_AUTOCHECKPOINT_PAGES } from './entryLog';
export type { Defer, EntryLog, EntryRow, NewEntry, OutboxItem } from './entryLog';
export { createAdmitter, admitErrors } from './admit';
export type { Admit, AdmitSettings, Scan } from './admit';
export { startRetention } from './retention';
export type { Retention } from './retention';
export { entryLogErrors, BUSY_TIMEOUT_MS } from './open';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema';
export { seoulDay, seoulDayBounds, isSeoulDay } from './seoulDay';
