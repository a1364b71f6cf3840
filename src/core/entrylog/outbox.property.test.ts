// Runs under vitest (Node). The outbox against a plain model, over random sequences of what
// admit and the sync worker do: written entries queue in order, synced ones leave, failures
// count attempts, retention drops old entries with their rows, nothing else changes.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../clock';
import { silentLogger } from '../log';
import { generateKeyPair } from '../kp1';
import { RETENTION_MS, openEntryLog } from './index';

type Op =
  | { kind: 'write'; ageDays: number }
  | { kind: 'sync'; picks: number[] }
  | { kind: 'fail'; picks: number[] }
  | { kind: 'purge' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('write' as const), ageDays: fc.integer({ min: 0, max: 40 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('sync' as const), picks: fc.array(fc.nat(50), { maxLength: 5 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('fail' as const), picks: fc.array(fc.nat(50), { maxLength: 5 }) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'purge' as const }), weight: 1 },
);

const NOW = Date.parse('2026-11-23T03:00:00Z');
const receiptKey = generateKeyPair().privateKey;

describe('outbox model', () => {
  it('matches a simple model over random sequences of writes, syncs, failures and purges', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const dir = mkdtempSync(join(tmpdir(), 'munjigi-outbox-'));
        const log = openEntryLog({ path: join(dir, 'e.sqlite'), clock: fakeClock(NOW), logger: silentLogger, expectExisting: false, defer: () => {}, receiptKey });
        try {
          // Model: entries by id with scannedAt, and the pending queue in write order.
          const entries = new Map<string, number>();
          const pending: Array<{ id: string; createdAt: number; attempts: number }> = [];
          let n = 0;
          for (const o of ops) {
            if (o.kind === 'write') {
              const scannedAt = NOW - o.ageDays * DAY_MS - n;
              const id = `e-${n}`;
              const tokenId = `1:${n.toString(16).padStart(16, '0')}`;
              n++;
              expect(log.recordEntry({ id, tokenId, issuer: 1, subject: 'ab'.repeat(16), facilityId: 'f', kioskId: 'k', scannedAt, issuedAt: 0, source: 'wedge' }, scannedAt)).toBe('written');
              entries.set(id, scannedAt);
              pending.push({ id, createdAt: scannedAt, attempts: 0 });
            } else if (o.kind === 'sync' || o.kind === 'fail') {
              const ids = [...new Set(o.picks.map((p) => `e-${p}`))];
              if (o.kind === 'sync') {
                const removed = ids.filter((id) => pending.some((p) => p.id === id)).length;
                expect(log.markSynced(ids)).toBe(removed);
                for (const id of ids) pending.splice(0, pending.length, ...pending.filter((p) => p.id !== id));
              } else {
                const hit = pending.filter((p) => ids.includes(p.id));
                expect(log.recordAttemptFailure(ids, 'HTTP 503')).toBe(hit.length);
                for (const p of hit) p.attempts++;
              }
            } else {
              const cutoff = NOW - RETENTION_MS;
              // The purge cuts the chain (write order) after its last expired entry.
              const order = [...entries];
              let last = -1;
              order.forEach(([, at], i) => {
                if (at < cutoff) last = i;
              });
              const old = order.slice(0, last + 1).map(([id]) => id);
              expect(log.purgeExpired(NOW)).toBe(old.length);
              for (const id of old) entries.delete(id);
              pending.splice(0, pending.length, ...pending.filter((p) => entries.has(p.id)));
            }
            expect(log.pendingCount()).toBe(pending.length);
            expect(log.oldestPendingAt()).toBe(pending.length ? Math.min(...pending.map((p) => p.createdAt)) : null);
            const batch = log.outboxBatch(1000);
            expect(batch.map((b) => [b.entry.id, b.attempts])).toEqual(pending.map((p) => [p.id, p.attempts]));
          }
        } finally {
          log.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
  });
});
