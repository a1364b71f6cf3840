// Runs under vitest (Node). `munjigi log verify` and `log receipts` in-process on real entry
// logs: exit 0 intact, 1 with each tampering named by position, 2 with a Korean message and a
// stable code when the log cannot be checked; the file is never written.
import Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS, fakeClock } from '../../core/clock';
import { openEntryLog } from '../../core/entrylog';
import { generateKeyPair, publicKeyToBase64url } from '../../core/kp1';
import { silentLogger } from '../../core/log';
import { jsonLines, runCli } from '../testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T0 = Date.parse('2026-11-23T03:00:00Z');
const key = generateKeyPair().privateKey;
const publicKey = publicKeyToBase64url(key);

function makeLog() {
  const dir = mkdtempSync(join(tmpdir(), 'munjigi-cli-log-'));
  dirs.push(dir);
  const path = join(dir, 'entries.sqlite');
  const log = openEntryLog({ path, clock: fakeClock(T0), logger: silentLogger, expectExisting: false, receiptKey: key, defer: () => {} });
  for (let i = 0; i < 12; i++) {
    const at = i < 4 ? T0 - 30 * DAY_MS + i : T0 + i;
    log.recordEntry(
      { id: randomUUID(), tokenId: `1:${randomBytes(8).toString('hex')}`, issuer: 1, subject: randomBytes(16).toString('hex'), facilityId: 'f', kioskId: 'k', scannedAt: at, issuedAt: 0, source: 'hid' },
      at,
    );
  }
  log.purgeExpired(T0);
  log.close();
  // Fold the WAL in so the file alone is the log, as an inspector would receive it.
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { dir, path };
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('munjigi log verify', () => {
  it('exits 0 for an intact log, in words and as JSON, without writing to it', async () => {
    const { path } = makeLog();
    const before = sha(path);
    const human = await runCli(['log', 'verify', '--db', path, '--public-key', publicKey]);
    expect(human.code).toBe(0);
    expect(human.out).toContain('무결');
    const json = await runCli(['log', 'verify', '--db', path, '--public-key', publicKey, '--json']);
    expect(json.code).toBe(0);
    expect(jsonLines(json.out)[0]).toMatchObject({ intact: true, entries: 8, receipts: 1, keySource: 'option', head: { seq: 12 } });
    const noKey = await runCli(['log', 'verify', '--db', path]);
    expect(noKey.code).toBe(0);
    expect(noKey.out).toContain('--public-key 없이');
    expect(sha(path)).toBe(before);
  });

  it('exits 1 naming each tampering with its position', async () => {
    const { path } = makeLog();
    const db = new Database(path);
    db.prepare("UPDATE entry SET source = 'camera' WHERE seq = 7").run();
    db.prepare('DELETE FROM entry WHERE seq = 10').run();
    db.close();
    const run = await runCli(['log', 'verify', '--db', path, '--public-key', publicKey, '--json']);
    expect(run.code).toBe(1);
    const report = jsonLines(run.out)[0] as { intact: boolean; problems: Array<{ kind: string; seq?: number; fromSeq?: number }> };
    expect(report.problems.map((p) => [p.kind, p.seq ?? p.fromSeq])).toEqual([
      ['ENTRY_CHANGED', 7],
      ['ENTRY_REMOVED', 10],
    ]);
    const human = await runCli(['log', 'verify', '--db', path, '--public-key', publicKey]);
    expect(human.code).toBe(1);
    expect(human.out).toContain('위치 7의 기록 내용이 바뀌었습니다');
    expect(human.out).toContain('위치 10~10의 기록 1건이 지워졌습니다');
  });

  it('exits 1 when the receipts were signed by another key than the inspector’s', async () => {
    const { path } = makeLog();
    const other = publicKeyToBase64url(generateKeyPair().publicKey);
    const run = await runCli(['log', 'verify', '--db', path, '--public-key', other, '--json']);
    expect(run.code).toBe(1);
    expect(jsonLines(run.out)[0]).toMatchObject({ problems: [{ kind: 'RECEIPT_FORGED', receipt: 1 }] });
  });

  it('exits 2 with a Korean message and a code when it cannot check', async () => {
    const { dir, path } = makeLog();
    const cases: Array<[string[], string]> = [
      [['log', 'verify'], 'MISSING_OPTION'],
      [['log', 'verify', '--db', join(dir, 'nope.sqlite')], 'ENTRY_LOG_MISSING'],
      [['log', 'verify', '--db', path, '--public-key', 'abc'], 'BAD_PUBLIC_KEY'],
      [['log', 'verify', '--db', path, '--bogus'], ''],
      [['log', 'frobnicate', '--db', path], 'BAD_OPTION'],
      [['log', 'verify', '--db', path, 'extra'], 'BAD_OPTION'],
    ];
    writeFileSync(join(dir, 'text.sqlite'), 'hello '.repeat(200));
    cases.push([['log', 'verify', '--db', join(dir, 'text.sqlite')], 'ENTRY_LOG_CORRUPT']);
    const foreign = new Database(join(dir, 'other.sqlite'));
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    cases.push([['log', 'verify', '--db', join(dir, 'other.sqlite')], 'ENTRY_LOG_FOREIGN']);
    for (const [argv, code] of cases) {
      const run = await runCli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.err).toMatch(/[가-힣]/);
      if (code) expect(run.err).toContain(code);
      expect(run.out).toBe('');
    }
  });
});

describe('munjigi log receipts', () => {
  it('prints each receipt with its signature and no personal data', async () => {
    const { path } = makeLog();
    const run = await runCli(['log', 'receipts', '--db', path]);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.out) as Array<{ id: number; receipt: { count: number; publicKey: string }; signature: string }>;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ id: 1, receipt: { count: 4, publicKey } });
    expect(lines[0]!.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });
});
