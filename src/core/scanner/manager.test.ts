// Runs under vitest (Node). The HID POS device manager through the injected device interface,
// fed with recorded reports: hot-plug, errors mid-scan, refused opens, several scanners at once,
// and a clean stop.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { memoryLogger } from '../log';
import { projectRoot } from '../paths';
import type { FakeHid } from './fakeHid';
import { createFakeHid, hidPosDevice } from './fakeHid';
import type { HidPosScan, HidScannersOptions, HidScannerStatus } from './manager';
import { createHidScanners } from './manager';
import { fromHex, scanToReports } from './simulate';

const vectorsPath = join(projectRoot(), '..', 'shared', 'spec', 'hid-pos-vectors.json');
const haveVectors = existsSync(vectorsPath);

const token = (n: number) => `KP1.${String(n).padStart(4, '0')}` + 'Qx9-_aZ'.repeat(20);

/** A manager on a fake device set with a hand-driven timer and clock. */
function setup(extra: Partial<HidScannersOptions> = {}) {
  const fake: FakeHid = createFakeHid();
  const clock = fakeClock(1_700_000_000_000);
  const { logger, lines } = memoryLogger();
  const scans: HidPosScan[] = [];
  const statuses: HidScannerStatus[][] = [];
  let tick: (() => void) | null = null;
  let cleared = false;
  const scanners = createHidScanners({
    hid: fake.hid,
    onScan: (s) => void scans.push(s),
    onStatus: (s) => void statuses.push(s),
    logger,
    clock,
    pollMs: 500,
    setInterval: (fn) => ((tick = fn), 'timer'),
    clearInterval: () => void (cleared = true),
    udevRulePath: '/opt/munjigi/resources/udev/70-munjigi-hidpos.rules',
    platform: 'linux',
    ...extra,
  });
  /** Advances time by one poll interval and runs the timer's pass. */
  const elapse = async (ms = 500) => {
    clock.advance(ms);
    tick?.();
    await scanners.poll();
  };
  const sendScan = (path: string, data: string, opts?: Parameters<typeof scanToReports>[1]) => {
    for (const r of scanToReports(data, opts)) {
      expect(fake.send(path, r)).toBe(true);
      clock.advance(1);
    }
  };
  const stateOf = (path: string) => scanners.status().find((s) => s.path === path)?.state;
  return { fake, clock, scanners, scans, statuses, lines, elapse, sendScan, stateOf, wasCleared: () => cleared, hasTimer: () => tick !== null };
}

describe('createHidScanners', () => {
  it('opens a HID POS scanner found at start and delivers its scans to onScan', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.scanners.start();
    expect(t.hasTimer()).toBe(true);
    expect(t.stateOf('/dev/hidraw3')).toBe('connected');
    t.sendScan('/dev/hidraw3', token(1));
    expect(t.scans).toHaveLength(1);
    expect(t.scans[0]).toMatchObject({ data: token(1), aim: ']Q1', symbology: 'qr', source: 'hid', path: '/dev/hidraw3', device: 'Honeywell Xenon 1950g (0c2e:0b61)' });
    const st = t.scanners.status()[0];
    expect(st).toMatchObject({ scans: 1, lastScanAt: t.scans[0]?.receivedAt, errors: 0, drops: 0 });
    expect(st?.lastScanAt).toBeGreaterThan(0);
    await t.scanners.stop();
  });

  it.skipIf(!haveVectors)('reproduces the shared vectors through the device interface', async () => {
    const cases = (JSON.parse(readFileSync(vectorsPath, 'utf8')) as { cases: { reports: string[]; expect: { data: string }[] }[] }).cases;
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw0'));
    await t.scanners.start();
    for (const c of cases) {
      const before = t.scans.length;
      for (const hex of c.reports) t.fake.send('/dev/hidraw0', fromHex(hex));
      expect(t.scans.slice(before).map((s) => s.data)).toEqual(c.expect.map((e) => e.data));
      t.clock.advance(2000);
    }
    await t.scanners.stop();
  });

  it('ignores HID devices that are not HID POS scanners (keyboards, mice, keyboard-mode scanners)', async () => {
    const t = setup();
    t.fake.plug({ path: '/dev/hidraw1', vendorId: 0x046d, productId: 0xc31c, usagePage: 1, usage: 6 });
    t.fake.plug({ path: '/dev/hidraw2', vendorId: 0x0c2e, productId: 0x0b87, usagePage: 1, usage: 6 });
    await t.scanners.start();
    expect(t.scanners.status()).toEqual([]);
    expect(t.fake.opens.size).toBe(0);
    // The keyboard-mode scanner is reported for the setup screen, with what to do about it.
    expect(t.scanners.keyboardScanners()).toEqual([
      { label: 'Honeywell (Metrologic) (0c2e:0b87)', vendorId: 0x0c2e, productId: 0x0b87, advice: expect.stringContaining('USB HID POS') },
    ]);
    t.fake.unplug('/dev/hidraw2');
    await t.elapse();
    expect(t.scanners.keyboardScanners()).toEqual([]);
    await t.scanners.stop();
  });

  it('hot-plug: a scanner that appears, disappears and reappears is noticed within one poll and reopened', async () => {
    const t = setup();
    await t.scanners.start();
    expect(t.scanners.status()).toEqual([]);

    t.fake.plug(hidPosDevice('/dev/hidraw5'));
    await t.elapse();
    expect(t.stateOf('/dev/hidraw5')).toBe('connected');
    t.sendScan('/dev/hidraw5', token(1));

    const oldHandle = t.fake.handle('/dev/hidraw5');
    t.fake.unplug('/dev/hidraw5');
    await t.elapse();
    expect(t.stateOf('/dev/hidraw5')).toBe('disconnected');
    expect(oldHandle?.closed).toBe(true);

    t.fake.plug(hidPosDevice('/dev/hidraw5'));
    await t.elapse();
    expect(t.stateOf('/dev/hidraw5')).toBe('connected');
    expect(t.fake.opens.get('/dev/hidraw5')).toBe(2);
    t.sendScan('/dev/hidraw5', token(2));
    expect(t.scans.map((s) => s.data)).toEqual([token(1), token(2)]);
    expect(t.lines.filter((l) => l.msg === 'hid scanner connected')).toHaveLength(2);
    await t.scanners.stop();
  });

  it('unplugged mid-scan: the partial scan is dropped, never glued to the next one', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw5'));
    await t.scanners.start();
    const reports = scanToReports(token(7));
    t.fake.send('/dev/hidraw5', reports[0] as Uint8Array);
    t.fake.unplug('/dev/hidraw5');
    t.fake.plug(hidPosDevice('/dev/hidraw5'));
    await t.elapse();
    t.fake.send('/dev/hidraw5', reports[2] as Uint8Array);
    expect(t.scans).toEqual([]);
    t.sendScan('/dev/hidraw5', token(8));
    expect(t.scans.map((s) => s.data)).toEqual([token(8)]);
    await t.scanners.stop();
  });

  it('an error mid-scan drops the partial scan, is counted, and the device is reopened on the next poll', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.scanners.start();
    const reports = scanToReports(token(3));
    t.fake.send('/dev/hidraw3', reports[0] as Uint8Array);
    t.fake.send('/dev/hidraw3', reports[1] as Uint8Array);
    t.fake.fail('/dev/hidraw3', new Error('could not read from device'));
    expect(t.stateOf('/dev/hidraw3')).toBe('error');
    const st = t.scanners.status()[0] as HidScannerStatus;
    expect(st.errors).toBe(1);
    expect(st.drops).toBe(1);
    expect(st.lastError?.code).toBe('HID_DEVICE_ERROR');
    expect(st.lastError?.message).toMatch(/오류가 났습니다/);

    await t.elapse();
    expect(t.stateOf('/dev/hidraw3')).toBe('connected');
    expect(t.fake.opens.get('/dev/hidraw3')).toBe(2);
    // The rest of the interrupted scan arrives on the new handle: it is no scan.
    t.fake.send('/dev/hidraw3', reports[2] as Uint8Array);
    t.sendScan('/dev/hidraw3', token(4));
    expect(t.scans.map((s) => s.data)).toEqual([token(4)]);
    await t.scanners.stop();
  });

  it('a device that fails right after every open is reopened with backoff and logged once', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.scanners.start();
    let opens = t.fake.opens.get('/dev/hidraw3') ?? 0;
    t.fake.fail('/dev/hidraw3', new Error('read error'));
    for (let i = 0; i < 40; i++) {
      await t.elapse();
      const now = t.fake.opens.get('/dev/hidraw3') ?? 0;
      if (now > opens) t.fake.fail('/dev/hidraw3', new Error('read error'));
      opens = now;
    }
    // 20 s of polls: far fewer than 40 reopens, but reopening never stops.
    expect(opens).toBeGreaterThan(3);
    expect(opens).toBeLessThan(15);
    expect(t.lines.filter((l) => l.level === 'warn' && l.code === 'HID_DEVICE_ERROR')).toHaveLength(1);
    expect(t.lines.filter((l) => l.msg === 'hid scanner connected')).toHaveLength(1);
    // Once it works again, a scan resets the backoff: the next single error reopens at the next poll.
    await t.elapse(10_000);
    t.sendScan('/dev/hidraw3', token(9));
    expect(t.scans.map((s) => s.data)).toEqual([token(9)]);
    const before = t.fake.opens.get('/dev/hidraw3') ?? 0;
    t.fake.fail('/dev/hidraw3', new Error('read error'));
    await t.elapse();
    expect(t.fake.opens.get('/dev/hidraw3')).toBe(before + 1);
    await t.scanners.stop();
  });

  it('EACCES: a clear Korean message naming the udev rule, logged once, retried with backoff', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw4'));
    const denied = Object.assign(new Error("cannot open device with path /dev/hidraw4: Failed to open a device with path '/dev/hidraw4': Permission denied"), {});
    t.fake.failOpen('/dev/hidraw4', denied);
    await t.scanners.start();
    const st = t.scanners.status()[0] as HidScannerStatus;
    expect(st.state).toBe('no-permission');
    expect(st.lastError?.code).toBe('HID_PERMISSION_DENIED');
    expect(st.lastError?.message).toContain('권한이 없습니다');
    expect(st.lastError?.message).toContain("sudo install -m 644 '/opt/munjigi/resources/udev/70-munjigi-hidpos.rules' /etc/udev/rules.d/70-munjigi-hidpos.rules");
    expect(st.lastError?.message).toContain('sudo udevadm control --reload-rules');
    // A maker the shipped rule lists needs no extra line.
    expect(st.lastError?.message).not.toContain('71-munjigi-hidpos-local');

    for (let i = 0; i < 10; i++) await t.elapse();
    const warnings = t.lines.filter((l) => l.level === 'warn' && l.code === 'HID_PERMISSION_DENIED');
    expect(warnings).toHaveLength(1);
    // Backoff: far fewer attempts than polls, but attempts go on (the rule may be installed any time).
    const attempts = (t.scanners.status()[0] as HidScannerStatus).errors;
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(10);

    t.fake.failOpen('/dev/hidraw4', null);
    for (let i = 0; i < 25 && t.stateOf('/dev/hidraw4') !== 'connected'; i++) await t.elapse();
    expect(t.stateOf('/dev/hidraw4')).toBe('connected');
    await t.scanners.stop();
  });

  it('EACCES for a maker the shipped rule does not list: the message includes a rule for that device', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw9', { vendorId: 0x1234, productId: 0xabcd, manufacturer: undefined, product: undefined }));
    t.fake.failOpen('/dev/hidraw9', Object.assign(new Error('open failed'), { code: 'EACCES' }));
    await t.scanners.start();
    const msg = (t.scanners.status()[0] as HidScannerStatus).lastError?.message ?? '';
    expect(msg).toContain('ATTRS{idVendor}=="1234", ATTRS{idProduct}=="abcd"');
    expect(msg).toContain('71-munjigi-hidpos-local.rules');
    await t.scanners.stop();
  });

  it('other open failures are reported as such, without udev advice', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw2'));
    t.fake.failOpen('/dev/hidraw2', new Error('device busy'));
    await t.scanners.start();
    const st = t.scanners.status()[0] as HidScannerStatus;
    expect(st).toMatchObject({ state: 'error', lastError: { code: 'HID_OPEN_FAILED' } });
    expect(st.lastError?.message).not.toContain('udev');
    await t.scanners.stop();
  });

  it('several scanners at once: each keeps its own reassembly, interleaved reports do not mix', async () => {
    const t = setup();
    const paths = ['/dev/hidraw1', '/dev/hidraw2', '/dev/hidraw3'];
    for (const [i, p] of paths.entries()) t.fake.plug(hidPosDevice(p, { productId: 0x0b60 + i }));
    await t.scanners.start();
    expect(paths.map(t.stateOf)).toEqual(['connected', 'connected', 'connected']);
    const per = paths.map((_, i) => scanToReports(token(10 + i)));
    for (let k = 0; k < (per[0] as Uint8Array[]).length; k++) {
      for (const [i, p] of paths.entries()) t.fake.send(p, (per[i] as Uint8Array[])[k] as Uint8Array);
    }
    expect(t.scans.map((s) => [s.path, s.data])).toEqual(paths.map((p, i) => [p, token(10 + i)]));
    t.fake.unplug('/dev/hidraw2');
    await t.elapse();
    expect(paths.map(t.stateOf)).toEqual(['connected', 'disconnected', 'connected']);
    await t.scanners.stop();
  });

  it('a partial scan whose next report never comes is dropped by the poll tick', async () => {
    const t = setup({ reassembler: { pieceGapMs: 300 } });
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.scanners.start();
    t.fake.send('/dev/hidraw3', scanToReports(token(5))[0] as Uint8Array);
    await t.elapse();
    const st = t.scanners.status()[0] as HidScannerStatus;
    expect(st.drops).toBe(1);
    expect(st.lastError?.code).toBe('HID_SCAN_TIMED_OUT');
    await t.scanners.stop();
  });

  it('a failing consumer does not take the scanner down', async () => {
    const fake = createFakeHid();
    const { logger, lines } = memoryLogger();
    let calls = 0;
    const scanners = createHidScanners({
      hid: fake.hid,
      logger,
      clock: fakeClock(0),
      onScan: () => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return Promise.reject(new Error('async boom'));
      },
      setInterval: () => 't',
      clearInterval: () => {},
    });
    fake.plug(hidPosDevice('/dev/hidraw1'));
    await scanners.start();
    for (const r of scanToReports('first')) fake.send('/dev/hidraw1', r);
    for (const r of scanToReports('second')) fake.send('/dev/hidraw1', r);
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    expect(scanners.status()[0]).toMatchObject({ state: 'connected', errors: 0, scans: 2 });
    expect(lines.filter((l) => l.msg === 'admit of a hid scan failed')).toHaveLength(2);
    await scanners.stop();
  });

  it('enumeration failures are logged once and polling goes on', async () => {
    const t = setup();
    t.fake.failDevices(new Error('udev unavailable'));
    await t.scanners.start();
    await t.elapse();
    await t.elapse();
    expect(t.lines.filter((l) => l.msg === 'hid enumeration failed')).toHaveLength(1);
    t.fake.failDevices(null);
    t.fake.plug(hidPosDevice('/dev/hidraw1'));
    await t.elapse();
    expect(t.stateOf('/dev/hidraw1')).toBe('connected');
    await t.scanners.stop();
  });

  it('stop() closes every device, clears the timer, and nothing is opened afterwards', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw1'));
    t.fake.plug(hidPosDevice('/dev/hidraw2'));
    await t.scanners.start();
    const handles = ['/dev/hidraw1', '/dev/hidraw2'].map((p) => t.fake.handle(p));
    await t.scanners.stop();
    expect(t.wasCleared()).toBe(true);
    expect(handles.map((h) => h?.closed)).toEqual([true, true]);
    expect(t.scanners.status().map((s) => s.state)).toEqual(['stopped', 'stopped']);
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.elapse();
    expect(t.fake.opens.has('/dev/hidraw3')).toBe(false);
    await t.scanners.stop();
  });

  it('stop() during an open in flight closes that device too', async () => {
    const fake = createFakeHid();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const opened: { closed: boolean }[] = [];
    const scanners = createHidScanners({
      hid: {
        devices: fake.hid.devices,
        async open(path) {
          await gate;
          const h = await fake.hid.open(path);
          opened.push(h as unknown as { closed: boolean });
          return h;
        },
      },
      logger: memoryLogger().logger,
      clock: fakeClock(0),
      onScan: () => {},
      setInterval: () => 't',
      clearInterval: () => {},
    });
    fake.plug(hidPosDevice('/dev/hidraw1'));
    const started = scanners.start();
    await new Promise((r) => setImmediate(r));
    const stopping = scanners.stop();
    release();
    await Promise.all([started, stopping]);
    expect(opened.map((h) => h.closed)).toEqual([true]);
  });

  it('logs no scan data', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.scanners.start();
    t.sendScan('/dev/hidraw3', token(42));
    t.fake.send('/dev/hidraw3', scanToReports(token(43))[0] as Uint8Array);
    t.fake.fail('/dev/hidraw3', new Error('x'));
    await t.scanners.stop();
    const logged = JSON.stringify(t.lines);
    expect(logged).not.toContain('KP1.');
    expect(logged).not.toContain('Qx9');
  });

  it('status updates are pushed to onStatus', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.scanners.start();
    t.sendScan('/dev/hidraw3', token(1));
    await t.scanners.stop();
    const states = t.statuses.map((s) => s[0]?.state);
    expect(states).toContain('connected');
    expect(states.at(-1)).toBe('stopped');
    expect(t.statuses.some((s) => s[0]?.scans === 1)).toBe(true);
  });
});

describe('createHidScanners: turning the HID source off and on (settings.sources.hid)', () => {
  it('off closes every open device and drops a partial scan; devices stay listed; on reopens them', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw3'));
    await t.scanners.start();
    const first = t.fake.handle('/dev/hidraw3');
    expect(t.stateOf('/dev/hidraw3')).toBe('connected');
    // The first of two reports arrives, then HID is turned off: the half scan must not survive.
    const [head, tail] = scanToReports(token(7));
    expect(t.fake.send('/dev/hidraw3', head!)).toBe(true);
    await t.scanners.setEnabled(false);
    expect(t.scanners.enabled()).toBe(false);
    expect(first?.closed).toBe(true);
    expect(t.stateOf('/dev/hidraw3')).toBe('off');
    expect(t.fake.send('/dev/hidraw3', tail!)).toBe(false);
    // Polls go on (hot-plug is still seen) but nothing is opened while off.
    t.fake.plug(hidPosDevice('/dev/hidraw4'));
    await t.elapse();
    expect(t.stateOf('/dev/hidraw4')).toBe('off');
    expect(t.fake.opens.get('/dev/hidraw4')).toBeUndefined();
    expect(t.scans).toHaveLength(0);

    await t.scanners.setEnabled(true);
    expect(t.stateOf('/dev/hidraw3')).toBe('connected');
    expect(t.stateOf('/dev/hidraw4')).toBe('connected');
    t.sendScan('/dev/hidraw4', token(8));
    expect(t.scans.map((s) => s.data)).toEqual([token(8)]);
    await t.scanners.stop();
  });

  it('starts off when told to, and an open in flight when turned off is closed, not kept', async () => {
    const t = setup({ enabled: false });
    t.fake.plug(hidPosDevice('/dev/hidraw1'));
    await t.scanners.start();
    expect(t.stateOf('/dev/hidraw1')).toBe('off');
    expect(t.fake.opens.size).toBe(0);
    const on = t.scanners.setEnabled(true);
    const off = t.scanners.setEnabled(false);
    await Promise.all([on, off]);
    expect(t.fake.handle('/dev/hidraw1')).toBeUndefined();
    expect(t.stateOf('/dev/hidraw1')).toBe('off');
    await t.scanners.stop();
  });

  it('a refused open carries the exact udev commands for the setup screen; a later open clears them', async () => {
    const t = setup();
    t.fake.plug(hidPosDevice('/dev/hidraw2'));
    t.fake.failOpen('/dev/hidraw2', Object.assign(new Error('open failed'), { code: 'EACCES' }));
    await t.scanners.start();
    const st = t.scanners.status()[0];
    expect(st?.state).toBe('no-permission');
    expect(st?.usagePage).toBe(0x8c);
    expect(st?.udevCommands).toEqual([
      "sudo install -m 644 '/opt/munjigi/resources/udev/70-munjigi-hidpos.rules' /etc/udev/rules.d/70-munjigi-hidpos.rules",
      'sudo udevadm control --reload-rules',
      'sudo udevadm trigger --subsystem-match=hidraw',
    ]);
    t.fake.failOpen('/dev/hidraw2', null);
    await t.elapse(20_000);
    expect(t.scanners.status()[0]).toMatchObject({ state: 'connected', udevCommands: null });
    await t.scanners.stop();
  });
});
