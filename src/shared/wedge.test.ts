// Runs under vitest (Node). The wedge decoder against the shared vectors and the cases a real
// kiosk meets: IME on, numpad scanners, people typing, shortcuts, runaway bursts.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WedgeKeyEvent, WedgeOptions } from './wedge';
import { createWedgeDecoder, decodeKey } from './wedge';

const vectorsPath = resolve(__dirname, '../../../shared/spec/wedge-vectors.json');
const haveVectors = existsSync(vectorsPath);

interface VectorCase {
  name: string;
  options?: WedgeOptions;
  events: WedgeKeyEvent[];
  expect: string[];
}

function run(events: WedgeKeyEvent[], options?: WedgeOptions): string[] {
  const d = createWedgeDecoder(options);
  const out: string[] = [];
  for (const ev of events) out.push(...d.push(ev));
  out.push(...d.flush());
  return out;
}

/** Types `text` the way a scanner does: one keydown per character `every` ms apart, Shift first when needed. */
function typed(text: string, opts: { start?: number; every?: number; suffix?: 'Enter' | 'Tab' | null; key?: (c: string) => string } = {}): WedgeKeyEvent[] {
  const events: WedgeKeyEvent[] = [];
  let t = opts.start ?? 1000;
  const codeOf = (c: string): [string, boolean] => {
    if (/[a-z]/.test(c)) return [`Key${c.toUpperCase()}`, false];
    if (/[A-Z]/.test(c)) return [`Key${c}`, true];
    if (/[0-9]/.test(c)) return [`Digit${c}`, false];
    const table: Record<string, [string, boolean]> = {
      '.': ['Period', false], '-': ['Minus', false], _: ['Minus', true], ':': ['Semicolon', true],
      '/': ['Slash', false], '?': ['Slash', true], ' ': ['Space', false], '!': ['Digit1', true],
    };
    const hit = table[c];
    if (!hit) throw new Error(`no code for ${c}`);
    return hit;
  };
  for (const c of text) {
    const [code, shift] = codeOf(c);
    if (shift) events.push({ type: 'keydown', key: 'Shift', code: 'ShiftLeft', shiftKey: true, t });
    events.push({ type: 'keydown', key: opts.key ? opts.key(c) : c, code, shiftKey: shift, t });
    t += opts.every ?? 4;
  }
  const suffix = opts.suffix === undefined ? 'Enter' : opts.suffix;
  if (suffix) events.push({ type: 'keydown', key: suffix, code: suffix, shiftKey: false, t });
  return events;
}

describe.skipIf(!haveVectors)('wedge vectors (../shared/spec/wedge-vectors.json)', () => {
  const cases: VectorCase[] = haveVectors ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: VectorCase[] }).cases : [];
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(run(c.events, c.options)).toEqual(c.expect);
  });
});

if (!haveVectors) {
  it.skip('wedge vectors: ../shared/spec/wedge-vectors.json is absent (shared test material not checked out)', () => {});
}

describe('wedge decoder', () => {
  const token = 'KP1.abc_DEF-123.xyz';

  it('decodes a burst typed at 4 ms a key with Enter', () => {
    expect(run(typed(token))).toEqual([token]);
  });

  it('reads code + Shift, not key: Korean IME jamo and "Process" still decode', () => {
    const jamo: Record<string, string> = { a: 'ㅁ', b: 'ㅠ', c: 'ㅊ', x: 'ㅌ', y: 'ㅛ', z: 'ㅋ', D: 'ㅇ', E: 'ㄸ', F: 'ㄹ', K: 'ㅏ', P: 'ㅔ' };
    expect(run(typed(token, { key: (c) => jamo[c] ?? c }))).toEqual([token]);
    expect(run(typed(token, { key: () => 'Process' }))).toEqual([token]);
  });

  it('ignores CapsLock: the letter case comes from Shift only', () => {
    // With CapsLock on, `key` is inverted but code + shiftKey are what the scanner meant.
    const events = typed('AbCdEf12', { key: (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) });
    events.unshift({ type: 'keydown', key: 'CapsLock', code: 'CapsLock', shiftKey: false, t: 999 });
    expect(run(events)).toEqual(['AbCdEf12']);
  });

  it('decodes numpad scanners (digits, operators, NumpadEnter)', () => {
    const events: WedgeKeyEvent[] = [...'8801234567890'].map((d, i) => ({ type: 'keydown', key: d, code: `Numpad${d}`, shiftKey: false, t: 10 + i * 3 }));
    events.push({ type: 'keydown', key: '.', code: 'NumpadDecimal', shiftKey: false, t: 60 });
    events.push({ type: 'keydown', key: 'Enter', code: 'NumpadEnter', shiftKey: false, t: 63 });
    expect(run(events)).toEqual(['8801234567890.']);
  });

  it('decodes every shifted symbol of the US map', () => {
    const codes = ['Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6', 'Digit7', 'Digit8', 'Digit9', 'Digit0', 'Minus', 'Equal', 'BracketLeft', 'BracketRight', 'Backslash', 'Semicolon', 'Quote', 'Backquote', 'Comma', 'Period', 'Slash'];
    const shifted = codes.map((code) => decodeKey({ key: 'Process', code, shiftKey: true }));
    const plain = codes.map((code) => decodeKey({ key: 'Process', code, shiftKey: false }));
    const text = (ds: ReturnType<typeof decodeKey>[]) => ds.map((d) => (d.kind === 'char' ? d.ch : '?')).join('');
    expect(text(shifted)).toBe('!@#$%^&*()_+{}|:"~<>?');
    expect(text(plain)).toBe("1234567890-=[]\\;'`,./");
  });

  it('falls back to key only for printable ASCII when the code is unknown', () => {
    expect(decodeKey({ key: 'q', code: '', shiftKey: false })).toEqual({ kind: 'char', ch: 'q' });
    expect(decodeKey({ key: 'ㅂ', code: '', shiftKey: false })).toEqual({ kind: 'other' });
    expect(decodeKey({ key: 'Unidentified', code: 'Unidentified', shiftKey: false })).toEqual({ kind: 'other' });
    expect(decodeKey({ key: 'HangulMode', code: 'Lang1', shiftKey: false })).toEqual({ kind: 'modifier' });
  });

  it('ends a scan on Tab', () => {
    expect(run(typed(token, { suffix: 'Tab' }))).toEqual([token]);
  });

  it('a person typing slowly is never a scan, even a long word', () => {
    expect(run(typed('hello world', { every: 120 }))).toEqual([]);
    // Just above the gap limit is still a person.
    expect(run(typed('abcdefgh', { every: 51 }))).toEqual([]);
  });

  it('Enter alone (or Enter pressed twice) is not a scan', () => {
    expect(run([{ type: 'keydown', key: 'Enter', code: 'Enter', shiftKey: false, t: 5 }])).toEqual([]);
    expect(run(typed('', { suffix: 'Enter' }).concat(typed('', { start: 1003 })))).toEqual([]);
  });

  it('shorter than minLength is not a scan; minLength is configurable', () => {
    expect(run(typed('abcde'))).toEqual([]);
    expect(run(typed('abcdef'))).toEqual(['abcdef']);
    expect(run(typed('abc'), { minLength: 3 })).toEqual(['abc']);
  });

  it('a gap longer than maxGap ends the burst; a slow scanner needs a larger maxGap', () => {
    expect(run(typed('abcdefghij', { every: 30 }), { maxGapMs: 20 })).toEqual([]);
    expect(run(typed('abcdefghij', { every: 30 }), { maxGapMs: 40 })).toEqual(['abcdefghij']);
  });

  it('without a suffix the scan ends after idleMs of silence, not before', () => {
    const d = createWedgeDecoder();
    for (const ev of typed('abcdefgh', { suffix: null, start: 0 })) expect(d.push(ev)).toEqual([]);
    // Last key at t=28.
    expect(d.pending()).toBe(8);
    expect(d.flush(100)).toEqual([]);
    expect(d.flush(128)).toEqual(['abcdefgh']);
    expect(d.pending()).toBe(0);
    expect(d.flush()).toEqual([]);
  });

  it('idle silence then a new key: the first burst is emitted, the next one starts fresh', () => {
    const events = [...typed('abcdefgh', { suffix: null, start: 0 }), ...typed('ijklmnop', { start: 300 })];
    expect(run(events)).toEqual(['abcdefgh', 'ijklmnop']);
  });

  it('idleMs shorter than maxGap still ends the burst at idleMs', () => {
    expect(run(typed('abcdefgh', { every: 40 }), { maxGapMs: 200, idleMs: 30 })).toEqual([]);
  });

  it('shortcuts and non-character keys drop the burst in progress', () => {
    const events = typed('abcdefgh', { suffix: null });
    events.splice(4, 0, { type: 'keydown', key: 's', code: 'KeyS', shiftKey: false, ctrlKey: true, t: 1014 });
    // 'abcd' dropped, then 'efgh' is too short.
    expect(run(events)).toEqual([]);
    const arrows = typed('abcdefghijkl', { suffix: null });
    arrows.splice(2, 0, { type: 'keydown', key: 'ArrowUp', code: 'ArrowUp', shiftKey: false, t: 1006 });
    expect(run(arrows)).toEqual(['cdefghijkl']);
  });

  it('ignores keyup and other event types', () => {
    const events = typed('abcdefgh').flatMap((e) => [e, { ...e, type: 'keyup' }]);
    expect(run(events)).toEqual(['abcdefgh']);
  });

  it('cuts a runaway burst at maxLength instead of growing without bound', () => {
    const events: WedgeKeyEvent[] = Array.from({ length: 5000 }, (_, i) => ({ type: 'keydown', key: 'x', code: 'KeyX', shiftKey: false, t: i }));
    const out = run(events, { maxLength: 1000 });
    expect(out).toHaveLength(1);
    expect(out[0]).toHaveLength(1000);
  });

  it('reset drops the burst in progress', () => {
    const d = createWedgeDecoder();
    for (const ev of typed('abcdefgh', { suffix: null })) d.push(ev);
    d.reset();
    expect(d.flush()).toEqual([]);
  });
});
