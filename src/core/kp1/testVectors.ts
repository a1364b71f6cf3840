// Runs under vitest (Node). Loads ../shared/spec/kp1-vectors.json (relative to the project
// root) for the KP1 tests, or null when the shared specs are absent so tests can skip.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths';
import type { VerifyResult } from '../../shared/kp1';
import type { TrustEnvelope, TrustList } from './trustList';

export interface Kp1Vectors {
  rootPublicKey: string;
  trustList: TrustList;
  trustListEnvelope: TrustEnvelope;
  tamperedEnvelope: TrustEnvelope;
  cases: { name: string; token: string; at: number; skew?: number; maxTtl?: number; expect: VerifyResult }[];
  sequences: { name: string; steps: { token: string; at: number; expect: string }[] }[];
}

export const kp1VectorsPath = join(projectRoot(), '..', 'shared', 'spec', 'kp1-vectors.json');

export function loadKp1Vectors(): Kp1Vectors | null {
  if (!existsSync(kp1VectorsPath)) return null;
  return JSON.parse(readFileSync(kp1VectorsPath, 'utf8')) as Kp1Vectors;
}

export const ABSENT_MESSAGE = `KP1 vectors skipped: ${kp1VectorsPath} is absent (../shared is not checked out beside the project)`;
