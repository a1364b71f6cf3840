// Runs in Node (vitest). A kiosk app enrolls with a real central API over loopback HTTP,
// receives the authority's signed trust list through its sync worker, admits a token from an
// issuer the authority added, and the entry arrives at the central API exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskApp } from '../../src/core/app/kiosk';
import type { KioskApp } from '../../src/core/app/kiosk';
import { generateKeyPair, mintToken } from '../../src/core/kp1';
import { silentLogger } from '../../src/core/log';
import { fetchHttpClient } from '../../src/core/sync';
import { runCli } from '../../src/cli/testing';
import { createServer } from '../../src/server/app';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import { createEnrollmentCode, createFacility } from '../../src/server/facilities';
import { seedTrust } from '../../src/server/testing';

const businessNo = '2208162517';

describe('kiosk enrollment and sync against the central API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-enroll-'));
  let db: ServerDb;
  let api: FastifyInstance;
  let baseUrl = '';
  let facilityId = '';
  let root = { keyId: '', publicKey: '' };
  const issuer = generateKeyPair();
  let kiosk: KioskApp;

  beforeAll(async () => {
    db = await openServerDb({ file: join(dir, 'server.sqlite') });
    const auth = await seedTrust(db, Date.now, issuer.publicKey);
    root = { keyId: auth.keyId, publicKey: auth.publicKey };
    facilityId = (await createFacility(db.db, Date.now, { name: '테스트 의원', address: '서울특별시 중구 세종대로 110', businessNo, jurisdiction: '서울특별시 중구' })).id;
    api = await createServer({ db, clock: Date.now, logger: silentLogger });
    baseUrl = await api.listen({ host: '127.0.0.1', port: 0 });
    kiosk = createKioskApp({ dataDir: join(dir, 'kiosk'), demo: false, logger: silentLogger, http: fetchHttpClient(5_000) });
  });

  afterAll(async () => {
    await kiosk.close();
    await api.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs an unlocked operator, then refuses bad enrollment input clearly and stays unenrolled', async () => {
    const { code } = await createEnrollmentCode(db.db, Date.now, facilityId);
    const base = { code, rootKeyId: root.keyId, rootPublicKey: root.publicKey };
    await expect(Promise.resolve().then(() => kiosk.handlers['kiosk:enroll']({ ...base, apiUrl: baseUrl }))).rejects.toMatchObject({ code: 'OPERATOR_LOCKED' });
    await kiosk.handlers['operator:setPin']({ pin: '482916' });
    await kiosk.handlers['operator:unlock']({ pin: '482916' });
    await expect(kiosk.handlers['kiosk:enroll']({ ...base, apiUrl: 'http://10.0.0.5:8080' })).rejects.toMatchObject({ code: 'API_URL_INSECURE' });
    await expect(kiosk.handlers['kiosk:enroll']({ ...base, apiUrl: 'not a url' })).rejects.toMatchObject({ code: 'API_URL_INVALID' });
    await expect(kiosk.handlers['kiosk:enroll']({ ...base, apiUrl: baseUrl, code: 'WRONG-CODE-1' })).rejects.toMatchObject({ code: 'ENROLLMENT_CODE_INVALID' });
    expect(kiosk.status().sync.state).toBe('disabled');
  });

  it('enrolls, fetches the trust list, admits and delivers the entry', async () => {
    const { code } = await createEnrollmentCode(db.db, Date.now, facilityId);
    const enrolled = await kiosk.handlers['kiosk:enroll']({ apiUrl: baseUrl, code, rootKeyId: root.keyId, rootPublicKey: root.publicKey });
    expect(enrolled.facilityId).toBe(facilityId);
    expect(kiosk.status().facilityId).toBe(facilityId);
    // the worker fetches the signed list from the API and the kiosk installs it
    await expect.poll(() => kiosk.status().trustList?.issuers, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => kiosk.status().clock.state, { timeout: 15_000 }).toBe('ok');

    const token = mintToken({ privateKey: issuer.privateKey, issuer: 2, keyId: 1, issuedAt: Math.floor(Date.now() / 1000) });
    const answer = await kiosk.handlers['kiosk:admit']({ data: token, source: 'wedge' });
    expect(answer).toMatchObject({ ok: true, code: 'OK', issuerName: 'kakao' });
    await expect.poll(() => kiosk.status().sync.pending, { timeout: 20_000 }).toBe(0);
    const stored = await db.db.selectFrom('entries').select(['id', 'facility_id']).execute();
    expect(stored).toEqual([{ id: answer.entryId, facility_id: facilityId }]);
    expect(kiosk.status().sync.state).toBe('ok');

    // the same code cannot enroll a second kiosk, and this kiosk cannot enroll twice
    await expect(kiosk.handlers['kiosk:enroll']({ apiUrl: baseUrl, code, rootKeyId: root.keyId, rootPublicKey: root.publicKey })).rejects.toMatchObject({
      code: 'ALREADY_ENROLLED',
    });
  });

  it('munjigi kiosk enroll enrolls a kiosk data folder from a terminal, and says why when it cannot', async () => {
    const { code } = await createEnrollmentCode(db.db, Date.now, facilityId);
    const data = join(dir, 'kiosk-cli');
    const ok = await runCli(['kiosk', 'enroll', '--data', data, '--api', baseUrl, '--code', code, '--root', root.publicKey, '--root-key-id', root.keyId]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ facilityId });
    const again = await runCli(['kiosk', 'enroll', '--data', data, '--api', baseUrl, '--code', code, '--root', root.publicKey]);
    expect(again.code).toBe(2);
    expect(again.err).toContain('ALREADY_ENROLLED');
    const badRoot = await runCli(['kiosk', 'enroll', '--data', join(dir, 'x'), '--api', baseUrl, '--code', code, '--root', 'short']);
    expect(badRoot.err).toContain('ROOT_KEY_INVALID');
    const missing = await runCli(['kiosk', 'enroll', '--data', join(dir, 'y')]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('MISSING_OPTION');
  });
});
