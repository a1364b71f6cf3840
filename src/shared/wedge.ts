// Runs everywhere (renderer listener, `munjigi wedge-decode`, tests). Turns keyboard-wedge key
// events into scans. It reads the physical key (`code`) and Shift on a US map, so a scan still
// decodes when the Korean IME is on and `key` is a jamo or "Process"; bursts are found by timing.
import { MAX_SCAN_CHARS } from './contract';

/** One keydown as the browser reports it (`t` is `event.timeStamp`, ms, monotonic). */
export interface WedgeKeyEvent {
  type: string;
  key: string;
  code: string;
  shiftKey: boolean;
  t: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export interface WedgeOptions {
  /** A gap longer than this between two keys ends the burst (scanners type a key every 1-30 ms). */
  maxGapMs?: number;
  /** Bursts shorter than this are a person pressing keys, not a scan. */
  minLength?: number;
  /** A burst with no Enter/Tab suffix ends after this much silence. */
  idleMs?: number;
  /** Longer bursts are cut here; main refuses them as MALFORMED rather than the kiosk dropping them. */
  maxLength?: number;
}

export interface WedgeDecoder {
  /** Feeds one event; returns the scans it completed (usually none, sometimes one). */
  push(ev: WedgeKeyEvent): string[];
  /** Ends the burst if `t` is at least idleMs after its last key, or unconditionally without `t`. */
  flush(t?: number): string[];
  /** Characters in the burst being typed now (0 when idle). */
  pending(): number;
  /** Drops the burst in progress without a scan. */
  reset(): void;
}

export const WEDGE_DEFAULTS = { maxGapMs: 50, minLength: 6, idleMs: 100 } as const;

const letters = 'abcdefghijklmnopqrstuvwxyz';
const digitsShifted = ')!@#$%^&*(';

/** US layout: code → [unshifted, shifted]. */
const US_MAP: ReadonlyMap<string, readonly [string, string]> = new Map<string, readonly [string, string]>([
  ...[...letters].map((c) => [`Key${c.toUpperCase()}`, [c, c.toUpperCase()]] as const),
  ...[...'0123456789'].map((d, i) => [`Digit${d}`, [d, digitsShifted[i] ?? d]] as const),
  // Scanners set to "numeric keypad" mode send these; NumLock state is the OS's business.
  ...[...'0123456789'].map((d) => [`Numpad${d}`, [d, d]] as const),
  ['Minus', ['-', '_']],
  ['Equal', ['=', '+']],
  ['BracketLeft', ['[', '{']],
  ['BracketRight', [']', '}']],
  ['Backslash', ['\\', '|']],
  ['Semicolon', [';', ':']],
  ['Quote', ["'", '"']],
  ['Backquote', ['`', '~']],
  ['Comma', [',', '<']],
  ['Period', ['.', '>']],
  ['Slash', ['/', '?']],
  ['Space', [' ', ' ']],
  ['NumpadDecimal', ['.', '.']],
  ['NumpadAdd', ['+', '+']],
  ['NumpadSubtract', ['-', '-']],
  ['NumpadMultiply', ['*', '*']],
  ['NumpadDivide', ['/', '/']],
  ['NumpadEqual', ['=', '=']],
  ['NumpadComma', [',', ',']],
]);

const TERMINATORS = new Set(['Enter', 'NumpadEnter', 'Tab']);

/** Keys that only change how others are read (and the IME toggles): not data, not a break. */
const MODIFIER_CODES = new Set([
  'ShiftLeft', 'ShiftRight', 'ControlLeft', 'ControlRight', 'AltLeft', 'AltRight', 'MetaLeft',
  'MetaRight', 'OSLeft', 'OSRight', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'FnLock',
  'Lang1', 'Lang2', 'HangulMode', 'Hanja', 'KanaMode', 'Convert', 'NonConvert',
]);
const MODIFIER_KEYS = new Set([
  'Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn',
  'FnLock', 'HangulMode', 'HanjaMode', 'KanaMode', 'Convert', 'NonConvert',
]);

const isPrintableAscii = (s: string) => s.length === 1 && s.charCodeAt(0) >= 0x20 && s.charCodeAt(0) <= 0x7e;

type Decoded = { kind: 'char'; ch: string } | { kind: 'end' } | { kind: 'modifier' } | { kind: 'other' };

/** What one keydown means to a scanner. Exported for the listener and tests. */
export function decodeKey(ev: Pick<WedgeKeyEvent, 'key' | 'code' | 'shiftKey'>): Decoded {
  if (MODIFIER_CODES.has(ev.code) || (!US_MAP.has(ev.code) && MODIFIER_KEYS.has(ev.key))) return { kind: 'modifier' };
  if (TERMINATORS.has(ev.code) || (!US_MAP.has(ev.code) && (ev.key === 'Enter' || ev.key === 'Tab'))) return { kind: 'end' };
  const pair = US_MAP.get(ev.code);
  if (pair) return { kind: 'char', ch: ev.shiftKey ? pair[1] : pair[0] };
  // Unknown physical key (virtual keyboards, odd drivers): trust `key` only when it is plain ASCII.
  if (isPrintableAscii(ev.key)) return { kind: 'char', ch: ev.key };
  return { kind: 'other' };
}

export function createWedgeDecoder(options: WedgeOptions = {}): WedgeDecoder {
  const maxGapMs = options.maxGapMs ?? WEDGE_DEFAULTS.maxGapMs;
  const minLength = Math.max(1, options.minLength ?? WEDGE_DEFAULTS.minLength);
  const idleMs = options.idleMs ?? WEDGE_DEFAULTS.idleMs;
  const maxLength = options.maxLength ?? MAX_SCAN_CHARS;

  let chars: string[] = [];
  let lastT = 0;

  const end = (): string[] => {
    const scan = chars.join('');
    chars = [];
    return scan.length >= minLength ? [scan] : [];
  };

  return {
    push(ev) {
      if (ev.type !== 'keydown') return [];
      const decoded = decodeKey(ev);
      if (decoded.kind === 'modifier') return [];
      const out: string[] = [];
      if (chars.length > 0) {
        const gap = ev.t - lastT;
        // The previous burst is over: the scanner went quiet, so this key belongs to something else.
        if (gap > maxGapMs || gap >= idleMs) out.push(...end());
      }
      if (ev.ctrlKey || ev.altKey || ev.metaKey || decoded.kind === 'other') {
        // A shortcut or a non-character key (arrows, Escape, F-keys…) is a person, not a scanner.
        chars = [];
        return out;
      }
      if (decoded.kind === 'end') {
        if (chars.length > 0) out.push(...end());
        return out;
      }
      if (chars.length < maxLength) chars.push(decoded.ch);
      lastT = ev.t;
      return out;
    },
    flush(t) {
      if (chars.length === 0) return [];
      if (t !== undefined && t - lastT < idleMs) return [];
      return end();
    },
    pending: () => chars.length,
    reset() {
      chars = [];
    },
  };
}
