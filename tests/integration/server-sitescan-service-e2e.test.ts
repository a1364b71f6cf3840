// Runs in Node (vitest) with Debian's Chromium. The scan worker with the REAL scanner on two
// development-corpus sites (served by the corpus's serve.mjs as a loopback proxy): the infected
// one ends in 조치요청 with its hosts in the register, the clean one in 모니터링 중 / 정상; both
// scans leave evidence (screenshot, pages, pre-opening check) and the clean one a baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock, systemClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import { browserSiteScan, createScheduler, listMaliciousHosts, loadBaseline, loadEvidence, sitescanDb } from '../../src/server/sitescan-service';
import type { MailMessage } from '../../src/server/sitescan-service';
import type { CorpusServer } from './support/sitescanCorpus';
import { hasChromium, hasCorpus, startCorpusServer } from './support/sitescanCorpus';

if (!hasCorpus) console.warn('server-sitescan-service-e2e skipped: ../shared/sitescan-corpus is absent');
if (!hasChromium) console.warn('server-sitescan-service-e2e skipped: /usr/bin/chromium is absent');

describe.skipIf(!hasCorpus || !hasChromium)('scan worker with the real scanner', () => {
  let server: CorpusServer | undefined;
  let proxy = '';
  let db: ServerDb;
  const dir = mkdtempSync(join(tmpdir(), 'sitescan-svc-e2e-'));

  beforeAll(async () => {
    server = await startCorpusServer();
    proxy = server.proxy;
    db = await openServerDb({ file: join(dir, 'server.db') });
  });
  afterAll(async () => {
    server?.stop();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scans due sites, records the infected one and mails how to fix it', { timeout: 180_000 }, async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 23, 2, 0, 0));
    const sdb = sitescanDb(db.db);
    const now = clock();
    const sites = [
      { id: '00000000-0000-4000-8000-0000000000a1', url: 'http://hidden-iframe.example/', host: 'hidden-iframe.example' },
      { id: '00000000-0000-4000-8000-0000000000a2', url: 'http://normal.example/', host: 'normal.example' },
    ];
    for (const s of sites) {
      await sdb
        .insertInto('sitescan_sites')
        .values({ ...s, clinic_name: '코퍼스 의원', contact_name: '담당', office_phone: '0212345678', mobile: '01012345678', email: `${s.host}@clinic.kr`, consent_collection_at: now, consent_suspension_at: now, status: 'verified', followup: 'normal', followup_since: null, consecutive_failures: 0, down_alerted: 0, last_scan_at: null, last_outcome: null, created_at: now, verified_at: now })
        .execute();
      await sdb.insertInto('sitescan_jobs').values({ site_id: s.id, host: s.host, due_at: now, attempts: 0, locked_by: null, locked_until: null }).execute();
    }
    const mails: MailMessage[] = [];
    const worker = createScheduler({
      db: sdb,
      engine: 'sqlite',
      clock,
      logger: silentLogger,
      mailer: { send: async (m) => void mails.push(m) },
      scan: browserSiteScan({ clock: systemClock, logger: silentLogger, proxy, limits: { maxPages: 2 } }),
      workerId: 'e2e',
    });
    expect(await worker.tick()).toBe(2);
    const rows = await sdb.selectFrom('sitescan_sites').select(['id', 'status', 'followup', 'last_outcome']).orderBy('id').execute();
    expect(rows[0]).toMatchObject({ status: 'monitoring', followup: 'action_requested' });
    expect(['malicious', 'suspicious']).toContain(rows[0]?.last_outcome);
    expect(rows[1]).toMatchObject({ status: 'monitoring', followup: 'normal', last_outcome: 'clean' });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toBe('hidden-iframe.example@clinic.kr');
    expect(mails[0]?.text).toContain('HIDDEN_IFRAME');
    expect(mails[0]?.text).toContain('조치 방법');
    const register = await listMaliciousHosts(sdb);
    expect(register.length).toBeGreaterThan(0);
    expect(register.every((h) => h.sites.some((s) => s.siteId === sites[0]!.id))).toBe(true);

    // evidence for the app's report, the pre-opening check of these new sites, and a baseline
    // only for the clean one
    for (const site of sites) {
      const result = await sdb.selectFrom('sitescan_results').select('id').where('site_id', '=', site.id).executeTakeFirstOrThrow();
      const evidence = await loadEvidence(sdb, site.id, result.id);
      expect(evidence?.screenshotPng?.subarray(1, 4).toString()).toBe('PNG');
      expect(evidence?.pages[0]).toMatchObject({ url: site.url, finalUrl: site.url });
      expect(evidence?.pages[0]?.requests.some((r) => r.type === 'document' && r.status === 200 && r.host === site.host)).toBe(true);
      const preopen = evidence?.preopen as { findings: Array<{ ruleId: string }> } | null;
      expect(preopen?.findings.map((f) => f.ruleId)).toContain('preopen.https_unavailable');
    }
    expect(await loadBaseline(sdb, sites[0]!.id)).toBeNull();
    expect(await loadBaseline(sdb, sites[1]!.id)).toMatchObject({ reason: 'first_clean', baseline: { site: 'normal.example' } });
  });
});
