// Runs in Node (main, development host). The kiosk's trust anchors and its last good trust
// list, kept as files in the data directory. The pinned root keys are main-side
// configuration: nothing the renderer sends can change them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CodedError } from '../../shared/envelope';
import type { RootKey, TrustEnvelope, TrustStore } from '../kp1';
import { createTrustStore } from '../kp1';
import type { Logger } from '../log';
import { writeAtomically } from '../settings/store';

const rootsFile = z.array(z.object({ keyId: z.string().min(1).max(64), publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).strict()).min(1);

export interface KioskTrust {
  store: TrustStore;
  roots: RootKey[];
  /** Installs a newer signed list (from the central API) and keeps it as the last good one. */
  install(envelope: unknown): ReturnType<TrustStore['accept']>;
}

export const trustPaths = (dir: string) => ({ roots: join(dir, 'roots.json'), envelope: join(dir, 'trust-list.json') });

export function writeRoots(dir: string, roots: RootKey[]): void {
  writeAtomically(trustPaths(dir).roots, rootsFile.parse(roots));
}

/** Loads pinned roots and the last good envelope. No roots yet: the kiosk is not set up. */
export function loadKioskTrust(dir: string, logger: Logger): KioskTrust | null {
  const paths = trustPaths(dir);
  if (!existsSync(paths.roots)) return null;
  let roots: RootKey[];
  try {
    roots = rootsFile.parse(JSON.parse(readFileSync(paths.roots, 'utf8')));
  } catch {
    throw new CodedError('TRUST_ROOTS_INVALID', '신뢰 루트 키 파일이 손상되었습니다. 관리자에게 연락해 키오스크를 다시 등록해 주세요.');
  }
  const store = createTrustStore({ rootKeys: roots });
  if (existsSync(paths.envelope)) {
    let saved: unknown = null;
    try {
      saved = JSON.parse(readFileSync(paths.envelope, 'utf8'));
    } catch {
      saved = null;
    }
    const result = store.accept(saved);
    if (result.accepted) logger.info('trust list loaded', { sequence: result.trustList.sequence });
    else logger.warn('saved trust list refused', { code: result.code });
  }
  return {
    store,
    roots,
    install(envelope) {
      const result = store.accept(envelope);
      if (result.accepted) writeAtomically(paths.envelope, envelope as TrustEnvelope);
      return result;
    },
  };
}
