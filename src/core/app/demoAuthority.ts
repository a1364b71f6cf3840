// Runs in Node (main, development host). A self-contained demo setup for a kiosk with no
// central API: a demo authority root, one demo key for each of 네이버, 카카오톡 and PASS, and
// a trust list signed by that root. Created once in the data directory, reused afterwards.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock';
import type { TrustList } from '../kp1';
import { generateKeyPair, publicKeyToBase64url, readPrivateKeyFile, signTrustList, writePrivateKeyFile } from '../kp1';
import type { Logger } from '../log';
import { writeAtomically } from '../settings/store';
import { trustPaths, writeRoots } from './kioskTrust';

export const DEMO_ISSUERS = [
  { code: 1, name: 'naver', displayName: '네이버' },
  { code: 2, name: 'kakao', displayName: '카카오' },
  { code: 3, name: 'pass', displayName: 'PASS' },
] as const;

export const DEMO_ROOT_KEY_ID = 'demo-root-1';
export const DEMO_KEY_ID = 1;

export interface DemoAuthority {
  issuerKey(code: number): KeyObject | null;
}

const issuerKeyPath = (dir: string, code: number) => join(dir, `issuer-${code}.key.pem`);

/** Creates (first start) or loads the demo keys; writes the kiosk's roots and trust list. */
export function ensureDemoAuthority(opts: { demoDir: string; trustDir: string; clock: Clock; logger: Logger }): DemoAuthority {
  const { demoDir, trustDir, clock, logger } = opts;
  const rootPath = join(demoDir, 'authority.key.pem');
  if (!existsSync(rootPath)) {
    mkdirSync(demoDir, { recursive: true, mode: 0o700 });
    const root = generateKeyPair();
    writePrivateKeyFile(rootPath, root.privateKey);
    const now = new Date(clock());
    const notBefore = new Date(now.getTime() - 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const notAfter = new Date(now.getTime() + 2 * 365 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const issuers = DEMO_ISSUERS.map((issuer) => {
      const pair = generateKeyPair();
      writePrivateKeyFile(issuerKeyPath(demoDir, issuer.code), pair.privateKey);
      return {
        ...issuer,
        keys: [{ keyId: DEMO_KEY_ID, publicKey: publicKeyToBase64url(pair.publicKey), notBefore, notAfter, status: 'active' as const }],
      };
    });
    const trustList: TrustList = { version: 1, sequence: 1, issuedAt: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), issuers };
    writeRoots(trustDir, [{ keyId: DEMO_ROOT_KEY_ID, publicKey: publicKeyToBase64url(root.publicKey) }]);
    writeAtomically(trustPaths(trustDir).envelope, signTrustList(trustList, root.privateKey, DEMO_ROOT_KEY_ID));
    logger.info('demo authority created', { issuers: issuers.length });
  }
  const cache = new Map<number, KeyObject | null>();
  return {
    issuerKey(code) {
      if (!cache.has(code)) {
        const path = issuerKeyPath(demoDir, code);
        cache.set(code, existsSync(path) ? readPrivateKeyFile(path) : null);
      }
      return cache.get(code) ?? null;
    },
  };
}
