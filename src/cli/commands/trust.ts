// Runs in Node. `munjigi trust <subcommand>`: the authority's trust list tools. Each
// subcommand is one entry in `subcommands`; database-backed ones (add-issuer, add-key,
// revoke-key against the central server) are added there without touching the others.
import { parseArgs } from '../args';
import { resolve } from 'node:path';
import { parseTrustList, readPrivateKeyFile, signTrustList } from '../../core/kp1';
import type { CliIo, Command } from '../io';
import { UsageError, writeLine } from '../io';
import { readJsonFile, required } from '../options';
import { trustServerSubcommands } from './server';
import { loadTrustFile } from './verify';

interface TrustSubcommand {
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

const MAX_TRUST_FILE_BYTES = 2_000_000;

const sign: TrustSubcommand = {
  usage: `munjigi trust sign --key ROOT_PEM --key-id root-1 TRUSTLIST.json
      validates the trust list and prints its signed envelope {"payload","keyId","signature"}`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { key: { type: 'string' }, 'key-id': { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new UsageError('BAD_OPTION', '서명할 신뢰 목록 파일 하나를 지정해 주세요.');
    const list = parseTrustList(readJsonFile(positionals[0]!, io.cwd, MAX_TRUST_FILE_BYTES, '신뢰 목록'));
    const rootKey = readPrivateKeyFile(resolve(io.cwd, required(values.key, '--key')));
    writeLine(io.stdout, JSON.stringify(signTrustList(list, rootKey, required(values['key-id'], '--key-id'))));
    return 0;
  },
};

const show: TrustSubcommand = {
  usage: `munjigi trust show --trust FILE [--root [KEYID=]KEY]...
      checks a trust list or signed envelope and prints a summary of its issuers and keys`,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { trust: { type: 'string' }, root: { type: 'string', multiple: true } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError('BAD_OPTION', `알 수 없는 인자입니다: ${positionals[0]!.slice(0, 40)}`);
    const list = loadTrustFile(required(values.trust, '--trust'), values.root ?? [], io.cwd);
    const summary = {
      sequence: list.sequence,
      issuedAt: list.issuedAt,
      issuers: list.issuers.map((i) => ({
        code: i.code,
        name: i.name,
        displayName: i.displayName,
        keys: i.keys.map((k) => ({ keyId: k.keyId, status: k.status, notBefore: k.notBefore, notAfter: k.notAfter })),
      })),
    };
    writeLine(io.stdout, JSON.stringify(summary, null, 2));
    return 0;
  },
};

/** Trust subcommands by name. Central-server ones (add-issuer, add-key, revoke-key) go here. */
const subcommands: Record<string, TrustSubcommand> = { sign, show, ...trustServerSubcommands };

export const command: Command = {
  name: 'trust',
  summary: 'sign and inspect the authority trust list',
  get usage() {
    return `Usage:\n${Object.values(subcommands)
      .map((s) => `  ${s.usage}`)
      .join('\n')}`;
  },
  async run(argv, io) {
    const [name, ...rest] = argv;
    const sub = name !== undefined && Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
    if (!sub) {
      throw new UsageError(
        'UNKNOWN_SUBCOMMAND',
        `trust 다음에는 ${Object.keys(subcommands).join(', ')} 중 하나를 써 주세요${name ? ` (받은 값: ${name.slice(0, 40)})` : ''}.`,
      );
    }
    return sub.run(rest, io);
  },
};
