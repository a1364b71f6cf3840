// Runs under vitest only. Where the shared NPKI test material lives (../shared/npki-test from
// the project root) and its cases.json, or null when absent so tests can skip with a reason.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../paths';

export interface NpkiCase {
  dir: string;
  password: string;
  subjectCN: string;
  kind: 'personal' | 'corporate';
  policy: string;
  encryption: string;
  serial: string;
  spkiSha256: string;
  expired: boolean;
  revoked: boolean;
  randomNum: string | null;
  notAfter: string;
}

export interface NpkiMaterial {
  root: string;
  trustAnchor: string;
  intermediate: string;
  crl: string;
  identities: NpkiCase[];
}

export const SKIP_REASON = '../shared/npki-test is absent: shared NPKI test material not available here';

export function npkiMaterial(): NpkiMaterial | null {
  const root = resolve(projectRoot(), '..', 'shared', 'npki-test');
  const casesPath = join(root, 'cases.json');
  if (!existsSync(casesPath)) return null;
  const cases = JSON.parse(readFileSync(casesPath, 'utf8')) as Omit<NpkiMaterial, 'root'>;
  return {
    root,
    trustAnchor: join(root, cases.trustAnchor),
    intermediate: join(root, cases.intermediate),
    crl: join(root, cases.crl),
    identities: cases.identities,
  };
}
