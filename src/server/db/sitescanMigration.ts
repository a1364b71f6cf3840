// Runs in the central API (Node). The homepage-security service's tables (migration 0003):
// registered sites, email codes, the shared scan job queue, results, notices and the
// malicious-host register, with their Kysely table types.

/** Plain SQL per engine, like the other migrations; `big` is the millisecond-time column type. */
const sitescanTables = (big: string) => [
  `CREATE TABLE sitescan_sites (id TEXT PRIMARY KEY, clinic_name TEXT NOT NULL, url TEXT NOT NULL, host TEXT NOT NULL,
     contact_name TEXT NOT NULL, office_phone TEXT NOT NULL, mobile TEXT NOT NULL, email TEXT NOT NULL,
     consent_collection_at ${big} NOT NULL, consent_suspension_at ${big} NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('applied','verified','monitoring','suspended')),
     followup TEXT NOT NULL CHECK (followup IN ('normal','detected','action_requested','remediated','suspended')),
     followup_since ${big}, consecutive_failures INTEGER NOT NULL DEFAULT 0, down_alerted INTEGER NOT NULL DEFAULT 0,
     last_scan_at ${big}, last_outcome TEXT, created_at ${big} NOT NULL, verified_at ${big})`,
  `CREATE INDEX sitescan_sites_host ON sitescan_sites (host)`,
  `CREATE TABLE sitescan_email_codes (site_id TEXT PRIMARY KEY REFERENCES sitescan_sites(id), code_hash TEXT NOT NULL,
     expires_at ${big} NOT NULL, attempts INTEGER NOT NULL, sent_at ${big} NOT NULL)`,
  `CREATE TABLE sitescan_jobs (site_id TEXT PRIMARY KEY REFERENCES sitescan_sites(id), host TEXT NOT NULL, due_at ${big} NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0, locked_by TEXT, locked_until ${big})`,
  `CREATE INDEX sitescan_jobs_due ON sitescan_jobs (due_at)`,
  `CREATE INDEX sitescan_jobs_host ON sitescan_jobs (host, locked_until)`,
  `CREATE TABLE sitescan_results (id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sitescan_sites(id), started_at ${big} NOT NULL,
     finished_at ${big} NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('clean','suspicious','malicious','failed')),
     error_code TEXT, findings TEXT NOT NULL, worker TEXT NOT NULL)`,
  `CREATE INDEX sitescan_results_site ON sitescan_results (site_id, started_at)`,
  `CREATE TABLE sitescan_notices (id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sitescan_sites(id), at ${big} NOT NULL,
     kind TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, emailed INTEGER NOT NULL DEFAULT 0)`,
  `CREATE INDEX sitescan_notices_site ON sitescan_notices (site_id, at)`,
  `CREATE TABLE sitescan_malicious_hosts (host TEXT PRIMARY KEY, first_seen ${big} NOT NULL, last_seen ${big} NOT NULL, sightings INTEGER NOT NULL)`,
  `CREATE TABLE sitescan_malicious_host_sites (host TEXT NOT NULL REFERENCES sitescan_malicious_hosts(host), site_id TEXT NOT NULL REFERENCES sitescan_sites(id),
     first_seen ${big} NOT NULL, last_seen ${big} NOT NULL, example_url TEXT, PRIMARY KEY (host, site_id))`,
];

export const sitescanMigration = { sqlite: sitescanTables('INTEGER'), pg: sitescanTables('BIGINT') };

export type SiteStatus = 'applied' | 'verified' | 'monitoring' | 'suspended';
export type FollowupState = 'normal' | 'detected' | 'action_requested' | 'remediated' | 'suspended';
export type ScanOutcome = 'clean' | 'suspicious' | 'malicious' | 'failed';

// A type alias, not an interface: Kysely's withTables needs an index-signature-compatible type.
export type SitescanTables = {
  sitescan_sites: {
    id: string;
    clinic_name: string;
    url: string;
    host: string;
    contact_name: string;
    office_phone: string;
    mobile: string;
    email: string;
    consent_collection_at: number;
    consent_suspension_at: number;
    status: SiteStatus;
    followup: FollowupState;
    followup_since: number | null;
    consecutive_failures: number;
    down_alerted: number;
    last_scan_at: number | null;
    last_outcome: ScanOutcome | null;
    created_at: number;
    verified_at: number | null;
  };
  sitescan_email_codes: { site_id: string; code_hash: string; expires_at: number; attempts: number; sent_at: number };
  sitescan_jobs: { site_id: string; host: string; due_at: number; attempts: number; locked_by: string | null; locked_until: number | null };
  sitescan_results: {
    id: string;
    site_id: string;
    started_at: number;
    finished_at: number;
    outcome: ScanOutcome;
    error_code: string | null;
    findings: string;
    worker: string;
  };
  sitescan_notices: { id: string; site_id: string; at: number; kind: string; title: string; body: string; emailed: number };
  sitescan_malicious_hosts: { host: string; first_seen: number; last_seen: number; sightings: number };
  sitescan_malicious_host_sites: { host: string; site_id: string; first_seen: number; last_seen: number; example_url: string | null };
};
