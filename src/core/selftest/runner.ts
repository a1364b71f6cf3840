// Runs in Node (main, development host). The opening self-test (자가점검): runs injected checks
// one after another, each bounded by its own timeout, turns a throw or a hang into a failure
// that says what to fix, keeps the run in the log database, and runs by itself at the first
// start of each Seoul day. Checks never see personal data; results hold none.
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { seoulDay } from '../entrylog/seoulDay';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckOutcome {
  status: CheckStatus;
  /** What was found, in Korean (e.g. '신뢰 목록 2일 전 갱신'). */
  detail: string;
  /** What to do about it, in Korean; null when nothing needs doing. */
  fix: string | null;
  /** The same in English, for a kiosk whose screens are set to English. */
  en?: { detail: string; fix: string | null };
}

export interface SelftestCheck {
  id: string;
  /** Korean label shown on the checklist. */
  label: string;
  /** English label. */
  labelEn?: string;
  /** Default DEFAULT_CHECK_TIMEOUT_MS. */
  timeoutMs?: number;
  run(): CheckOutcome | Promise<CheckOutcome>;
}

export interface CheckResult extends CheckOutcome {
  id: string;
  label: string;
  labelEn?: string;
  durationMs: number;
}

export type SelftestTrigger = 'daily' | 'manual';

export interface SelftestRun {
  startedAt: number;
  /** Seoul day of startedAt. */
  day: string;
  trigger: SelftestTrigger;
  /** No check failed (warnings allowed). */
  ok: boolean;
  results: CheckResult[];
}

/** Where runs are kept (the entry log database implements it). */
export interface SelftestStore {
  recordSelftestRun(run: SelftestRun): void;
  selftestRuns(limit: number): SelftestRun[];
}

export const DEFAULT_CHECK_TIMEOUT_MS = 5000;

export interface Selftest {
  /** Runs every check now. Never throws; a check that throws or hangs is a failure. */
  run(trigger?: SelftestTrigger): Promise<SelftestRun>;
  /** The newest run, or null before the first. */
  last(): SelftestRun | null;
  /** Runs with trigger 'daily' unless a run already exists for today (Seoul); returns it or null. */
  runIfFirstToday(): Promise<SelftestRun | null>;
}

const timeoutFailure = (ms: number): CheckOutcome => ({
  status: 'fail',
  detail: `${Math.round(ms / 1000)}초 안에 응답이 없었습니다.`,
  fix: '장치 연결과 전원을 확인한 뒤 자가점검을 다시 실행해 주세요.',
  en: { detail: `No answer within ${Math.round(ms / 1000)} s.`, fix: 'Check the device connection and power, then run the self-test again.' },
});

async function runOne(check: SelftestCheck, now: () => number): Promise<CheckResult> {
  const ms = check.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const started = now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let outcome: CheckOutcome;
  try {
    outcome = await Promise.race([
      Promise.resolve().then(() => check.run()),
      new Promise<CheckOutcome>((resolve) => {
        timer = setTimeout(() => resolve(timeoutFailure(ms)), ms);
      }),
    ]);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    outcome = {
      status: 'fail',
      detail: `점검 중 오류가 났습니다 (${typeof code === 'string' ? code : 'INTERNAL'}).`,
      fix: '자가점검을 다시 실행하고, 반복되면 관리자에게 연락해 주세요.',
      en: {
        detail: `The check failed with an error (${typeof code === 'string' ? code : 'INTERNAL'}).`,
        fix: 'Run the self-test again; if it repeats, contact the administrator.',
      },
    };
  } finally {
    clearTimeout(timer);
  }
  return { id: check.id, label: check.label, ...(check.labelEn ? { labelEn: check.labelEn } : {}), ...outcome, durationMs: Math.round((now() - started) * 10) / 10 };
}

export function createSelftest(opts: {
  checks: () => SelftestCheck[];
  store: SelftestStore;
  clock: Clock;
  logger: Logger;
  /** Monotonic ms for durations; performance.now by default. */
  now?: () => number;
}): Selftest {
  const { store, clock, logger } = opts;
  const now = opts.now ?? (() => performance.now());
  let running: Promise<SelftestRun> | null = null;

  const run = (trigger: SelftestTrigger = 'manual'): Promise<SelftestRun> => {
    // One run at a time: a second request while one runs gets that run.
    running ??= (async () => {
      const startedAt = clock();
      const results: CheckResult[] = [];
      for (const check of opts.checks()) results.push(await runOne(check, now));
      const result: SelftestRun = { startedAt, day: seoulDay(startedAt), trigger, ok: results.every((r) => r.status !== 'fail'), results };
      try {
        store.recordSelftestRun(result);
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        logger.error('selftest run not stored', { code: typeof code === 'string' ? code : 'INTERNAL' });
      }
      logger.info('selftest', {
        trigger,
        ok: result.ok,
        failed: results.filter((r) => r.status === 'fail').map((r) => r.id).join(','),
        warned: results.filter((r) => r.status === 'warn').map((r) => r.id).join(','),
      });
      return result;
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const last = () => store.selftestRuns(1)[0] ?? null;

  return {
    run,
    last,
    async runIfFirstToday() {
      const previous = last();
      if (previous && previous.day === seoulDay(clock())) return null;
      return run('daily');
    },
  };
}
