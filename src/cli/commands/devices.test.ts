// Runs under vitest (Node). `munjigi devices` with a fake device list (scanners in both modes,
// ordinary devices, refused opens), and once through the real node-hid (no devices here).
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createFakeHid, hidPosDevice } from '../../core/scanner/fakeHid';
import type { HidLike } from '../../core/scanner/manager';
import type { CliIo } from '../io';
import { runCli } from '../testing';
import { listDevices } from './devices';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = { text: '', err: '' };
  stdout.on('data', (c: Buffer) => (out.text += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (out.err += c.toString('utf8')));
  const streams: CliIo = { stdin: Readable.from([]), stdout, stderr, env: {}, cwd: process.cwd() };
  return { streams, out };
}

function desk() {
  const fake = createFakeHid();
  fake.plug({ path: '/dev/hidraw0', vendorId: 0x046d, productId: 0xc31c, usagePage: 1, usage: 6, manufacturer: 'Logitech', product: 'USB Keyboard' });
  fake.plug(hidPosDevice('/dev/hidraw3'));
  fake.plug({ path: '/dev/hidraw2', vendorId: 0x05e0, productId: 0x1200, usagePage: 1, usage: 6, manufacturer: 'Symbol Technologies', product: 'DS2208', serialNumber: 'S/N-SECRET' });
  return fake;
}

describe('munjigi devices', () => {
  it('lists every device with ids, usage page and kind; scanners first, with advice; no serial numbers', async () => {
    const { streams, out } = io();
    expect(await listDevices([], streams, desk().hid)).toBe(0);
    const lines = out.text.split('\n');
    expect(lines[0]).toBe('0c2e:0b61  usage 8c:02  HID POS 스캐너  Honeywell Xenon 1950g (0c2e:0b61)  /dev/hidraw3');
    expect(out.text).toContain('05e0:1200  usage 01:06  키보드 모드 스캐너  Symbol Technologies DS2208 (05e0:1200)  /dev/hidraw2');
    expect(out.text).toContain('USB HID POS');
    expect(out.text).toContain('046d:c31c  usage 01:06  기타 HID 장치  Logitech USB Keyboard (046d:c31c)');
    expect(out.text).toContain('HID POS 스캐너 1대, 키보드 모드 스캐너 1대.');
    expect(out.text).not.toContain('SECRET');
  });

  it('--scanners --json: one object a line, scanners only', async () => {
    const { streams, out } = io();
    expect(await listDevices(['--scanners', '--json'], streams, desk().hid)).toBe(0);
    const rows = out.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.vendorId, r.kind])).toEqual([
      [0x0c2e, 'hidpos'],
      [0x05e0, 'keyboard-scanner'],
    ]);
    expect(rows[0]).toMatchObject({ usagePage: 0x8c, usage: 2, path: '/dev/hidraw3', product: 'Xenon 1950g' });
  });

  it('--check opens each HID POS scanner; a refused open prints the udev advice and exits 1', async () => {
    const fake = desk();
    let r = io();
    expect(await listDevices(['--check'], r.streams, fake.hid)).toBe(0);
    expect(r.out.text).toContain('열기 확인: 됨');
    expect(fake.handle('/dev/hidraw3')).toBeUndefined();

    fake.failOpen('/dev/hidraw3', Object.assign(new Error('Permission denied'), { code: 'EACCES' }));
    r = io();
    expect(await listDevices(['--check'], r.streams, fake.hid)).toBe(1);
    expect(r.out.text).toContain('열기 확인: 안 됨 (code: HID_PERMISSION_DENIED)');
    if (process.platform === 'linux') expect(r.out.text).toContain('70-munjigi-hidpos.rules');
  });

  it('with zero devices says so', async () => {
    const { streams, out } = io();
    expect(await listDevices([], streams, createFakeHid().hid)).toBe(0);
    expect(out.text).toBe('HID 장치가 없습니다.\nHID POS 스캐너 0대, 키보드 모드 스캐너 0대.\n');
  });

  it('an enumeration failure is a Korean error with a code, not a crash', async () => {
    const broken: HidLike = { devices: async () => Promise.reject(new Error('hidapi init failed')), open: async () => Promise.reject(new Error('x')) };
    const { streams, out } = io();
    expect(await listDevices([], streams, broken)).toBe(1);
    expect(out.err).toContain('(code: HID_ENUMERATION_FAILED)');
  });

  it('runs through the CLI with the real node-hid and refuses unknown options', async () => {
    const real = await runCli(['devices']);
    expect(real.code).toBe(0);
    expect(real.out).toMatch(/HID POS 스캐너 \d+대/);
    const bad = await runCli(['devices', '--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('BAD_OPTION');
  });
});
