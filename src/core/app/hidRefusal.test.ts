// Runs under vitest (Node). A HID POS scan that main refuses before any verdict (a specimen card
// outside the self-test) must reach the screen like the same wedge scan's refusal: the kiosk
// pushes kiosk:refused with the same code and Korean sentence kiosk:admit answers the wedge with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { events } from '../../shared/contract';
import { createDispatcher } from '../../shared/dispatch';
import { fakeClock } from '../clock';
import { silentLogger } from '../log';
import { scanToReports, toHex } from '../scanner/simulate';
import type { KioskApp } from './kiosk';
import { createKioskApp } from './kiosk';

const apps: KioskApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start() {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-hid-refusal-'));
  dirs.push(dir);
  const clock = fakeClock(Date.UTC(2026, 10, 23, 0, 30));
  const app = createKioskApp({ dataDir: dir, demo: true, simulatedHid: true, logger: silentLogger, clock });
  apps.push(app);
  const pushed: Array<{ name: string; payload: unknown }> = [];
  app.onEvent((name, payload) => pushed.push({ name, payload }));
  return { app, dispatch: createDispatcher(app.handlers, silentLogger), pushed, clock };
}

const specimenCard = async (dispatch: ReturnType<typeof start>['dispatch']) => {
  const opened = await dispatch('selftest:specimen', { open: true, card: true });
  await dispatch('selftest:specimen', { open: false });
  return (opened as { value: { card: { token: string } } }).value.card.token;
};

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

/** Sends `data` as the simulated HID POS scanner's reports, once the scanner has been opened. */
async function hidScan(dispatch: ReturnType<typeof start>['dispatch'], data: string) {
  const reports = scanToReports(data).map(toHex);
  for (let i = 0; i < 200; i++) {
    const env = await dispatch('demo:hidReports', { reports });
    if (env.ok && (env.value as { delivered: number }).delivered > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the simulated HID scanner never opened');
}

describe('HID refusals reach the screen', () => {
  it('a specimen outside the self-test: the wedge gets SPECIMEN_TOKEN, the HID scan pushes the same refusal', async () => {
    const { app, dispatch, pushed, clock } = start();
    const card = await specimenCard(dispatch);
    const wedge = await dispatch('kiosk:admit', { data: card, source: 'wedge' });
    expect(wedge).toMatchObject({ ok: false, error: { code: 'SPECIMEN_TOKEN' } });
    const wedgeError = (wedge as { error: { code: string; message: string } }).error;

    clock.advance(5_000); // past the 2 s repeat gate
    expect(app.admitFromMain({ data: card, source: 'hid' })).toBeNull();
    const refused = pushed.filter((e) => e.name === 'kiosk:refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]?.payload).toEqual({ source: 'hid', code: wedgeError.code, message: wedgeError.message, scannedAt: clock() });
    // It is a contract event: main's forwarder and the dev host pass it on.
    expect(events['kiosk:refused'].safeParse(refused[0]?.payload).success).toBe(true);
    expect(pushed.some((e) => e.name === 'kiosk:admitted')).toBe(false);
    expect(await dispatch('kiosk:status', {})).toMatchObject({ ok: true, value: { todayCount: 0 } });
  });

  it('through the simulated HID POS scanner (reports → reassembler → admit) the refusal is pushed too', async () => {
    const { dispatch, pushed } = start();
    const card = await specimenCard(dispatch);
    await hidScan(dispatch, card);
    await until(() => pushed.some((e) => e.name === 'kiosk:refused'));
    expect(pushed.find((e) => e.name === 'kiosk:refused')?.payload).toMatchObject({ source: 'hid', code: 'SPECIMEN_TOKEN' });
  });

  it('a visitor token over HID is still answered with kiosk:admitted, not kiosk:refused', async () => {
    const { dispatch, pushed } = start();
    const minted = await dispatch('demo:mintToken', { issuer: 1 });
    const token = (minted as { value: { token: string } }).value.token;
    await hidScan(dispatch, token);
    await until(() => pushed.some((e) => e.name === 'kiosk:admitted'));
    expect(pushed.find((e) => e.name === 'kiosk:admitted')?.payload).toMatchObject({ source: 'hid', code: 'OK' });
    expect(pushed.some((e) => e.name === 'kiosk:refused')).toBe(false);
  });
});
