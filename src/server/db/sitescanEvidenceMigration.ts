// Runs in the central API (Node). Migration 0005 of the homepage-security service: each site's
// baseline (saved after its first clean scan, after a clean 조치완료 re-check and on tolerated
// content updates) and each scan's evidence for the app's report (screenshot, pages visited with
// their redirects and requests, server IP, TLS issuer, pre-opening check).

const tables = (big: string, blob: string) => [
  `CREATE TABLE sitescan_baselines (site_id TEXT PRIMARY KEY REFERENCES sitescan_sites(id), baseline TEXT NOT NULL,
     saved_at ${big} NOT NULL, result_id TEXT, reason TEXT NOT NULL CHECK (reason IN ('first_clean','remediated','content_update')))`,
  `CREATE TABLE sitescan_evidence (result_id TEXT PRIMARY KEY REFERENCES sitescan_results(id), site_id TEXT NOT NULL REFERENCES sitescan_sites(id),
     screenshot_png ${blob}, pages TEXT NOT NULL, preopen TEXT, created_at ${big} NOT NULL)`,
  `CREATE INDEX sitescan_evidence_site ON sitescan_evidence (site_id, created_at)`,
];

export const sitescanEvidenceMigration = { sqlite: tables('INTEGER', 'BLOB'), pg: tables('BIGINT', 'BYTEA') };

export type BaselineReason = 'first_clean' | 'remediated' | 'content_update';

/** The tables added by 0005, as a Kysely table type (use with `db.withTables<SitescanEvidenceTables>()`). */
export type SitescanEvidenceTables = {
  sitescan_baselines: { site_id: string; baseline: string; saved_at: number; result_id: string | null; reason: BaselineReason };
  sitescan_evidence: { result_id: string; site_id: string; screenshot_png: Buffer | null; pages: string; preopen: string | null; created_at: number };
};
