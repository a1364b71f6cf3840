// Runs in Node (vitest). The homepage-security service over both engines (SQLite file, real
// PostgreSQL): registration with bad input, the emailed code through a real SMTP server on
// 127.0.0.1, the job queue shared by workers, retries and the availability alert, detection
// notices, the malicious-host register and the follow-up states, all on a fake clock. Every
// route needs a 의료기관 보안담당자 session and shows only the person's own institution's sites.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../../src/core/clock';
import { silentLogger } from '../../src/core/log';
import { CodedError } from '../../src/shared/envelope';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import type { TestServer } from '../../src/server/testing';
import { startTestServer } from '../../src/server/testing';
import { createScheduler, createSmtpMailer, sitescanDb, sitescanRoutes } from '../../src/server/sitescan-service';
import type { SiteScan, SitescanDb } from '../../src/server/sitescan-service';
import { saveEvidence } from '../../src/server/sitescan-service/evidence';
import type { AccountRole } from '../../src/shared/accounts';
import type { Finding } from '../../src/server/sitescan';
import { postgresSkipReason, startPostgres } from '../support/postgres';
import type { TestPostgres } from '../support/postgres';

const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);
const MIN = 60_000;
const pgSkip = postgresSkipReason();
if (pgSkip) console.warn(`server-sitescan-service: PostgreSQL tests skipped: ${pgSkip}`);

interface Mail {
  to: string[];
  text: string;
}
const inbox: Mail[] = [];
let smtp: SMTPServer;
let smtpPort = 0;

/** Decodes the single text part nodemailer sends (quoted-printable or base64). */
function bodyOf(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), text: bodyOf(Buffer.concat(chunks).toString('utf8')) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const mailsTo = (email: string) => inbox.filter((m) => m.to.includes(email));

const form = (over: Record<string, unknown> = {}) => ({
  clinicName: '튼튼내과의원',
  url: 'https://www.teunteun-clinic.kr/',
  contactName: '김담당',
  officePhone: '0212345678',
  mobile: '01012345678',
  email: 'staff@teunteun-clinic.kr',
  consentCollection: true,
  consentSuspension: true,
  ...over,
});

const finding = (host: string): Finding => ({
  ruleId: 'HIDDEN_IFRAME',
  severity: 'high',
  evidence: `보이지 않는 iframe이 외부 사이트 ${host}를 불러옵니다.`,
  resource: `http://${host}/x.html`,
  page: 'https://site/',
  profile: 'desktop',
});

describe.each([
  { engine: 'sqlite' as const, skip: undefined },
  { engine: 'pg' as const, skip: pgSkip },
])('homepage-security service on $engine', ({ engine, skip }) => {
  let dir = '';
  let pg: TestPostgres | undefined;
  let db: ServerDb;
  let sdb: SitescanDb;
  let t: TestServer;
  const clock = fakeClock(T0);
  /** People: two clinics' 보안담당자, a 시스템관리자, a facility manager, and a session with no account row. */
  const PEOPLE: Record<string, { id: string; institution: string | null; roles: AccountRole[] }> = {
    gangnam: { id: '00000000-0000-4000-8000-00000000a001', institution: 'clinic-example-gangnam', roles: ['clinic_security'] },
    mapo: { id: '00000000-0000-4000-8000-00000000a002', institution: 'clinic-example-mapo', roles: ['clinic_security'] },
    limits: { id: '00000000-0000-4000-8000-00000000a003', institution: 'clinic-example-mapo', roles: ['clinic_security'] },
    admin: { id: '00000000-0000-4000-8000-00000000a004', institution: 'clinic-example-gangnam', roles: ['system_admin'] },
    facility: { id: '00000000-0000-4000-8000-00000000a005', institution: 'clinic-example-gangnam', roles: ['facility_manager'] },
    ghost: { id: '00000000-0000-4000-8000-00000000a006', institution: null, roles: ['clinic_security'] },
  };
  /** A fresh session per call (sessions live 15 minutes and the tests move the clock by days). */
  const bearer = (who: keyof typeof PEOPLE) => {
    const p = PEOPLE[who]!;
    return `Bearer ${t.app.sessions.issue({ sub: p.id, name: `test ${who}`, roles: p.roles }).token}`;
  };
  type InjectOpts = { method: 'GET' | 'POST'; url: string; payload?: unknown; headers?: Record<string, string> };
  const api = (opts: InjectOpts, who: keyof typeof PEOPLE = 'gangnam') =>
    t.app.inject({ ...opts, payload: opts.payload as Record<string, unknown> | undefined, headers: { authorization: bearer(who), ...opts.headers } });
  let realMailer: ReturnType<typeof createSmtpMailer>;
  /** What the fake scanner answers per URL; the real scanner has its own corpus tests. */
  const behaviour = new Map<string, () => ReturnType<SiteScan>>();
  const scanned: string[] = [];
  const fakeScan: SiteScan = async ({ url }) => {
    scanned.push(url);
    const b = behaviour.get(url);
    if (!b) return { verdict: 'clean', findings: [], indicators: { hosts: [], urls: [], hashes: [] } };
    return b();
  };
  const scheduler = (workerId: string, over: Partial<Parameters<typeof createScheduler>[0]> = {}) =>
    createScheduler({ db: sdb, engine, clock, logger: silentLogger, mailer: realMailer, scan: fakeScan, workerId, random: () => 0.5, ...over });

  /** Registers through the API and verifies with the code from the real mail. */
  async function registerVerified(url: string, email: string): Promise<string> {
    const res = await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url, email }) });
    expect(res.statusCode, res.body).toBe(201);
    const { siteId } = res.json<{ siteId: string }>();
    const code = /인증 코드: (\d{6})/.exec(mailsTo(email).at(-1)?.text ?? '')?.[1];
    expect(code).toBeDefined();
    const v = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code } });
    expect(v.statusCode, v.body).toBe(200);
    return siteId;
  }
  const status = async (siteId: string) => (await api({ method: 'GET', url: `/v1/sitescan/sites/${siteId}` })).json<Record<string, unknown>>();

  beforeAll(async () => {
    if (skip) return;
    realMailer = createSmtpMailer({ host: '127.0.0.1', port: smtpPort, requireTls: false, from: 'munjigi@localhost' });
    if (engine === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'munjigi-sitescan-svc-'));
      db = await openServerDb({ file: join(dir, 'server.db') });
    } else {
      pg = await startPostgres();
      db = await openServerDb({ url: pg.createDatabase('sitescan_svc') });
    }
    sdb = sitescanDb(db.db);
    t = await startTestServerWith(db);
    for (const [who, p] of Object.entries(PEOPLE)) {
      if (!p.institution) continue;
      await db.db
        .insertInto('users')
        .values({ id: p.id, login_id: `user_${who}`, name: `담당 ${who}`, institution_id: p.institution, department: null, mobile: '010-1234-5678', office_phone: '02-123-4567', status: 'active', cert_spki_sha256: `spki-${who}`, cert_der: 'AAAA', cert_subject: 'cn', cert_serial: who, cert_not_after: T0 + 365 * DAY_MS, consent_version: '2026-1', consent_sha256: 'x', consent_agreed_at: T0, consent_received_at: T0, created_at: T0 })
        .execute();
    }
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
    realMailer?.close();
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startTestServerWith(serverDb: ServerDb): Promise<TestServer> {
    const base = await startTestServer(serverDb, clock);
    // The plugin goes on the same app; Fastify allows routes until the first inject/ready.
    // Evidence is read from the real store (evidence.ts), as in production.
    await base.app.register(async (app) => sitescanRoutes({ db: serverDb.db, clock, mailer: realMailer, logger: silentLogger })(app));
    return base;
  }

  it.skipIf(!!skip)('refuses bad registrations with the reason, and stores nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ url: 'https://blog.naver.com/myclinic' }, 'SITE_NOT_HOMEPAGE'],
      [{ url: 'https://m.cafe.naver.com/clinic' }, 'SITE_NOT_HOMEPAGE'],
      [{ url: 'https://goodclinic.tistory.com/' }, 'SITE_NOT_HOMEPAGE'],
      [{ url: 'https://www.instagram.com/clinic' }, 'SITE_NOT_HOMEPAGE'],
      [{ url: 'https://x.com/clinic' }, 'SITE_NOT_HOMEPAGE'],
      [{ url: 'https://band.us/@clinic' }, 'SITE_NOT_HOMEPAGE'],
      [{ url: 'javascript:alert(1)' }, 'SITE_URL_REFUSED'],
      [{ url: 'file:///etc/passwd' }, 'SITE_URL_REFUSED'],
      [{ url: 'http://127.0.0.1/' }, 'SITE_URL_REFUSED'],
      [{ url: 'http://192.168.0.10/' }, 'SITE_URL_REFUSED'],
      [{ url: 'not a url' }, 'SITE_URL_REFUSED'],
      [{ officePhone: '02-1234-5678' }, 'VALIDATION_FAILED'],
      [{ officePhone: '0012345678' }, 'PHONE_INVALID'],
      [{ mobile: '0212345678' }, 'MOBILE_INVALID'],
      [{ email: 'not-an-email' }, 'EMAIL_INVALID'],
      [{ consentSuspension: false }, 'CONSENT_REQUIRED'],
      [{ clinicName: '   ' }, 'FIELD_REQUIRED'],
      [{ contactName: ' ' }, 'FIELD_REQUIRED'],
      [{ clinicName: 'x'.repeat(101) }, 'VALIDATION_FAILED'],
      [{ consentCollection: 'yes' }, 'VALIDATION_FAILED'],
      [{ extra: 1 }, 'VALIDATION_FAILED'],
    ];
    for (const [over, code] of cases) {
      const res = await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form(over) });
      expect(res.statusCode, JSON.stringify(over)).toBeGreaterThanOrEqual(400);
      const err = res.json<{ error: { code: string; message: string } }>().error;
      expect(err.code, JSON.stringify(over)).toBe(code);
      expect(err.message).toMatch(/[가-힣]/);
    }
    const notHome = await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: 'https://blog.naver.com/x' }) });
    expect(notHome.json<{ error: { message: string } }>().error.message).toContain('네이버 블로그');
    expect((await sdb.selectFrom('sitescan_sites').selectAll().execute()).length).toBe(0);
    const bad = await api({ method: 'GET', url: '/v1/sitescan/sites/../../etc' });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect((await api({ method: 'GET', url: '/v1/sitescan/sites/00000000-0000-4000-8000-000000000000' })).json<{ error: { code: string } }>().error.code).toBe('SITE_NOT_FOUND');
  });

  it.skipIf(!!skip)('emails a hashed code that expires and allows 5 attempts; verification queues the first scan within minutes', async () => {
    const email = `reg-${engine}@clinic.kr`;
    const res = await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://reg-${engine}.clinic.kr/`, email }) });
    expect(res.statusCode, res.body).toBe(201);
    const { siteId } = res.json<{ siteId: string }>();
    expect((await status(siteId)).statusLabel).toBe('신청');
    const code = /인증 코드: (\d{6})/.exec(mailsTo(email).at(-1)?.text ?? '')?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const stored = await sdb.selectFrom('sitescan_email_codes').selectAll().where('site_id', '=', siteId).executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(code);

    const dup = await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://reg-${engine}.clinic.kr/`, email }) });
    expect(dup.json<{ error: { code: string } }>().error.code).toBe('SITE_ALREADY_REGISTERED');

    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 4; i >= 1; i--) {
      const r = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code: wrong } });
      expect(r.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'EMAIL_CODE_INVALID' });
      expect(r.json<{ error: { message: string } }>().error.message).toContain(`${i}회`);
    }
    const fifth = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code: wrong } });
    expect(fifth.json<{ error: { code: string } }>().error.code).toBe('EMAIL_CODE_LOCKED');
    // Locked: even the right code is refused now.
    const locked = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code } });
    expect(locked.json<{ error: { code: string } }>().error.code).toBe('EMAIL_CODE_LOCKED');

    // A new code (not before a minute has passed), which then expires after 10 minutes.
    expect((await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/resend-code` })).json<{ error: { code: string } }>().error.code).toBe('EMAIL_CODE_TOO_SOON');
    clock.advance(MIN);
    expect((await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/resend-code` })).statusCode).toBe(200);
    const code2 = /인증 코드: (\d{6})/.exec(mailsTo(email).at(-1)?.text ?? '')?.[1] ?? '';
    clock.advance(10 * MIN + 1);
    const late = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code: code2 } });
    expect(late.json<{ error: { code: string } }>().error.code).toBe('EMAIL_CODE_EXPIRED');

    await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/resend-code` });
    const code3 = /인증 코드: (\d{6})/.exec(mailsTo(email).at(-1)?.text ?? '')?.[1] ?? '';
    const ok = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code: code3 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ statusLabel: string; firstScanAt: number }>()).toMatchObject({ statusLabel: '이메일 인증', firstScanAt: clock() + 2 * MIN });
    const again = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code: code3 } });
    expect(again.json<{ error: { code: string } }>().error.code).toBe('EMAIL_ALREADY_VERIFIED');

    // The first scan runs within minutes, then 3 a day with jitter.
    const w = scheduler('w-reg');
    expect(await w.runDue()).toBe(0);
    clock.advance(2 * MIN);
    expect(await w.runDue()).toBe(1);
    const s = await status(siteId);
    expect(s).toMatchObject({ statusLabel: '모니터링 중', lastOutcome: 'clean', followupLabel: '정상' });
    const next = s.nextScanAt as number;
    expect(next - clock()).toBeGreaterThanOrEqual(DAY_MS / 3 - 60 * MIN);
    expect(next - clock()).toBeLessThanOrEqual(DAY_MS / 3 + 60 * MIN);
    expect(await w.runDue()).toBe(0);
    await sdb.deleteFrom('sitescan_jobs').where('site_id', '=', siteId).execute();
  });

  it.skipIf(!!skip)('retries a down site with backoff and alerts once after 3 failures in a row, then says when it is back', async () => {
    const url = `https://down-${engine}.clinic.kr/`;
    const email = `down-${engine}@clinic.kr`;
    const siteId = await registerVerified(url, email);
    behaviour.set(url, () => Promise.reject(new CodedError('SITE_UNREACHABLE', '홈페이지에 접속할 수 없습니다')));
    const w = scheduler('w-down');
    const due = async () => (await sdb.selectFrom('sitescan_jobs').select(['due_at', 'attempts']).where('site_id', '=', siteId).executeTakeFirstOrThrow());
    clock.advance(2 * MIN);
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = clock();
      expect(await w.runDue()).toBe(1);
      const d = await due();
      gaps.push(d.due_at - before);
      clock.set(d.due_at);
    }
    // 5, 10, 20 min (+10 % jitter at random 0.5), then the next regular slot
    expect(gaps.slice(0, 3)).toEqual([5.5 * MIN, 11 * MIN, 22 * MIN]);
    expect(gaps[3]).toBe(DAY_MS / 3);
    const alerts = mailsTo(email).filter((m) => m.text.includes('연속으로 접속하지 못했습니다'));
    expect(alerts).toHaveLength(1);
    behaviour.delete(url);
    expect(await w.runDue()).toBe(1);
    expect(mailsTo(email).at(-1)?.text).toContain('다시 접속되어');
    const s = await status(siteId);
    expect((s.results as Array<{ outcome: string }>).map((r) => r.outcome)).toEqual(['clean', 'failed', 'failed', 'failed', 'failed']);
    await sdb.deleteFrom('sitescan_jobs').where('site_id', '=', siteId).execute();
  });

  it.skipIf(!!skip)('detection: email and notice with where and how, host register, 조치요청 → 조치완료(재점검) → 정상', async () => {
    const url = `https://infected-${engine}.clinic.kr/`;
    const email = `infected-${engine}@clinic.kr`;
    const siteId = await registerVerified(url, email);
    const bad = `evil-${engine}.example.net`;
    behaviour.set(url, async () => ({ verdict: 'malicious', findings: [finding(bad)], indicators: { hosts: [bad], urls: [`http://${bad}/x.html`], hashes: [] } }));
    const w = scheduler('w-inf');
    clock.advance(2 * MIN);
    expect(await w.runDue()).toBe(1);
    const mail = mailsTo(email).at(-1)?.text ?? '';
    expect(mail).toContain('악성코드가 발견되었습니다');
    expect(mail).toContain(`http://${bad}/x.html`);
    expect(mail).toContain('조치 방법: 페이지 소스에서 숨겨진 iframe');
    let s = await status(siteId);
    expect(s.followupLabel).toBe('조치요청');
    expect((s.notices as Array<{ kind: string; emailed: boolean }>)[0]).toMatchObject({ kind: 'detection', emailed: true });

    // A second infected scan does not mail again.
    const mailsBefore = mailsTo(email).length;
    clock.set((s.nextScanAt as number) + 1);
    expect(await w.runDue()).toBe(1);
    expect(mailsTo(email).length).toBe(mailsBefore);

    const reg = await t.app.inject({ method: 'GET', url: '/v1/admin/sitescan/malicious-hosts', headers: { authorization: `Bearer ${t.adminToken}` } });
    const host = reg.json<{ hosts: Array<{ host: string; sightings: number; sites: Array<{ siteId: string }> }> }>().hosts.find((h) => h.host === bad);
    expect(host).toMatchObject({ sightings: 2, sites: [{ siteId }] });
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin/sitescan/malicious-hosts' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin/sitescan/malicious-hosts', headers: { authorization: `Bearer ${t.investigatorToken}` } })).statusCode).toBe(403);

    // The clinic removes the code and says so: re-scan at once, clean → 정상.
    behaviour.delete(url);
    const done = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/remediated` });
    expect(done.json<{ followupLabel: string }>().followupLabel).toBe('조치완료(재점검)');
    expect(await w.runDue()).toBe(1);
    s = await status(siteId);
    expect(s.followupLabel).toBe('정상');
    expect(mailsTo(email).at(-1)?.text).toContain('악성코드가 발견되지 않았습니다');
    expect((await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/remediated` })).json<{ error: { code: string } }>().error.code).toBe('NO_ACTION_REQUESTED');
    await sdb.deleteFrom('sitescan_jobs').where('site_id', '=', siteId).execute();
  });

  it.skipIf(!!skip)('stops the service when the clinic does not act within the configured days', async () => {
    const url = `https://ignored-${engine}.clinic.kr/`;
    const email = `ignored-${engine}@clinic.kr`;
    const siteId = await registerVerified(url, email);
    behaviour.set(url, async () => ({ verdict: 'suspicious', findings: [finding('spam.example.org')], indicators: { hosts: ['spam.example.org'], urls: [], hashes: [] } }));
    const w = scheduler('w-ign', { suspendAfterDays: 7 });
    clock.advance(2 * MIN);
    expect(await w.tick()).toBe(1);
    clock.advance(6 * DAY_MS);
    await w.tick();
    expect((await status(siteId)).followupLabel).toBe('조치요청');
    clock.advance(DAY_MS);
    await w.tick();
    const s = await status(siteId);
    expect(s).toMatchObject({ statusLabel: '서비스 중단', followupLabel: '서비스 중단', nextScanAt: null });
    expect(mailsTo(email).at(-1)?.text).toContain('7일 안에 이루어지지 않아');
    behaviour.delete(url);
  });

  it.skipIf(!!skip)('two workers claiming at once never take the same job, and a host is scanned by one at a time', async () => {
    const now = clock();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      ids.push(id);
      // sites 0..29 each on their own host; 30..39 share one host
      const host = i < 30 ? `h${i}.${engine}.clinic.kr` : `shared.${engine}.clinic.kr`;
      await sdb
        .insertInto('sitescan_sites')
        .values({ id, clinic_name: `의원 ${i}`, url: `https://${host}/p${i}`, host, contact_name: '담당', office_phone: '0212345678', mobile: '01012345678', email: 'q@clinic.kr', consent_collection_at: now, consent_suspension_at: now, status: 'monitoring', followup: 'normal', followup_since: null, consecutive_failures: 0, down_alerted: 0, last_scan_at: null, last_outcome: null, created_at: now, verified_at: now })
        .execute();
      await sdb.insertInto('sitescan_jobs').values({ site_id: id, host, due_at: now - 1, attempts: 0, locked_by: null, locked_until: null }).execute();
    }
    const a = scheduler('worker-a');
    const b = scheduler('worker-b');
    const taken: Array<{ worker: string; site: string; host: string }> = [];
    for (let round = 0; round < 10; round++) {
      const [ja, jb] = await Promise.all([a.claim(7), b.claim(7)]);
      for (const j of ja) taken.push({ worker: 'a', site: j.site_id, host: j.host });
      for (const j of jb) taken.push({ worker: 'b', site: j.site_id, host: j.host });
    }
    const sites = taken.map((x) => x.site);
    expect(new Set(sites).size).toBe(sites.length);
    // All 30 single-host sites were claimed; of the 10 on the shared host only one at a time.
    expect(taken.filter((x) => !x.host.startsWith('shared')).length).toBe(30);
    expect(taken.filter((x) => x.host.startsWith('shared')).length).toBe(1);
    const rows = await sdb.selectFrom('sitescan_jobs').select(['site_id', 'locked_by']).where('site_id', 'in', ids).execute();
    for (const t2 of taken) expect(rows.find((r) => r.site_id === t2.site)?.locked_by).toBe(`worker-${t2.worker}`);
    // A lease that runs out frees the job for another worker.
    clock.advance(16 * MIN);
    const again = await b.claim(50);
    expect(again.length).toBeGreaterThan(0);
    await sdb.deleteFrom('sitescan_jobs').where('site_id', 'in', ids).execute();
  });
  it.skipIf(!!skip)('routes need a 보안담당자 session; another institution\'s site is 404 on every route; 시스템관리자 sees all', async () => {
    const url = `https://owned-${engine}.clinic.kr/`;
    const siteId = await registerVerified(url, `owned-${engine}@clinic.kr`);
    const noSession = await t.app.inject({ method: 'GET', url: '/v1/sitescan/sites' });
    expect([noSession.statusCode, noSession.json<{ error: { code: string } }>().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    // No session: 401 even with a bad body (the gate runs before validation), and nothing stored.
    const before = (await sdb.selectFrom('sitescan_sites').select('id').execute()).length;
    expect((await t.app.inject({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://anon-${engine}.clinic.kr/` }) })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/v1/sitescan/sites', payload: { junk: 1 } })).statusCode).toBe(401);
    expect((await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://fm-${engine}.clinic.kr/` }) }, 'facility')).statusCode).toBe(403);
    // A role in the session but no account behind it cannot register.
    expect((await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://ghost-${engine}.clinic.kr/` }) }, 'ghost')).statusCode).toBe(403);
    expect((await sdb.selectFrom('sitescan_sites').select('id').execute()).length).toBe(before);

    const owner = await sdb.selectFrom('sitescan_sites').select(['institution_id', 'registered_by']).where('id', '=', siteId).executeTakeFirstOrThrow();
    expect(owner).toEqual({ institution_id: 'clinic-example-gangnam', registered_by: PEOPLE.gangnam!.id });
    const mine = (await api({ method: 'GET', url: '/v1/sitescan/sites' })).json<{ sites: Array<{ siteId: string; statusLabel: string; followupLabel: string }> }>().sites;
    expect(mine.find((x) => x.siteId === siteId)).toMatchObject({ statusLabel: '이메일 인증', followupLabel: '정상' });
    const theirs = (await api({ method: 'GET', url: '/v1/sitescan/sites' }, 'mapo')).json<{ sites: Array<{ siteId: string }> }>().sites;
    expect(theirs.some((x) => x.siteId === siteId)).toBe(false);
    const all = (await api({ method: 'GET', url: '/v1/sitescan/sites' }, 'admin')).json<{ sites: Array<{ siteId: string }> }>().sites;
    expect(all.some((x) => x.siteId === siteId)).toBe(true);
    expect((await api({ method: 'GET', url: '/v1/sitescan/sites' }, 'ghost')).json<{ sites: unknown[] }>().sites).toEqual([]);

    const result = await sdb.selectFrom('sitescan_results').select('id').where('site_id', '=', siteId).executeTakeFirst();
    const rid = result?.id ?? 'r1';
    const foreign: InjectOpts[] = [
      { method: 'GET', url: `/v1/sitescan/sites/${siteId}` },
      { method: 'POST', url: `/v1/sitescan/sites/${siteId}/verify`, payload: { code: '123456' } },
      { method: 'POST', url: `/v1/sitescan/sites/${siteId}/resend-code` },
      { method: 'POST', url: `/v1/sitescan/sites/${siteId}/remediated` },
      { method: 'GET', url: `/v1/sitescan/sites/${siteId}/results/${rid}/evidence` },
      { method: 'GET', url: `/v1/sitescan/sites/${siteId}/results/${rid}/screenshot` },
    ];
    for (const req of foreign) {
      const res = await api(req, 'mapo');
      expect([res.statusCode, res.json<{ error: { code: string } }>().error.code], req.url).toEqual([404, 'SITE_NOT_FOUND']);
      expect((await api(req, 'ghost')).statusCode, req.url).toBe(404);
    }
    expect((await api({ method: 'GET', url: `/v1/sitescan/sites/${siteId}` }, 'admin')).statusCode).toBe(200);
    await sdb.deleteFrom('sitescan_jobs').where('site_id', '=', siteId).execute();
  });

  it.skipIf(!!skip)('rate limits: registrations per person per day, code sends per registration; a stale application frees its address', async () => {
    const base = (await sdb.selectFrom('sitescan_sites').select('id').execute()).length;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://lim${i}-${engine}.clinic.kr/`, email: `lim-${engine}@clinic.kr` }) }, 'limits');
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json<{ siteId: string }>().siteId);
    }
    const sixth = await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://lim5-${engine}.clinic.kr/` }) }, 'limits');
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'SITE_REGISTRATION_LIMIT', message: expect.stringMatching(/하루/) });
    expect((await sdb.selectFrom('sitescan_sites').select('id').execute()).length).toBe(base + 5);
    // Another person of the same institution is not held back by it.
    expect((await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://other-${engine}.clinic.kr/` }) }, 'mapo')).statusCode).toBe(201);

    // Code sends: the first + 4 resends (a minute apart), then 429 until a new registration.
    const siteId = ids[0]!;
    let s = (await api({ method: 'GET', url: `/v1/sitescan/sites/${siteId}` }, 'limits')).json<{ emailCode: { attemptsLeft: number; sendsLeft: number; expiresAt: number } }>();
    expect(s.emailCode).toMatchObject({ attemptsLeft: 5, sendsLeft: 4, expiresAt: clock() + 10 * MIN });
    for (let i = 0; i < 4; i++) {
      clock.advance(MIN);
      expect((await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/resend-code` }, 'limits')).statusCode).toBe(200);
    }
    clock.advance(MIN);
    const over = await api({ method: 'POST', url: `/v1/sitescan/sites/${siteId}/resend-code` }, 'limits');
    expect([over.statusCode, over.json<{ error: { code: string } }>().error.code]).toEqual([429, 'EMAIL_CODE_RESEND_LIMIT']);
    s = (await api({ method: 'GET', url: `/v1/sitescan/sites/${siteId}` }, 'limits')).json();
    expect(s.emailCode.sendsLeft).toBe(0);

    // Within a day the unverified application still holds the address; after it, a new one replaces it.
    const again = () => api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://lim0-${engine}.clinic.kr/` }) }, 'mapo');
    expect((await again()).json<{ error: { code: string } }>().error.code).toBe('SITE_ALREADY_REGISTERED');
    clock.advance(DAY_MS);
    const fresh = await again();
    expect(fresh.statusCode, fresh.body).toBe(201);
    expect(await sdb.selectFrom('sitescan_sites').select('id').where('id', '=', siteId).executeTakeFirst()).toBeUndefined();
    expect(await sdb.selectFrom('sitescan_email_codes').select('site_id').where('site_id', '=', siteId).executeTakeFirst()).toBeUndefined();
    // A day later the person may register again.
    expect((await api({ method: 'POST', url: '/v1/sitescan/sites', payload: form({ url: `https://lim6-${engine}.clinic.kr/` }) }, 'limits')).statusCode).toBe(201);
  });

  it.skipIf(!!skip)('evidence of a visit: pages, redirects and requests as JSON, the screenshot as PNG; 404 without it', async () => {
    const url = `https://evid-${engine}.clinic.kr/`;
    const siteId = await registerVerified(url, `evid-${engine}@clinic.kr`);
    clock.advance(2 * MIN);
    expect(await scheduler('w-ev').runDue()).toBe(1);
    const detail = (await api({ method: 'GET', url: `/v1/sitescan/sites/${siteId}` })).json<{ results: Array<{ resultId: string }> }>();
    const rid = detail.results[0]!.resultId;
    const path = `/v1/sitescan/sites/${siteId}/results/${rid}`;
    const none = await api({ method: 'GET', url: `${path}/evidence` });
    expect([none.statusCode, none.json<{ error: { code: string } }>().error.code]).toEqual([404, 'EVIDENCE_NOT_FOUND']);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    await saveEvidence(db.db, {
      resultId: rid,
      siteId,
      preopen: null,
      screenshotPng: png,
      pages: [{ url, finalUrl: `${url}index.html`, redirectChain: [url, `${url}index.html`], requests: [{ url: `${url}a.js`, type: 'script', status: 200, host: `evid-${engine}.clinic.kr` }], serverIp: '203.0.113.5', tlsIssuer: 'Example CA' }],
    });
    const ev = await api({ method: 'GET', url: `${path}/evidence` });
    expect(ev.statusCode, ev.body).toBe(200);
    expect(ev.json()).toMatchObject({ resultId: rid, hasScreenshot: true, pages: [{ redirectChain: [url, `${url}index.html`], serverIp: '203.0.113.5', requests: [{ type: 'script', status: 200 }] }] });
    const shot = await api({ method: 'GET', url: `${path}/screenshot` });
    expect(shot.statusCode).toBe(200);
    expect(shot.headers['content-type']).toBe('image/png');
    expect(shot.rawPayload.equals(png)).toBe(true);
    // The app's client asks for JSON and gets the same bytes as base64.
    const asJson = await api({ method: 'GET', url: `${path}/screenshot`, headers: { accept: 'application/json' } });
    expect(Buffer.from(asJson.json<{ pngBase64: string }>().pngBase64, 'base64').equals(png)).toBe(true);
    // Bad and unknown ids: 4xx with a code.
    expect((await api({ method: 'GET', url: `/v1/sitescan/sites/${siteId}/results/${'x'.repeat(80)}/evidence` })).statusCode).toBe(400);
    expect((await api({ method: 'GET', url: `/v1/sitescan/sites/${siteId}/results/nope/evidence` })).json<{ error: { code: string } }>().error.code).toBe('RESULT_NOT_FOUND');
    expect((await api({ method: 'GET', url: `/v1/sitescan/sites/not-a-uuid/results/${rid}/screenshot` })).statusCode).toBe(400);
    // Another institution's person gets 404 for the same evidence.
    expect((await api({ method: 'GET', url: `${path}/screenshot` }, 'mapo')).statusCode).toBe(404);
    await sdb.deleteFrom('sitescan_jobs').where('site_id', '=', siteId).execute();
  });
});
