// Unit tests (Node) for how a start is configured from argv and the environment.
import { describe, expect, it } from 'vitest';
import { launchOptions } from './launch';

describe('launchOptions', () => {
  it('defaults: windowed demo from source, locked real kiosk when installed', () => {
    expect(launchOptions([], {}, false)).toEqual({ demo: true, kiosk: false, devRendererUrl: null });
    expect(launchOptions([], {}, true)).toEqual({ demo: false, kiosk: true, devRendererUrl: null });
  });

  it('honours flags, then the environment', () => {
    expect(launchOptions(['--demo'], {}, true).demo).toBe(true);
    expect(launchOptions(['--no-demo'], { MUNJIGI_DEMO: '1' }, false).demo).toBe(false);
    expect(launchOptions([], { MUNJIGI_DEMO: '1' }, true).demo).toBe(true);
    expect(launchOptions([], { MUNJIGI_DEMO: '0' }, false).demo).toBe(false);
    expect(launchOptions(['--kiosk'], {}, false).kiosk).toBe(true);
    expect(launchOptions(['--windowed'], { MUNJIGI_KIOSK: '1' }, true).kiosk).toBe(false);
    expect(launchOptions([], { MUNJIGI_KIOSK: 'yes please' }, true).kiosk).toBe(true);
    // Both given: the safer "off" wins rather than whichever came last.
    expect(launchOptions(['--demo', '--no-demo'], {}, false).demo).toBe(false);
  });

  it('uses the dev server only unpackaged and only on loopback http', () => {
    expect(launchOptions([], { ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false).devRendererUrl).toBe('http://localhost:5173');
    expect(launchOptions([], { ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true).devRendererUrl).toBeNull();
    expect(launchOptions([], { ELECTRON_RENDERER_URL: 'https://evil.example' }, false).devRendererUrl).toBeNull();
    expect(launchOptions([], { ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false).devRendererUrl).toBeNull();
  });
});
