// Runs in the central API (Node). The malicious-host register (악성코드 은닉사이트 정보수집):
// every host a scan named as an indicator, when it was first and last seen, and on which sites.
import type { Clock } from '../../core/clock';
import type { Indicators } from '../sitescan';
import type { SitescanDb } from './registration';

const MAX_HOSTS_PER_SCAN = 200;

/** Records the indicator hosts of one malicious or suspicious scan of `siteId`. */
export async function recordMaliciousHosts(db: SitescanDb, clock: Clock, siteId: string, indicators: Indicators): Promise<number> {
  const now = clock();
  const hosts = [...new Set(indicators.hosts.map((h) => h.toLowerCase().replace(/\.$/, '')).filter((h) => /^[a-z0-9.:[\]-]{1,253}$/.test(h)))].slice(0, MAX_HOSTS_PER_SCAN);
  for (const host of hosts) {
    const exampleUrl = indicators.urls.find((u) => hostOf(u) === host)?.slice(0, 2000) ?? null;
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('sitescan_malicious_hosts')
        .values({ host, first_seen: now, last_seen: now, sightings: 1 })
        .onConflict((oc) => oc.column('host').doUpdateSet((eb) => ({ last_seen: now, sightings: eb('sitescan_malicious_hosts.sightings', '+', 1) })))
        .execute();
      await trx
        .insertInto('sitescan_malicious_host_sites')
        .values({ host, site_id: siteId, first_seen: now, last_seen: now, example_url: exampleUrl })
        .onConflict((oc) => oc.columns(['host', 'site_id']).doUpdateSet({ last_seen: now, ...(exampleUrl ? { example_url: exampleUrl } : {}) }))
        .execute();
    });
  }
  return hosts.length;
}

export interface MaliciousHost {
  host: string;
  firstSeen: number;
  lastSeen: number;
  sightings: number;
  sites: Array<{ siteId: string; clinicName: string; url: string; firstSeen: number; lastSeen: number; exampleUrl: string | null }>;
}

/** The register, newest sighting first (for CERT analysts). */
export async function listMaliciousHosts(db: SitescanDb, limit = 100): Promise<MaliciousHost[]> {
  const hosts = await db.selectFrom('sitescan_malicious_hosts').selectAll().orderBy('last_seen', 'desc').orderBy('host').limit(Math.min(Math.max(limit, 1), 1000)).execute();
  if (hosts.length === 0) return [];
  const links = await db
    .selectFrom('sitescan_malicious_host_sites as l')
    .innerJoin('sitescan_sites as s', 's.id', 'l.site_id')
    .select(['l.host', 'l.site_id', 's.clinic_name', 's.url', 'l.first_seen', 'l.last_seen', 'l.example_url'])
    .where(
      'l.host',
      'in',
      hosts.map((h) => h.host),
    )
    .orderBy('l.last_seen', 'desc')
    .execute();
  return hosts.map((h) => ({
    host: h.host,
    firstSeen: h.first_seen,
    lastSeen: h.last_seen,
    sightings: h.sightings,
    sites: links
      .filter((l) => l.host === h.host)
      .map((l) => ({ siteId: l.site_id, clinicName: l.clinic_name, url: l.url, firstSeen: l.first_seen, lastSeen: l.last_seen, exampleUrl: l.example_url })),
  }));
}

/** The register as a blocklist for the scanner: every host seen so far. */
export async function registeredHosts(db: SitescanDb): Promise<string[]> {
  return (await db.selectFrom('sitescan_malicious_hosts').select('host').execute()).map((r) => r.host);
}

function hostOf(u: string): string | undefined {
  try {
    return new URL(u).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}
