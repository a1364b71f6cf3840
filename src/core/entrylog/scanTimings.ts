// Runs in Node (main, development host). Per-scan timings by stage (camera/wedge decode, verify,
// write, feedback), kept in memory: the last N samples per stage for p50/p95 and hourly scan
// counts for throughput. Durations and counts only — no token, no subject, no time of a scan
// finer than its hour.
import type { Clock } from '../clock';

export const TIMING_STAGES = ['cameraDecode', 'wedgeDecode', 'verify', 'write', 'feedback'] as const;
export type TimingStage = (typeof TIMING_STAGES)[number];

/** Samples kept per stage. */
export const TIMING_SAMPLES = 2000;
/** Hours of throughput kept. */
export const TIMING_HOURS = 48;
/** Camera decode p95 above this suggests a 2D imager (ms). */
export const SLOW_CAMERA_P95_MS = 300;
const HOUR_MS = 3_600_000;
const MAX_DURATION_MS = 60_000;

export interface StageSummary {
  stage: TimingStage;
  samples: number;
  p50Ms: number | null;
  p95Ms: number | null;
}

export interface TimingSummary {
  stages: StageSummary[];
  /** Scans per hour, oldest first; hourStart in ms. */
  hourly: Array<{ hourStart: number; scans: number }>;
  /** Korean advice for the operator, or null. */
  suggestion: string | null;
}

export interface ScanTimings {
  /** Records one duration; ignores values that are not a finite duration between 0 and 60 s. Returns whether kept. */
  record(stage: TimingStage, ms: number): boolean;
  /** Counts one scan in the current hour. */
  countScan(): void;
  summary(): TimingSummary;
}

const quantile = (sorted: number[], q: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export function createScanTimings(opts: { clock: Clock; samples?: number }): ScanTimings {
  const capacity = opts.samples ?? TIMING_SAMPLES;
  const rings = new Map<TimingStage, { values: number[]; next: number }>(TIMING_STAGES.map((s) => [s, { values: [], next: 0 }]));
  const hours = new Map<number, number>();

  return {
    record(stage, ms) {
      const ring = rings.get(stage);
      if (!ring || typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > MAX_DURATION_MS) return false;
      if (ring.values.length < capacity) ring.values.push(ms);
      else ring.values[ring.next] = ms;
      ring.next = (ring.next + 1) % capacity;
      return true;
    },
    countScan() {
      const hour = Math.floor(opts.clock() / HOUR_MS) * HOUR_MS;
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
      for (const h of hours.keys()) if (h <= hour - TIMING_HOURS * HOUR_MS) hours.delete(h);
    },
    summary() {
      const stages = TIMING_STAGES.map((stage) => {
        const sorted = [...rings.get(stage)!.values].sort((a, b) => a - b);
        const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
        return { stage, samples: sorted.length, p50Ms: round(quantile(sorted, 0.5)), p95Ms: round(quantile(sorted, 0.95)) };
      });
      const camera = stages.find((s) => s.stage === 'cameraDecode')!;
      const suggestion =
        camera.samples >= 20 && camera.p95Ms !== null && camera.p95Ms > SLOW_CAMERA_P95_MS
          ? `카메라 인식이 느립니다 (95% ${Math.round(camera.p95Ms)}ms). 2D 이미저 스캐너 사용을 권장합니다.`
          : null;
      const hourly = [...hours.entries()].sort((a, b) => a[0] - b[0]).map(([hourStart, scans]) => ({ hourStart, scans }));
      return { stages, hourly, suggestion };
    },
  };
}
