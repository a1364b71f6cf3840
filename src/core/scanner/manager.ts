// Runs in the Electron main process (and under Node in tests). Finds HID POS scanners, opens
// each by path, turns their reports into scans for admit(), notices scanners plugged in or out
// by polling, reopens after errors, and keeps a status per device for the setup screen.
// The device library comes in as `HidLike` (node-hid in production, a fake in tests).
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { DropReason, HidScan, Reassembler, ReassemblerOptions } from './hidpos';
import { createReassembler, DROP_TEXT } from './hidpos';
import { isPermissionError, permissionAdvice, shippedRulePath, udevCommands } from './permissions';
import type { HidDeviceInfo } from './vendors';
import { classifyDevice, deviceAdvice, deviceLabel } from './vendors';

/** An open device: emits each input report as bytes, and errors. */
export interface HidHandle {
  on(event: 'data', listener: (report: Uint8Array) => void): unknown;
  on(event: 'error', listener: (err: unknown) => void): unknown;
  close(): Promise<void> | void;
}

/** The part of node-hid Munjigi uses. */
export interface HidLike {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

/** A scan from a HID POS scanner, ready for admit(). */
export interface HidPosScan extends HidScan {
  source: 'hid';
  /** Device path (the device's identity while it stays plugged in). */
  path: string;
  /** "Honeywell … (0c2e:0b61)". */
  device: string;
  receivedAt: number;
}

/** 'off': plugged in but not opened, because the HID source is turned off in settings. */
export type HidScannerState = 'opening' | 'connected' | 'error' | 'no-permission' | 'disconnected' | 'stopped' | 'off';

export interface HidScannerStatus {
  path: string;
  label: string;
  vendorId: number;
  productId: number;
  usagePage: number | null;
  state: HidScannerState;
  connectedAt: number | null;
  lastScanAt: number | null;
  scans: number;
  /** Reports or partial scans thrown away (truncated, malformed, interrupted…). */
  drops: number;
  /** Device errors and failed opens. */
  errors: number;
  /** The latest problem, in Korean, with a stable code. */
  lastError: { code: string; message: string; at: number } | null;
  /** Linux, permission refused: the exact commands that grant access, one a line; else null. */
  udevCommands: string[] | null;
}

export interface HidScannersOptions {
  hid: HidLike;
  /** Each complete scan; may return a promise (admit), whose failure is logged, never thrown back. */
  onScan: (scan: HidPosScan) => unknown;
  logger: Logger;
  clock: Clock;
  /** How often devices are enumerated; a scanner plugged in or out is noticed within this. */
  pollMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
  /** Told whenever a device's status changes. */
  onStatus?: (status: HidScannerStatus[]) => void;
  /** Where the shipped udev rule is on this machine (named in the permission message); default resources/udev/. */
  udevRulePath?: string;
  platform?: string;
  reassembler?: Omit<ReassemblerOptions, 'onDrop'>;
  /** Longest wait between attempts to open a device that keeps failing. */
  maxRetryMs?: number;
  /** Most scanners opened at once; more are ignored with a warning. */
  maxDevices?: number;
  /** False: devices are listed but not opened until setEnabled(true) (settings.sources.hid). Default true. */
  enabled?: boolean;
}

export interface HidScanners {
  /** Enumerates and opens what is there now, then keeps polling. */
  start(): Promise<void>;
  /** One enumeration pass (what the timer runs). */
  poll(): Promise<void>;
  /** Stops polling and closes every device; partial scans are dropped. */
  stop(): Promise<void>;
  status(): HidScannerStatus[];
  /** Keyboard-mode scanners seen at the last poll (the OS owns them; they work as wedge scanners). */
  keyboardScanners(): KeyboardScanner[];
  /** Off closes every device (partial scans dropped) but keeps listing them; on opens them again. */
  setEnabled(on: boolean): Promise<void>;
  enabled(): boolean;
}

export interface KeyboardScanner {
  label: string;
  vendorId: number;
  productId: number;
  /** How to switch it to HID POS mode, or keep it as a wedge scanner (Korean). */
  advice: string;
}

interface Slot {
  info: HidDeviceInfo;
  path: string;
  status: HidScannerStatus;
  handle: HidHandle | null;
  opening: boolean;
  present: boolean;
  reassembler: Reassembler;
  /** Failed opens in a row (backoff). */
  failures: number;
  /** Read errors in a row on connections that did not last (backoff for a device that fails at once). */
  readFailures: number;
  nextTryAt: number;
  /** The last error code logged, so a device failing every poll logs once, not every 500 ms. */
  loggedCode: string | null;
}

export const HID_SCANNER_DEFAULTS = { pollMs: 500, maxRetryMs: 10_000, maxDevices: 16 } as const;
/** Disconnected devices kept in the status list, so the setup screen can say what went away. */
const KEEP_GONE = 8;
const MAX_PATH_CHARS = 512;
/** A connection that lasted this long before an error counts as healthy (no backoff). */
const HEALTHY_MS = 60_000;

export function createHidScanners(options: HidScannersOptions): HidScanners {
  const { hid, logger, clock } = options;
  const pollMs = options.pollMs ?? HID_SCANNER_DEFAULTS.pollMs;
  const maxRetryMs = options.maxRetryMs ?? HID_SCANNER_DEFAULTS.maxRetryMs;
  const maxDevices = options.maxDevices ?? HID_SCANNER_DEFAULTS.maxDevices;
  const platform = options.platform ?? process.platform;
  const setTimer = options.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
  const clearTimer = options.clearInterval ?? ((h: unknown) => clearInterval(h as ReturnType<typeof setInterval>));

  const slots = new Map<string, Slot>();
  const opening = new Set<Promise<void>>();
  let timer: unknown = null;
  let polling: Promise<Promise<void>[]> | null = null;
  let stopped = false;
  let enumerateFailed = false;
  let tooManyLogged = false;
  let keyboard: KeyboardScanner[] = [];
  let rulePath: string | undefined;
  let enabled = options.enabled ?? true;

  const snapshot = (): HidScannerStatus[] =>
    [...slots.values()].map((s) => ({
      ...s.status,
      lastError: s.status.lastError && { ...s.status.lastError },
      udevCommands: s.status.udevCommands && [...s.status.udevCommands],
    }));
  const notify = () => {
    if (!options.onStatus) return;
    try {
      options.onStatus(snapshot());
    } catch (err) {
      logger.error('hid status listener failed', { error: String(err) });
    }
  };

  const ids = (s: Slot) => ({ vendorId: s.info.vendorId, productId: s.info.productId });

  const setError = (slot: Slot, code: string, message: string, state: HidScannerState) => {
    slot.status.state = state;
    slot.status.errors++;
    slot.status.lastError = { code, message, at: clock() };
    if (slot.loggedCode !== code) {
      slot.loggedCode = code;
      logger.warn('hid scanner problem', { code, ...ids(slot) });
    }
  };

  const closeQuietly = async (slot: Slot, handle: HidHandle) => {
    try {
      await handle.close();
    } catch (err) {
      logger.debug('hid close failed', { error: String(err), ...ids(slot) });
    }
  };

  const deliver = (slot: Slot, scan: HidScan) => {
    const at = clock();
    slot.status.scans++;
    slot.status.lastScanAt = at;
    slot.readFailures = 0;
    slot.loggedCode = null;
    const full: HidPosScan = { ...scan, source: 'hid', path: slot.path, device: slot.status.label, receivedAt: at };
    try {
      const result = options.onScan(full);
      if (result instanceof Promise) result.catch((err: unknown) => logger.error('admit of a hid scan failed', { error: String(err) }));
    } catch (err) {
      // A failing consumer must not look like a failing device.
      logger.error('admit of a hid scan failed', { error: String(err) });
    }
    notify();
  };

  const open = async (slot: Slot) => {
    slot.opening = true;
    slot.status.state = 'opening';
    let handle: HidHandle;
    try {
      handle = await hid.open(slot.path);
    } catch (err) {
      slot.opening = false;
      if (stopped || !slot.present) return;
      slot.failures++;
      slot.nextTryAt = clock() + Math.min(pollMs * 2 ** slot.failures, maxRetryMs);
      if (isPermissionError(err)) {
        rulePath ??= options.udevRulePath ?? shippedRulePath();
        slot.status.udevCommands = udevCommands(slot.info, rulePath, platform);
        setError(slot, 'HID_PERMISSION_DENIED', permissionAdvice(slot.info, rulePath, platform), 'no-permission');
      } else {
        setError(slot, 'HID_OPEN_FAILED', `스캐너 ${slot.status.label}를 열 수 없습니다. 다른 프로그램이 쓰고 있지 않은지 확인하고 스캐너를 다시 꽂아 보세요.`, 'error');
      }
      notify();
      return;
    }
    slot.opening = false;
    if (stopped || !slot.present || !enabled) {
      // Quit, unplugged or turned off while opening: nothing may stay open.
      if (!stopped && slot.present) slot.status.state = 'off';
      await closeQuietly(slot, handle);
      return;
    }
    slot.handle = handle;
    slot.failures = 0;
    slot.status.udevCommands = null;
    slot.status.state = 'connected';
    slot.status.connectedAt = clock();
    handle.on('data', (report: Uint8Array) => {
      if (slot.handle !== handle) return;
      const scan = slot.reassembler.push(report, clock());
      if (scan) deliver(slot, scan);
    });
    handle.on('error', (err: unknown) => {
      if (slot.handle !== handle) return;
      slot.handle = null;
      slot.reassembler.interrupt();
      const now = clock();
      // A connection that lasted was healthy: reopen at once. One that fails right after opening
      // is retried with backoff, so a broken device does not churn every poll.
      if (now - (slot.status.connectedAt ?? now) > HEALTHY_MS) slot.readFailures = 0;
      slot.readFailures++;
      slot.nextTryAt = now + (slot.readFailures <= 1 ? 0 : Math.min(pollMs * 2 ** (slot.readFailures - 1), maxRetryMs));
      setError(slot, 'HID_DEVICE_ERROR', `스캐너 ${slot.status.label}에서 오류가 났습니다. 다시 연결합니다. 계속되면 케이블을 확인하세요.`, 'error');
      logger.debug('hid device error', { error: String(err), ...ids(slot) });
      void closeQuietly(slot, handle);
      notify();
    });
    if (slot.readFailures === 0) logger.info('hid scanner connected', ids(slot));
    else logger.debug('hid scanner reopened', ids(slot));
    notify();
  };

  const detach = (slot: Slot) => {
    slot.present = false;
    slot.reassembler.interrupt();
    const handle = slot.handle;
    slot.handle = null;
    slot.failures = 0;
    slot.readFailures = 0;
    slot.nextTryAt = 0;
    slot.loggedCode = null;
    slot.status.state = 'disconnected';
    if (handle) void closeQuietly(slot, handle);
    logger.info('hid scanner disconnected', ids(slot));
  };

  const newSlot = (path: string, info: HidDeviceInfo): Slot => {
    const status: HidScannerStatus = {
      path,
      label: deviceLabel(info),
      vendorId: info.vendorId,
      productId: info.productId,
      usagePage: info.usagePage ?? null,
      state: enabled ? 'opening' : 'off',
      connectedAt: null,
      lastScanAt: null,
      scans: 0,
      drops: 0,
      errors: 0,
      lastError: null,
      udevCommands: null,
    };
    const slot: Slot = {
      info,
      path,
      status,
      handle: null,
      opening: false,
      present: true,
      failures: 0,
      readFailures: 0,
      nextTryAt: 0,
      loggedCode: null,
      reassembler: createReassembler({
        ...options.reassembler,
        onDrop: (reason: DropReason) => {
          status.drops++;
          status.lastError = { code: reason, message: DROP_TEXT[reason], at: clock() };
          logger.info('hid scan dropped', { code: reason, vendorId: info.vendorId, productId: info.productId });
          notify();
        },
      }),
    };
    return slot;
  };

  const pruneGone = () => {
    const gone = [...slots.values()].filter((s) => !s.present && !s.opening);
    for (const s of gone.slice(0, Math.max(0, gone.length - KEEP_GONE))) slots.delete(s.path);
  };

  /** Enumerates once; returns the opens it started (not awaited here, so a hung open never stalls polling). */
  const pollOnce = async (): Promise<Promise<void>[]> => {
    const started: Promise<void>[] = [];
    let list: HidDeviceInfo[];
    try {
      list = await hid.devices();
      enumerateFailed = false;
    } catch (err) {
      if (!enumerateFailed) logger.warn('hid enumeration failed', { error: String(err) });
      enumerateFailed = true;
      return started;
    }
    if (stopped) return started;
    const now = clock();
    const found = new Map<string, HidDeviceInfo>();
    const wedges = new Map<string, KeyboardScanner>();
    for (const d of list) {
      const kind = classifyDevice(d);
      if (kind === 'keyboard-scanner') {
        const label = deviceLabel(d);
        wedges.set(label, { label, vendorId: d.vendorId, productId: d.productId, advice: deviceAdvice(d) ?? '' });
      }
      if (kind !== 'hidpos') continue;
      if (typeof d.path !== 'string' || d.path === '' || d.path.length > MAX_PATH_CHARS) continue;
      found.set(d.path, d);
    }
    let changed = false;
    const nextKeyboard = [...wedges.values()];
    if (JSON.stringify(nextKeyboard) !== JSON.stringify(keyboard)) {
      keyboard = nextKeyboard;
      changed = true;
    }
    for (const slot of slots.values()) {
      if (slot.present && !found.has(slot.path)) {
        detach(slot);
        changed = true;
      }
    }
    for (const [path, info] of found) {
      let slot = slots.get(path);
      if (!slot) {
        const live = [...slots.values()].filter((s) => s.present).length;
        if (live >= maxDevices) {
          if (!tooManyLogged) logger.warn('too many hid scanners; ignoring the rest', { maxDevices });
          tooManyLogged = true;
          continue;
        }
        slot = newSlot(path, info);
        slots.set(path, slot);
        changed = true;
      } else if (!slot.present) {
        // Plugged back in: a fresh start for it.
        slot.present = true;
        slot.info = info;
        slot.status.label = deviceLabel(info);
        if (!enabled) slot.status.state = 'off';
        changed = true;
      }
      if (enabled && !slot.handle && !slot.opening && now >= slot.nextTryAt) {
        const p = open(slot).finally(() => opening.delete(p));
        opening.add(p);
        started.push(p);
      }
      slot.reassembler.expire(now);
    }
    pruneGone();
    if (changed) notify();
    return started;
  };

  /** Resolves when this pass's enumeration and the opens it started are done. */
  const poll = async () => {
    if (stopped) return;
    // One enumeration at a time: a slow one never piles up a timer's worth of passes.
    polling ??= pollOnce().finally(() => (polling = null));
    await Promise.allSettled(await polling);
  };

  return {
    async start() {
      if (timer !== null || stopped) return;
      timer = setTimer(() => void poll(), pollMs);
      await poll();
    },
    poll,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      await Promise.allSettled([polling, ...opening]);
      const closing: Promise<void>[] = [];
      for (const slot of slots.values()) {
        slot.reassembler.interrupt();
        if (slot.handle) closing.push(closeQuietly(slot, slot.handle));
        slot.handle = null;
        slot.status.state = 'stopped';
      }
      await Promise.allSettled(closing);
      logger.info('hid scanners stopped', { devices: slots.size });
      notify();
    },
    status: snapshot,
    keyboardScanners: () => keyboard.map((k) => ({ ...k })),
    enabled: () => enabled,
    async setEnabled(on) {
      if (stopped || on === enabled) return;
      enabled = on;
      if (on) {
        for (const slot of slots.values()) {
          slot.failures = 0;
          slot.readFailures = 0;
          slot.nextTryAt = 0;
          if (slot.present && slot.status.state === 'off') slot.status.state = 'opening';
        }
        logger.info('hid scanners turned on');
        await poll();
        return;
      }
      const closing: Promise<void>[] = [];
      for (const slot of slots.values()) {
        slot.reassembler.interrupt();
        if (slot.handle) closing.push(closeQuietly(slot, slot.handle));
        slot.handle = null;
        if (slot.present) slot.status.state = 'off';
      }
      await Promise.allSettled([...closing, ...opening]);
      logger.info('hid scanners turned off', { devices: slots.size });
      notify();
    },
  };
}
