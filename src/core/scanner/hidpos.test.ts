// Runs under vitest (Node). The HID POS report parser and reassembler: the shared vectors, then
// the cases a kiosk meets that the vectors do not spell out (long scans, lost and broken reports,
// runaway continuations, binary data).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../paths';
import type { DropReason, HidScan } from './hidpos';
import { createReassembler, parseReport, REPORT_BYTES } from './hidpos';
import { fromHex, scanToReports } from './simulate';
import { symbologyOf } from './symbology';

const vectorsPath = join(projectRoot(), '..', 'shared', 'spec', 'hid-pos-vectors.json');
const haveVectors = existsSync(vectorsPath);

interface VectorCase {
  name: string;
  reports: string[];
  expect: { data: string; aim?: string; symbology?: string }[];
}

/** Feeds reports `gapMs` apart; returns the scans and the drops. */
function feed(reports: Uint8Array[], opts: { gapMs?: number; maxScanBytes?: number; pieceGapMs?: number } = {}) {
  const drops: DropReason[] = [];
  const r = createReassembler({ onDrop: (d) => drops.push(d), maxScanBytes: opts.maxScanBytes, pieceGapMs: opts.pieceGapMs });
  const scans: HidScan[] = [];
  let t = 1000;
  for (const report of reports) {
    const s = r.push(report, t);
    if (s) scans.push(s);
    t += opts.gapMs ?? 2;
  }
  return { scans, drops, reassembler: r, endedAt: t };
}

describe.skipIf(!haveVectors)('HID POS reports reproduce ../shared/spec/hid-pos-vectors.json', () => {
  const cases = haveVectors ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: VectorCase[] }).cases : [];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const { scans } = feed(c.reports.map(fromHex));
    expect(scans).toHaveLength(c.expect.length);
    c.expect.forEach((e, i) => {
      const s = scans[i] as HidScan;
      expect(s.data).toBe(e.data);
      if (e.aim !== undefined) expect(s.aim).toBe(e.aim);
      if (e.symbology !== undefined) expect(s.symbology).toBe(e.symbology);
    });
  });
});
if (!haveVectors) it.skip('HID POS vectors: ../shared/spec/hid-pos-vectors.json is absent', () => {});

const token = 'KP1.' + 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_'.repeat(6);

describe('parseReport', () => {
  it('reads length, AIM id, code id, data and the continuation bit', () => {
    const [first] = scanToReports('hello', { aim: ']C0', codeId: 'j' });
    expect(parseReport(first as Uint8Array)).toEqual({ kind: 'piece', aim: ']C0', codeId: 'j', data: new TextEncoder().encode('hello'), more: false });
  });

  it('ignores other report IDs, whatever their size', () => {
    expect(parseReport(new Uint8Array([1, 0, 0]))).toEqual({ kind: 'ignored', reportId: 1 });
    expect(parseReport(new Uint8Array(64).fill(4))).toEqual({ kind: 'ignored', reportId: 4 });
  });

  it('reports too short or too long are not read', () => {
    expect(parseReport(new Uint8Array(0))).toMatchObject({ kind: 'truncated', reason: 'HID_TRUNCATED_REPORT' });
    expect(parseReport(new Uint8Array([2]))).toMatchObject({ kind: 'truncated', lastPiece: false });
    const long = new Uint8Array(65);
    long[0] = 2;
    expect(parseReport(long)).toMatchObject({ kind: 'truncated', reason: 'HID_BAD_REPORT_SIZE' });
  });

  it('a length byte over 56 or an AIM id of the wrong shape is malformed', () => {
    const r = scanToReports('x')[0] as Uint8Array;
    const over = r.slice();
    over[1] = 57;
    expect(parseReport(over)).toMatchObject({ kind: 'malformed', reason: 'HID_BAD_LENGTH' });
    const badAim = r.slice();
    badAim[2] = 0x41;
    expect(parseReport(badAim)).toMatchObject({ kind: 'malformed', reason: 'HID_BAD_AIM' });
  });

  it('three zero bytes mean "no AIM id"; a non-printable code id is no code id', () => {
    const r = scanToReports('8801234567893', { aim: null, codeId: null })[0] as Uint8Array;
    expect(parseReport(r)).toMatchObject({ kind: 'piece', aim: null, codeId: null });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 80 }), (bytes) => {
        const p = parseReport(bytes);
        expect(['piece', 'ignored', 'truncated', 'malformed']).toContain(p.kind);
      }),
    );
  });
});

describe('reassembly', () => {
  it('a scan split across 4+ reports comes back whole, once', () => {
    const data = token + '|' + 'z'.repeat(100);
    const reports = scanToReports(data);
    expect(reports.length).toBeGreaterThanOrEqual(5);
    const { scans, drops } = feed(reports);
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ data, aim: ']Q1', symbology: 'qr', reports: reports.length });
    // Decode time: first report to the last, 2 ms apart here.
    expect(scans[0]?.decodeMs).toBe((reports.length - 1) * 2);
    expect(drops).toEqual([]);
  });

  it('a truncated middle report drops the whole scan, and the scan after it still arrives', () => {
    const reports = scanToReports(token + 'x'.repeat(120));
    const broken = [reports[0], (reports[1] as Uint8Array).subarray(0, 30), ...reports.slice(2)] as Uint8Array[];
    const next = scanToReports('8801234567893', { aim: ']E0', codeId: 'd' });
    // The next scan comes after a person's pause; the tail of the broken scan is never a scan.
    const first = feed(broken);
    expect(first.scans).toEqual([]);
    expect(first.drops).toEqual(['HID_TRUNCATED_REPORT']);
    const later = first.reassembler.push(next[0] as Uint8Array, first.endedAt + 1500);
    expect(later).toMatchObject({ data: '8801234567893', symbology: 'ean13' });
  });

  it('a truncated middle report: without timing, the rest of its scan is discarded up to its end', () => {
    const reports = scanToReports(token + 'x'.repeat(120));
    const broken = [reports[0], (reports[1] as Uint8Array).subarray(0, 30), ...reports.slice(2)] as Uint8Array[];
    const next = scanToReports('4006381333931', { aim: ']E0', codeId: 'd' });
    const { scans } = feed([...broken, ...next]);
    expect(scans.map((s) => s.data)).toEqual(['4006381333931']);
  });

  it('a continuation that never ends is dropped at the size cap, and scanning goes on', () => {
    const runaway = scanToReports('y'.repeat(56 * 10)).map((r) => {
      const c = r.slice();
      c[63] = 1;
      return c;
    });
    const { scans, drops, reassembler } = feed([...runaway, ...scanToReports('after')], { maxScanBytes: 56 * 4 });
    expect(drops).toEqual(['HID_SCAN_TOO_LONG']);
    // Still discarding the runaway until it ends: 'after' is the last piece of that flood.
    expect(scans).toEqual([]);
    expect(reassembler.pending()).toBe(false);
    expect(reassembler.push(scanToReports('next scan')[0] as Uint8Array, 10_000)).toMatchObject({ data: 'next scan' });
  });

  it('a continuation that never ends is dropped after the piece gap (expire or next report)', () => {
    const reports = scanToReports(token);
    const drops: DropReason[] = [];
    const r = createReassembler({ pieceGapMs: 300, onDrop: (d) => drops.push(d) });
    r.push(reports[0] as Uint8Array, 0);
    expect(r.pending()).toBe(true);
    r.expire(200);
    expect(r.pending()).toBe(true);
    r.expire(301);
    expect(r.pending()).toBe(false);
    expect(drops).toEqual(['HID_SCAN_TIMED_OUT']);
    // A report long after the gap starts afresh; it is never glued to the dropped scan.
    r.push(reports[0] as Uint8Array, 1000);
    expect(r.push(new Uint8Array(reports[0] as Uint8Array), 5000)).toBeNull();
    expect(drops).toEqual(['HID_SCAN_TIMED_OUT', 'HID_SCAN_TIMED_OUT']);
  });

  it('keeps 0x00 bytes inside the data', () => {
    const bytes = new Uint8Array([0x41, 0x00, 0x42, 0x00, 0x00, 0x43]);
    const { scans } = feed(scanToReports(bytes, { aim: ']d1', codeId: 'w' }));
    expect(scans[0]?.data).toBe('A\u0000B\u0000\u0000C');
    expect(scans[0]?.bytes).toEqual(bytes);
    expect(scans[0]?.symbology).toBe('datamatrix');
  });

  it('strips CR, LF and CRLF suffixes, even split across reports, but not inner line breaks', () => {
    const data = 'a'.repeat(55) + '\r\n';
    expect(feed(scanToReports(data)).scans[0]?.data).toBe('a'.repeat(55));
    expect(feed(scanToReports('line1\nline2\n')).scans[0]?.data).toBe('line1\nline2');
  });

  it('decodes UTF-8 (Korean) and falls back to Latin-1 for bytes that are not UTF-8', () => {
    expect(feed(scanToReports('문지기 출입')).scans[0]?.data).toBe('문지기 출입');
    expect(feed(scanToReports(new Uint8Array([0xff, 0x41]))).scans[0]?.data).toBe('\u00ffA');
  });

  it('a scan that is only a line ending is no scan', () => {
    const { scans, drops } = feed(scanToReports('\r\n'));
    expect(scans).toEqual([]);
    expect(drops).toEqual(['HID_EMPTY_SCAN']);
  });

  it('a different AIM id mid-scan drops the old scan and starts the new one', () => {
    const qr = scanToReports(token);
    const ean = scanToReports('8801234567893', { aim: ']E0', codeId: 'd' });
    const { scans, drops } = feed([qr[0] as Uint8Array, ...ean]);
    expect(drops).toEqual(['HID_AIM_CHANGED']);
    expect(scans.map((s) => s.data)).toEqual(['8801234567893']);
  });

  it('a malformed report with its continuation bit set takes the rest of its scan with it', () => {
    const reports = scanToReports(token + 'q'.repeat(60));
    const bad = (reports[0] as Uint8Array).slice();
    bad[1] = 200;
    const { scans, drops } = feed([bad, ...reports.slice(1), ...scanToReports('ok-after')]);
    expect(drops).toEqual(['HID_BAD_LENGTH']);
    expect(scans.map((s) => s.data)).toEqual(['ok-after']);
  });

  it('interrupt() drops a partial scan (device error or unplug mid-scan)', () => {
    const drops: DropReason[] = [];
    const r = createReassembler({ onDrop: (d) => drops.push(d) });
    const reports = scanToReports(token);
    r.push(reports[0] as Uint8Array, 0);
    r.interrupt();
    r.interrupt();
    expect(drops).toEqual(['HID_INTERRUPTED']);
    expect(r.pending()).toBe(false);
    // The tail still in flight is discarded; a scan after the piece gap is read normally.
    for (const tail of reports.slice(1)) expect(r.push(tail, 5)).toBeNull();
    expect(r.push(scanToReports('next')[0] as Uint8Array, 7)).toMatchObject({ data: 'next' });
    r.interrupt();
    expect(drops).toEqual(['HID_INTERRUPTED']);
  });

  it('any data of up to 4 KiB survives the round trip through reports', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 4096 }), (bytes) => {
        const trimmedEnd = (() => {
          let e = bytes.length;
          while (e > 0 && (bytes[e - 1] === 13 || bytes[e - 1] === 10)) e--;
          return e;
        })();
        const { scans } = feed(scanToReports(bytes));
        if (trimmedEnd === 0) expect(scans).toEqual([]);
        else expect(scans[0]?.bytes).toEqual(bytes.subarray(0, trimmedEnd));
      }),
      { numRuns: 200 },
    );
  });

  it('reports are exactly 64 bytes', () => {
    for (const r of scanToReports('x'.repeat(300))) expect(r.length).toBe(REPORT_BYTES);
  });
});

describe('symbologyOf', () => {
  it.each([
    [']Q1', 's', 'KP1.x', 'qr'],
    [']d2', 'w', 'x', 'datamatrix'],
    [']L0', 'r', 'x', 'pdf417'],
    [']z0', 'z', 'x', 'aztec'],
    [']C0', 'j', 'x', 'code128'],
    [']C1', 'I', '0101234', 'code128'],
    [']E0', 'd', '8801234567893', 'ean13'],
    [']E4', 'D', '96385074', 'ean8'],
    [']E0', 'c', '0036000291452', 'upca'],
    [']E0', null, '036000291452', 'upca'],
    [']E0', 'E', '01234565', 'upce'],
    [']E0', null, '8801234567893', 'ean13'],
    [']A0', 'b', 'ABC', 'code39'],
    [']I0', 'e', '1234', 'itf'],
    [']F0', 'a', 'A12B', 'codabar'],
    [']G0', 'i', 'x', 'code93'],
    [']e0', 'y', '01', 'databar'],
    [null, 's', 'x', 'qr'],
    [']X0', 'R', 'x', 'micropdf417'],
    [null, null, 'x', 'unknown'],
    [']Y9', null, 'x', 'unknown'],
  ] as const)('%s / %s → %s', (aim, codeId, data, want) => {
    expect(symbologyOf(aim, codeId, data)).toBe(want);
  });

  it('does not read inherited keys of its tables', () => {
    expect(symbologyOf(null, 'constructor' as string, 'x')).toBe('unknown');
  });
});
