// Runs under vitest (Node; SQLite in a temp dir and PostgreSQL when installed). Scan evidence (caps, per-site access) and the
// scheduler's baseline life cycle with a fake scan and a fake clock: saved after the first
// clean scan, compared on the next, refreshed on a tolerated content update, kept through a
// detection, replaced after a clean 조치완료 re-check; the pre-opening check on a new site only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import type { ServerDb } from '../../src/server/db/open';
import { openServerDb } from '../../src/server/db/open';
import type { Baseline } from '../../src/server/sitescan';
import { EVIDENCE_LIMITS, loadBaseline, loadEvidence, saveEvidence } from '../../src/server/sitescan-service/evidence';
import { markRemediated } from '../../src/server/sitescan-service/followup';
import type { SitescanDb } from '../../src/server/sitescan-service/registration';
import { sitescanDb } from '../../src/server/sitescan-service/registration';
import type { SiteScanInput, SiteScanOutcome } from '../../src/server/sitescan-service/scheduler';
import { createScheduler } from '../../src/server/sitescan-service/scheduler';
import type { TestPostgres } from '../support/postgres';
import { postgresSkipReason, startPostgres } from '../support/postgres';

const pgSkip = postgresSkipReason();

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)]);
const SITE = '00000000-0000-4000-8000-0000000000e1';
const OTHER = '00000000-0000-4000-8000-0000000000e2';
const baseline = (text: string): Baseline => ({ version: 1, site: 'clinic.example', createdAt: '2026-11-23T00:00:00.000Z', pages: [{ path: '/', title: '의원', text, structure: [], externalScripts: [], scriptHashes: [] }] });

describe.each([
  { engine: 'sqlite' as const, skip: undefined },
  { engine: 'pg' as const, skip: pgSkip },
])('scan evidence and baselines on $engine', ({ engine, skip }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sitescan-evidence-'));
  let pg: TestPostgres | undefined;
  let server: ServerDb;
  let db: SitescanDb;
  const clock = fakeClock(Date.UTC(2026, 10, 23, 1, 0, 0));

  beforeAll(async () => {
    if (skip) return;
    if (engine === 'pg') {
      pg = await startPostgres();
      server = await openServerDb({ url: pg.createDatabase('sitescan_evidence') });
    } else {
      server = await openServerDb({ file: join(dir, 'server.db') });
    }
    db = sitescanDb(server.db);
    const now = clock();
    for (const [id, host] of [[SITE, 'clinic.example'], [OTHER, 'other.example']] as const) {
      await db
        .insertInto('sitescan_sites')
        .values({ id, url: `https://${host}/`, host, clinic_name: '시험의원', contact_name: '담당', office_phone: '0212345678', mobile: '01012345678', email: `a@${host}`, consent_collection_at: now, consent_suspension_at: now, status: 'verified', followup: 'normal', followup_since: null, consecutive_failures: 0, down_alerted: 0, last_scan_at: null, last_outcome: null, created_at: now, verified_at: now })
        .execute();
      await db.insertInto('sitescan_jobs').values({ site_id: id, host, due_at: now, attempts: 0, locked_by: null, locked_until: null }).execute();
    }
  });
  afterAll(async () => {
    await server?.close();
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const result = async (id: string, siteId: string) => {
    const now = clock();
    await db.insertInto('sitescan_results').values({ id, site_id: siteId, started_at: now, finished_at: now, outcome: 'clean', error_code: null, findings: '[]', worker: 't' }).execute();
  };

  it.skipIf(!!skip)('stores evidence capped, gives it only to its own site, and keeps the first copy', async () => {
    await result('r-1', SITE);
    const requests = Array.from({ length: 400 }, (_, i) => ({ url: `https://clinic.example/a${i}.png${'x'.repeat(i === 0 ? 5000 : 0)}`, type: 'image', status: 200, host: 'clinic.example' }));
    await saveEvidence(db, { resultId: 'r-1', siteId: SITE, screenshotPng: PNG, pages: [{ url: 'https://clinic.example/', finalUrl: 'https://clinic.example/', redirectChain: ['http://clinic.example/', 'https://clinic.example/'], requests, serverIp: '203.0.113.7', tlsIssuer: "Let's Encrypt / R11" }], preopen: { findings: [] } });
    const e = await loadEvidence(db, SITE, 'r-1');
    expect(e?.screenshotPng?.equals(PNG)).toBe(true);
    expect(e?.pages[0]?.requests).toHaveLength(EVIDENCE_LIMITS.requestsPerPage);
    expect(e?.pages[0]?.requests[0]?.url.length).toBe(EVIDENCE_LIMITS.urlChars);
    expect(e?.pages[0]).toMatchObject({ serverIp: '203.0.113.7', tlsIssuer: "Let's Encrypt / R11", redirectChain: ['http://clinic.example/', 'https://clinic.example/'] });
    expect(e?.preopen).toEqual({ findings: [] });
    expect(await loadEvidence(db, OTHER, 'r-1')).toBeNull();
    expect(await loadEvidence(db, SITE, 'nope')).toBeNull();
    await saveEvidence(db, { resultId: 'r-1', siteId: SITE, screenshotPng: null, pages: [], preopen: null });
    expect((await loadEvidence(db, SITE, 'r-1'))?.pages).toHaveLength(1);
  });

  it.skipIf(!!skip)('drops a screenshot that is too large or not a PNG', async () => {
    await result('r-2', SITE);
    await saveEvidence(db, { resultId: 'r-2', siteId: SITE, screenshotPng: Buffer.concat([PNG, Buffer.alloc(EVIDENCE_LIMITS.screenshotBytes)]), pages: [], preopen: null });
    expect((await loadEvidence(db, SITE, 'r-2'))?.screenshotPng).toBeNull();
    await result('r-3', SITE);
    await saveEvidence(db, { resultId: 'r-3', siteId: SITE, screenshotPng: Buffer.from('<svg/>'), pages: [], preopen: null });
    expect((await loadEvidence(db, SITE, 'r-3'))?.screenshotPng).toBeNull();
  });

  it.skipIf(!!skip)('the scheduler keeps the baseline through the follow-up states', async () => {
    const calls: SiteScanInput[] = [];
    let next: SiteScanOutcome = { verdict: 'clean', findings: [], indicators: { hosts: [], urls: [], hashes: [] } };
    const mails: string[] = [];
    const worker = createScheduler({
      db,
      engine,
      clock,
      logger: silentLogger,
      mailer: { send: async (m) => void mails.push(m.subject) },
      workerId: 'w',
      random: () => 0.5,
      scan: async (input) => {
        calls.push(input);
        return next;
      },
    });
    const runSite = async (outcome: SiteScanOutcome) => {
      next = outcome;
      await db.updateTable('sitescan_jobs').set({ due_at: clock() }).where('site_id', '=', SITE).execute();
      await db.updateTable('sitescan_jobs').set({ due_at: clock() + 10 * 86_400_000 }).where('site_id', '=', OTHER).execute();
      expect(await worker.runDue()).toBe(1);
      clock.advance(60_000);
      return calls[calls.length - 1] as SiteScanInput;
    };
    const clean = (text: string): SiteScanOutcome => ({ verdict: 'clean', findings: [], indicators: { hosts: [], urls: [], hashes: [] }, baseline: baseline(text), evidence: { screenshotPng: PNG, pages: [] } });

    // a new site: no baseline yet, the pre-opening check is asked for; its result is kept
    let input = await runSite({ ...clean('첫 화면'), preopen: { findings: [{ ruleId: 'preopen.csp_missing' }] } });
    expect(input.baseline).toBeUndefined();
    expect(input.preopen).toBe(true);
    expect(await loadBaseline(db, SITE)).toMatchObject({ reason: 'first_clean', baseline: { pages: [{ text: '첫 화면' }] } });
    const first = await db.selectFrom('sitescan_results').select('id').where('site_id', '=', SITE).where('worker', '=', 'w').executeTakeFirstOrThrow();
    expect((await loadEvidence(db, SITE, first.id))?.preopen).toEqual({ findings: [{ ruleId: 'preopen.csp_missing' }] });

    // the next scan is compared with it; a clean scan (tolerated update) refreshes it
    input = await runSite(clean('공지 수정'));
    expect(input.preopen).toBe(false);
    expect(input.baseline?.pages[0]?.text).toBe('첫 화면');
    expect(await loadBaseline(db, SITE)).toMatchObject({ reason: 'content_update', baseline: { pages: [{ text: '공지 수정' }] } });

    // a detection never becomes the baseline
    await runSite({ verdict: 'malicious', findings: [{ ruleId: 'HIDDEN_IFRAME', severity: 'high', evidence: '숨은 iframe', resource: 'http://evil.example/', page: 'https://clinic.example/', profile: 'desktop' }], indicators: { hosts: ['evil.example'], urls: [], hashes: [] }, baseline: baseline('감염된 화면') });
    expect((await loadBaseline(db, SITE))?.baseline.pages[0]?.text).toBe('공지 수정');

    // 조치완료 → clean re-check: the baseline is replaced, marked as after remediation
    await markRemediated({ db, clock, mailer: { send: async () => undefined }, logger: silentLogger, suspendAfterDays: 14 }, SITE);
    input = await runSite(clean('복구된 화면'));
    expect(input.baseline?.pages[0]?.text).toBe('공지 수정');
    expect(await loadBaseline(db, SITE)).toMatchObject({ reason: 'remediated', baseline: { pages: [{ text: '복구된 화면' }] } });
    expect(mails.length).toBeGreaterThan(0);
  });
});
