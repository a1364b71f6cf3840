// Runs under vitest (Node). The outbox quarantine on a real entry-log file: entries the central
// API refused for good leave the outbox with their code, survive a reopen, go with their entry
// at the 28-day purge, come back on release, and bad arguments are refused with a code.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodedError } from '../../shared/envelope';
import { DAY_MS, fakeClock } from '../clock';
import { generateKeyPair } from '../kp1';
import { silentLogger } from '../log';
import { openEntryLog } from './index';
import type { NewEntry } from './index';

const T0 = Date.parse('2026-11-23T03:00:00Z');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

let nonce = 0;
const entry = (scannedAt: number): NewEntry => ({
  id: randomUUID(),
  tokenId: `1:${(0xabc000 + nonce++).toString(16).padStart(16, '0')}`,
  issuer: 1,
  subject: randomBytes(16).toString('hex'),
  facilityId: 'fac-1',
  kioskId: 'kiosk-1',
  scannedAt,
  issuedAt: Math.floor(scannedAt / 1000),
  source: 'wedge',
});

describe('outbox quarantine', () => {
  it('moves refused entries out of the outbox, keeps them across a reopen, and releases them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'munjigi-quarantine-'));
    dirs.push(dir);
    const path = join(dir, 'entries.sqlite');
    const clock = fakeClock(T0);
    const receiptKey = generateKeyPair().privateKey;
    let log = openEntryLog({ path, clock, logger: silentLogger, expectExisting: false, receiptKey });
    const es = [entry(T0), entry(T0), entry(T0)];
    for (const e of es) log.recordEntry(e, T0);
    log.recordAttemptFailure([es[0]!.id], 'VALIDATION_FAILED');
    expect(log.quarantine([es[0]!.id, 'not-in-outbox'], 'VALIDATION_FAILED', T0 + 5)).toBe(1);
    expect(log.pendingCount()).toBe(2);
    expect(log.outboxBatch(10).map((o) => o.entry.id)).toEqual([es[1]!.id, es[2]!.id]);
    log.close();

    log = openEntryLog({ path, clock, logger: silentLogger, expectExisting: true, receiptKey });
    expect(log.quarantinedCount()).toBe(1);
    expect(log.quarantined(10)).toEqual([{ entryId: es[0]!.id, quarantinedAt: T0 + 5, code: 'VALIDATION_FAILED', attempts: 2 }]);
    // Quarantine again is a no-op (the row is no longer in the outbox).
    expect(log.quarantine([es[0]!.id], 'VALIDATION_FAILED', T0 + 6)).toBe(0);

    for (const bad of [() => log.quarantine([es[1]!.id], 'lower case', T0), () => log.quarantine('x' as never, 'CODE', T0), () => log.quarantine([], 'CODE', NaN), () => log.quarantined(0)]) {
      expect(bad).toThrow(CodedError);
      try {
        bad();
      } catch (err) {
        expect((err as CodedError).code).toBe('ENTRY_LOG_BAD_ARGUMENT');
      }
    }
    expect(log.pendingCount()).toBe(2);

    expect(log.releaseQuarantine(T0 + 10)).toBe(1);
    expect(log.quarantinedCount()).toBe(0);
    expect(log.pendingCount()).toBe(3);
    expect(log.outboxBatch(10).at(-1)).toMatchObject({ attempts: 0, entry: { id: es[0]!.id } });

    // The 28-day purge takes a quarantined entry with it.
    log.quarantine([es[0]!.id], 'VALIDATION_FAILED', T0 + 11);
    clock.set(T0 + 29 * DAY_MS);
    log.purgeExpired(clock());
    expect(log.quarantinedCount()).toBe(0);
    log.close();
  });
});
