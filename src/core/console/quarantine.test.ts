// Runs under vitest (Node). The console's 전송 보류 항목 over a real entry-log file: the listing
// (no subject), requeue of all or of chosen entries back into the outbox, the sync woken only
// when something moved, and a request that names nothing refused instead of releasing all.
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { openEntryLog } from '../entrylog';
import { tempLogFiles, testEntry } from '../entrylog/testSupport';
import { generateKeyPair } from '../kp1';
import { memoryLogger, silentLogger } from '../log';
import { createQuarantineConsole } from './quarantine';

const T0 = Date.parse('2026-11-23T03:00:00Z');
const files = tempLogFiles('munjigi-console-quarantine-');

function setup() {
  const clock = fakeClock(T0);
  const log = openEntryLog({ path: files.path(), clock, logger: silentLogger, expectExisting: false, receiptKey: generateKeyPair().privateKey });
  const es = [testEntry(T0), testEntry(T0 + 1), testEntry(T0 + 2)];
  for (const e of es) log.recordEntry(e, T0);
  log.quarantine([es[0]!.id, es[1]!.id], 'VALIDATION_FAILED', T0 + 5);
  let wakes = 0;
  const memory = memoryLogger();
  const held = createQuarantineConsole({ log, clock, logger: memory.logger, wakeSync: () => wakes++ });
  return { log, es, held, lines: memory.lines, wakes: () => wakes, clock };
}

describe('quarantine console', () => {
  it('lists quarantined entries with token id and code, never the subject', () => {
    const { log, es, held } = setup();
    const listed = held.list();
    expect(listed.total).toBe(2);
    expect(listed.rows.map((r) => r.entryId).sort()).toEqual([es[0]!.id, es[1]!.id].sort());
    expect(listed.rows.find((r) => r.entryId === es[0]!.id)).toEqual({ entryId: es[0]!.id, tokenId: es[0]!.tokenId, scannedAt: T0, quarantinedAt: T0 + 5, code: 'VALIDATION_FAILED', attempts: 1 });
    for (const e of es) expect(JSON.stringify(listed)).not.toContain(e.subject);
    // A page smaller than the total still says the total.
    expect(held.list(1)).toMatchObject({ total: 2, rows: [expect.any(Object)] });
    expect(() => held.list(0)).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_BAD_ARGUMENT' }));
    log.close();
  });

  it('requeues the chosen entries, then the rest, and wakes the sync only when something moved', () => {
    const { log, es, held, lines: logged, wakes } = setup();
    expect(held.requeue({ entryIds: [es[1]!.id] })).toEqual({ requeued: 1, quarantined: 1, pending: 2 });
    expect(wakes()).toBe(1);
    expect(held.requeue({ entryIds: [es[1]!.id, 'unknown-id'] })).toEqual({ requeued: 0, quarantined: 1, pending: 2 });
    expect(wakes()).toBe(1);
    expect(held.requeue({ all: true })).toEqual({ requeued: 1, quarantined: 0, pending: 3 });
    expect(wakes()).toBe(2);
    expect(log.outboxBatch(10).map((o) => o.entry.id).sort()).toEqual(es.map((e) => e.id).sort());
    // The log line says how many, not which.
    const lines = JSON.stringify(logged);
    expect(lines).toContain('requeued');
    for (const e of es) expect(lines).not.toContain(e.id);
    log.close();
  });

  it('refuses a request that names nothing instead of releasing everything', () => {
    const { log, held, wakes } = setup();
    for (const bad of [{}, { all: false }, { entryIds: 'x' }] as never[]) {
      expect(() => held.requeue(bad)).toThrow(expect.objectContaining({ code: 'QUARANTINE_NOTHING_CHOSEN' }));
    }
    expect(() => held.requeue({ entryIds: [42] } as never)).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_BAD_ARGUMENT' }));
    expect(log.quarantinedCount()).toBe(2);
    expect(wakes()).toBe(0);
    log.close();
  });
});
