// Runs in Node (main, development host). The opening self-test (자가점검): runner and standard checks.
export { createSelftest, DEFAULT_CHECK_TIMEOUT_MS } from './runner';
export type { CheckOutcome, CheckResult, CheckStatus, Selftest, SelftestCheck, SelftestRun, SelftestStore, SelftestTrigger } from './runner';
export { cameraCheck, centralApiCheck, clockCheck, scannerCheck, speakerCheck, trustListCheck } from './checks';
