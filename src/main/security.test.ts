// Unit tests (Node) for the shell's pure security decisions: window options, CSP, navigation,
// permissions, IPC senders, app:// asset paths and external links, with hostile input.
import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  CSP,
  devRendererOrigin,
  insecureWebPreferences,
  isTrustedSender,
  mainWindowOptions,
  navigationDecision,
  originOf,
  permissionCheckDecision,
  permissionDecision,
  resolveAppAsset,
  safeExternalUrl,
  windowOpenDecision,
} from './security';

describe('mainWindowOptions', () => {
  it('locks the renderer down whatever the mode', () => {
    for (const kiosk of [true, false]) {
      const o = mainWindowOptions({ preloadPath: '/app/out/preload/index.cjs', kiosk });
      expect(o.webPreferences).toMatchObject({
        preload: '/app/out/preload/index.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
        experimentalFeatures: false,
      });
      expect(o.webPreferences?.autoplayPolicy).toBe('no-user-gesture-required');
      expect(o.webPreferences?.disableBlinkFeatures).toBe('Auxclick');
      expect(o.show).toBe(false);
      expect(o.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
      expect(insecureWebPreferences(o)).toEqual([]);
    }
  });

  it('is full screen, locked and without devtools only in kiosk mode', () => {
    const k = mainWindowOptions({ preloadPath: 'p', kiosk: true });
    expect([k.kiosk, k.fullscreen, k.webPreferences?.devTools]).toEqual([true, true, false]);
    const w = mainWindowOptions({ preloadPath: 'p', kiosk: false });
    expect([w.kiosk, w.fullscreen, w.webPreferences?.devTools]).toEqual([false, false, true]);
  });

  it('insecureWebPreferences names every weakened preference', () => {
    const o = mainWindowOptions({ preloadPath: 'p', kiosk: true });
    const weakened = { ...o, webPreferences: { ...o.webPreferences, sandbox: false, nodeIntegration: true, webviewTag: true } };
    expect(insecureWebPreferences(weakened).sort()).toEqual(['nodeIntegration', 'sandbox', 'webviewTag']);
    expect(insecureWebPreferences({})).toContain('contextIsolation');
  });
});

describe('CSP', () => {
  const directives = new Map(CSP.split(';').map((d) => { const [name, ...v] = d.trim().split(/\s+/); return [name, v.join(' ')]; }));
  it('allows scripts only from the app itself and nothing inline or evaluated (WebAssembly compiles)', () => {
    expect(directives.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(directives.get('default-src')).toBe("'self'");
    expect(CSP).not.toMatch(/unsafe-inline|'unsafe-eval'|\*|http:|https:/);
  });
  it('closes objects, frames, base, forms and framing', () => {
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('form-action')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.get('connect-src')).toBe("'self'");
  });
});

describe('originOf', () => {
  it('gives app:// its standard-scheme origin and refuses origin-less URLs', () => {
    expect(originOf('app://munjigi/index.html')).toBe(APP_ORIGIN);
    expect(originOf('APP://MUNJIGI/x')).toBe(APP_ORIGIN);
    expect(originOf('https://a.example:8443/x?y')).toBe('https://a.example:8443');
    for (const bad of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'about:blank', '', 'not a url', null, 42, undefined]) {
      expect(originOf(bad)).toBeNull();
    }
  });
});

describe('navigationDecision', () => {
  it('allows moving within the app', () => {
    expect(navigationDecision('app://munjigi/index.html')).toBe(true);
    expect(navigationDecision('app://munjigi/index.html#/settings')).toBe(true);
  });
  it.each([
    'https://evil.example/',
    'http://munjigi/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'app://evil/index.html',
    'app://munjigi.evil.example/',
    'app://munjigi@evil.example/',
    'about:blank',
    'chrome://settings',
    'garbage',
    '',
  ])('refuses %s', (url) => {
    expect(navigationDecision(url)).toBe(false);
  });
  it('app://munjigi/../../etc stays inside the app origin (the asset resolver keeps the file inside)', () => {
    expect(navigationDecision('app://munjigi/../../etc')).toBe(true);
    expect(resolveAppAsset('app://munjigi/../../etc', '/srv/r')).toBe(resolve('/srv/r/etc'));
  });
  it('in development allows only the dev server origin', () => {
    const dev = 'http://localhost:5173';
    expect(navigationDecision('http://localhost:5173/index.html', dev)).toBe(true);
    expect(navigationDecision('app://munjigi/index.html', dev)).toBe(false);
    expect(navigationDecision('http://localhost:5174/', dev)).toBe(false);
  });
});

describe('windowOpenDecision', () => {
  it('always denies', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });
});

describe('permissionDecision', () => {
  const camera = { requestingUrl: 'app://munjigi/index.html', isMainFrame: true, mediaTypes: ['video'] };
  it('grants the camera alone to the app main frame', () => {
    expect(permissionDecision('media', 'app://munjigi/index.html', camera)).toBe(true);
  });
  it.each(['geolocation', 'notifications', 'clipboard-read', 'midi', 'hid', 'serial', 'usb', 'fullscreen', 'openExternal', 'display-capture', 'unknown', ''])(
    'denies %s even to the app',
    (permission) => {
      expect(permissionDecision(permission, 'app://munjigi/index.html', camera)).toBe(false);
    },
  );
  it('denies the microphone, alone or with the camera, and empty media requests', () => {
    expect(permissionDecision('media', APP_ORIGIN, { ...camera, mediaTypes: ['audio'] })).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, { ...camera, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, { ...camera, mediaTypes: [] })).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, { requestingUrl: camera.requestingUrl, isMainFrame: true })).toBe(false);
  });
  it('denies media to other origins, subframes and missing details', () => {
    expect(permissionDecision('media', 'https://evil.example/', { ...camera, requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(permissionDecision('media', 'file:///index.html', { ...camera, requestingUrl: 'file:///index.html' })).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, { ...camera, requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, { ...camera, isMainFrame: false })).toBe(false);
    expect(permissionDecision('media', APP_ORIGIN, null)).toBe(false);
    expect(permissionDecision('media', null, camera)).toBe(false);
  });
});

describe('permissionCheckDecision', () => {
  const check = { mediaType: 'video', isMainFrame: true, requestingUrl: 'app://munjigi/index.html', embeddingOrigin: APP_ORIGIN };
  it('answers yes only for the camera at the app origin', () => {
    expect(permissionCheckDecision('media', APP_ORIGIN, check)).toBe(true);
    expect(permissionCheckDecision('media', APP_ORIGIN, { ...check, mediaType: 'audio' })).toBe(false);
    expect(permissionCheckDecision('media', APP_ORIGIN, { ...check, mediaType: 'unknown' })).toBe(false);
    expect(permissionCheckDecision('media', 'https://evil.example', check)).toBe(false);
    expect(permissionCheckDecision('media', APP_ORIGIN, { ...check, embeddingOrigin: 'https://evil.example' })).toBe(false);
    expect(permissionCheckDecision('media', APP_ORIGIN, { ...check, isMainFrame: false })).toBe(false);
    expect(permissionCheckDecision('notifications', APP_ORIGIN, check)).toBe(false);
    expect(permissionCheckDecision('geolocation', APP_ORIGIN, check)).toBe(false);
    expect(permissionCheckDecision('media', APP_ORIGIN, undefined)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts only the main frame at the app origin', () => {
    expect(isTrustedSender({ url: 'app://munjigi/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://munjigi/index.html', parent: { url: 'app://munjigi/' } })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: '', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'about:blank', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    expect(isTrustedSender({ url: 'app://munjigi/', parent: undefined })).toBe(false);
  });
  it('uses the dev server origin in development', () => {
    expect(isTrustedSender({ url: 'http://localhost:5173/', parent: null }, 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender({ url: 'app://munjigi/', parent: null }, 'http://localhost:5173')).toBe(false);
  });
});

describe('devRendererOrigin', () => {
  it('accepts only plain http on loopback', () => {
    expect(devRendererOrigin('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(devRendererOrigin('http://127.0.0.1:5173')).toBe('http://127.0.0.1:5173');
    expect(devRendererOrigin('http://[::1]:5173')).toBe('http://[::1]:5173');
    for (const bad of [undefined, '', 'https://evil.example', 'http://evil.example:5173', 'http://localhost.evil.example', 'http://u:p@localhost:5173', 'file:///x', 'nonsense']) {
      expect(devRendererOrigin(bad)).toBeNull();
    }
  });
});

describe('resolveAppAsset', () => {
  const root = resolve('/srv/renderer');
  it('maps app paths to files under the root, index.html by default', () => {
    expect(resolveAppAsset('app://munjigi/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppAsset('app://munjigi', root)).toBe(join(root, 'index.html'));
    expect(resolveAppAsset('app://munjigi/index.html?x=1#y', root)).toBe(join(root, 'index.html'));
    expect(resolveAppAsset('app://munjigi/assets/index-AbC123.js', root)).toBe(join(root, 'assets', 'index-AbC123.js'));
    expect(resolveAppAsset('app://munjigi/assets/', root)).toBe(join(root, 'assets', 'index.html'));
    expect(resolveAppAsset('app://munjigi/voice/%EC%9D%B8%EC%A6%9D.wav', root)).toBe(join(root, 'voice', '인증.wav'));
  });
  it.each([
    'app://munjigi/%2e%2e/%2e%2e/etc/passwd',
    'app://munjigi/..%2f..%2fetc/passwd',
    'app://munjigi/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://munjigi/..%5c..%5cwindows%5cwin.ini',
    'app://munjigi/..\\..\\windows\\win.ini',
    'app://munjigi//etc/passwd',
    'app://munjigi/%2fetc%2fpasswd',
    'app://munjigi/C:%5cwindows%5cwin.ini',
    'app://munjigi/C:/windows/win.ini',
    'app://munjigi/index.html%00.png',
    'app://munjigi/%E0%A4%A',
    'app://munjigi/a/%2e/b',
    'app://evil/index.html',
    'app://munjigi:8080/index.html',
    'app://user@munjigi/index.html',
    'file:///etc/passwd',
    'https://munjigi/index.html',
    'javascript:alert(1)',
    'nonsense',
    '',
  ])('refuses %s', (url) => {
    expect(resolveAppAsset(url, root)).toBeNull();
  });
  it('never returns a path outside the root, whatever the input', () => {
    const nasty = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '...', '....//', '%252e%252e', '%c0%ae%c0%ae', '~', '%00'];
    for (const a of nasty) {
      for (const b of nasty) {
        const file = resolveAppAsset(`app://munjigi/${a}/${b}/secret`, root);
        if (file !== null) expect(file.startsWith(root + sep)).toBe(true);
      }
    }
  });
});

describe('safeExternalUrl', () => {
  it('returns only the fixed list constant', () => {
    expect(safeExternalUrl('https://www.kdca.go.kr/')).toBe('https://www.kdca.go.kr/');
    expect(safeExternalUrl('https://www.kdca.go.kr')).toBe('https://www.kdca.go.kr/');
  });
  it.each([
    'http://www.kdca.go.kr/',
    'https://www.kdca.go.kr.evil.example/',
    'https://www.kdca.go.kr@evil.example/',
    'https://user:pw@www.kdca.go.kr/',
    'https://www.kdca.go.kr/?next=https://evil.example',
    'file:///C:/Windows/System32/calc.exe',
    'ms-settings:',
    'smb://evil.example/share',
    'javascript:alert(1)',
    '',
    null,
    {},
  ])('refuses %s', (url) => {
    expect(safeExternalUrl(url)).toBeNull();
  });
});
