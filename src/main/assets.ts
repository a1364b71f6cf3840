// Runs in the Electron main process (plain Node + the Fetch API's Response, no Electron import).
// Answers app:// requests with files from the built renderer: only GET/HEAD, only paths that
// resolveAppAsset accepts, and every answer (errors too) carries the CSP and nosniff headers.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { APP_HOST, APP_RESPONSE_HEADERS, APP_SCHEME, resolveAppAsset } from './security';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.webm': 'audio/webm',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface AssetRequest {
  url: string;
  method: string;
}

export type ReadAsset = (file: string) => Promise<Uint8Array>;

function answer(status: number, body: string | Uint8Array<ArrayBuffer> | null, contentType: string): Response {
  return new Response(body, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': contentType, 'Cache-Control': 'no-cache' } });
}

/** Files from outside the built renderer the page may load (recorded voice clips): the core
 * decides from the URL's path, exactly (src/core/settings/voiceClips.ts: fileFor). */
export type DataAsset = (pathname: string) => string | null;

function dataAssetFor(url: string, dataAsset: DataAsset | undefined): string | null {
  if (!dataAsset) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host.toLowerCase() !== APP_HOST || parsed.username || parsed.port) return null;
    return dataAsset(parsed.pathname);
  } catch {
    return null;
  }
}

/** Builds the protocol.handle('app', …) callback for files under rootDir (and the data assets `dataAsset` names). */
export function createAssetHandler(rootDir: string, read: ReadAsset = (file) => readFile(file), dataAsset?: DataAsset) {
  return async function serveAppAsset(request: AssetRequest): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, null, 'text/plain; charset=utf-8');
    const file = dataAssetFor(request.url, dataAsset) ?? resolveAppAsset(request.url, rootDir);
    if (!file) return answer(404, 'Not found', 'text/plain; charset=utf-8');
    let body: Uint8Array;
    try {
      body = await read(file);
    } catch {
      // Missing, a directory, unreadable: all the same to the page, and no path is revealed.
      return answer(404, 'Not found', 'text/plain; charset=utf-8');
    }
    return answer(200, request.method === 'HEAD' ? null : new Uint8Array(body), contentTypeFor(file));
  };
}
