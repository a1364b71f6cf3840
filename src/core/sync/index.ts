// Runs in Node (kiosk main, central API). The sync capability: the kiosk worker that drains
// the outbox to the central API, and the request signature both sides share. Import from here.
export { backoffDelay, createSyncWorker, fetchHttpClient, CLOCK_WARNING_MS, MAX_BACKOFF_MS } from './worker';
export type { HttpClient, HttpRequest, HttpResponse, SyncOptions, SyncOutbox, SyncState, SyncStatus, SyncWorker } from './worker';
export { canonicalRequest, signedHeaders, MAX_REQUEST_AGE_MS } from './requestSignature';
export { enrollWithCode, fileKeyStore } from './enroll';
export type { DeviceKeyStore, Enrollment } from './enroll';
