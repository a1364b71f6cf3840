// Runs in Node (main, development host). The entry log capability: the durable SQLite log,
// admit(scan), retention with signed deletion receipts, the outbox API the sync worker drains,
// and the read-only chain verifier. Import from here.
export { openEntryLog, RETENTION_MS, PURGE_BATCH, MAX_OUTBOX_BATCH, CHECKPOINT_EVERY, WAL_AUTOCHECKPOINT_PAGES } from './entryLog';
export type { Defer, EntryLog, EntryRow, NewEntry, OutboxItem, QuarantinedEntry } from './entryLog';
export { createAdmitter, admitErrors } from './admit';
export type { Admit, AdmitSettings, Scan } from './admit';
export { startRetention } from './retention';
export type { Retention } from './retention';
export { entryLogErrors, BUSY_TIMEOUT_MS, openReadOnly } from './open';
export { APPLICATION_ID, SCHEMA_VERSION } from './schema';
export { seoulDay, seoulDayBounds, isSeoulDay } from './seoulDay';
export { GENESIS_HASH, entryHash } from './chain';
export type { ChainHead } from './chain';
export { RECEIPT_KEY_FILE, RECEIPT_TYPE, ensureReceiptKey, parseReceiptBody, publicKeyFromBase64url, receiptSignatureValid } from './receipts';
export type { ReceiptBody, StoredReceipt } from './receipts';
export { verifyEntryLog, verifyErrors, MAX_LISTED_PROBLEMS } from './verifyLog';
export type { Problem, ProblemKind, VerifyReport } from './verifyLog';
export { createScanTimings, TIMING_SOURCES, TIMING_STAGES } from './scanTimings';
export type { CameraSuggestion, ScanTimings, SourceSummary, TimingStage, TimingSummary } from './scanTimings';
