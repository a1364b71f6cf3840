// Runs in Node (tests, bench, demo setups). Builds the 64-byte HID POS input reports a scanner
// sends for one scan, so the parser, the device manager and the benchmark are fed real reports.
import { CODE_ID_OFFSET, DATA_OFFSET, FLAGS_OFFSET, MAX_DATA_PER_REPORT, REPORT_BYTES, SCANNED_DATA_REPORT_ID } from './hidpos';

export interface ScanToReportsOptions {
  /** AIM symbology identifier, e.g. "]Q1"; null sends three zero bytes. Default "]Q1". */
  aim?: string | null;
  /** One-character vendor code id; null sends 0. Default "s" (QR). */
  codeId?: string | null;
}

/** The reports for one scan of `data` (text is sent as UTF-8), 56 data bytes per report. */
export function scanToReports(data: string | Uint8Array, options: ScanToReportsOptions = {}): Uint8Array[] {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const aim = options.aim === undefined ? ']Q1' : options.aim;
  const codeId = options.codeId === undefined ? 's' : options.codeId;
  const reports: Uint8Array[] = [];
  for (let at = 0; at === 0 || at < bytes.length; at += MAX_DATA_PER_REPORT) {
    const chunk = bytes.subarray(at, at + MAX_DATA_PER_REPORT);
    const r = new Uint8Array(REPORT_BYTES);
    r[0] = SCANNED_DATA_REPORT_ID;
    r[1] = chunk.length;
    if (aim !== null) for (let i = 0; i < 3; i++) r[2 + i] = aim.charCodeAt(i) & 0xff;
    r.set(chunk, DATA_OFFSET);
    r[CODE_ID_OFFSET] = codeId === null ? 0 : codeId.charCodeAt(0) & 0xff;
    r[FLAGS_OFFSET] = at + MAX_DATA_PER_REPORT < bytes.length ? 1 : 0;
    reports.push(r);
  }
  return reports;
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
