// Runs in Node (main, dev host). The kiosk's input sources as the 장치 설정 screen sees them:
// decides for each scan whether it goes to admit(), is dropped (its source is turned off in
// settings) or is only shown (test mode), keeps per-source counters and builds the live status.
// Scan data is never logged; only the source, counts and lengths.
import type { DevicesStatus, DevicesTestScan, Settings } from '../../shared/contract';
import { CodedError } from '../../shared/envelope';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { HidScanners } from './manager';
import { displaySafe, guessSymbology, kp1Shape } from './testScan';

/** Test mode ends by itself after this long, so a forgotten setup screen never stops admissions for good. */
export const TEST_MODE_MS = 3 * 60_000;

export type SourceName = 'wedge' | 'camera' | 'hid';

export interface IncomingScan {
  /** demo and selftest scans are not from a device: they are never dropped or diverted. */
  source: SourceName | 'demo' | 'selftest';
  data: string;
  /** HID: the device label. */
  device?: string | null;
  /** HID: from the AIM id / code id. Others are guessed. */
  symbology?: string;
  aim?: string | null;
  /** Wedge: the typing speed the renderer measured. */
  charsPerSecond?: number | null;
}

/** admit: go on to admit(); dropped: the source is off; tested: shown on the setup screen only. */
export type Intake = 'admit' | 'dropped' | 'tested';

export interface InputSourcesOptions {
  clock: Clock;
  logger: Logger;
  /** settings.sources, read at each scan. */
  sources: () => Settings['sources'];
  /** The HID POS device manager, or null when this kiosk has no HID access. */
  hid: () => HidScanners | null;
  hidAvailable: boolean;
  onChanged: (status: DevicesStatus) => void;
  onTestScan: (scan: DevicesTestScan) => void;
  testModeMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

export interface InputSources {
  intake(scan: IncomingScan): Intake;
  /** Operator action (the caller checks the PIN session). Returns the new status. */
  setTestMode(on: boolean): DevicesStatus;
  status(): DevicesStatus;
  /** Recomputes the status and pushes it (hot-plug, errors, settings changed). */
  changed(): void;
  close(): void;
}

interface Counters {
  lastScanAt: number | null;
  scans: number;
  dropped: number;
}

export function createInputSources(options: InputSourcesOptions): InputSources {
  const { clock, logger } = options;
  const testModeMs = options.testModeMs ?? TEST_MODE_MS;
  const setTimer = options.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimeout ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const counters: Record<SourceName, Counters> = {
    wedge: { lastScanAt: null, scans: 0, dropped: 0 },
    camera: { lastScanAt: null, scans: 0, dropped: 0 },
    hid: { lastScanAt: null, scans: 0, dropped: 0 },
  };
  let lastCharsPerSecond: number | null = null;
  let testUntil: number | null = null;
  let testTimer: unknown = null;

  const status = (): DevicesStatus => {
    const sources = options.sources();
    const hid = options.hid();
    const now = clock();
    const testOn = testUntil !== null && now < testUntil;
    return {
      testMode: { on: testOn, until: testOn ? testUntil : null },
      wedge: { enabled: sources.wedge, lastScanAt: counters.wedge.lastScanAt, lastCharsPerSecond, scans: counters.wedge.scans, dropped: counters.wedge.dropped },
      hid: {
        enabled: sources.hid,
        available: options.hidAvailable,
        dropped: counters.hid.dropped,
        devices: (hid?.status() ?? []).map((d) => ({
          path: d.path,
          label: d.label,
          vendorId: d.vendorId,
          productId: d.productId,
          usagePage: d.usagePage,
          state: d.state,
          connectedAt: d.connectedAt,
          lastScanAt: d.lastScanAt,
          scans: d.scans,
          drops: d.drops,
          errors: d.errors,
          lastError: d.lastError,
          udevCommands: d.udevCommands,
        })),
        keyboardScanners: hid?.keyboardScanners() ?? [],
      },
      camera: { enabled: sources.camera, ...counters.camera },
    };
  };

  const changed = () => {
    try {
      options.onChanged(status());
    } catch (err) {
      logger.warn('devices status listener failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };

  const stopTestMode = (why: 'operator' | 'timeout' | 'close') => {
    if (testTimer !== null) clearTimer(testTimer);
    testTimer = null;
    if (testUntil === null) return false;
    testUntil = null;
    logger.info('device test mode off', { why });
    return true;
  };

  const testModeOn = () => testUntil !== null && clock() < testUntil;

  return {
    intake(scan) {
      if (scan.source === 'demo' || scan.source === 'selftest') return 'admit';
      const source = scan.source;
      const c = counters[source];
      const now = clock();
      if (!options.sources()[source]) {
        c.dropped++;
        logger.info('scan dropped: source turned off', { source, dropped: c.dropped });
        changed();
        return 'dropped';
      }
      c.scans++;
      c.lastScanAt = now;
      const cps = source === 'wedge' && typeof scan.charsPerSecond === 'number' && Number.isFinite(scan.charsPerSecond) ? Math.round(scan.charsPerSecond) : null;
      if (source === 'wedge' && cps !== null) lastCharsPerSecond = cps;
      if (!testModeOn()) return 'admit';
      const { shown, truncated } = displaySafe(scan.data);
      const test: DevicesTestScan = {
        at: now,
        source,
        device: scan.device ?? null,
        shown,
        truncated,
        length: scan.data.length,
        symbology: source === 'hid' ? (scan.symbology ?? 'unknown') : guessSymbology(source, scan.data),
        aim: scan.aim ?? null,
        charsPerSecond: cps,
        kp1: kp1Shape(scan.data),
      };
      logger.info('test scan shown, not admitted', { source, length: test.length });
      try {
        options.onTestScan(test);
      } catch (err) {
        logger.warn('test scan listener failed', { error: err instanceof Error ? err.message : String(err) });
      }
      changed();
      return 'tested';
    },
    setTestMode(on) {
      if (on) {
        if (testTimer !== null) clearTimer(testTimer);
        testUntil = clock() + testModeMs;
        testTimer = setTimer(() => {
          testTimer = null;
          if (stopTestMode('timeout')) changed();
        }, testModeMs);
        logger.info('device test mode on', { minutes: testModeMs / 60_000 });
      } else {
        stopTestMode('operator');
      }
      const next = status();
      changed();
      return next;
    },
    status,
    changed,
    close() {
      stopTestMode('close');
    },
  };
}

/** What kiosk:admit answers for a renderer scan that was not admitted (the renderer shows nothing for these). */
export function notAdmitted(intake: Exclude<Intake, 'admit'>): CodedError {
  return intake === 'dropped'
    ? new CodedError('SCAN_SOURCE_OFF', '이 입력 장치는 장치 설정에서 꺼져 있어 스캔을 받지 않았습니다.')
    : new CodedError('SCAN_TEST_MODE', '장치 테스트 중이라 출입으로 기록하지 않았습니다. 장치 설정에서 테스트를 끄세요.');
}
