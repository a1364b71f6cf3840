// Runs under vitest (Node). The outbox quarantine on a real entry-log file: entries the central
// API refused for good leave the outbox with their code, survive a reopen, go with their entry
// at the 28-day purge, come back on release, and bad arguments are refused with a code.
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../shared/envelope';
import { DAY_MS, fakeClock } from '../clock';
import { generateKeyPair } from '../kp1';
import { memoryLogger, silentLogger } from '../log';
import { openEntryLog } from './index';
import { tempLogFiles, testEntry } from './testSupport';

const T0 = Date.parse('2026-11-23T03:00:00Z');
const files = tempLogFiles('munjigi-quarantine-');
const entry = (scannedAt: number) => testEntry(scannedAt);

describe('outbox quarantine', () => {
  it('moves refused entries out of the outbox, keeps them across a reopen, and releases them', () => {
    const path = files.path();
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
    expect(log.quarantined(10)).toEqual([{ entryId: es[0]!.id, tokenId: es[0]!.tokenId, scannedAt: T0, quarantinedAt: T0 + 5, code: 'VALIDATION_FAILED', attempts: 2 }]);
    expect(JSON.stringify(log.quarantined(10))).not.toContain(es[0]!.subject); // never the subject
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

  it('releases only the chosen entries, skips ids not in quarantine, and refuses bad ids', () => {
    const clock = fakeClock(T0);
    const log = openEntryLog({ path: files.path(), clock, logger: silentLogger, expectExisting: false, receiptKey: generateKeyPair().privateKey });
    const es = [entry(T0), entry(T0 + 1), entry(T0 + 2)];
    for (const e of es) log.recordEntry(e, T0);
    expect(log.quarantine(es.map((e) => e.id), 'BODY_TOO_LARGE', T0 + 10)).toBe(3);
    expect(log.pendingCount()).toBe(0);

    expect(log.releaseQuarantine(T0 + 20, [es[1]!.id, 'not-quarantined'])).toBe(1);
    expect(log.quarantined(10).map((q) => q.entryId).sort()).toEqual([es[0]!.id, es[2]!.id].sort());
    expect(log.outboxBatch(10).map((o) => ({ id: o.entry.id, attempts: o.attempts }))).toEqual([{ id: es[1]!.id, attempts: 0 }]);
    // Released twice: nothing more moves, and the entry is in the outbox once.
    expect(log.releaseQuarantine(T0 + 21, [es[1]!.id])).toBe(0);
    expect(log.pendingCount()).toBe(1);
    expect(log.releaseQuarantine(T0 + 22, [])).toBe(0);

    for (const bad of [() => log.releaseQuarantine(T0, 'x' as never), () => log.releaseQuarantine(T0, [1] as never), () => log.releaseQuarantine(T0, ['x'.repeat(129)]), () => log.releaseQuarantine(NaN, [es[0]!.id])]) {
      expect(bad).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_BAD_ARGUMENT' }));
    }
    expect(log.quarantinedCount()).toBe(2);
    expect(log.releaseQuarantine(T0 + 30)).toBe(2);
    expect(log.quarantinedCount()).toBe(0);
    expect(log.pendingCount()).toBe(3);
    log.close();
  });

  it('counts a quarantined entry purged at 28 days among those that never synced', () => {
    const clock = fakeClock(T0);
    const memory = memoryLogger();
    const log = openEntryLog({ path: files.path(), clock, logger: memory.logger, expectExisting: false, receiptKey: generateKeyPair().privateKey });
    const es = [entry(T0), entry(T0 + 1), entry(T0 + 2)];
    for (const e of es) log.recordEntry(e, T0);
    log.quarantine([es[0]!.id], 'VALIDATION_FAILED', T0 + 5);
    log.markSynced([es[1]!.id]);
    clock.set(T0 + 29 * DAY_MS);
    expect(log.purgeExpired(clock())).toBe(3);
    // es[0] (quarantined) and es[2] (still in the outbox) never reached the server; es[1] did.
    expect(memory.lines.find((l) => l.msg === 'entry log purged entries that never synced')).toMatchObject({ count: 2 });
    log.close();
  });
});
