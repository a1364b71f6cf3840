// Runs in Node. `munjigi hid-decode`: replays recorded HID POS input reports (hex, one a line)
// through the same parser and reassembler the kiosk uses, to check what a scanner sends.
import { parseArgs } from '../args';
import type { DropReason } from '../../core/scanner/hidpos';
import { createReassembler, DROP_TEXT, REPORT_BYTES } from '../../core/scanner/hidpos';
import type { Command } from '../io';
import { lines, writeLine } from '../io';

const usage = `Usage: munjigi hid-decode < reports.txt

Reads HID POS input reports, one a line in hex, report ID first, as node-hid delivers them
(64 bytes = 128 hex digits; spaces or colons between bytes are allowed; blank lines and lines
starting with # are skipped), and prints one JSON line per scan: {"data":"…","aim":"]Q1","symbology":"qr"}.
Reports the scanner itself would have us drop (truncated, malformed) are named on stderr and do
not change the exit code; lines that are not hex are reported with their number and skipped,
and the exit code is then 2.`;

/** Longest report looked at; anything longer is not a HID report. */
const MAX_REPORT_BYTES = 4 * REPORT_BYTES;

/** The bytes of one line, or a Korean reason why it is not a report. */
export function parseHexLine(text: string): Uint8Array | string {
  const hex = text.replace(/[\s:]/g, '');
  if (hex.length > MAX_REPORT_BYTES * 2) return `보고서가 너무 깁니다 (${MAX_REPORT_BYTES}바이트 초과)`;
  if (!/^[0-9a-fA-F]*$/.test(hex)) return '16진수(0-9, a-f)가 아닌 글자가 있습니다';
  if (hex.length % 2 !== 0) return '16진수 자릿수가 홀수입니다 (바이트마다 두 자리)';
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export const command: Command = {
  name: 'hid-decode',
  summary: 'decode HID POS scanner reports (hex, one a line) into scans',
  usage,
  async run(argv, io) {
    parseArgs({ args: argv, options: {}, allowPositionals: false, strict: true });
    let lineNo = 0;
    let bad = 0;
    const reassembler = createReassembler({
      onDrop: (reason: DropReason) => writeLine(io.stderr, `munjigi hid-decode: ${lineNo}번째 줄: ${DROP_TEXT[reason]} (code: ${reason})`),
    });
    for await (const text of lines(io.stdin)) {
      lineNo++;
      const trimmed = text.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const report = parseHexLine(trimmed);
      if (typeof report === 'string') {
        bad++;
        writeLine(io.stderr, `munjigi hid-decode: ${lineNo}번째 줄을 건너뜁니다: ${report} (code: BAD_REPORT_LINE)`);
        continue;
      }
      // Recordings carry no timing: every report counts as arriving at once.
      const scan = reassembler.push(report, 0);
      if (scan) writeLine(io.stdout, JSON.stringify({ data: scan.data, aim: scan.aim, symbology: scan.symbology }));
    }
    if (reassembler.pending()) {
      writeLine(io.stderr, 'munjigi hid-decode: 입력이 끝났는데 마지막 스캔이 끝나지 않았습니다(이어짐 표시가 있는 보고서로 끝남). 그 스캔은 버립니다. (code: HID_UNFINISHED_SCAN)');
    }
    if (bad > 0) {
      writeLine(io.stderr, `munjigi hid-decode: 잘못된 줄 ${bad}개를 건너뛰었습니다. (code: BAD_INPUT)`);
      return 2;
    }
    return 0;
  },
};
