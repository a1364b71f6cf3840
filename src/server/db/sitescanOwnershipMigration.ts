// Runs in the central API (Node). Migration 0006 of the homepage-security service: each site
// belongs to the institution of the staff member who registered it (the routes answer 404 for
// another institution's site), and the counters the registration rate limits read.

/** Plain SQL per engine; both engines accept ADD COLUMN with a constant default. */
const ownership = [
  `ALTER TABLE sitescan_sites ADD COLUMN institution_id TEXT`,
  `ALTER TABLE sitescan_sites ADD COLUMN registered_by TEXT`,
  `CREATE INDEX sitescan_sites_institution ON sitescan_sites (institution_id, created_at)`,
  `CREATE INDEX sitescan_sites_registered_by ON sitescan_sites (registered_by, created_at)`,
  // How many codes this registration has been sent (the first one included).
  `ALTER TABLE sitescan_email_codes ADD COLUMN send_count INTEGER NOT NULL DEFAULT 1`,
];

export const sitescanOwnershipMigration = { sqlite: ownership, pg: ownership };

/**
 * The columns added by 0006, as a Kysely table type merged with SitescanTables. Sites
 * registered before 0006 have no owner (null) and are visible to 시스템관리자 only.
 */
export type SitescanOwnershipTables = {
  sitescan_sites: { institution_id: string | null; registered_by: string | null };
  sitescan_email_codes: { send_count: number };
};
