// Runs under vitest (Node). The 장치 설정 screen's pure parts: every light has an icon and words
// (colour is never the only signal), source lights follow the devices, and the kiosk store keeps
// quiet (no result screen, no voice) for scans the setup screen took or a switched-off source.
import { describe, expect, it } from 'vitest';
import type { DevicesStatus } from '../../../shared/contract';
import { fail } from '../../../shared/envelope';
import { createKioskStore } from '../store/kiosk';
import { cameraLight, hidLight, operatorLocked, sourceLight, symbologyName, usbId } from './text';

const STATES = ['opening', 'connected', 'error', 'no-permission', 'disconnected', 'stopped', 'off'] as const;

const device = (state: (typeof STATES)[number]): DevicesStatus['hid']['devices'][number] => ({
  path: '/dev/hidraw0', label: 'Honeywell (0c2e:0b61)', vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, state,
  connectedAt: null, lastScanAt: null, scans: 0, drops: 0, errors: 0, lastError: null, udevCommands: null,
});

const status = (over: Partial<DevicesStatus['hid']> = {}, enabled = { wedge: true, hid: true, camera: false }): DevicesStatus => ({
  testMode: { on: false, until: null },
  wedge: { enabled: enabled.wedge, lastScanAt: null, lastCharsPerSecond: null, scans: 0, dropped: 0 },
  hid: { enabled: enabled.hid, available: true, dropped: 0, devices: [], keyboardScanners: [], ...over },
  camera: { enabled: enabled.camera, lastScanAt: null, scans: 0, dropped: 0 },
});

describe('device lights', () => {
  it('every HID state has an icon and words in both languages, and tones that differ by meaning', () => {
    for (const s of STATES) {
      for (const lang of ['ko', 'en'] as const) {
        const l = hidLight(s, lang);
        expect(l.icon).not.toBe('');
        expect(l.words.length).toBeGreaterThan(1);
      }
    }
    expect(hidLight('connected', 'ko')).toEqual({ tone: 'ok', icon: '✓', words: '연결됨' });
    expect(hidLight('no-permission', 'en')).toEqual({ tone: 'bad', icon: '✕', words: 'No permission' });
    expect(new Set(STATES.map((s) => hidLight(s, 'ko').icon)).size).toBeGreaterThanOrEqual(4);
  });

  it('a source light follows its switch and its devices', () => {
    expect(sourceLight('camera', status(), 'ko').tone).toBe('off');
    expect(sourceLight('wedge', status(), 'en').words).toBe('On · waiting');
    expect(sourceLight('hid', status(), 'ko')).toMatchObject({ tone: 'warn', words: '연결된 스캐너 없음' });
    expect(sourceLight('hid', status({ devices: [device('connected'), device('disconnected')] }), 'ko')).toMatchObject({ tone: 'ok', words: '1대 연결됨' });
    expect(sourceLight('hid', status({ devices: [device('connected'), device('no-permission')] }), 'en')).toMatchObject({ tone: 'bad' });
    expect(sourceLight('hid', status({ available: false }), 'en')).toMatchObject({ tone: 'warn', words: 'Unavailable' });
    expect(sourceLight('hid', status({ devices: [device('off')] }, { wedge: true, hid: false, camera: false }), 'ko')).toMatchObject({ tone: 'off', icon: '○' });
  });

  it('the camera card says what the kiosk camera last did, in words', () => {
    expect(cameraLight('denied', 'ko')).toEqual({ tone: 'bad', icon: '✕', words: '카메라 권한 거부됨' });
    expect(cameraLight('off', 'en')).toMatchObject({ tone: 'off', icon: '○' });
    for (const phase of ['off', 'starting', 'running', 'denied', 'missing', 'error'] as const) expect(cameraLight(phase, 'en').words).not.toBe('');
  });

  it('shows the screen as locked when main would refuse operator actions', () => {
    const now = 1_800_000_000_000;
    expect(operatorLocked({ pinSet: false, setupRequired: true, unlockedUntil: null }, now)).toBe(true);
    expect(operatorLocked({ pinSet: true, setupRequired: false, unlockedUntil: null }, now)).toBe(true);
    expect(operatorLocked({ pinSet: true, setupRequired: false, unlockedUntil: now - 1 }, now)).toBe(true);
    expect(operatorLocked({ pinSet: true, setupRequired: false, unlockedUntil: now + 60_000 }, now)).toBe(false);
    expect(operatorLocked({ pinSet: false, setupRequired: false, unlockedUntil: null }, now)).toBe(false); // a demo without a PIN is open
    expect(operatorLocked(null, now)).toBe(false);
  });

  it('names symbologies and USB ids', () => {
    expect(symbologyName('qr', 'ko')).toBe('QR Code');
    expect(symbologyName('unknown', 'en')).toBe('unknown');
    expect(symbologyName('toString', 'en')).toBe('toString');
    expect(usbId(0x1209, 1)).toBe('1209:0001');
  });
});

describe('kiosk store and the setup screen', () => {
  it('a scan refused as SCAN_TEST_MODE or SCAN_SOURCE_OFF shows no result and plays nothing; other refusals still do', async () => {
    const played: string[] = [];
    let code = 'SCAN_TEST_MODE';
    const requests: unknown[] = [];
    const k = createKioskStore({
      bridge: {
        invoke: async (_channel, req) => {
          requests.push(req);
          return fail(code, '…') as never;
        },
        on: () => () => {},
      },
      voice: { play: (clip) => (played.push(clip), { clip, via: 'webaudio' }) },
      setTimeout: () => 0,
      clearTimeout: () => {},
    });
    await k.admit('KP1.x', 'wedge', { decodeMs: 40 }, 250);
    code = 'SCAN_SOURCE_OFF';
    await k.admit('KP1.x', 'camera');
    expect(k.getState().result).toBeNull();
    expect(played).toEqual([]);
    expect(requests[0]).toEqual({ data: 'KP1.x', source: 'wedge', timing: { decodeMs: 40 }, charsPerSecond: 250 });
    expect(requests[1]).toEqual({ data: 'KP1.x', source: 'camera' });
    code = 'IPC_FAILED';
    await k.admit('KP1.x', 'wedge');
    expect(k.getState().result?.code).toBe('IPC_FAILED');
    expect(played).toHaveLength(1);
  });
});
