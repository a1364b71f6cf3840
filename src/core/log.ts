// Runs in Node. A small structured logger: one JSON line per event. Callers pass only
// non-personal fields (codes, counts, ids of rows); subject handles and tokens never go here.

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(opts: {
  write?: (line: string) => void;
  level?: Level;
  clock?: () => number;
  base?: Fields;
} = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const min = order[opts.level ?? 'info'];
  const clock = opts.clock ?? Date.now;
  const emit = (level: Level, message: string, fields?: Fields) => {
    if (order[level] < min) return;
    write(JSON.stringify({ t: new Date(clock()).toISOString(), level, msg: message, ...opts.base, ...fields }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** Collects lines in memory: for tests that assert what was (and was not) logged. */
export function memoryLogger(level: Level = 'debug') {
  const lines: Array<{ level: Level; msg: string } & Fields> = [];
  const logger = createLogger({ level, write: (l) => lines.push(JSON.parse(l)) });
  return { logger, lines };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
