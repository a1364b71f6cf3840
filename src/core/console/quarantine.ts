// Runs in Node (main, development host). The console's 전송 보류 항목: entries the central API
// refused for good (the sync worker moved them out of the outbox), listed for an operator and
// put back in the outbox once the cause is fixed, after which the sync worker is woken so they
// go at once. Rows carry entry and token id, times, code and attempts — never the subject.
// The operator-session gate sits in the kiosk app, in front of both calls.
import { CodedError } from '../../shared/envelope';
import type { Clock } from '../clock';
import type { EntryLog, QuarantinedEntry } from '../entrylog';
import type { Logger } from '../log';

/** Rows listed when the console does not say how many. */
export const DEFAULT_QUARANTINE_PAGE = 100;

export type QuarantineLog = Pick<EntryLog, 'quarantined' | 'quarantinedCount' | 'releaseQuarantine' | 'pendingCount'>;

export interface QuarantineConsole {
  list(limit?: number): { total: number; rows: QuarantinedEntry[] };
  /** All quarantined entries, or only `entryIds` (ids no longer in quarantine are skipped). */
  requeue(which: { all: true } | { entryIds: readonly string[] }): { requeued: number; quarantined: number; pending: number };
}

export function createQuarantineConsole(opts: { log: QuarantineLog; clock: Clock; logger: Logger; wakeSync: () => void }): QuarantineConsole {
  const { log, clock, logger } = opts;
  return {
    list(limit = DEFAULT_QUARANTINE_PAGE) {
      return { total: log.quarantinedCount(), rows: log.quarantined(limit) };
    },
    requeue(which) {
      const all = 'all' in which && which.all === true;
      const ids = 'entryIds' in which ? which.entryIds : undefined;
      // "All" only when asked for in so many words: a request naming nothing releases nothing.
      if (!all && !Array.isArray(ids)) throw new CodedError('QUARANTINE_NOTHING_CHOSEN', '다시 보낼 항목을 고르거나 전체 다시 보내기를 선택해 주세요.');
      const requeued = all ? log.releaseQuarantine(clock()) : log.releaseQuarantine(clock(), ids);
      // Counts only: the ids are the entries' own, but a log line needs no more than how many.
      logger.info('quarantined entries requeued by an operator', { requeued, all });
      if (requeued > 0) opts.wakeSync();
      return { requeued, quarantined: log.quarantinedCount(), pending: log.pendingCount() };
    },
  };
}
