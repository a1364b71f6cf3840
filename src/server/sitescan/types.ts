// Runs in Node (server, CLI). What a site scan observes and reports: the shapes shared by the
// visit, the rules, the baseline and the report.

export type ProfileName = 'desktop' | 'mobile' | 'search' | 'crawler' | 'repeat';
export const ALL_PROFILES: ProfileName[] = ['desktop', 'mobile', 'search', 'crawler', 'repeat'];

export type Severity = 'low' | 'medium' | 'high';
export type Verdict = 'clean' | 'suspicious' | 'malicious';

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** What was seen, in Korean, for the clinic and the analyst. */
  evidence: string;
  /** The URL, host or hash the finding is about. */
  resource: string;
  page: string;
  profile: ProfileName | 'all' | 'baseline';
}

export interface Limits {
  maxPages: number;
  maxRedirects: number;
  maxResponseBytes: number;
  /** Hard cap for one profile visit (navigation + settle + analysis). */
  visitTimeoutMs: number;
  /** Hard cap for the whole scan. */
  scanTimeoutMs: number;
  /** Wait at least this long after load so (time-warped) delayed redirects fire. */
  minDwellMs: number;
  /** Network quiet period that counts as settled. */
  quietMs: number;
  /** setTimeout delays are shortened to at most this (time warp for delayed payloads). */
  timerClampMs: number;
  /** Profile visits at the same time (one browser, one context each). */
  concurrency: number;
  /** Board attachments fetched to look inside (magic bytes, archive entries). */
  maxAttachmentChecks: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxPages: 4,
  maxRedirects: 10,
  maxResponseBytes: 5 * 1024 * 1024,
  visitTimeoutMs: 20_000,
  scanTimeoutMs: 180_000,
  minDwellMs: 400,
  quietMs: 250,
  timerClampMs: 300,
  concurrency: 4,
  maxAttachmentChecks: 5,
};

export interface RequestRecord {
  url: string;
  method: string;
  resourceType: string;
  mainFrame: boolean;
  /** URL of the request this one was redirected from */
  redirectedFrom?: string;
  status?: number;
  failure?: string;
  /** First bytes of a POST body (skimmer canary check) */
  postData?: string;
  /** ms since the visit started */
  at: number;
}

export type ScriptKind = 'external' | 'inline' | 'eval' | 'function' | 'write' | 'timer';

export interface ScriptRecord {
  kind: ScriptKind;
  /** external: the script URL; others: the page or frame URL */
  url: string;
  sha256: string;
  length: number;
  /** The code, cut at a bound, for the rules (not kept in JSON reports). */
  code: string;
  /** external scripts not in the served HTML (inserted by other scripts) */
  dynamic?: boolean;
  /** After </html> in the served document */
  afterHtml?: boolean;
}

export interface ElementRecord {
  tag: 'iframe' | 'a';
  url: string;
  text: string;
  width: number;
  height: number;
  /** Why it is not visible to a person (empty when visible) */
  hidden: string[];
}

export interface DownloadRecord {
  url: string;
  filename: string;
}

export interface ProfileVisit {
  profile: ProfileName;
  page: string;
  finalUrl: string;
  status?: number;
  /** HTTP redirects of the main document, then later main-frame navigations */
  redirectChain: string[];
  navigations: string[];
  popups: string[];
  requests: RequestRecord[];
  scripts: ScriptRecord[];
  frames: string[];
  elements: ElementRecord[];
  metaRefresh: string[];
  downloads: DownloadRecord[];
  websockets: string[];
  serverIp?: string;
  tlsIssuer?: string;
  title: string;
  /** Visible text, normalized, bounded */
  text: string;
  /** Tag-pair signature of the DOM after load (structure for the baseline) */
  structure: string[];
  /** Decoder outputs seen at run time (atob, unescape, decodeURIComponent) */
  decoded: string[];
  /** Requests that carried the form canary to another site */
  canaryLeaks: string[];
  formFields: number;
  /** Delays (ms) that page timers asked for and the time warp shortened */
  delaysMs?: number[];
  screenshot?: Buffer;
  /** Notes on what could not be observed (caps hit, timeouts) */
  notes: string[];
  elapsedMs: number;
  /** Where the visit's time went, ms per phase (context, navigate, settle, canary, dom, served, screenshot, close) */
  timeline?: Record<string, number>;
}

export interface PageResult {
  url: string;
  board: boolean;
  visits: ProfileVisit[];
  attachments: AttachmentCheck[];
}

export interface AttachmentCheck {
  url: string;
  /** What the bytes are, from their first bytes: 'pe' | 'zip' | 'pdf' | ... */
  kind: string;
  entries?: string[];
  sha256?: string;
  error?: string;
}

export interface Indicators {
  hosts: string[];
  urls: string[];
  hashes: string[];
}
