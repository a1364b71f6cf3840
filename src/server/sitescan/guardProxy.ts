// Runs in Node (server, CLI). The one door between the scanning browser and the network: an
// HTTP forward proxy on loopback that Chromium must use for every connection (pages,
// redirects, frames, websockets). It resolves each host itself, refuses non-public
// addresses, connects to the address it checked (no DNS rebinding between check and use) and
// cuts responses over the size cap. With `upstream` (tests only) it forwards to another proxy
// that resolves names itself; literal IPs and local names are still refused here.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../core/log';
import type { Resolve } from './address';
import { checkUrlForm, hostOf, resolvePublic } from './address';

export interface GuardEvent {
  kind: 'refused' | 'truncated' | 'connected';
  host: string;
  /** The address connected to (direct mode) */
  ip?: string;
  code?: string;
}

export interface GuardProxy {
  url: string;
  events: GuardEvent[];
  /** Last address each host was reached at (direct mode only). */
  addressOf(host: string): string | undefined;
  close(): Promise<void>;
}

export interface GuardOptions {
  resolve: Resolve;
  logger: Logger;
  maxResponseBytes: number;
  /** Test-only: an HTTP proxy on loopback that resolves names itself. */
  upstream?: URL;
  connectTimeoutMs?: number;
}

const MAX_EVENTS = 2000;

export async function startGuardProxy(opts: GuardOptions): Promise<GuardProxy> {
  const events: GuardEvent[] = [];
  const addresses = new Map<string, string>();
  const sockets = new Set<Duplex>();
  const note = (e: GuardEvent) => {
    if (events.length < MAX_EVENTS) events.push(e);
  };
  const connectTimeout = opts.connectTimeoutMs ?? 10_000;

  /** Where to open the TCP connection for host:port, or a refusal code. */
  async function target(host: string, port: number, scheme: 'http' | 'https'): Promise<{ host: string; port: number; ip?: string }> {
    checkUrlForm(`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/`);
    if (opts.upstream) return { host: opts.upstream.hostname, port: Number(opts.upstream.port || 80) };
    const [ip] = await resolvePublic(host, opts.resolve);
    if (!ip) throw new Error('no address');
    addresses.set(host, ip);
    note({ kind: 'connected', host, ip });
    return { host: ip, port, ip };
  }

  const refuse = (host: string, err: unknown) => {
    const code = (err as { code?: string }).code ?? 'CONNECT_FAILED';
    note({ kind: 'refused', host, code });
    opts.logger.debug('sitescan.guard.refused', { code });
    return code;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '');
        if (url.protocol !== 'http:') throw Object.assign(new Error('scheme'), { code: 'URL_SCHEME_REFUSED' });
      } catch (err) {
        refuse('?', err);
        res.writeHead(400).end();
        return;
      }
      const host = hostOf(url);
      let t: { host: string; port: number };
      try {
        t = await target(host, Number(url.port || 80), 'http');
      } catch (err) {
        const code = refuse(host, err);
        res.writeHead(403, { 'content-type': 'text/plain', 'x-munjigi-refused': code }).end();
        return;
      }
      const headers = { ...req.headers };
      delete headers['proxy-connection'];
      delete headers['proxy-authorization'];
      const upstreamReq = http.request({
        host: t.host,
        port: t.port,
        method: req.method,
        // to an upstream proxy the absolute URL, to an origin the path
        path: opts.upstream ? url.href : `${url.pathname}${url.search}`,
        headers: { ...headers, host: url.host },
        timeout: connectTimeout,
      });
      upstreamReq.on('timeout', () => upstreamReq.destroy(new Error('timeout')));
      upstreamReq.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      upstreamReq.on('response', (up) => {
        res.writeHead(up.statusCode ?? 502, up.rawHeaders);
        let bytes = 0;
        up.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > opts.maxResponseBytes) {
            note({ kind: 'truncated', host, code: 'RESPONSE_TOO_LARGE' });
            up.destroy();
            res.destroy();
            return;
          }
          res.write(chunk);
        });
        up.on('end', () => res.end());
        up.on('error', () => res.destroy());
      });
      req.pipe(upstreamReq);
    })();
  });

  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    void (async () => {
      const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(req.url ?? '');
      const host = (m?.[1] ?? '').toLowerCase();
      const port = Number(m?.[2] ?? 0);
      let t: { host: string; port: number };
      try {
        if (!m || port < 1 || port > 65535) throw Object.assign(new Error('bad'), { code: 'URL_MALFORMED' });
        t = await target(host, port, port === 80 ? 'http' : 'https');
      } catch (err) {
        refuse(host, err);
        client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      const upstream = net.connect({ host: t.host, port: t.port, timeout: connectTimeout });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('timeout', () => upstream.destroy());
      upstream.on('error', () => {
        client.destroy();
      });
      // a tunnel carries several responses over keep-alive: cap it at a multiple of one response
      let bytes = 0;
      const tunnelCap = opts.maxResponseBytes * 4;
      upstream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > tunnelCap) {
          note({ kind: 'truncated', host, code: 'RESPONSE_TOO_LARGE' });
          upstream.destroy();
          client.destroy();
        }
      });
      upstream.on('connect', () => {
        if (opts.upstream) {
          upstream.write(`CONNECT ${req.url ?? ''} HTTP/1.1\r\nHost: ${req.url ?? ''}\r\n\r\n`);
        } else {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        }
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
    })();
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    events,
    addressOf: (h) => addresses.get(h.toLowerCase()),
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
