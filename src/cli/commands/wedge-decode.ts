// Runs in Node. `munjigi wedge-decode`: replays logged keyboard-wedge keydown events (JSON lines)
// through the same decoder the kiosk uses, to diagnose a scanner's timing and keyboard map.
import { parseArgs } from '../args';
import type { WedgeKeyEvent } from '../../shared/wedge';
import { createWedgeDecoder, WEDGE_DEFAULTS } from '../../shared/wedge';
import type { Command } from '../io';
import { lines, UsageError, writeLine } from '../io';

const usage = `Usage: munjigi wedge-decode [--max-gap MS] [--min-length N] [--idle MS] < events.jsonl

Reads keydown events, one JSON object a line: {"type":"keydown","key":"K","code":"KeyK","shiftKey":true,"t":1000}
(t in ms, non-decreasing), and prints {"data":"…"} for each scan found. End of input counts as idle.
  --max-gap MS     longest gap between two keys of one scan (default ${WEDGE_DEFAULTS.maxGapMs})
  --min-length N   shortest scan (default ${WEDGE_DEFAULTS.minLength})
  --idle MS        silence that ends a scan without Enter/Tab (default ${WEDGE_DEFAULTS.idleMs})
Bad lines are reported on stderr with their line number and skipped; the exit code is then 2.`;

/** Longest input line looked at; a keydown event is far shorter. */
const MAX_LINE_CHARS = 4096;

function intOption(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError('BAD_OPTION', `${name} 값은 ${min}~${max} 사이의 정수여야 합니다: ${value.slice(0, 20)}`);
  }
  return n;
}

/** Validates one parsed line; returns the event or a Korean reason. */
export function parseEventLine(text: string): WedgeKeyEvent | string {
  if (text.length > MAX_LINE_CHARS) return `줄이 너무 깁니다 (${MAX_LINE_CHARS}자 초과)`;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'JSON 형식이 아닙니다';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'JSON 객체가 아닙니다';
  const o = v as Record<string, unknown>;
  if (typeof o.type !== 'string') return '"type"이 문자열이 아닙니다';
  if (typeof o.key !== 'string' || o.key.length > 64) return '"key"가 64자 이하의 문자열이 아닙니다';
  if (typeof o.code !== 'string' || o.code.length > 64) return '"code"가 64자 이하의 문자열이 아닙니다';
  if (typeof o.shiftKey !== 'boolean') return '"shiftKey"가 true/false가 아닙니다';
  if (typeof o.t !== 'number' || !Number.isFinite(o.t) || o.t < 0) return '"t"가 0 이상의 숫자(ms)가 아닙니다';
  const ev: WedgeKeyEvent = { type: o.type, key: o.key, code: o.code, shiftKey: o.shiftKey, t: o.t };
  for (const m of ['ctrlKey', 'altKey', 'metaKey'] as const) {
    if (o[m] === undefined) continue;
    if (typeof o[m] !== 'boolean') return `"${m}"가 true/false가 아닙니다`;
    ev[m] = o[m];
  }
  return ev;
}

export const command: Command = {
  name: 'wedge-decode',
  summary: 'decode keyboard-wedge keydown events (JSON lines) into scans',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      options: { 'max-gap': { type: 'string' }, 'min-length': { type: 'string' }, idle: { type: 'string' } },
      allowPositionals: false,
      strict: true,
    });
    const decoder = createWedgeDecoder({
      maxGapMs: intOption(values['max-gap'], '--max-gap', 1, 10_000, WEDGE_DEFAULTS.maxGapMs),
      minLength: intOption(values['min-length'], '--min-length', 1, 100_000, WEDGE_DEFAULTS.minLength),
      idleMs: intOption(values.idle, '--idle', 1, 60_000, WEDGE_DEFAULTS.idleMs),
    });
    const print = (scans: string[]) => {
      for (const data of scans) writeLine(io.stdout, JSON.stringify({ data }));
    };
    let lineNo = 0;
    let bad = 0;
    let lastT = -Infinity;
    for await (const text of lines(io.stdin)) {
      lineNo++;
      if (text.trim() === '') continue;
      const ev = parseEventLine(text);
      const reason = typeof ev === 'string' ? ev : ev.t < lastT ? `"t"가 앞 줄보다 작습니다 (${ev.t} < ${lastT})` : null;
      if (reason !== null || typeof ev === 'string') {
        bad++;
        writeLine(io.stderr, `munjigi wedge-decode: ${lineNo}번째 줄을 건너뜁니다: ${reason} (code: BAD_EVENT)`);
        continue;
      }
      lastT = ev.t;
      print(decoder.push(ev));
    }
    print(decoder.flush());
    if (bad > 0) {
      writeLine(io.stderr, `munjigi wedge-decode: 잘못된 줄 ${bad}개를 건너뛰었습니다. (code: BAD_INPUT)`);
      return 2;
    }
    return 0;
  },
};
