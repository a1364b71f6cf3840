// Runs under vitest (Node). Runs `munjigi` in-process with fake streams, for command tests.
import { PassThrough, Readable } from 'node:stream';
import { main } from './index';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function runCli(argv: string[], options: { stdin?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await main(argv, { stdin: Readable.from([options.stdin ?? '']), stdout, stderr, env: options.env ?? {}, cwd: options.cwd ?? process.cwd() });
  return { code, out, err };
}

/** stdout as parsed JSON lines. */
export const jsonLines = (out: string): unknown[] =>
  out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
