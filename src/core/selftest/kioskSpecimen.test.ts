// Runs under vitest (Node). The specimen QR through the kiosk app, as the renderer and the HID
// scanner meet it: refused with SPECIMEN_TOKEN outside the self-test, answered 점검용 QR 확인됨
// inside the operator's window, never an entry, an outbox row or a refusal count; the self-test
// mints and checks one itself; leaving kiosk mode needs an unlocked operator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/dispatch';
import { createKioskApp, SPECIMEN_WINDOW_MS } from '../app/kiosk';
import type { KioskApp } from '../app/kiosk';
import { fakeClock } from '../clock';
import { silentLogger } from '../log';

const apps: KioskApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(opts: { demo: boolean; leaveKiosk?: () => void }) {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-specimen-app-'));
  dirs.push(dir);
  const clock = fakeClock(Date.UTC(2026, 10, 23, 0, 30));
  const app = createKioskApp({ dataDir: dir, demo: opts.demo, logger: silentLogger, clock, leaveKiosk: opts.leaveKiosk });
  apps.push(app);
  const dispatch = createDispatcher(app.handlers, silentLogger);
  return { app, dispatch, clock, dir };
}

async function nothingWritten(dispatch: ReturnType<typeof start>['dispatch'], day = '2026-11-23') {
  const status = await dispatch('kiosk:status', {});
  expect(status).toMatchObject({ ok: true, value: { todayCount: 0, sync: { pending: 0 } } });
  expect(await dispatch('console:refusals', { day })).toMatchObject({ ok: true, value: { entries: 0, byCode: [] } });
}

describe('specimen QR in the kiosk', () => {
  it('outside the self-test a specimen is refused with SPECIMEN_TOKEN; inside it is checked; nothing is ever written', async () => {
    const { app, dispatch, clock } = start({ demo: true });
    const opened = await dispatch('selftest:specimen', { open: true, card: true });
    expect(opened).toMatchObject({ ok: true, value: { openUntil: clock() + SPECIMEN_WINDOW_MS, seen: null } });
    const card = (opened as { value: { card: { token: string; qrSvg: string } } }).value.card;
    expect(card.qrSvg).toContain('<svg');
    await dispatch('selftest:specimen', { open: false });

    // Outside the window: refused from every source, with a code and a Korean sentence.
    const refused = await dispatch('kiosk:admit', { data: card.token, source: 'wedge' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'SPECIMEN_TOKEN', message: expect.stringMatching(/점검용/) as string } });
    expect(app.admitFromMain({ data: card.token, source: 'hid' })).toBeNull();

    // Inside the window, an hour later: the printed card is recognised (EXPIRED is its expected result).
    clock.advance(3_600_000);
    await dispatch('selftest:specimen', { open: true });
    const checked = await dispatch('kiosk:admit', { data: card.token, source: 'wedge' });
    expect(checked).toMatchObject({ ok: true, value: { ok: false, specimen: 'checked', code: 'EXPIRED', source: 'wedge' } });
    expect((checked as { value: { entryId?: string } }).value.entryId).toBeUndefined();
    expect(app.admitFromMain({ data: card.token, source: 'hid' })).toMatchObject({ specimen: 'checked', code: 'EXPIRED' });
    expect(await dispatch('selftest:specimen', { open: true })).toMatchObject({ ok: true, value: { seen: { source: 'hid', result: 'EXPIRED', expected: true } } });

    // The window closes by itself.
    clock.advance(SPECIMEN_WINDOW_MS);
    expect(await dispatch('kiosk:admit', { data: card.token, source: 'wedge' })).toMatchObject({ ok: false, error: { code: 'SPECIMEN_TOKEN' } });
    await nothingWritten(dispatch);
  });

  it('the self-test mints its own specimen, checks it through the scan path and writes nothing; a scanned card proves the scanner', async () => {
    const { dispatch } = start({ demo: true });
    await dispatch('selftest:run', {}); // joins the daily run started with the kiosk
    await dispatch('selftest:specimen', { open: true });
    const card = ((await dispatch('selftest:specimen', { open: true, card: true })) as { value: { card: { token: string } } }).value.card;
    await dispatch('kiosk:admit', { data: card.token, source: 'wedge' });
    const run = await dispatch('selftest:run', { camera: 'disabled', speaker: 'played' });
    expect(run.ok).toBe(true);
    const results = (run as { value: { results: Array<{ id: string; status: string; detail: string; en?: { detail: string } }> } }).value.results;
    expect(results.map((r) => r.id)).toEqual(['scanner', 'camera', 'centralApi', 'trustList', 'clock', 'speaker', 'specimen']);
    expect(results.find((r) => r.id === 'specimen')).toMatchObject({ status: 'ok', en: { detail: 'Specimen verified · nothing recorded' } });
    expect(results.find((r) => r.id === 'scanner')).toMatchObject({ status: 'ok', detail: expect.stringContaining('견본 QR') as string });
    expect(results.find((r) => r.id === 'speaker')?.detail).toContain('시험음');
    await nothingWritten(dispatch);
  });

  it('a real kiosk opens the specimen window only for an unlocked operator; bad requests are refused', async () => {
    const { dispatch } = start({ demo: false });
    expect(await dispatch('selftest:specimen', { open: true })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    expect(await dispatch('selftest:specimen', { open: false })).toMatchObject({ ok: true, value: { openUntil: null } });
    expect(await dispatch('selftest:specimen', { open: 'yes' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('selftest:run', { speaker: 'loud' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    await dispatch('operator:setPin', { pin: '246813' });
    await dispatch('operator:unlock', { pin: '246813' });
    expect(await dispatch('selftest:specimen', { open: true })).toMatchObject({ ok: true });
  });
});

describe('kiosk:leave', () => {
  it('needs an unlocked operator, and a kiosk-mode window to leave', async () => {
    let left = 0;
    const { app, dispatch } = start({ demo: false, leaveKiosk: () => left++ });
    expect(await dispatch('kiosk:leave', {})).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    expect(app.operatorUnlocked()).toBe(false);
    await dispatch('operator:setPin', { pin: '246813' });
    await dispatch('operator:unlock', { pin: '246813' });
    expect(app.operatorUnlocked()).toBe(true);
    expect(await dispatch('kiosk:leave', {})).toEqual({ ok: true, value: { left: true } });
    expect(left).toBe(1);
    const windowed = start({ demo: true });
    expect(await windowed.dispatch('kiosk:leave', {})).toMatchObject({ ok: false, error: { code: 'KIOSK_MODE_OFF' } });
  });
});
