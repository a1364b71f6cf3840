// Runs in the Electron main process (plain Node). The shell's log: one JSON line per event to
// stderr and to <userData>/logs/main.log, which is rolled over to main.log.1 at a size limit so
// a kiosk that runs for months never fills its disk. Lines come from src/core/log, which never
// carries tokens or subject handles.
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const DEFAULT_MAX_LOG_BYTES = 10 * 1024 * 1024;

export interface LogFile {
  write(line: string): void;
  close(): void;
}

export function openLogFile(path: string, maxBytes: number = DEFAULT_MAX_LOG_BYTES): LogFile {
  mkdirSync(dirname(path), { recursive: true });
  let fd: number | null = null;
  let size = 0;

  const open = () => {
    fd = openSync(path, 'a', 0o600);
    try {
      size = statSync(path).size;
    } catch {
      size = 0;
    }
  };
  const roll = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    try {
      renameSync(path, `${path}.1`); // keeps one previous file; the one before is replaced
    } catch {
      // cannot roll over (e.g. locked by a reader): keep appending rather than stop logging
    }
    open();
  };

  open();
  if (size >= maxBytes) roll();

  return {
    write(line) {
      if (fd === null) return;
      const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
      try {
        if (size + bytes.length > maxBytes && size > 0) roll();
        writeSync(fd, bytes);
        size += bytes.length;
      } catch {
        // A full or read-only disk must not stop the kiosk; stderr still has the line.
      }
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
