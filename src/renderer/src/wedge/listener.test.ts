// Runs under vitest (Node). The wedge listener with a fake window: scans reach onScan, form
// fields and [data-allow-typing] regions are never read, keys inside a burst are swallowed,
// a burst with no suffix ends on the idle timer.
import { describe, expect, it } from 'vitest';
import type { KeyEventLike } from './listener';
import { isTypingTarget, startWedgeListener } from './listener';
import { manualTimers } from '../testing/manualTimers';

const body = { tagName: 'BODY', closest: () => null };
const settingsInput = { tagName: 'INPUT', closest: () => ({}) };
const inAllowTyping = { tagName: 'DIV', closest: (sel: string) => (sel.includes('data-allow-typing') ? {} : null) };

function harness() {
  let handler: ((ev: KeyEventLike) => void) | null = null;
  const clock = manualTimers();
  const scans: string[] = [];
  const decodeMs: number[] = [];
  const cps: Array<number | null> = [];
  const listener = startWedgeListener({
    target: {
      addEventListener: (_t, fn) => (handler = fn),
      removeEventListener: () => (handler = null),
    },
    onScan: (d, timing, typing) => {
      scans.push(d);
      decodeMs.push(timing.decodeMs);
      cps.push(typing.charsPerSecond);
    },
    now: clock.now,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
  });
  const advance = clock.advance;
  /** Types text at 4 ms a key; returns how many keydowns were prevented. */
  const type = (text: string, target: unknown = body, suffix: string | null = 'Enter') => {
    let prevented = 0;
    const keys = [...text].map((c) => ({ key: c, code: /[0-9]/.test(c) ? `Digit${c}` : `Key${c.toUpperCase()}`, shiftKey: c !== c.toLowerCase() }));
    if (suffix) keys.push({ key: suffix, code: suffix, shiftKey: false });
    for (const k of keys) {
      const ev: KeyEventLike = {
        type: 'keydown', ...k, ctrlKey: false, altKey: false, metaKey: false, timeStamp: clock.now(), target,
        preventDefault: () => prevented++, stopPropagation: () => {},
      };
      handler?.(ev);
      advance(4);
    }
    return prevented;
  };
  /** Delivers keys whose timeStamps start at `t0`, 4 ms apart, all handled at the current time. */
  const typeAt = (text: string, t0: number) => {
    [...text].forEach((c, i) =>
      handler?.({
        type: 'keydown', key: c, code: `Key${c.toUpperCase()}`, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false,
        timeStamp: t0 + i * 4, target: body, preventDefault: () => {}, stopPropagation: () => {},
      }),
    );
  };
  return { listener, scans, decodeMs, cps, type, typeAt, advance, handler: () => handler };
}

describe('isTypingTarget', () => {
  it('form fields, contenteditable and [data-allow-typing] regions are typing', () => {
    expect(isTypingTarget({ tagName: 'input' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget(inAllowTyping)).toBe(true);
    expect(isTypingTarget(body)).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON', closest: () => null })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    // The window itself (no tagName) is a valid keydown target.
    expect(isTypingTarget({})).toBe(false);
  });
});

describe('wedge listener', () => {
  it('a scanner burst with Enter reaches onScan and its keys are swallowed', () => {
    const h = harness();
    const prevented = h.type('KP1abcdef');
    expect(h.scans).toEqual(['KP1abcdef']);
    // Decode time: first key to the Enter that completed it (9 keys, 4 ms apart).
    expect(h.decodeMs).toEqual([36]);
    // Every key but the first (left alone so buttons still work) and the Enter that ended it.
    expect(prevented).toBe(9);
  });

  it('never reads keys typed in a settings field or a [data-allow-typing] region', () => {
    const h = harness();
    expect(h.type('1234567890', settingsInput)).toBe(0);
    expect(h.type('abcdefghij', inAllowTyping)).toBe(0);
    h.advance(1000);
    expect(h.scans).toEqual([]);
  });

  it('a burst with no suffix is emitted on the idle timer, measured from the last key handled', () => {
    const h = harness();
    h.type('abcdefgh', body, null);
    expect(h.scans).toEqual([]);
    h.advance(90);
    expect(h.scans).toEqual([]);
    h.advance(20);
    expect(h.scans).toEqual(['abcdefgh']);
    // Without a suffix the scan completes when the idle gap ends it: 8 keys × 4 ms + the wait.
    expect(h.decodeMs[0]).toBeGreaterThanOrEqual(32 + 90);
    expect(h.decodeMs[0]).toBeLessThan(32 + 200);
    // The next burst is timed from its own first key.
    h.type('KP1xyz');
    expect(h.decodeMs[1]).toBe(24);
  });

  it('keys handled late (busy machine): their own timestamps decide the gaps, and a stalled delivery does not cut the scan', () => {
    const h = harness();
    // Typed 4 ms apart from t=0, handled in two clumps: at 300 ms and, after a 150 ms stall, at 450 ms.
    h.advance(300);
    h.typeAt('abcde', 0);
    h.advance(150);
    expect(h.scans).toEqual([]);
    h.typeAt('fghij', 20);
    h.advance(1000);
    expect(h.scans).toEqual(['abcdefghij']);
  });

  it('a single key (Space on a focused button) is not prevented', () => {
    const h = harness();
    expect(h.type(' ', body, null)).toBe(0);
  });

  it('configure() applies new timing; stop() detaches', () => {
    const h = harness();
    h.listener.configure({ minLength: 3 });
    h.type('abc');
    expect(h.scans).toEqual(['abc']);
    h.listener.stop();
    expect(h.handler()).toBeNull();
  });

  it('reports the typing speed from the first to the last character key (not the suffix or the idle wait)', () => {
    const h = harness();
    h.type('KP1abcdef'); // 9 characters 4 ms apart, then Enter
    expect(h.cps).toEqual([250]);
    h.advance(500);
    h.type('abcdefgh', body, null); // no suffix: ends on the idle timer, speed unchanged by the wait
    h.advance(200);
    expect(h.scans[1]).toBe('abcdefgh');
    expect(h.cps[1]).toBe(250);
  });

  it('a scanner typing slowly (20 ms a key) shows 50 characters a second', () => {
    const h = harness();
    h.listener.configure({ maxGapMs: 100 });
    const handler = h.handler();
    [...'abcdefghij'].forEach((c, i) =>
      handler?.({
        type: 'keydown', key: c, code: `Key${c.toUpperCase()}`, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false,
        timeStamp: 1000 + i * 20, target: body, preventDefault: () => {}, stopPropagation: () => {},
      }),
    );
    handler?.({ type: 'keydown', key: 'Enter', code: 'Enter', shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, timeStamp: 1200, target: body, preventDefault: () => {}, stopPropagation: () => {} });
    expect(h.scans).toEqual(['abcdefghij']);
    expect(h.cps).toEqual([50]);
  });
});
