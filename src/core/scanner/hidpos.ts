// Runs in Node (main, CLI, bench). Parses the 64-byte input reports of a USB HID POS barcode
// scanner (usage page 0x8C) and reassembles continued reports into scans. Pure: no devices,
// no timers; the caller passes each report's arrival time.
//
// Report layout (report ID first, as node-hid delivers it):
//   byte 0       report ID, 0x02 = scanned data
//   byte 1       data length in this report, 0..56
//   bytes 2..4   AIM symbology identifier ("]Q1"), or three zero bytes when the scanner sends none
//   bytes 5..60  data (56 bytes, zero padded)
//   byte 61      vendor code id (Honeywell table), 0 when absent
//   byte 62      reserved
//   byte 63      bit 0: more data follows in the next report
import type { Symbology } from './symbology';
import { symbologyOf } from './symbology';

export const HID_POS_USAGE_PAGE = 0x8c;
export const HID_POS_USAGE_BAR_CODE_SCANNER = 0x02;
export const SCANNED_DATA_REPORT_ID = 0x02;
export const REPORT_BYTES = 64;
export const MAX_DATA_PER_REPORT = 56;
export const DATA_OFFSET = 5;
export const CODE_ID_OFFSET = 61;
export const FLAGS_OFFSET = 63;
const MORE_DATA = 0x01;

/** One scanned-data report, checked. */
export interface ReportPiece {
  kind: 'piece';
  aim: string | null;
  codeId: string | null;
  data: Uint8Array;
  more: boolean;
}

export type ParsedReport =
  | ReportPiece
  /** Another report ID (status, feature echo…): not ours to read, not an error. */
  | { kind: 'ignored'; reportId: number }
  /** Shorter (or longer) than 64 bytes. `lastPiece` is true when the length byte says the scan ended here. */
  | { kind: 'truncated'; reason: 'HID_TRUNCATED_REPORT' | 'HID_BAD_REPORT_SIZE'; length: number; lastPiece: boolean }
  /** 64 bytes but not a valid report; `more` is the continuation bit, which is still readable. */
  | { kind: 'malformed'; reason: DropReason; more: boolean };

/** Why a report or a partly received scan was thrown away. Stable codes for logs and status. */
export type DropReason =
  | 'HID_TRUNCATED_REPORT'
  | 'HID_BAD_REPORT_SIZE'
  | 'HID_BAD_LENGTH'
  | 'HID_BAD_AIM'
  | 'HID_AIM_CHANGED'
  | 'HID_SCAN_TOO_LONG'
  | 'HID_SCAN_TIMED_OUT'
  | 'HID_EMPTY_SCAN'
  | 'HID_INTERRUPTED';

/** Korean text for each drop, for the setup screen and the CLI. */
export const DROP_TEXT: Readonly<Record<DropReason, string>> = {
  HID_TRUNCATED_REPORT: '스캐너 보고서가 잘려서 도착했습니다. 이 스캔은 버렸습니다. 다시 스캔해 주세요.',
  HID_BAD_REPORT_SIZE: '스캐너 보고서가 64바이트보다 깁니다. HID POS 형식이 아니어서 이 스캔은 버렸습니다.',
  HID_BAD_LENGTH: '스캐너 보고서의 데이터 길이가 56바이트를 넘습니다. 이 스캔은 버렸습니다.',
  HID_BAD_AIM: '스캐너 보고서의 심볼로지 식별자(AIM)가 올바르지 않습니다. 이 스캔은 버렸습니다.',
  HID_AIM_CHANGED: '이어지는 보고서의 심볼로지가 앞 보고서와 다릅니다. 끝나지 않은 스캔을 버렸습니다.',
  HID_SCAN_TOO_LONG: '스캔 데이터가 너무 깁니다(이어지는 보고서가 끝나지 않음). 이 스캔은 버렸습니다.',
  HID_SCAN_TIMED_OUT: '이어지는 스캐너 보고서가 제때 오지 않았습니다. 끝나지 않은 스캔을 버렸습니다.',
  HID_EMPTY_SCAN: '데이터가 없는 스캔이어서 버렸습니다.',
  HID_INTERRUPTED: '스캔 도중 스캐너 연결이 끊기거나 오류가 났습니다. 끝나지 않은 스캔을 버렸습니다.',
};

const AIM_SHAPE = /^\][A-Za-z][0-9A-Za-z]$/;

/** Checks one input report. Never throws; anything unexpected becomes `truncated` or `malformed`. */
export function parseReport(report: Uint8Array): ParsedReport {
  if (report.length === 0) return { kind: 'truncated', reason: 'HID_TRUNCATED_REPORT', length: 0, lastPiece: false };
  const reportId = report[0] as number;
  if (reportId !== SCANNED_DATA_REPORT_ID) return { kind: 'ignored', reportId };
  if (report.length !== REPORT_BYTES) {
    // The flags byte is lost; a length byte under 56 still says this was the scan's last piece.
    const declared = report[1];
    return {
      kind: 'truncated',
      reason: report.length < REPORT_BYTES ? 'HID_TRUNCATED_REPORT' : 'HID_BAD_REPORT_SIZE',
      length: report.length,
      lastPiece: declared !== undefined && declared < MAX_DATA_PER_REPORT,
    };
  }
  const more = ((report[FLAGS_OFFSET] as number) & MORE_DATA) !== 0;
  const length = report[1] as number;
  if (length > MAX_DATA_PER_REPORT) return { kind: 'malformed', reason: 'HID_BAD_LENGTH', more };
  const a0 = report[2] as number;
  const a1 = report[3] as number;
  const a2 = report[4] as number;
  let aim: string | null = null;
  if (a0 !== 0 || a1 !== 0 || a2 !== 0) {
    aim = String.fromCharCode(a0, a1, a2);
    if (!AIM_SHAPE.test(aim)) return { kind: 'malformed', reason: 'HID_BAD_AIM', more };
  }
  const code = report[CODE_ID_OFFSET] as number;
  const codeId = code > 0x20 && code < 0x7f ? String.fromCharCode(code) : null;
  return { kind: 'piece', aim, codeId, data: report.slice(DATA_OFFSET, DATA_OFFSET + length), more };
}

/** A complete scan from a HID POS scanner. */
export interface HidScan {
  /** The scanned text (UTF-8, or Latin-1 where the bytes are not UTF-8), trailing CR/LF removed. */
  data: string;
  /** The same, as bytes. */
  bytes: Uint8Array;
  aim: string | null;
  codeId: string | null;
  symbology: Symbology;
  /** How many reports carried it. */
  reports: number;
  /** First report to the one that completed it (ms, 0 for one report): the per-scan decode time. */
  decodeMs: number;
}

export interface ReassemblerOptions {
  /** A scan longer than this is dropped: a continuation that never ends must not grow without bound. */
  maxScanBytes?: number;
  /** A continued scan whose next report comes later than this is dropped (pieces arrive ms apart). */
  pieceGapMs?: number;
  /** Told about every report or partial scan thrown away. */
  onDrop?: (reason: DropReason) => void;
}

export interface Reassembler {
  /** Feeds one report received at `atMs`; returns the scan it completed, if any. */
  push(report: Uint8Array, atMs: number): HidScan | null;
  /** Drops a partial scan whose next report is overdue at `nowMs`. */
  expire(nowMs: number): void;
  /** Drops a partial scan (the device failed or went away mid-scan), and the rest of it if it still comes. */
  interrupt(): void;
  /** True while a continued scan is waiting for its next report. */
  pending(): boolean;
}

/** QR codes hold at most 7089 characters; 8 KiB leaves room for any symbology a kiosk meets. */
export const REASSEMBLER_DEFAULTS = { maxScanBytes: 8192, pieceGapMs: 1000 } as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}

/** Removes the CR/LF suffix many scanners are set to append. */
function stripLineEnd(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0d || bytes[end - 1] === 0x0a)) end--;
  return end === bytes.length ? bytes : bytes.subarray(0, end);
}

export function createReassembler(options: ReassemblerOptions = {}): Reassembler {
  const maxScanBytes = options.maxScanBytes ?? REASSEMBLER_DEFAULTS.maxScanBytes;
  const pieceGapMs = options.pieceGapMs ?? REASSEMBLER_DEFAULTS.pieceGapMs;
  const onDrop = options.onDrop ?? (() => {});

  // 'collect': pieces of a scan so far; 'discard': the rest of a scan already dropped is still arriving.
  let state: 'idle' | 'collect' | 'discard' = 'idle';
  let pieces: Uint8Array[] = [];
  let size = 0;
  let aim: string | null = null;
  let codeId: string | null = null;
  let lastAt = 0;
  let firstAt = 0;

  const clear = () => {
    state = 'idle';
    pieces = [];
    size = 0;
  };
  const dropPartial = (reason: DropReason) => {
    if (state === 'collect') onDrop(reason);
    clear();
  };

  const finish = (): HidScan | null => {
    const all = new Uint8Array(size);
    let at = 0;
    for (const p of pieces) {
      all.set(p, at);
      at += p.length;
    }
    const count = pieces.length;
    clear();
    const bytes = stripLineEnd(all);
    if (bytes.length === 0) {
      onDrop('HID_EMPTY_SCAN');
      return null;
    }
    const data = decodeText(bytes);
    return { data, bytes, aim, codeId, symbology: symbologyOf(aim, codeId, data), reports: count, decodeMs: Math.max(0, lastAt - firstAt) };
  };

  return {
    push(report, atMs) {
      if (state !== 'idle' && atMs - lastAt > pieceGapMs) {
        // The rest of the scan never came; whatever arrives now starts afresh.
        dropPartial('HID_SCAN_TIMED_OUT');
      }
      const parsed = parseReport(report);
      if (parsed.kind === 'ignored') return null;
      lastAt = atMs;
      if (parsed.kind === 'truncated') {
        // One drop, whether or not a partial scan went with the report.
        clear();
        onDrop(parsed.reason);
        // Without the flags byte we cannot tell whether more follows; unless the length byte says
        // this was the last piece, the reports that follow up to the scan's end are dropped too.
        state = parsed.lastPiece ? 'idle' : 'discard';
        return null;
      }
      if (parsed.kind === 'malformed') {
        clear();
        onDrop(parsed.reason);
        state = parsed.more ? 'discard' : 'idle';
        return null;
      }
      if (state === 'discard') {
        if (!parsed.more) clear();
        return null;
      }
      if (state === 'collect' && parsed.aim !== aim) {
        // A different symbology mid-scan: the old scan lost its end; this report starts a new one.
        dropPartial('HID_AIM_CHANGED');
      }
      if (state === 'idle') {
        state = 'collect';
        firstAt = atMs;
        aim = parsed.aim;
        codeId = parsed.codeId;
      }
      size += parsed.data.length;
      if (size > maxScanBytes) {
        dropPartial('HID_SCAN_TOO_LONG');
        state = parsed.more ? 'discard' : 'idle';
        return null;
      }
      pieces.push(parsed.data);
      return parsed.more ? null : finish();
    },
    expire(nowMs) {
      if (state !== 'idle' && nowMs - lastAt > pieceGapMs) dropPartial('HID_SCAN_TIMED_OUT');
    },
    interrupt() {
      if (state !== 'collect') return;
      dropPartial('HID_INTERRUPTED');
      // Reports of the broken scan may still be in flight (a read error, then a reopen): its tail
      // is discarded up to its last piece, or until the piece gap passes.
      state = 'discard';
    },
    pending: () => state === 'collect',
  };
}
