// Runs in Node (vitest). Runs a munjigi CLI command in-process with fake streams and returns its
// exit code and what it printed, for the integration tests of the commands.
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/index';

export async function runCli(argv: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(argv, { stdin: new PassThrough(), stdout, stderr, env: opts.env ?? {}, cwd: opts.cwd ?? process.cwd() });
  return { code, out, err };
}
