/// <reference lib="dom" />
// 전송 보류 항목 end to end: a real central API on loopback (SQLite) that this test makes refuse
// entry batches with 422 VALIDATION_FAILED, and a real (non-demo, PIN-protected) kiosk enrolled
// with it, served to Chromium by the development host. A visitor is admitted; the sync worker
// sets the refused entry aside; the operator unlocks, sees it in the console with its token,
// code and Korean reason (never the subject); the cause is fixed; 다시 보내기 (after a
// confirmation, a cancelled one first) drains it and the server holds it exactly once.
// The panel's screenshot goes to docs/screenshots/console-quarantine-ko.png with UPDATE_SCREENSHOTS=1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { FastifyInstance } from 'fastify';
import { createKioskApp } from '../../src/core/app/kiosk';
import { generateKeyPair, mintToken } from '../../src/core/kp1';
import { silentLogger } from '../../src/core/log';
import { fetchHttpClient } from '../../src/core/sync';
import { createServer } from '../../src/server/app';
import { openServerDb } from '../../src/server/db/open';
import type { ServerDb } from '../../src/server/db/open';
import { createEnrollmentCode, createFacility } from '../../src/server/facilities';
import { seedTrust } from '../../src/server/testing';
import type { RunningDevhost } from './support/devhost';
import { spawnDevhost } from './support/devhost';
import { scannerType } from './support/scanner';

const PIN = '246813';
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
const issuer = generateKeyPair();

let tmp = '';
let db: ServerDb;
let api: FastifyInstance;
let host: RunningDevhost;
/** While true the central API answers every entry batch 422 VALIDATION_FAILED (the "cause"). */
let refusing = true;
let refusedBatches = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'munjigi-quarantine-e2e-'));
  db = await openServerDb({ file: join(tmp, 'server.sqlite') });
  const root = await seedTrust(db, Date.now, issuer.publicKey);
  const facility = await createFacility(db.db, Date.now, { name: '테스트 의원', address: '서울특별시 중구 세종대로 110', businessNo: '2208162517', jurisdiction: '서울특별시 중구' });
  api = await createServer({ db, clock: Date.now, logger: silentLogger });
  api.addHook('onRequest', async (req, reply) => {
    if (refusing && req.method === 'POST' && req.url.split('?')[0] === '/v1/entries') {
      refusedBatches++;
      return reply.code(422).send({ error: { code: 'VALIDATION_FAILED', message: '요청 형식이 올바르지 않습니다: entries.0 (test)' } });
    }
  });
  const apiUrl = await api.listen({ host: '127.0.0.1', port: 0 });

  // The kiosk's data folder: a PIN, then enrolled with the API (as `munjigi kiosk enroll` does),
  // kept until its trust list arrived; then the development host serves it to Chromium.
  const dataDir = join(tmp, 'kiosk');
  const kiosk = createKioskApp({ dataDir, demo: false, logger: silentLogger, http: fetchHttpClient(5_000) });
  try {
    await kiosk.handlers['operator:setPin']({ pin: PIN });
    const { code } = await createEnrollmentCode(db.db, Date.now, facility.id);
    await kiosk.enroll({ apiUrl, code, rootKeyId: root.keyId, rootPublicKey: root.publicKey });
    await expect.poll(() => kiosk.status().trustList?.issuers, { timeout: 20_000 }).toBe(1);
  } finally {
    await kiosk.close();
  }
  host = await spawnDevhost(['--data', dataDir, '--port', '0']);
});

test.afterAll(async () => {
  await host?.stop();
  await api?.close();
  await db?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function openConsole(page: Page) {
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('lock-screen')).toHaveAttribute('data-mode', 'unlock');
  await page.getByTestId('pin-field').fill(PIN);
  await page.getByTestId('pin-field').press('Enter');
  await expect(page.getByTestId('settings')).toBeVisible();
  await page.getByTestId('open-console').click();
  await expect(page.getByTestId('console')).toBeVisible();
}

const serverEntries = (id: string) => db.db.selectFrom('entries').select('id').where('id', '=', id).execute();

test('a refused entry is held back, shown to the operator, and sent again once the cause is fixed', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  const token = mintToken({ privateKey: issuer.privateKey, issuer: 2, keyId: 1, issuedAt: Math.floor(Date.now() / 1000) });
  await scannerType(page, token);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'OK');

  // The API refuses the batch for good: the sync worker sets the entry aside and keeps going.
  await expect.poll(() => refusedBatches, { timeout: 30_000 }).toBeGreaterThan(0);
  await openConsole(page);
  const panel = page.getByTestId('console-quarantine');
  await expect(panel).toHaveAttribute('data-total', '1', { timeout: 30_000 });
  await expect(page.getByTestId('console-sync')).toContainText('격리(서버 거부) 1');
  const row = panel.getByTestId('quarantine-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-code', 'VALIDATION_FAILED');
  await expect(row).toContainText('형식을 받아들이지 않았습니다');
  const entryId = (await row.getAttribute('data-entry-id'))!;
  const kioskLog = new Database(join(tmp, 'kiosk', 'entries.sqlite'), { readonly: true });
  const stored = kioskLog.prepare('SELECT token_id, subject FROM entry WHERE id = ?').get(entryId) as { token_id: string; subject: string };
  kioskLog.close();
  await expect(row.locator('.token')).toHaveText(stored.token_id);
  expect(await panel.innerText()).not.toContain(stored.subject);
  expect(await serverEntries(entryId)).toEqual([]);
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: `${SHOTS}/console-quarantine-ko.png` });

  // A cancelled confirmation sends nothing.
  await page.getByTestId('quarantine-resend-all').click();
  await expect(page.getByTestId('quarantine-confirm')).toContainText('1건을 모두 다시 보냅니다');
  await page.getByTestId('quarantine-confirm-no').click();
  await expect(page.getByTestId('quarantine-confirm')).toHaveCount(0);
  await expect(panel).toHaveAttribute('data-total', '1');

  // The cause is fixed; the operator sends the selected entry again.
  refusing = false;
  await expect(page.getByTestId('quarantine-resend-selected')).toBeDisabled();
  await row.getByTestId('quarantine-select').check();
  await page.getByTestId('quarantine-resend-selected').click();
  await expect(page.getByTestId('quarantine-confirm')).toHaveAttribute('data-which', 'selected');
  await page.getByTestId('quarantine-confirm-yes').click();
  await expect(page.getByTestId('quarantine-message')).toContainText('1건을 다시 보냈습니다');
  await expect(panel).toHaveAttribute('data-total', '0');
  await expect(page.getByTestId('quarantine-empty')).toBeVisible();

  // The woken sync delivers it: the server holds it exactly once, the kiosk's outbox drains.
  await expect.poll(async () => (await serverEntries(entryId)).length, { timeout: 30_000 }).toBe(1);
  await expect(page.getByTestId('console-sync')).toContainText('대기 0', { timeout: 15_000 });
  await expect(page.getByTestId('console-sync')).not.toContainText('격리');
  expect(await db.db.selectFrom('entries').select('id').execute()).toEqual([{ id: entryId }]);
});
