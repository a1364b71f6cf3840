import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { defaultSettings, openSettings } from './store';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'munjigi-settings-')), 'settings.json');

describe('settings store', () => {
  it('creates the file with defaults on first start and reads it back on the next', () => {
    const path = fresh();
    const first = openSettings({ path, defaults: () => defaultSettings('kiosk-a'), logger: silentLogger });
    expect(first.existedAtStart).toBe(false);
    expect(first.get().kioskId).toBe('kiosk-a');
    const second = openSettings({ path, defaults: () => defaultSettings('other'), logger: silentLogger });
    expect(second.existedAtStart).toBe(true);
    expect(second.get().kioskId).toBe('kiosk-a');
  });

  it('applies a valid change and persists it', () => {
    const path = fresh();
    const store = openSettings({ path, defaults: () => defaultSettings('k1'), logger: silentLogger });
    store.update({ voice: { volume: 0.3, muted: true } });
    expect(JSON.parse(readFileSync(path, 'utf8')).voice).toEqual({ volume: 0.3, muted: true });
  });

  it.each([
    [{ voice: { volume: 7, muted: false } }],
    [{ facilityId: '../../etc' }],
    [{ resultScreenMs: 'soon' }],
    [{ unknownKey: 1 }],
    [{ wedge: { maxGapMs: 50 } }],
    [{ sources: { wedge: true, hid: true } }],
    [{ camera: { deviceId: null, decoder: 'quagga', maxDecodesPerSecond: 8, mirrored: true } }],
    [{ camera: { deviceId: null, decoder: 'zxing-wasm', maxDecodesPerSecond: 60, mirrored: true } }],
  ])('refuses a bad change whole and keeps the old values: %j', (patch) => {
    const path = fresh();
    const store = openSettings({ path, defaults: () => defaultSettings('k1'), logger: silentLogger });
    const before = readFileSync(path, 'utf8');
    expect(() => store.update(patch as never)).toThrowError(expect.objectContaining({ code: 'SETTINGS_REFUSED' }));
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(store.get()).toEqual(defaultSettings('k1'));
  });

  it('loads a file written before sources and camera existed, with their defaults', () => {
    const path = fresh();
    const { sources: _s, camera: _c, ...older } = defaultSettings('k-old');
    writeFileSync(path, JSON.stringify(older));
    const store = openSettings({ path, defaults: () => defaultSettings('other'), logger: silentLogger });
    expect(store.get().sources).toEqual({ wedge: true, hid: true, camera: false });
    expect(store.get().camera).toMatchObject({ decoder: 'zxing-wasm', deviceId: null });
  });

  it('refuses to start over a corrupt or invalid file instead of resetting the kiosk', () => {
    const path = fresh();
    writeFileSync(path, '{ not json');
    expect(() => openSettings({ path, defaults: () => defaultSettings('k'), logger: silentLogger })).toThrowError(
      expect.objectContaining({ code: 'SETTINGS_CORRUPT' }),
    );
    writeFileSync(path, JSON.stringify({ facilityId: 1 }));
    expect(() => openSettings({ path, defaults: () => defaultSettings('k'), logger: silentLogger })).toThrowError(
      expect.objectContaining({ code: 'SETTINGS_INVALID' }),
    );
    expect(readFileSync(path, 'utf8')).toBe(JSON.stringify({ facilityId: 1 }));
  });

  it('recorded clips: named only through setVoiceClip, generated names only, persisted; a patch cannot touch them', () => {
    const path = fresh();
    const store = openSettings({ path, defaults: () => defaultSettings('k1'), logger: silentLogger });
    expect(store.get().voiceClips).toEqual({ ok: null, duplicate: null, refused: null });
    const name = `ok-${'a1'.repeat(16)}.wav`;
    expect(store.setVoiceClip('ok', name).voiceClips.ok).toBe(name);
    expect(JSON.parse(readFileSync(path, 'utf8')).voiceClips).toEqual({ ok: name, duplicate: null, refused: null });
    // The renderer's settings:update cannot point a clip anywhere.
    expect(() => store.update({ voiceClips: { ok: null, duplicate: null, refused: null } } as never)).toThrowError(
      expect.objectContaining({ code: 'SETTINGS_REFUSED' }),
    );
    const before = readFileSync(path, 'utf8');
    for (const bad of ['../../etc/passwd', `/tmp/${name}`, `refused-${'a1'.repeat(16)}.wav`.replace('refused', 'ok').toUpperCase(), 'ok-short.wav', `ok-${'a1'.repeat(16)}.exe`]) {
      expect(() => store.setVoiceClip('ok', bad)).toThrowError(expect.objectContaining({ code: 'SETTINGS_REFUSED' }));
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(store.setVoiceClip('ok', null).voiceClips.ok).toBeNull();
    // A settings file from before recorded clips loads with the built-in ones.
    const { voiceClips: _v, ...older } = defaultSettings('k-old');
    writeFileSync(path, JSON.stringify(older));
    expect(openSettings({ path, defaults: () => defaultSettings('x'), logger: silentLogger }).get().voiceClips).toEqual({ ok: null, duplicate: null, refused: null });
  });
});
