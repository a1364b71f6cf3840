// Runs in the Electron main process, but imports nothing from Electron at runtime: every
// security decision of the shell (window options, CSP, permissions, navigation, IPC senders,
// app:// asset paths, external links) is a pure function here, so it is unit-tested under Node.
import type { BrowserWindowConstructorOptions } from 'electron';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { RENDERER_CSP } from '../shared/csp';

/** The renderer is served from this privileged scheme (standard + secure), never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'munjigi';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The Content-Security-Policy sent with every app:// response: the renderer's one policy
 * (src/shared/csp.ts), the same the development host sends, so tests see what kiosks run.
 * It has no 'unsafe-inline': the Vite build emits only external scripts and stylesheets, and
 * React's `style={{…}}` props go through the CSSOM (element.style), which CSP does not govern.
 */
export const CSP = RENDERER_CSP;

/** Headers added to every app:// response besides the file's own content type. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export const WINDOW_BACKGROUND = '#101418';

/** The web preferences that must hold whatever else changes; checked again before a window opens
 * (insecureWebPreferences) so a later edit cannot weaken them unnoticed. */
const REQUIRED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
} as const;

/** The main window. `kiosk` makes it full screen and locked (no devtools, no menu). */
export function mainWindowOptions(opts: { preloadPath: string; kiosk: boolean }): BrowserWindowConstructorOptions {
  return {
    title: '문지기',
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false, // shown on ready-to-show, so the kiosk never flashes a white page
    backgroundColor: WINDOW_BACKGROUND,
    fullscreen: opts.kiosk,
    kiosk: opts.kiosk,
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      ...REQUIRED_WEB_PREFERENCES,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick', // no middle-click "open in new window" path at all
      // The first answer after start may come from a HID scan with no key or touch before it:
      // the voice must still speak. Only our own clips play; nothing else can load.
      autoplayPolicy: 'no-user-gesture-required',
      devTools: !opts.kiosk,
    },
  };
}

/** Names of required web preferences that `options` does not set to the safe value (empty = safe). */
export function insecureWebPreferences(options: BrowserWindowConstructorOptions): string[] {
  const prefs = (options.webPreferences ?? {}) as Record<string, unknown>;
  return Object.entries(REQUIRED_WEB_PREFERENCES)
    .filter(([key, safe]) => prefs[key] !== safe)
    .map(([key]) => key);
}

/**
 * The origin of a URL the way Chromium sees it. WHATWG URL in Node gives opaque "null" for
 * non-special schemes, but app:// is registered as standard, so its origin is scheme://host.
 * Returns null for anything that has no usable origin (file:, data:, javascript:, garbage).
 */
export function originOf(url: unknown): string | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host !== '') return `${APP_SCHEME}://${parsed.host.toLowerCase()}`;
  return null;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The origin of electron-vite's dev server (ELECTRON_RENDERER_URL), accepted only for plain
 * http on a loopback host; anything else is refused so an environment variable cannot point
 * the kiosk at a remote page.
 */
export function devRendererOrigin(rendererUrl: string | undefined): string | null {
  if (!rendererUrl) return null;
  let parsed: URL;
  try {
    parsed = new URL(rendererUrl);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname) || parsed.username || parsed.password) return null;
  return parsed.origin;
}

/** Navigation (will-navigate, will-redirect) is allowed only within the app's own origin. */
export function navigationDecision(url: string, appOrigin: string = APP_ORIGIN): boolean {
  return originOf(url) === appOrigin;
}

/** Every window.open, target=_blank and middle click is denied. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

export interface PermissionRequestDetails {
  requestingUrl?: string;
  isMainFrame?: boolean;
  mediaTypes?: ReadonlyArray<string>;
}

/**
 * setPermissionRequestHandler: deny by default. The one grant is the camera ('media' with only
 * video, no microphone) for the app's own main frame, used to read QR codes.
 */
export function permissionDecision(
  permission: string,
  requestingOrigin: string | null | undefined,
  details: PermissionRequestDetails | null | undefined,
  appOrigin: string = APP_ORIGIN,
): boolean {
  if (permission !== 'media') return false;
  if (originOf(requestingOrigin ?? undefined) !== appOrigin) return false;
  if (!details || details.isMainFrame === false) return false;
  if (details.requestingUrl !== undefined && originOf(details.requestingUrl) !== appOrigin) return false;
  const types = details.mediaTypes;
  return Array.isArray(types) && types.length > 0 && types.every((t) => t === 'video');
}

export interface PermissionCheckDetails {
  mediaType?: string;
  isMainFrame?: boolean;
  embeddingOrigin?: string;
  requestingUrl?: string;
  securityOrigin?: string;
}

/** setPermissionCheckHandler: the same table for Chromium's synchronous checks. */
export function permissionCheckDecision(
  permission: string,
  requestingOrigin: string | null | undefined,
  details: PermissionCheckDetails | null | undefined,
  appOrigin: string = APP_ORIGIN,
): boolean {
  if (permission !== 'media') return false;
  if (originOf(requestingOrigin ?? undefined) !== appOrigin) return false;
  if (!details || details.isMainFrame === false || details.mediaType !== 'video') return false;
  if (details.embeddingOrigin !== undefined && originOf(details.embeddingOrigin) !== appOrigin) return false;
  if (details.requestingUrl !== undefined && originOf(details.requestingUrl) !== appOrigin) return false;
  return true;
}

/** The part of Electron's WebFrameMain a sender check needs. */
export interface FrameLike {
  url: string;
  parent: unknown;
}

/** An IPC call is trusted only from the main frame (no parent) of a page at the app's origin. */
export function isTrustedSender(frame: FrameLike | null | undefined, appOrigin: string = APP_ORIGIN): boolean {
  if (!frame || typeof frame !== 'object') return false;
  if (frame.parent !== null) return false;
  return originOf(frame.url) === appOrigin;
}

// Characters that never appear in the renderer's built file names and would let a request
// reach outside the root on some platform: separators, drive colons, NUL and control characters.
// eslint-disable-next-line no-control-regex
const UNSAFE_SEGMENT = /[/\\:\u0000-\u001f\u007f]/;
// Percent-encoded dots, separators and NUL never appear in built asset names; a request that
// carries them is probing for traversal and is refused before any normalisation can hide it.
const ENCODED_TRAVERSAL = /%(2e|2f|5c|00)/i;

/**
 * Maps an app:// request to a file inside rootDir, or null when the request is not for the
 * app's host, escapes the root (.., encoded .., absolute or drive paths), or is malformed.
 * "/" and paths ending in "/" serve index.html; query and fragment are ignored.
 */
export function resolveAppAsset(requestUrl: string, rootDir: string): string | null {
  if (typeof requestUrl !== 'string' || requestUrl.length > 4096 || ENCODED_TRAVERSAL.test(requestUrl)) return null;
  let parsed: URL;
  try {
    parsed = new URL(requestUrl);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host.toLowerCase() !== APP_HOST) return null;
  if (parsed.username || parsed.password || parsed.port) return null;

  const rawSegments = parsed.pathname.split('/').slice(1);
  if (rawSegments.length === 0 || rawSegments.at(-1) === '') rawSegments.splice(-1, 1, 'index.html');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null; // broken percent-encoding
    }
    if (segment === '' || segment === '.' || segment === '..' || UNSAFE_SEGMENT.test(segment)) return null;
    segments.push(segment);
  }

  const root = resolve(rootDir);
  const file = resolve(root, ...segments);
  const rel = relative(root, file);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) || !file.startsWith(root + sep)) return null;
  return file;
}

/**
 * The only addresses the app may hand to the operating system's browser. The renderer never
 * supplies a URL to open: a request is matched against this list and the list's own string
 * is returned, so shell.openExternal only ever sees one of these constants.
 */
export const EXTERNAL_LINKS: readonly string[] = Object.freeze(['https://www.kdca.go.kr/']);

export function safeExternalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 2048) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return null;
  return EXTERNAL_LINKS.find((allowed) => allowed === parsed.href) ?? null;
}
