// Runs in Node. The development host: serves the built renderer over HTTP and the IPC
// contract over a WebSocket, both on loopback only. It is the Electron main process with
// another transport, so Chromium tests drive the real core through the same contract.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { eventNames } from '../shared/contract';
import type { Handlers } from '../shared/dispatch';
import { createDispatcher } from '../shared/dispatch';
import type { AnswerFrame, EventFrame } from '../shared/wsProtocol';
import { WS_MAX_FRAME_BYTES, WS_PATH } from '../shared/wsProtocol';
import type { Logger } from '../core/log';
import { RENDERER_CSP } from '../shared/csp';

export interface HostedApp {
  handlers: Handlers;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  /** A recorded voice clip in use, by its `/voice-clips/<name>` path (src/core/settings/voiceClips.ts). */
  voiceClipFile?(urlPath: string): string | null;
}

export interface DevHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** Maps a request path to a file inside `root`, or null: no traversal, no dotfiles. */
export function resolveStatic(urlPath: string, root: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (path.includes('\0') || path.split('/').some((p) => p === '..' || p.startsWith('.'))) return null;
  if (path.endsWith('/')) path += 'index.html';
  const base = resolve(root);
  const file = resolve(base, '.' + path);
  return file.startsWith(base + sep) ? file : null;
}

export async function startDevHost(opts: {
  app: HostedApp;
  rendererDir: string;
  port?: number;
  host?: string;
  logger: Logger;
}): Promise<DevHost> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the development host listens on loopback only, not ${host}`);
  const dispatch = createDispatcher(opts.app.handlers, opts.logger);
  let origin = '';

  const server = createServer((req, res) => serveFile(req, res, opts.rendererDir, (path) => opts.app.voiceClipFile?.(path) ?? null));
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES });

  server.on('upgrade', (req, socket, head) => {
    // The WebSocket is the IPC boundary: only pages this host served may open it.
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH || req.headers.origin !== origin) {
      opts.logger.warn('devhost refused websocket', { path, origin: String(req.headers.origin ?? '').slice(0, 80) });
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', async (raw) => {
      let frame: { id?: unknown; channel?: unknown; request?: unknown };
      try {
        frame = JSON.parse(raw.toString());
      } catch {
        opts.logger.warn('devhost dropped a frame that is not JSON');
        return;
      }
      if (typeof frame !== 'object' || frame === null || !Number.isSafeInteger(frame.id)) return;
      const envelope = await dispatch(frame.channel, frame.request);
      const answer: AnswerFrame = { id: frame.id as number, envelope };
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(answer));
    });
  });

  const stopEvents = opts.app.onEvent((event, payload) => {
    if (!(eventNames as string[]).includes(event)) return;
    const frame: EventFrame = { event, payload };
    const text = JSON.stringify(frame);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(opts.port ?? 0, host, () => done());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  origin = `http://${shown}:${port}`;

  return {
    url: `${origin}/`,
    port,
    async close() {
      stopEvents();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((done) => wss.close(() => done()));
      // Browsers hold keep-alive connections open; close them or server.close() waits forever.
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function serveFile(req: IncomingMessage, res: ServerResponse, root: string, dataFile: (urlPath: string) => string | null) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const file = dataFile((req.url ?? '/').split('?')[0] ?? '/') ?? resolveStatic(req.url ?? '/', root);
  let size = -1;
  try {
    if (file) size = statSync(file).isFile() ? statSync(file).size : -1;
  } catch {
    size = -1;
  }
  if (!file || size < 0) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('찾을 수 없습니다.');
    return;
  }
  res.writeHead(200, {
    'content-type': mime[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'content-security-policy': RENDERER_CSP,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
