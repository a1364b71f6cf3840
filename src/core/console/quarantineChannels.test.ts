// Runs under vitest (Node). console:quarantine and console:requeueQuarantined as the renderer
// meets them: through the kiosk app's handlers and the dispatcher. Refused without an operator
// session (even in a demo once a PIN is set), bad payloads refused by the contract with
// INVALID_REQUEST and nothing moved; unlocked, the listing shows the entry and a requeue puts it
// back in the outbox and the status count follows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/dispatch';
import type { KioskApp } from '../app/kiosk';
import { createKioskApp, kioskPaths } from '../app/kiosk';
import { fakeClock } from '../clock';
import { silentLogger } from '../log';

const NOW = Date.parse('2026-11-23T10:30:00+09:00');
const PIN = '482916';
let app: KioskApp | null = null;
let dir = '';
afterEach(async () => {
  await app?.close();
  app = null;
  rmSync(dir, { recursive: true, force: true });
});

/** What the sync worker does on a 422: the entry leaves the outbox for quarantine (a second connection, as the log file allows). */
function quarantineAll(path: string, code: string, at: number) {
  const db = new Database(path);
  try {
    db.transaction(() => {
      db.prepare('INSERT INTO outbox_quarantine (entry_id, quarantined_at, code, attempts) SELECT entry_id, ?, ?, attempts + 1 FROM outbox').run(at, code);
      db.prepare('DELETE FROM outbox').run();
    })();
  } finally {
    db.close();
  }
}

describe('quarantine channels', () => {
  it('deny without an operator session, refuse bad payloads, and list and requeue once unlocked', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mjg-quarantine-ipc-'));
    const clock = fakeClock(NOW);
    app = createKioskApp({ dataDir: dir, demo: true, logger: silentLogger, clock });
    const dispatch = createDispatcher(app.handlers, silentLogger);
    const { token } = await app.handlers['demo:mintToken']({ issuer: 1 });
    const admitted = await app.handlers['kiosk:admit']({ data: token, source: 'wedge' });
    expect(admitted.ok).toBe(true);
    quarantineAll(kioskPaths(dir).entryLog, 'VALIDATION_FAILED', NOW + 1000);

    // A PIN is set: from now on the console's quarantine needs a session.
    await dispatch('operator:setPin', { pin: PIN });
    expect(await dispatch('console:quarantine', {})).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    expect(await dispatch('console:requeueQuarantined', { all: true })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    expect(await dispatch('console:requeueQuarantined', { entryIds: [admitted.entryId] })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });

    // Bad payloads never reach the handler, locked or not.
    await dispatch('operator:unlock', { pin: PIN });
    const bad: Array<[string, unknown]> = [
      ['console:quarantine', { limit: 0 }],
      ['console:quarantine', { limit: 501 }],
      ['console:quarantine', { limit: '10' }],
      ['console:quarantine', { limit: 1.5 }],
      ['console:quarantine', { extra: true }],
      ['console:requeueQuarantined', {}],
      ['console:requeueQuarantined', { all: false }],
      ['console:requeueQuarantined', { all: 'yes' }],
      ['console:requeueQuarantined', { entryIds: [] }],
      ['console:requeueQuarantined', { entryIds: 'x' }],
      ['console:requeueQuarantined', { entryIds: [42] }],
      ['console:requeueQuarantined', { entryIds: ['x'.repeat(129)] }],
      ['console:requeueQuarantined', { entryIds: Array.from({ length: 501 }, (_, i) => `e${i}`) }],
      ['console:requeueQuarantined', { all: true, entryIds: ['x'] }],
      ['console:requeueQuarantined', null],
      ['console:requeueQuarantined', 'all'],
    ];
    for (const [channel, payload] of bad) {
      expect(await dispatch(channel, payload), `${channel} ${JSON.stringify(payload)?.slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(app.status().sync.pending).toBe(0);

    const listed = await dispatch('console:quarantine', {});
    expect(listed).toEqual({
      ok: true,
      value: { total: 1, rows: [{ entryId: admitted.entryId, tokenId: admitted.tokenId, scannedAt: admitted.scannedAt, quarantinedAt: NOW + 1000, code: 'VALIDATION_FAILED', attempts: 1 }] },
    });
    expect(await dispatch('console:requeueQuarantined', { entryIds: ['not-an-entry'] })).toEqual({ ok: true, value: { requeued: 0, quarantined: 1, pending: 0 } });
    expect(await dispatch('console:requeueQuarantined', { entryIds: [admitted.entryId] })).toEqual({ ok: true, value: { requeued: 1, quarantined: 0, pending: 1 } });
    expect(app.status().sync.pending).toBe(1);
    expect(await dispatch('console:quarantine', { limit: 10 })).toEqual({ ok: true, value: { total: 0, rows: [] } });

    // The session ends: refused again.
    await dispatch('operator:lock', {});
    expect(await dispatch('console:quarantine', {})).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
  });
});
