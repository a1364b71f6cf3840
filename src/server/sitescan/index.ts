// Runs in Node (server, CLI). The site scanner's public surface for the service and the CLI.
export { scanSite, checkTestProxy, DEFAULT_CHROMIUM } from './scan';
export type { ScanOptions, ScanReport, PageSummary } from './scan';
export { parseBaseline, buildBaseline, compareBaseline } from './baseline';
export type { Baseline } from './baseline';
export { parseBlocklist, emptyBlocklist } from './blocklist';
export type { Blocklist } from './blocklist';
export { summaryKo, verdictOf, indicatorsOf } from './report';
export { checkUrlForm, isPublicAddress, resolvePublic } from './address';
export type { Finding, Verdict, Severity, Indicators, Limits, ProfileName } from './types';
export { DEFAULT_LIMITS, ALL_PROFILES } from './types';
export { checkPreopen, HEADER_NAMES } from './preopen';
export type { PreopenResult, PreopenLibrary } from './preopen';
export { parseVulnDb, loadVulnDb, installVulnDb, installedVulnDbPath, shippedVulnDbPath, matchScript, compareVersions } from './vulnDb';
export type { VulnDb, LibraryMatch } from './vulnDb';
