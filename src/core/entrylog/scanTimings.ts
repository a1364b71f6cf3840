// Runs in Node (main, development host). Per-scan timings by source and stage (decode, verify,
// write, feedback) and scans per hour, kept in memory as one small histogram per hour, source and
// stage for 28 days, so any range gives counts, p50/p95 and throughput in bounded memory.
// Durations and counts only — no token, no subject, no time of a scan finer than its hour.
import type { ScanSource } from '../../shared/contract';
import type { Clock } from '../clock';

export const TIMING_SOURCES = ['wedge', 'hid', 'camera', 'demo', 'selftest'] as const satisfies readonly ScanSource[];
export const TIMING_STAGES = ['decode', 'verify', 'write', 'feedback'] as const;
export type TimingStage = (typeof TIMING_STAGES)[number];

/** Hours kept: as long as the entries themselves. */
export const TIMING_HOURS = 28 * 24;
const HOUR_MS = 3_600_000;
/** Longest duration accepted; anything longer is not a scan stage but a stall or a bad report. */
export const MAX_DURATION_MS = 60_000;
/** Most decode retries one scan may report (camera frames read without a code before the one that had it). */
export const MAX_RETRIES = 1000;

/** Camera decode + verify median above this (ms), over at least SLOW_CAMERA_MIN_SCANS scans, suggests a 2D imager. */
export const SLOW_CAMERA_P50_MS = 250;
/** …or a camera decode p95 above this. */
export const SLOW_CAMERA_P95_MS = 1000;
/** …or more than this many failed reads per camera scan on average. */
export const SLOW_CAMERA_RETRIES = 3;
export const SLOW_CAMERA_MIN_SCANS = 20;

// Log-spaced buckets: bucket 0 is [0, 0.05 ms), bucket k ≥ 1 is [0.05·1.2^(k-1), 0.05·1.2^k).
// A quantile is the bucket's geometric middle: within ±10 % of the true value.
const BASE_MS = 0.05;
const RATIO = 1.2;
const BUCKETS = Math.ceil(Math.log(MAX_DURATION_MS / BASE_MS) / Math.log(RATIO)) + 2;
const bucketOf = (ms: number) => (ms < BASE_MS ? 0 : Math.min(BUCKETS - 1, Math.floor(Math.log(ms / BASE_MS) / Math.log(RATIO)) + 1));
const middleOf = (k: number) => (k === 0 ? BASE_MS / 2 : BASE_MS * RATIO ** (k - 1) * Math.sqrt(RATIO));

export interface StageSummary {
  samples: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface SourceSummary {
  source: ScanSource;
  scans: number;
  /** Failed reads per scan the decoder reported (camera), null when none reported. */
  retriesPerScan: number | null;
  stages: Record<TimingStage, StageSummary>;
}

export interface CameraSuggestion {
  code: 'CAMERA_SLOW';
  cameraScans: number;
  /** Median decode + median verify of camera scans (ms). */
  decodeVerifyP50Ms: number;
  decodeP95Ms: number;
  retriesPerScan: number | null;
  /** Plain Korean for the operator. */
  message: string;
}

export interface TimingSummary {
  from: number;
  to: number;
  /** Sources with at least one scan or sample in the range, in TIMING_SOURCES order. */
  sources: SourceSummary[];
  /** Scans per hour over the range (every hour, zeros too), oldest first. */
  hourly: Array<{ hourStart: number; scans: number }>;
  suggestion: CameraSuggestion | null;
}

export interface ScanTimings {
  /** Records one duration of a scan from `source`; refuses anything that is not a duration of 0–60 s. Returns whether kept. */
  record(source: ScanSource, stage: TimingStage, ms: number): boolean;
  /** Counts one scan from `source` in the current hour, with the failed reads before it (if the decoder reported them). */
  countScan(source: ScanSource, retries?: number): void;
  /** Everything recorded in the hours that overlap [from, to). */
  summary(range: { from: number; to: number }): TimingSummary;
}

interface HourOfSource {
  scans: number;
  retries: number;
  retriesReported: number;
  hist: Partial<Record<TimingStage, Uint32Array>>;
}

const round = (x: number) => (x >= 10 ? Math.round(x) : Math.round(x * 10) / 10);

function quantile(hist: Uint32Array, n: number, q: number): number | null {
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let k = 0; k < hist.length; k++) {
    seen += hist[k]!;
    if (seen >= rank) return round(middleOf(k));
  }
  return null;
}

const SOURCE_SET: ReadonlySet<string> = new Set(TIMING_SOURCES);
const STAGE_SET: ReadonlySet<string> = new Set(TIMING_STAGES);

export function createScanTimings(opts: { clock: Clock }): ScanTimings {
  /** hour index (ms / HOUR_MS) → source → counts. */
  const hours = new Map<number, Map<ScanSource, HourOfSource>>();

  const slot = (source: ScanSource): HourOfSource => {
    const hour = Math.floor(opts.clock() / HOUR_MS);
    let bySource = hours.get(hour);
    if (!bySource) {
      bySource = new Map();
      hours.set(hour, bySource);
      // Forget what is older than TIMING_HOURS, and (after the clock was set back) keep the map bounded.
      for (const h of hours.keys()) if (h <= hour - TIMING_HOURS) hours.delete(h);
      while (hours.size > TIMING_HOURS + 1) hours.delete(Math.min(...hours.keys()));
    }
    let s = bySource.get(source);
    if (!s) {
      s = { scans: 0, retries: 0, retriesReported: 0, hist: {} };
      bySource.set(source, s);
    }
    return s;
  };

  return {
    record(source, stage, ms) {
      if (!SOURCE_SET.has(source) || !STAGE_SET.has(stage)) return false;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_DURATION_MS) return false;
      const s = slot(source);
      const hist = (s.hist[stage] ??= new Uint32Array(BUCKETS));
      hist[bucketOf(ms)]!++;
      return true;
    },
    countScan(source, retries) {
      if (!SOURCE_SET.has(source)) return;
      const s = slot(source);
      s.scans++;
      if (typeof retries === 'number' && Number.isInteger(retries) && retries >= 0 && retries <= MAX_RETRIES) {
        s.retries += retries;
        s.retriesReported++;
      }
    },
    summary(range) {
      const firstHour = Math.floor(range.from / HOUR_MS);
      const endHour = Math.ceil(range.to / HOUR_MS);
      const totals = new Map<ScanSource, { scans: number; retries: number; retriesReported: number; hist: Record<TimingStage, Uint32Array> }>();
      const hourly: TimingSummary['hourly'] = [];
      for (let h = firstHour; h < endHour; h++) {
        let scans = 0;
        for (const [source, s] of hours.get(h) ?? []) {
          scans += s.scans;
          let t = totals.get(source);
          if (!t) {
            t = { scans: 0, retries: 0, retriesReported: 0, hist: Object.fromEntries(TIMING_STAGES.map((st) => [st, new Uint32Array(BUCKETS)])) as Record<TimingStage, Uint32Array> };
            totals.set(source, t);
          }
          t.scans += s.scans;
          t.retries += s.retries;
          t.retriesReported += s.retriesReported;
          for (const stage of TIMING_STAGES) {
            const from = s.hist[stage];
            if (from) for (let k = 0; k < BUCKETS; k++) t.hist[stage][k]! += from[k]!;
          }
        }
        hourly.push({ hourStart: h * HOUR_MS, scans });
      }

      const sources: SourceSummary[] = [];
      for (const source of TIMING_SOURCES) {
        const t = totals.get(source);
        if (!t) continue;
        const stages = Object.fromEntries(
          TIMING_STAGES.map((stage) => {
            const hist = t.hist[stage];
            const n = hist.reduce((a, b) => a + b, 0);
            return [stage, { samples: n, p50Ms: quantile(hist, n, 0.5), p95Ms: quantile(hist, n, 0.95) }];
          }),
        ) as Record<TimingStage, StageSummary>;
        sources.push({ source, scans: t.scans, retriesPerScan: t.retriesReported > 0 ? Math.round((t.retries / t.retriesReported) * 10) / 10 : null, stages });
      }
      return { from: range.from, to: range.to, sources, hourly, suggestion: cameraSuggestion(sources.find((s) => s.source === 'camera')) };
    },
  };
}

/** A 2D imager reads a phone screen in ~0.1 s whatever the light; suggest one when the camera is the bottleneck. */
function cameraSuggestion(camera: SourceSummary | undefined): CameraSuggestion | null {
  if (!camera || camera.scans < SLOW_CAMERA_MIN_SCANS) return null;
  const decode = camera.stages.decode;
  const verify = camera.stages.verify;
  if (decode.p50Ms === null || decode.p95Ms === null) return null;
  const decodeVerifyP50Ms = round(decode.p50Ms + (verify.p50Ms ?? 0));
  const slow = decodeVerifyP50Ms > SLOW_CAMERA_P50_MS || decode.p95Ms > SLOW_CAMERA_P95_MS || (camera.retriesPerScan ?? 0) > SLOW_CAMERA_RETRIES;
  if (!slow) return null;
  const retries = camera.retriesPerScan === null ? '' : `, 스캔마다 평균 ${camera.retriesPerScan}번 다시 읽음`;
  return {
    code: 'CAMERA_SLOW',
    cameraScans: camera.scans,
    decodeVerifyP50Ms,
    decodeP95Ms: decode.p95Ms,
    retriesPerScan: camera.retriesPerScan,
    message:
      `카메라로 QR을 읽는 데 시간이 걸립니다 (보통 ${Math.round(decodeVerifyP50Ms)}ms, 느릴 때 ${Math.round(decode.p95Ms)}ms${retries}). ` +
      '방문자가 휴대폰을 오래 대고 있어야 해서 줄이 길어집니다. USB 2D 이미저 스캐너를 연결하면 조명과 화면 밝기에 덜 민감하고 보통 0.1초 안에 읽습니다.',
  };
}
