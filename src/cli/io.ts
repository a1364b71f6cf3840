// Runs in Node. What a CLI command gets: its arguments, streams and environment, passed in
// so commands are tested in-process without spawning.
import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Command {
  name: string;
  /** One line for `munjigi help`. */
  summary: string;
  /** Full usage text for `munjigi <name> --help`. */
  usage: string;
  /** Returns the exit code. Bad input: a Korean message with a stable code on stderr, exit 2. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** A usage error: printed as `munjigi <cmd>: <message> (code: CODE)` with exit 2. */
export class UsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const writeLine = (stream: Writable, line: string) => stream.write(line + '\n');

/** Reads stdin line by line without holding the whole input in memory. */
export async function* lines(stream: Readable): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of stream) {
    rest += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = rest.indexOf('\n')) >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, '');
      rest = rest.slice(nl + 1);
    }
  }
  if (rest.length > 0) yield rest.replace(/\r$/, '');
}
