// Runs in Node. Option value parsing shared by CLI commands: numbers in a range and small
// files, refused with a Korean message and a stable code (exit 2) instead of guessed.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from './io';

const show = (value: string) => JSON.stringify(value.slice(0, 40));

/** A decimal number (fraction allowed) within [min, max], or `fallback` when absent. */
export function numberOption(value: string | undefined, name: string, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+(\.\d+)?$/.test(value) || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError('BAD_OPTION', `${name} 값은 ${min}~${max} 사이의 숫자여야 합니다: ${show(value)}`);
  }
  return n;
}

/** An integer within [min, max], or `fallback` when absent. */
export function integerOption(value: string | undefined, name: string, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError('BAD_OPTION', `${name} 값은 ${min}~${max} 사이의 정수여야 합니다: ${show(value)}`);
  }
  return n;
}

/** A required option: absent → MISSING_OPTION. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new UsageError('MISSING_OPTION', `${name} 옵션이 필요합니다.`);
  return value;
}

/** Reads a UTF-8 file of at most maxBytes, relative to the command's cwd. */
export function readSmallFile(path: string, cwd: string, maxBytes: number, what: string): string {
  const full = resolve(cwd, path);
  try {
    if (statSync(full).size > maxBytes) throw new UsageError('FILE_TOO_LARGE', `${what} 파일이 너무 큽니다 (${maxBytes} 바이트 초과): ${path}`);
    return readFileSync(full, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError('FILE_UNREADABLE', `${what} 파일을 읽을 수 없습니다: ${path} (${code})`);
  }
}

/** Reads and parses a small JSON file. */
export function readJsonFile(path: string, cwd: string, maxBytes: number, what: string): unknown {
  const text = readSmallFile(path, cwd, maxBytes, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('FILE_NOT_JSON', `${what} 파일이 JSON 형식이 아닙니다: ${path}`);
  }
}
