// Runs in Node. The `munjigi` command: every file in ./commands that exports `command`
// is a subcommand, so adding one touches nothing else.
import { parseArgs } from './args';
import { CodedError } from '../shared/envelope';
import type { CliIo, Command } from './io';
import { UsageError, writeLine } from './io';

const modules = import.meta.glob<{ command: Command }>(['./commands/*.ts', '!./commands/*.test.ts']);

async function loadCommands(): Promise<Map<string, Command>> {
  const found = new Map<string, Command>();
  for (const [path, load] of Object.entries(modules)) {
    if (path.endsWith('.test.ts')) continue;
    const mod = await load();
    if (mod.command) found.set(mod.command.name, mod.command);
  }
  return found;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    writeLine(io.stdout, 'munjigi — 문지기 command line\n\nUsage: munjigi <command> [options]\n');
    for (const c of [...commands.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      writeLine(io.stdout, `  ${c.name.padEnd(16)} ${c.summary}`);
    }
    writeLine(io.stdout, '\nmunjigi <command> --help shows the options of a command.');
    return name ? 0 : 2;
  }
  const command = commands.get(name);
  if (!command) {
    writeLine(io.stderr, `munjigi: 알 수 없는 명령입니다: ${name.slice(0, 40)} (code: UNKNOWN_COMMAND)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    writeLine(io.stdout, command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError || err instanceof CodedError) {
      writeLine(io.stderr, `munjigi ${name}: ${err.message} (code: ${err.code})`);
      return 2;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      writeLine(io.stderr, `munjigi ${name}: 옵션이 올바르지 않습니다: ${err.message} (code: BAD_OPTION)`);
      writeLine(io.stderr, command.usage);
      return 2;
    }
    writeLine(io.stderr, `munjigi ${name}: 예기치 않은 오류: ${err instanceof Error ? err.message : String(err)} (code: INTERNAL)`);
    return 1;
  }
}

function processIo(): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

export { parseArgs };
