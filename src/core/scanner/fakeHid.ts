// Runs in Node (tests, bench, demo setups). An in-memory HidLike: devices are plugged in and out
// by hand, recorded reports are fed to whoever opened them, and opens or reads can be made to fail.
import { EventEmitter } from 'node:events';
import type { HidHandle, HidLike } from './manager';
import type { HidDeviceInfo } from './vendors';

export class FakeHidHandle extends EventEmitter implements HidHandle {
  closed = false;
  constructor(readonly path: string) {
    super();
  }
  close(): void {
    this.closed = true;
    this.removeAllListeners();
  }
}

export interface FakeHid {
  hid: HidLike;
  plug(info: HidDeviceInfo & { path: string }): void;
  unplug(path: string): void;
  /** Makes every later open of `path` fail with `err` (null: open normally again). */
  failOpen(path: string, err: unknown): void;
  /** Makes enumeration fail with `err` (null: enumerate normally again). */
  failDevices(err: unknown): void;
  /** The handle currently open for `path`, if any. */
  handle(path: string): FakeHidHandle | undefined;
  /** Delivers one input report to the open handle of `path`; false when nothing has it open. */
  send(path: string, report: Uint8Array): boolean;
  /** Emits an error on the open handle of `path`. */
  fail(path: string, err: unknown): void;
  /** How many times each path was opened. */
  opens: Map<string, number>;
}

/** A HID POS scanner as node-hid lists it. */
export const hidPosDevice = (path: string, extra: Partial<HidDeviceInfo> = {}): HidDeviceInfo & { path: string } => ({
  path,
  vendorId: 0x0c2e,
  productId: 0x0b61,
  usagePage: 0x8c,
  usage: 0x02,
  manufacturer: 'Honeywell',
  product: 'Xenon 1950g',
  interface: 0,
  release: 0x0100,
  ...extra,
});

export function createFakeHid(): FakeHid {
  const plugged = new Map<string, HidDeviceInfo & { path: string }>();
  const handles = new Map<string, FakeHidHandle>();
  const openErrors = new Map<string, unknown>();
  const opens = new Map<string, number>();
  let devicesError: unknown = null;

  const current = (path: string) => {
    const h = handles.get(path);
    return h && !h.closed ? h : undefined;
  };

  const hid: HidLike = {
    async devices() {
      if (devicesError !== null) throw devicesError;
      return [...plugged.values()].map((d) => ({ ...d }));
    },
    async open(path) {
      if (!plugged.has(path)) throw Object.assign(new Error(`cannot open device with path ${path}`), { code: 'ENOENT' });
      if (openErrors.has(path)) throw openErrors.get(path);
      opens.set(path, (opens.get(path) ?? 0) + 1);
      const h = new FakeHidHandle(path);
      handles.set(path, h);
      return h;
    },
  };

  return {
    hid,
    plug: (info) => void plugged.set(info.path, info),
    unplug(path) {
      plugged.delete(path);
      // The OS reports a read error on a device that went away, as hidraw does.
      current(path)?.emit('error', new Error('could not read from device'));
    },
    failOpen: (path, err) => void (err === null ? openErrors.delete(path) : openErrors.set(path, err)),
    failDevices: (err) => void (devicesError = err),
    handle: current,
    send(path, report) {
      const h = current(path);
      if (!h) return false;
      h.emit('data', report);
      return true;
    },
    fail: (path, err) => void current(path)?.emit('error', err),
    opens,
  };
}
