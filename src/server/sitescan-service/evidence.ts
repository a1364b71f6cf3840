// Runs in the central API (Node). Each scan's evidence for the app's report (screenshot, the
// pages visited with their redirect chains and requests, server IP, TLS issuer, the
// pre-opening check) and each site's baseline, in the tables of migration 0005. Sizes are
// capped here, so a hostile page cannot grow the database without bound.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { BaselineReason, SitescanEvidenceTables } from '../db/sitescanEvidenceMigration';
import type { Baseline } from '../sitescan';
import { parseBaseline } from '../sitescan';
import type { ScanReport } from '../sitescan/scan';

export const EVIDENCE_LIMITS = {
  /** A larger screenshot is not stored (the report says so). */
  screenshotBytes: 2 * 1024 * 1024,
  pages: 20,
  requestsPerPage: 300,
  redirectsPerPage: 25,
  urlChars: 2000,
  /** JSON of the pre-opening result */
  preopenChars: 200_000,
};

const requestSchema = z.object({
  url: z.string(),
  type: z.string(),
  status: z.number().int().nullable(),
  host: z.string(),
});
const pageSchema = z.object({
  url: z.string(),
  finalUrl: z.string(),
  redirectChain: z.array(z.string()),
  requests: z.array(requestSchema),
  serverIp: z.string().nullable(),
  tlsIssuer: z.string().nullable(),
});
export type EvidenceRequest = z.infer<typeof requestSchema>;
export type EvidencePage = z.infer<typeof pageSchema>;

export interface ScanEvidence {
  resultId: string;
  siteId: string;
  screenshotPng: Buffer | null;
  pages: EvidencePage[];
  preopen: unknown;
}

/** Any of the server's Kysely views (ServerDb, SitescanDb, …): migration 0005 made these tables. */
const evidenceDb = <DB>(db: Kysely<DB>) => db as unknown as Kysely<SitescanEvidenceTables>;

const cut = (s: string, n = EVIDENCE_LIMITS.urlChars) => (s.length > n ? s.slice(0, n) : s);
const isPng = (b: Buffer) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

/** Bounds every list and string; drops a screenshot that is not a PNG or is too large. */
export function capEvidence(e: ScanEvidence): ScanEvidence {
  const shot = e.screenshotPng && isPng(e.screenshotPng) && e.screenshotPng.length <= EVIDENCE_LIMITS.screenshotBytes ? e.screenshotPng : null;
  const pages = e.pages.slice(0, EVIDENCE_LIMITS.pages).map((p) =>
    pageSchema.parse({
      url: cut(p.url),
      finalUrl: cut(p.finalUrl),
      redirectChain: p.redirectChain.slice(0, EVIDENCE_LIMITS.redirectsPerPage).map((u) => cut(u)),
      requests: p.requests.slice(0, EVIDENCE_LIMITS.requestsPerPage).map((r) => ({ url: cut(r.url), type: cut(r.type, 40), status: r.status, host: cut(r.host, 300) })),
      serverIp: p.serverIp === null ? null : cut(p.serverIp, 64),
      tlsIssuer: p.tlsIssuer === null ? null : cut(p.tlsIssuer, 500),
    }),
  );
  return { ...e, screenshotPng: shot, pages };
}

/** Stores one scan's evidence (once per result; a second save of the same result is ignored). */
export async function saveEvidence<DB>(db: Kysely<DB>, evidence: ScanEvidence, now: number = Date.now()): Promise<void> {
  const e = capEvidence(evidence);
  let preopen: string | null = e.preopen === null || e.preopen === undefined ? null : JSON.stringify(e.preopen);
  if (preopen !== null && preopen.length > EVIDENCE_LIMITS.preopenChars) preopen = JSON.stringify({ truncated: true });
  await evidenceDb(db)
    .insertInto('sitescan_evidence')
    .values({ result_id: e.resultId, site_id: e.siteId, screenshot_png: e.screenshotPng, pages: JSON.stringify(e.pages), preopen, created_at: now })
    .onConflict((oc) => oc.column('result_id').doNothing())
    .execute();
}

/** One scan's evidence, only for that site (another site's result id gives null). */
export async function loadEvidence<DB>(db: Kysely<DB>, siteId: string, resultId: string): Promise<ScanEvidence | null> {
  const row = await evidenceDb(db).selectFrom('sitescan_evidence').selectAll().where('result_id', '=', resultId).where('site_id', '=', siteId).executeTakeFirst();
  if (!row) return null;
  const pages = z.array(pageSchema).safeParse(JSON.parse(row.pages));
  return {
    resultId: row.result_id,
    siteId: row.site_id,
    screenshotPng: row.screenshot_png ? Buffer.from(row.screenshot_png) : null,
    pages: pages.success ? pages.data : [],
    preopen: row.preopen === null ? null : (JSON.parse(row.preopen) as unknown),
  };
}

/** The pages of a scan report as evidence: the desktop visit of each page (as a visitor sees it). */
export function evidenceFromReport(report: Pick<ScanReport, 'url' | 'pages' | 'screenshots'>): Pick<ScanEvidence, 'screenshotPng' | 'pages'> {
  const pages: EvidencePage[] = report.pages.map((p) => {
    const v = p.visits.find((x) => x.profile === 'desktop') ?? p.visits[0];
    return {
      url: p.url,
      finalUrl: v?.finalUrl ?? p.url,
      redirectChain: v ? [...v.redirectChain, ...v.navigations.filter((n) => !v.redirectChain.includes(n))] : [],
      requests: (v?.requests ?? []).map((r) => ({ url: r.url, type: r.resourceType, status: r.status ?? null, host: hostOfUrl(r.url) })),
      serverIp: v?.serverIp ?? null,
      tlsIssuer: v?.tlsIssuer ?? null,
    };
  });
  return { screenshotPng: report.screenshots.get(report.url) ?? null, pages };
}

const hostOfUrl = (u: string) => {
  try {
    return new URL(u).hostname;
  } catch {
    return '';
  }
};

export interface StoredBaseline {
  baseline: Baseline;
  savedAt: number;
  reason: BaselineReason;
  resultId: string | null;
}

/** The site's baseline, or null when none was saved yet (or the stored one no longer parses). */
export async function loadBaseline<DB>(db: Kysely<DB>, siteId: string): Promise<StoredBaseline | null> {
  const row = await evidenceDb(db).selectFrom('sitescan_baselines').selectAll().where('site_id', '=', siteId).executeTakeFirst();
  if (!row) return null;
  try {
    return { baseline: parseBaseline(row.baseline), savedAt: Number(row.saved_at), reason: row.reason, resultId: row.result_id };
  } catch {
    return null;
  }
}

/** Replaces the site's baseline. */
export async function saveBaseline<DB>(db: Kysely<DB>, siteId: string, baseline: Baseline, reason: BaselineReason, resultId: string | null, now: number): Promise<void> {
  const values = { baseline: JSON.stringify(baseline), saved_at: now, reason, result_id: resultId };
  await evidenceDb(db)
    .insertInto('sitescan_baselines')
    .values({ site_id: siteId, ...values })
    .onConflict((oc) => oc.column('site_id').doUpdateSet(values))
    .execute();
}
