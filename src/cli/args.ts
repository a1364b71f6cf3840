// Runs in Node (the munjigi CLI). Node's parseArgs, except that a string option's value may
// start with a dash: base64url keys and tokens do (one in 64), and `--root -Ab3…` is a value,
// not an option, as long as it is not an option this command knows.
import { parseArgs as nodeParseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--name value` becomes `--name=value` where `name` takes a string and `value` starts with a dash but is not one of the command's options. */
export function joinDashValues(args: readonly string[], options: Options): string[] {
  const known = (arg: string) => arg === '--' || (arg.startsWith('--') && Object.hasOwn(options, arg.slice(2).split('=')[0]!));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : null;
    if (name !== null && Object.hasOwn(options, name) && options[name]!.type === 'string' && next !== undefined && next.startsWith('-') && !known(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof nodeParseArgs<T>> {
  if (!config.args) return nodeParseArgs(config);
  return nodeParseArgs({ ...config, args: joinDashValues(config.args, config.options ?? {}) } as T);
}
