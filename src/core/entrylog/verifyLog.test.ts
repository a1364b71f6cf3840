// Runs under vitest (Node). The hash chain and signed deletion receipts on real SQLite files:
// an untouched log verifies; each kind of tampering (a changed row, a row deleted in the middle,
// an inserted row, a prefix deleted without a receipt, a forged or removed receipt) is reported
// with its position; an old (version 1) log is chained by the migration.
import Database from 'better-sqlite3';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodedError } from '../../shared/envelope';
import { DAY_MS, fakeClock } from '../clock';
import { generateKeyPair, publicKeyToBase64url } from '../kp1';
import { silentLogger } from '../log';
import { GENESIS_HASH, RETENTION_MS, ensureReceiptKey, entryHash, openEntryLog, parseReceiptBody, verifyEntryLog } from './index';
import type { NewEntry } from './index';
import { MIGRATIONS } from './schema';
import { signReceipt } from './receipts';
import { tempLogFiles, testEntry } from './testSupport';

const files = tempLogFiles('munjigi-chain-');

const T0 = Date.parse('2026-11-23T03:00:00Z');
const key = generateKeyPair().privateKey;
const publicKey = publicKeyToBase64url(key);

const tempDir = files.dir;

const entry = (scannedAt: number) => testEntry(scannedAt);

/** A log with `old` entries 30 days old then `fresh` entries of today, optionally purged. */
function makeLog(opts: { old?: number; fresh?: number; purge?: boolean } = {}) {
  const path = join(tempDir(), 'entries.sqlite');
  const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: false, receiptKey: key, defer: () => {} });
  files.track(log);
  const written: NewEntry[] = [];
  for (let i = 0; i < (opts.old ?? 0); i++) written.push(entry(T0 - 30 * DAY_MS + i));
  for (let i = 0; i < (opts.fresh ?? 10); i++) written.push(entry(T0 + i * 1000));
  for (const e of written) expect(log.recordEntry(e, e.scannedAt)).toBe('written');
  if (opts.purge) log.purgeExpired(T0 + 60_000);
  log.close();
  return { path, written };
}

const tamper = (path: string, sql: string, ...params: unknown[]) => {
  const db = new Database(path);
  db.prepare(sql).run(...params);
  db.close();
};

const kinds = (path: string, pk: string | undefined = publicKey) => verifyEntryLog(path, { publicKey: pk }).problems.map((p) => [p.kind, p.seq ?? p.fromSeq ?? p.receipt]);

describe('hash chain', () => {
  it('chains every written entry and keeps the head, across a reopen', () => {
    const { path, written } = makeLog({ fresh: 5 });
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT id, seq, prev_hash, hash FROM entry ORDER BY seq').all() as Array<{ id: string; seq: number; prev_hash: string; hash: string }>;
    expect(rows.map((r) => r.id)).toEqual(written.map((e) => e.id));
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    let prev = GENESIS_HASH;
    for (const [i, r] of rows.entries()) {
      expect(r.seq).toBe(i + 1);
      expect(r.prev_hash).toBe(prev);
      expect(r.hash).toBe(entryHash(prev, { ...written[i]!, result: 'OK' }));
      prev = r.hash;
    }
    expect(db.prepare('SELECT seq, hash FROM chain_head').get()).toEqual({ seq: 5, hash: prev });
    db.close();

    const reopened = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: true, receiptKey: key });
    files.track(reopened);
    expect(reopened.chainHead()).toEqual({ seq: 5, hash: prev });
    // A duplicate does not move the head.
    expect(reopened.recordEntry({ ...entry(T0), tokenId: written[0]!.tokenId }, T0)).toBe('duplicate');
    expect(reopened.chainHead().seq).toBe(5);
    reopened.recordEntry(entry(T0 + 99_000), T0 + 99_000);
    expect(reopened.chainHead().seq).toBe(6);
    reopened.close();
    expect(verifyEntryLog(path, { publicKey }).intact).toBe(true);
  });

  it('chains the entries of a version-1 log in write order during the migration', () => {
    const path = join(tempDir(), 'old.sqlite');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!.sql);
    db.pragma('application_id = 0x4d4a4731');
    db.pragma('user_version = 1');
    const old = [entry(T0 + 5000), entry(T0), entry(T0 + 2000)];
    const ins = db.prepare(
      `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'OK')`,
    );
    for (const e of old) ins.run(e.id, e.tokenId, e.issuer, e.subject, e.facilityId, e.kioskId, e.scannedAt, e.issuedAt, e.source);
    db.close();

    expect(() => verifyEntryLog(path)).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_UNCHAINED' }) as Error);
    const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: true, receiptKey: key });
    files.track(log);
    expect(log.chainHead().seq).toBe(3);
    log.recordEntry(entry(T0 + 9000), T0 + 9000);
    log.close();
    const report = verifyEntryLog(path, { publicKey });
    expect(report).toMatchObject({ intact: true, entries: 4, head: { seq: 4 } });
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT id FROM entry ORDER BY seq').pluck().all().slice(0, 3)).toEqual(old.map((e) => e.id));
    raw.close();
  });
});

describe('signed deletion receipts', () => {
  it('purges the expired prefix with one signed receipt per batch, queued for the central API', () => {
    const path = join(tempDir(), 'entries.sqlite');
    const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: false, receiptKey: key, defer: () => {} });
    files.track(log);
    const old = Array.from({ length: 600 }, (_, i) => entry(T0 - 29 * DAY_MS + i));
    const kept = [entry(T0 - DAY_MS), entry(T0)];
    for (const e of [...old, ...kept]) log.recordEntry(e, e.scannedAt);
    expect(log.purgeExpired(T0)).toBe(600);

    const receipts = log.pendingReceipts();
    expect(receipts).toHaveLength(2); // batches of 500
    const [a, b] = receipts.map((r) => parseReceiptBody(r.body)!);
    expect(a).toMatchObject({ n: 1, count: 500, firstSeq: 1, lastSeq: 500, firstPrevHash: GENESIS_HASH, kioskId: 'kiosk-1', facilityId: 'fac-1', date: '2026-11-23', publicKey });
    expect(b).toMatchObject({ n: 2, count: 100, firstSeq: 501, lastSeq: 600, firstPrevHash: a!.cutHash });
    expect(b!.nextPrevHash).toBe(b!.cutHash);
    expect(JSON.stringify(receipts)).not.toContain(old[0]!.subject);
    expect(log.receiptPublicKey()).toBe(publicKey);

    expect(log.markReceiptsSent([receipts[0]!.id], T0 + 1)).toBe(1);
    expect(log.markReceiptsSent([receipts[0]!.id], T0 + 2)).toBe(0);
    expect(log.pendingReceipts().map((r) => r.id)).toEqual([receipts[1]!.id]);
    expect(log.receipts()).toHaveLength(2);
    expect(() => log.markReceiptsSent(['1' as unknown as number])).toThrow(CodedError);
    expect(() => log.pendingReceipts(0)).toThrow(CodedError);
    // Nothing more has expired: no empty receipts.
    expect(log.purgeExpired(T0)).toBe(0);
    expect(log.receipts()).toHaveLength(2);
    log.close();
    expect(verifyEntryLog(path, { publicKey })).toMatchObject({ intact: true, entries: 2, receipts: 2, keySource: 'option' });
    expect(verifyEntryLog(path)).toMatchObject({ intact: true, keySource: 'database', publicKey });
  });

  it('cuts at the last expired entry in chain order, so a clock set back cannot keep old entries', () => {
    const { path, written } = makeLog({ fresh: 0 });
    const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: true, receiptKey: key });
    files.track(log);
    expect(written).toHaveLength(0);
    const ahead = entry(T0); // clock was ahead
    const behind = entry(T0 - 40 * DAY_MS); // then set back
    const fresh = entry(T0 + 5);
    for (const e of [ahead, behind, fresh]) log.recordEntry(e, e.scannedAt);
    expect(log.purgeExpired(T0 + DAY_MS)).toBe(2);
    expect(log.getEntry(fresh.id)).toBeDefined();
    log.close();
    expect(verifyEntryLog(path, { publicKey }).intact).toBe(true);
  });

  it('refuses to purge without a receipt key and deletes nothing', () => {
    const path = join(tempDir(), 'entries.sqlite');
    const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: false });
    files.track(log);
    const e = entry(T0 - 30 * DAY_MS);
    log.recordEntry(e, e.scannedAt);
    expect(() => log.purgeExpired(T0)).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_NO_RECEIPT_KEY' }) as Error);
    expect(log.getEntry(e.id)).toBeDefined();
    expect(log.receiptPublicKey()).toBeNull();
  });

  it('creates the receipt key once, 0600, and reuses it', () => {
    const dir = tempDir();
    const first = ensureReceiptKey(dir);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(ensureReceiptKey(dir).publicKey).toBe(first.publicKey);
    writeFileSync(join(tempDir(), 'x'), '');
    const bad = tempDir();
    writeFileSync(join(bad, 'receipt-key.pem'), 'not a key');
    expect(() => ensureReceiptKey(bad)).toThrow(expect.objectContaining({ code: 'KEY_INVALID' }) as Error);
  });
});

describe('verifyEntryLog finds tampering', () => {
  it('an intact log with purges verifies', () => {
    const { path } = makeLog({ old: 5, fresh: 10, purge: true });
    expect(verifyEntryLog(path, { publicKey })).toMatchObject({ intact: true, entries: 10, receipts: 1, head: { seq: 15 }, problems: [] });
  });

  it('a changed row (UPDATE) is reported at its position, once', () => {
    const { path, written } = makeLog({ old: 5, fresh: 10, purge: true });
    tamper(path, 'UPDATE entry SET subject = ? WHERE id = ?', 'ff'.repeat(16), written[8]!.id);
    expect(kinds(path)).toEqual([['ENTRY_CHANGED', 9]]);
  });

  it('a changed row whose hash was recomputed breaks the link to the next', () => {
    const { path, written } = makeLog({ fresh: 10 });
    const db = new Database(path);
    const row = db.prepare('SELECT * FROM entry WHERE id = ?').get(written[3]!.id) as { prev_hash: string };
    const forged = { ...written[3]!, scannedAt: written[3]!.scannedAt + 1, result: 'OK' };
    db.prepare('UPDATE entry SET scanned_at = ?, hash = ? WHERE id = ?').run(forged.scannedAt, entryHash(row.prev_hash, forged), forged.id);
    db.close();
    expect(kinds(path)).toEqual([['ENTRY_CHANGED', 5]]);
  });

  it('a row deleted in the middle is reported with the missing position', () => {
    const { path, written } = makeLog({ old: 5, fresh: 10, purge: true });
    tamper(path, 'DELETE FROM entry WHERE id = ?', written[10]!.id);
    const report = verifyEntryLog(path, { publicKey });
    expect(report.intact).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'ENTRY_REMOVED', fromSeq: 11, toSeq: 11 })]);
  });

  it('the newest rows deleted are reported against the recorded head', () => {
    const { path, written } = makeLog({ fresh: 10 });
    tamper(path, 'DELETE FROM entry WHERE id = ?', written[9]!.id);
    expect(verifyEntryLog(path, { publicKey }).problems).toEqual([expect.objectContaining({ kind: 'ENTRY_REMOVED', fromSeq: 10, toSeq: 10 })]);
  });

  it('an inserted row is reported: after the head, inside the chain, without a position', () => {
    const { path } = makeLog({ fresh: 4 });
    const insert = (seq: number | null, prev: string, hash: string) => {
      const e = entry(T0 + 500);
      tamper(
        path,
        `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result, seq, prev_hash, hash)
         VALUES (?, ?, 1, ?, 'fac-1', 'kiosk-1', ?, ?, 'wedge', 'OK', ?, ?, ?)`,
        e.id, e.tokenId, e.subject, e.scannedAt, e.issuedAt, seq, prev, hash,
      );
      return e;
    };
    // After the head, with a well-formed link to the last entry.
    const db = new Database(path, { readonly: true });
    const head = db.prepare('SELECT seq, hash FROM chain_head').get() as { seq: number; hash: string };
    db.close();
    const tail = entry(T0 + 500);
    tamper(
      path,
      `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result, seq, prev_hash, hash)
       VALUES (?, ?, 1, ?, 'fac-1', 'kiosk-1', ?, ?, 'wedge', 'OK', 5, ?, ?)`,
      tail.id, tail.tokenId, tail.subject, tail.scannedAt, tail.issuedAt, head.hash, entryHash(head.hash, { ...tail, result: 'OK' }),
    );
    expect(kinds(path)).toEqual([['ENTRY_INSERTED', 5]]);
    // Before the first, linked to the genesis hash like a real first entry.
    const early = entry(T0 - 1);
    tamper(
      path,
      `INSERT INTO entry (id, token_id, issuer, subject, facility_id, kiosk_id, scanned_at, issued_at, source, result, seq, prev_hash, hash)
       VALUES (?, ?, 1, ?, 'fac-1', 'kiosk-1', ?, ?, 'wedge', 'OK', 0, ?, ?)`,
      early.id, early.tokenId, early.subject, early.scannedAt, early.issuedAt, GENESIS_HASH, entryHash(GENESIS_HASH, { ...early, result: 'OK' }),
    );
    expect(kinds(path)).toEqual([['ENTRY_INSERTED', 0], ['ENTRY_INSERTED', 5]]);
    insert(null, 'x', 'y');
    const report = verifyEntryLog(path, { publicKey });
    expect(report.problems.map((p) => p.kind)).toEqual(['ENTRY_INSERTED', 'ENTRY_INSERTED', 'ENTRY_INSERTED']);
    expect(report.problems[0]).toMatchObject({ seq: null });
  });

  it('a prefix deleted without a receipt is reported as such', () => {
    const { path, written } = makeLog({ old: 5, fresh: 10, purge: true });
    tamper(path, 'DELETE FROM entry WHERE seq <= 8');
    expect(verifyEntryLog(path, { publicKey }).problems).toEqual([expect.objectContaining({ kind: 'REMOVED_WITHOUT_RECEIPT', fromSeq: 6, toSeq: 8 })]);
    expect(written).toHaveLength(15);
    const fresh = makeLog({ fresh: 6 });
    tamper(fresh.path, 'DELETE FROM entry WHERE seq <= 2');
    expect(verifyEntryLog(fresh.path, { publicKey }).problems).toEqual([expect.objectContaining({ kind: 'REMOVED_WITHOUT_RECEIPT', fromSeq: 1, toSeq: 2 })]);
  });

  it('a forged receipt covering a deletion is reported; so is a receipt by another key', () => {
    const { path } = makeLog({ old: 5, fresh: 10, purge: true });
    const db = new Database(path);
    const rows = db.prepare('SELECT seq, prev_hash, hash, id FROM entry ORDER BY seq LIMIT 3').all() as Array<{ seq: number; prev_hash: string; hash: string }>;
    const first = parseReceiptBody((db.prepare('SELECT body FROM deletion_receipt').pluck().get() as string))!;
    const forger = generateKeyPair().privateKey;
    const body = { ...first, n: 2, count: 3, firstSeq: 6, lastSeq: 8, firstPrevHash: first.cutHash, cutHash: rows[2]!.hash, nextPrevHash: rows[2]!.hash };
    const signed = signReceipt(body, forger); // still names the kiosk's key
    db.prepare('INSERT INTO deletion_receipt (id, created_at, body, signature) VALUES (2, ?, ?, ?)').run(T0, signed.body, signed.signature);
    db.prepare('DELETE FROM entry WHERE seq <= 8').run();
    db.close();
    expect(kinds(path)).toEqual([['RECEIPT_FORGED', 2]]);
    // Without the inspector's key the log's own key is used: still caught.
    expect(kinds(path, undefined)).toEqual([['RECEIPT_FORGED', 2]]);
    // Re-signed and naming the forger's key: caught against the inspector's key.
    const resigned = signReceipt({ ...body, publicKey: publicKeyToBase64url(forger) }, forger);
    tamper(path, 'UPDATE deletion_receipt SET body = ?, signature = ? WHERE id = 2', resigned.body, resigned.signature);
    expect(kinds(path)).toEqual([['RECEIPT_FORGED', 2]]);
    // …and against the key the log's first receipt names.
    expect(kinds(path, undefined)).toEqual([['RECEIPT_FORGED', 2]]);
    // A receipt's content changed after signing.
    tamper(path, 'UPDATE deletion_receipt SET body = replace(body, \'"count":5\', \'"count":4\') WHERE id = 1');
    expect(kinds(path).map(([k]) => k)).toContain('RECEIPT_FORGED');
  });

  it('a removed receipt is reported, with the entries it covered as deleted without one', () => {
    const { path } = makeLog({ old: 5, fresh: 10, purge: true });
    tamper(path, 'DELETE FROM deletion_receipt');
    expect(verifyEntryLog(path, { publicKey }).problems).toEqual([expect.objectContaining({ kind: 'REMOVED_WITHOUT_RECEIPT', fromSeq: 1, toSeq: 5 })]);
  });

  it('cannot check what is not a chained entry log: coded errors, file untouched', () => {
    const dir = tempDir();
    expect(() => verifyEntryLog(join(dir, 'none.sqlite'))).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_MISSING' }) as Error);
    writeFileSync(join(dir, 'junk'), 'x'.repeat(2000));
    expect(() => verifyEntryLog(join(dir, 'junk'))).toThrow(expect.objectContaining({ code: 'ENTRY_LOG_CORRUPT' }) as Error);
    const { path } = makeLog({ fresh: 1 });
    expect(() => verifyEntryLog(path, { publicKey: 'short' })).toThrow(expect.objectContaining({ code: 'BAD_PUBLIC_KEY' }) as Error);
    expect(RETENTION_MS).toBe(28 * DAY_MS);
  });
});
