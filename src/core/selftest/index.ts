// Runs in Node (main, development host). The opening self-test (자가점검): runner and standard checks.
export { createSelftest, DEFAULT_CHECK_TIMEOUT_MS } from './runner';
export type { CheckOutcome, CheckResult, CheckStatus, Selftest, SelftestCheck, SelftestRun, SelftestStore, SelftestTrigger } from './runner';
export { cameraCheck, centralApiCheck, clockCheck, scannerCheck, speakerCheck, specimenCheck, trustListCheck } from './checks';
export type { SpecimenRoundTrip, SpecimenSeen } from './checks';
export { openSpecimenIssuer, SPECIMEN_ISSUER, SPECIMEN_KEY_ID, specimenIssuerFromKey, specimenRefused } from './specimen';
export type { SpecimenIssuer, SpecimenScan } from './specimen';
