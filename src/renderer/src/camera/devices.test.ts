// Runs under vitest (Node). listCameras: video inputs only, in order, never throws.
import { describe, expect, it } from 'vitest';
import { cameraName, listCameras } from './devices';

describe('listCameras', () => {
  it('lists video inputs with their labels and positions', async () => {
    const media = {
      enumerateDevices: () =>
        Promise.resolve([
          { kind: 'audioinput' as const, deviceId: 'mic', label: 'Mic' },
          { kind: 'videoinput' as const, deviceId: 'a', label: 'Front desk cam' },
          { kind: 'videoinput' as const, deviceId: 'b', label: '' },
        ]),
    };
    const cams = await listCameras(media);
    expect(cams).toEqual([
      { deviceId: 'a', label: 'Front desk cam', index: 1 },
      { deviceId: 'b', label: '', index: 2 },
    ]);
    expect(cameraName(cams[0]!, 'ko')).toBe('Front desk cam');
    expect(cameraName(cams[1]!, 'ko')).toBe('카메라 2');
    expect(cameraName(cams[1]!, 'en')).toBe('Camera 2');
  });

  it('gives an empty list without mediaDevices or when the browser fails, and skips oversized ids', async () => {
    expect(await listCameras(undefined)).toEqual([]);
    expect(await listCameras({ enumerateDevices: () => Promise.reject(new Error('boom')) })).toEqual([]);
    expect(await listCameras({ enumerateDevices: () => Promise.resolve([{ kind: 'videoinput' as const, deviceId: 'x'.repeat(300), label: '' }]) })).toEqual([]);
  });
});
