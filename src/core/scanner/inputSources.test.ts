// Runs under vitest (Node). Which scans reach admit(): a source turned off drops its scans
// (counted, logged without data), test mode shows scans instead of admitting them and ends by
// itself; and what the test area shows of a scan (escaped, cut, symbology, KP1 shape).
import { describe, expect, it } from 'vitest';
import type { DevicesStatus, DevicesTestScan, Settings } from '../../shared/contract';
import { DEFAULT_SOURCES } from '../../shared/contract';
import { fakeClock } from '../clock';
import { mintToken, generateKeyPair } from '../kp1';
import { memoryLogger } from '../log';
import { createInputSources, notAdmitted, TEST_MODE_MS } from './inputSources';
import { displaySafe, guessSymbology, kp1Shape } from './testScan';

function setup() {
  const clock = fakeClock(Date.UTC(2026, 10, 23, 3));
  const { logger, lines } = memoryLogger();
  let sources: Settings['sources'] = { ...DEFAULT_SOURCES };
  const changes: DevicesStatus[] = [];
  const tests: DevicesTestScan[] = [];
  const timers = new Map<number, { fn: () => void; at: number }>();
  let nextTimer = 1;
  const inputs = createInputSources({
    clock,
    logger,
    sources: () => sources,
    hid: () => null,
    hidAvailable: false,
    onChanged: (s) => void changes.push(s),
    onTestScan: (s) => void tests.push(s),
    setTimeout: (fn, ms) => {
      const id = nextTimer++;
      timers.set(id, { fn, at: clock() + ms });
      return id;
    },
    clearTimeout: (id) => void timers.delete(id as number),
  });
  const advance = (ms: number) => {
    clock.advance(ms);
    for (const [id, t] of [...timers]) {
      if (t.at <= clock()) {
        timers.delete(id);
        t.fn();
      }
    }
  };
  return { inputs, lines, changes, tests, timers, advance, clock, setSources: (s: Partial<Settings['sources']>) => void (sources = { ...sources, ...s }) };
}

const token = mintToken({ privateKey: generateKeyPair().privateKey, issuer: 2, keyId: 1, issuedAt: 1_800_000_000, ttl: 15 });

describe('createInputSources', () => {
  it('admits scans from enabled sources and records the wedge typing speed', () => {
    const t = setup();
    expect(t.inputs.intake({ source: 'wedge', data: token, charsPerSecond: 211.7 })).toBe('admit');
    expect(t.inputs.intake({ source: 'hid', data: token })).toBe('admit');
    const s = t.inputs.status();
    expect(s.wedge).toMatchObject({ enabled: true, scans: 1, dropped: 0, lastCharsPerSecond: 212, lastScanAt: t.clock() });
    expect(s.hid).toMatchObject({ enabled: true, available: false, devices: [], keyboardScanners: [] });
    expect(s.testMode).toEqual({ on: false, until: null });
    expect(t.tests).toEqual([]);
  });

  it('drops scans from a source that is turned off: counted, logged without the data, status pushed', () => {
    const t = setup();
    t.setSources({ wedge: false, hid: false });
    expect(t.inputs.intake({ source: 'wedge', data: token })).toBe('dropped');
    expect(t.inputs.intake({ source: 'hid', data: token })).toBe('dropped');
    expect(t.inputs.intake({ source: 'camera', data: token })).toBe('dropped'); // camera is off by default
    const s = t.inputs.status();
    expect([s.wedge.dropped, s.hid.dropped, s.camera.dropped]).toEqual([1, 1, 1]);
    expect(s.wedge.scans).toBe(0);
    expect(t.changes.length).toBe(3);
    expect(JSON.stringify(t.lines)).not.toContain(token.slice(4, 40));
    expect(t.lines.filter((l) => l.msg === 'scan dropped: source turned off')).toHaveLength(3);
    // Demo and self-test scans are not devices: never dropped.
    expect(t.inputs.intake({ source: 'demo', data: token })).toBe('admit');
  });

  it('test mode: scans are shown with source, symbology, length and KP1 shape, never admitted', () => {
    const t = setup();
    const on = t.inputs.setTestMode(true);
    expect(on.testMode).toEqual({ on: true, until: t.clock() + TEST_MODE_MS });
    expect(t.inputs.intake({ source: 'wedge', data: token, charsPerSecond: 250 })).toBe('tested');
    expect(t.inputs.intake({ source: 'wedge', data: 'hello\tworld\r' })).toBe('tested');
    expect(t.inputs.intake({ source: 'hid', data: '4006381333931', device: 'Honeywell (0c2e:0b61)', symbology: 'ean13', aim: ']E0' })).toBe('tested');
    expect(t.tests).toEqual([
      { at: t.clock(), source: 'wedge', device: null, shown: token, truncated: false, length: token.length, symbology: 'qr', aim: null, charsPerSecond: 250, kp1: { wellFormed: true, version: 1, issuer: 2, ttl: 15 } },
      expect.objectContaining({ shown: 'hello\\tworld\\r', symbology: 'unknown', charsPerSecond: null, kp1: { wellFormed: false, version: null, issuer: null, ttl: null } }),
      expect.objectContaining({ source: 'hid', device: 'Honeywell (0c2e:0b61)', symbology: 'ean13', aim: ']E0', length: 13 }),
    ]);
    // A disabled source is still dropped in test mode: the screen shows what would really happen.
    t.setSources({ hid: false });
    expect(t.inputs.intake({ source: 'hid', data: token })).toBe('dropped');
    expect(t.tests).toHaveLength(3);
    expect(JSON.stringify(t.lines)).not.toContain('hello');
  });

  it('test mode ends by itself after TEST_MODE_MS, and when turned off or closed', () => {
    const t = setup();
    t.inputs.setTestMode(true);
    t.advance(TEST_MODE_MS - 1);
    expect(t.inputs.status().testMode.on).toBe(true);
    t.advance(1);
    expect(t.inputs.status().testMode).toEqual({ on: false, until: null });
    expect(t.changes.at(-1)?.testMode.on).toBe(false);
    expect(t.inputs.intake({ source: 'wedge', data: token })).toBe('admit');
    expect(t.lines.some((l) => l.msg === 'device test mode off' && l.why === 'timeout')).toBe(true);

    // Turning it on again restarts the time; off stops it at once; close clears the timer.
    t.inputs.setTestMode(true);
    t.advance(TEST_MODE_MS - 10);
    t.inputs.setTestMode(true);
    t.advance(100);
    expect(t.inputs.status().testMode.on).toBe(true);
    expect(t.timers.size).toBe(1);
    expect(t.inputs.setTestMode(false).testMode.on).toBe(false);
    expect(t.timers.size).toBe(0);
    t.inputs.setTestMode(true);
    t.inputs.close();
    expect(t.timers.size).toBe(0);
    expect(t.inputs.status().testMode.on).toBe(false);
  });

  it('what kiosk:admit answers for scans it did not admit', () => {
    expect(notAdmitted('dropped').code).toBe('SCAN_SOURCE_OFF');
    expect(notAdmitted('tested').code).toBe('SCAN_TEST_MODE');
    expect(notAdmitted('tested').message).toMatch(/테스트/);
  });
});

describe('test area display', () => {
  it('escapes control, invisible and direction characters so the shown text cannot lie', () => {
    expect(displaySafe('a\r\nb\u0000c\u001dd\u007f').shown).toBe('a\\r\\nb\\x00c\\x1dd\\x7f');
    expect(displaySafe('x\u202ey\u200bz\ufeff').shown).toBe('x\\u{202e}y\\u{200b}z\\u{feff}');
    expect(displaySafe('back\\slash').shown).toBe('back\\\\slash');
    expect(displaySafe('한글 QR 🙂').shown).toBe('한글 QR 🙂');
    expect(displaySafe('<script>').shown).toBe('<script>'); // React renders it as text
  });

  it('cuts long data at a character boundary and says so', () => {
    const long = '🙂'.repeat(600);
    const { shown, truncated } = displaySafe(long);
    expect(truncated).toBe(true);
    expect(Array.from(shown)).toHaveLength(512);
    expect(displaySafe('abc', 3)).toEqual({ shown: 'abc', truncated: false });
  });

  it('guesses QR for a wedge scan only with the KP1 prefix; the camera reads QR only', () => {
    expect(guessSymbology('wedge', token)).toBe('qr');
    expect(guessSymbology('wedge', '4006381333931')).toBe('unknown');
    expect(guessSymbology('wedge', 'kp1.abc')).toBe('unknown');
    expect(guessSymbology('camera', 'anything')).toBe('qr');
  });

  it('KP1 shape: syntax only, any input', () => {
    expect(kp1Shape(token)).toEqual({ wellFormed: true, version: 1, issuer: 2, ttl: 15 });
    expect(kp1Shape(token.slice(0, -1)).wellFormed).toBe(false);
    expect(kp1Shape('').wellFormed).toBe(false);
    expect(kp1Shape('x'.repeat(100_000)).wellFormed).toBe(false);
  });
});
