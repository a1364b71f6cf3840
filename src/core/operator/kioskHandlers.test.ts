// Runs in Node (vitest). The operator lock as the renderer meets it: through the kiosk app's
// handlers and the dispatcher. A real kiosk refuses settings changes until a PIN is set and an
// operator unlocks; a demo without a PIN stays open; the PIN never comes back in an answer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/dispatch';
import { createKioskApp } from '../app/kiosk';
import type { KioskApp } from '../app/kiosk';
import { fakeClock } from '../clock';
import { silentLogger } from '../log';
import { SESSION_MS } from './pin';

const apps: KioskApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(demo: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-operator-app-'));
  dirs.push(dir);
  const clock = fakeClock(Date.UTC(2026, 10, 23, 9));
  const app = createKioskApp({ dataDir: dir, demo, logger: silentLogger, clock });
  apps.push(app);
  return { dispatch: createDispatcher(app.handlers, silentLogger), clock };
}
const change = { voice: { volume: 0.5, muted: false } };

describe('operator channels', () => {
  it('a real kiosk: settings refused until a PIN is set and unlocked; the session ends', async () => {
    const { dispatch, clock } = start(false);
    expect(await dispatch('operator:status', {})).toEqual({
      ok: true,
      value: { pinSet: false, setupRequired: true, unlockedUntil: null, lockedUntil: null, attemptsLeft: 5, institutionId: null },
    });
    expect(await dispatch('settings:update', change)).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    expect(await dispatch('operator:unlock', { pin: '246813' })).toMatchObject({ ok: false, error: { code: 'OPERATOR_PIN_NOT_SET' } });
    const set = await dispatch('operator:setPin', { pin: '246813' });
    expect(set).toMatchObject({ ok: true, value: { pinSet: true, setupRequired: false } });
    expect(JSON.stringify(set)).not.toContain('246813');
    expect(await dispatch('settings:update', change)).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    expect(await dispatch('operator:unlock', { pin: '135792' })).toMatchObject({ ok: false, error: { code: 'OPERATOR_PIN_WRONG' } });
    expect(await dispatch('operator:unlock', { pin: '246813' })).toEqual({ ok: true, value: { unlockedUntil: clock() + SESSION_MS } });
    expect(await dispatch('settings:update', change)).toMatchObject({ ok: true, value: { voice: { volume: 0.5 } } });
    clock.advance(SESSION_MS);
    expect(await dispatch('settings:update', change)).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    await dispatch('operator:unlock', { pin: '246813' });
    expect(await dispatch('operator:lock', {})).toMatchObject({ ok: true, value: { unlockedUntil: null } });
    expect(await dispatch('settings:update', change)).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
  });

  it('a demo without a PIN is open; bad payloads are refused by the contract', async () => {
    const { dispatch } = start(true);
    expect(await dispatch('settings:update', change)).toMatchObject({ ok: true });
    expect(await dispatch('operator:unlock', { pin: 2468 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('operator:unlock', { pin: '1'.repeat(65) })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('operator:setPin', { pin: '12', extra: true })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('operator:setPin', { pin: 'abcd' })).toMatchObject({ ok: false, error: { code: 'OPERATOR_PIN_INVALID' } });
  });
});
