// Runs in Node (main, development host). admit(scan): the one place every scan source ends.
// Verify (src/core/kp1), then ONE transaction writes the entry and its outbox row, then
// answer. The screen and the voice follow the answer; they never decide. No input string
// makes admit throw; only a failing disk does, and then nothing is acknowledged.
import { randomUUID } from 'node:crypto';
import { MAX_SCAN_CHARS } from '../../shared/contract';
import type { AdmitAnswer, ScanSource } from '../../shared/contract';
import { CodedError } from '../../shared/envelope';
import type { VerifyResult } from '../../shared/kp1';
import type { Clock } from '../clock';
import { verifyToken } from '../kp1';
import type { ScanTimings } from './scanTimings';
import type { TrustList } from '../kp1';
import type { Logger } from '../log';
import type { EntryLog } from './entryLog';

export interface AdmitSettings {
  facilityId: string;
  kioskId: string;
  skewSeconds: number;
  maxTtlSeconds: number;
}

export interface Scan {
  data: string;
  source: ScanSource;
  /** What the source measured before admit: decode time (first key/report/frame to complete) and failed reads. */
  timing?: { decodeMs?: number; retries?: number };
}

export type Admit = (scan: Scan) => AdmitAnswer;

/** Before the first trust list arrives: no key is known, so well-formed tokens get UNKNOWN_KEY. */
const NO_TRUST_LIST: TrustList = { version: 1, sequence: 0, issuedAt: '1970-01-01T00:00:00Z', issuers: [] };

const SOURCES: ReadonlySet<string> = new Set<ScanSource>(['wedge', 'camera', 'demo', 'hid', 'selftest']);

export const admitErrors = {
  storageFailed: () =>
    new CodedError(
      'ENTRY_LOG_WRITE_FAILED',
      '출입 기록을 저장하지 못해 인증을 완료하지 못했습니다. 다시 스캔해 주세요. 계속되면 관리자에게 연락해 주세요.',
    ),
};

const sqliteCode = (err: unknown) => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
};

export function createAdmitter(opts: {
  log: EntryLog;
  trustList: () => TrustList | null;
  /** ms since epoch, already corrected by the offset to the central API. */
  clock: Clock;
  settings: () => AdmitSettings;
  newId?: () => string;
  logger: Logger;
  /** Per-scan stage durations (decode as reported, verify, write) and hourly counts by source; none kept when absent. */
  timings?: Pick<ScanTimings, 'record' | 'countScan'>;
  /** Monotonic ms for durations; performance.now by default. */
  now?: () => number;
}): Admit {
  const { log, clock, logger } = opts;
  const newId = opts.newId ?? randomUUID;
  const now = opts.now ?? (() => performance.now());
  const timings = opts.timings;
  const lookup = (tokenId: string) => log.lookup(tokenId);
  let warnedNoTrustList = false;

  function verify(data: unknown, nowMs: number, settings: AdmitSettings): VerifyResult {
    if (typeof data !== 'string' || data.length > MAX_SCAN_CHARS) return { ok: false, code: 'MALFORMED' };
    let trustList = opts.trustList();
    if (trustList) {
      warnedNoTrustList = false;
    } else {
      if (!warnedNoTrustList) logger.warn('no trust list yet: every token is refused as UNKNOWN_KEY');
      warnedNoTrustList = true;
      trustList = NO_TRUST_LIST;
    }
    return verifyToken(data, {
      trustList,
      now: Math.floor(nowMs / 1000),
      skew: settings.skewSeconds,
      maxTtl: settings.maxTtlSeconds,
      lookup,
    });
  }

  return function admit(scan: Scan): AdmitAnswer {
    const scannedAt = clock();
    const source: ScanSource = SOURCES.has(scan?.source) ? scan.source : 'selftest';
    const settings = opts.settings();
    let result: VerifyResult;
    const verifyStart = now();
    try {
      result = verify(scan?.data, scannedAt, settings);
      timings?.record(source, 'verify', now() - verifyStart);
    } catch (err) {
      // Only a bad verifier context (settings) or a failing lookup (disk) gets here.
      const code = err instanceof CodedError ? err.code : 'ENTRY_LOG_READ_FAILED';
      logger.error('admit could not verify', { code, source });
      throw err instanceof CodedError ? err : admitErrors.storageFailed();
    }

    const answer: AdmitAnswer = {
      ok: false,
      code: result.code,
      tokenId: result.tokenId,
      issuer: result.issuer,
      issuerName: result.issuerName,
      issuedAt: result.issuedAt,
      expiresAt: result.expiresAt,
      source,
      scannedAt,
      todayCount: 0,
    };

    if (result.ok) {
      const id = newId();
      let written: 'written' | 'duplicate';
      const writeStart = now();
      try {
        written = log.recordEntry(
          {
            id,
            tokenId: result.tokenId ?? '',
            issuer: result.issuer ?? -1,
            subject: result.subject ?? '',
            facilityId: settings.facilityId,
            kioskId: settings.kioskId,
            scannedAt,
            issuedAt: result.issuedAt ?? -1,
            source,
          },
          scannedAt,
        );
      } catch (err) {
        // Not written, so not acknowledged: the visitor scans again.
        logger.error('admit could not write the entry', { code: sqliteCode(err), source });
        throw admitErrors.storageFailed();
      }
      timings?.record(source, 'write', now() - writeStart);
      if (written === 'written') {
        answer.ok = true;
        answer.entryId = id;
      } else {
        answer.code = 'DUPLICATE';
      }
    }

    // Statistics only: a failure here is logged, and the answer stands.
    try {
      if (!answer.ok) log.countRefusal(scannedAt, answer.code);
      answer.todayCount = log.todayCount(scannedAt);
    } catch (err) {
      logger.error('admit could not update counters', { code: sqliteCode(err), source });
    }

    if (timings) {
      // The source's own figures are checked by record/countScan (bad ones are dropped, never fatal).
      const reported = typeof scan?.timing === 'object' && scan.timing !== null ? scan.timing : {};
      if (reported.decodeMs !== undefined) timings.record(source, 'decode', reported.decodeMs);
      timings.countScan(source, reported.retries);
    }
    logger.info('admit', { code: answer.code, source, entryId: answer.entryId });
    return answer;
  };
}
