// Runs in the Playwright test process (Node). Starts the real development host (the built
// out/node/devhost.js) on loopback with a fresh data directory in demo mode, and mints
// tokens with the demo issuer keys it created, the way 네이버/카카오톡/PASS would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { generateKeyPair, mintToken, readPrivateKeyFile } from '../../../src/core/kp1';
import { spawnDevhost } from './devhost';

export interface KioskHost {
  url: string;
  dataDir: string;
  /** A token from demo issuer `issuer`, issued `ageSeconds` ago. */
  token(opts?: { issuer?: number; ageSeconds?: number; ttl?: number }): string;
  /** A well-formed token signed by a key no trust list holds. */
  foreignToken(): string;
  /** Tells the kiosk a token was used elsewhere, as the central API's sync would. */
  reportReplay(tokenId: string): void;
  entryCount(): number;
  /** The host's log so far (JSON lines on stderr), for checks that nothing secret was logged. */
  log(): string;
  close(): Promise<void>;
}

/** `demo: false` starts a real kiosk setup: no demo issuers, no trust list, and no operator PIN yet; `args` go to the host as they are. */
export async function startKioskHost(opts: { demo?: boolean; args?: string[] } = {}): Promise<KioskHost> {
  const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-e2e-'));
  const host = await spawnDevhost(['--data', dataDir, '--port', '0', ...(opts.demo === false ? [] : ['--demo']), ...(opts.args ?? [])]).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const url = host.url;

  const key = (issuer: number) => readPrivateKeyFile(join(dataDir, 'demo', `issuer-${issuer}.key.pem`));
  const now = () => Math.floor(Date.now() / 1000);
  const db = () => new Database(join(dataDir, 'entries.sqlite'));

  return {
    url,
    dataDir,
    token: ({ issuer = 1, ageSeconds = 0, ttl = 15 } = {}) =>
      mintToken({ privateKey: key(issuer), issuer, keyId: 1, issuedAt: now() - ageSeconds, ttl }),
    foreignToken: () => mintToken({ privateKey: generateKeyPair().privateKey, issuer: 1, keyId: 1, issuedAt: now() }),
    reportReplay(tokenId) {
      const conn = db();
      try {
        conn.prepare('INSERT OR IGNORE INTO known_replay (token_id, reported_at) VALUES (?, ?)').run(tokenId, Date.now());
      } finally {
        conn.close();
      }
    },
    log: host.log,
    entryCount() {
      const conn = db();
      try {
        return (conn.prepare('SELECT count(*) AS n FROM entry').get() as { n: number }).n;
      } finally {
        conn.close();
      }
    },
    async close() {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
