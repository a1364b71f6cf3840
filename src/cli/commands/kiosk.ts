// Runs in Node. `munjigi kiosk enroll …`: enrolls a kiosk's data folder with the central API
// from a terminal (installers, the development host), exactly as the kiosk's own
// enrollment does: one-time code, pinned authority root key, a device key that stays here.
import { resolve } from 'node:path';
import { parseArgs } from '../args';
import { createKioskApp } from '../../core/app/kiosk';
import { createLogger } from '../../core/log';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';
import { required } from '../options';

const usage = `Usage:
  munjigi kiosk enroll --data DIR --api URL --code CODE --root KEY [--root-key-id root-1]

  --data DIR        the kiosk's data folder (the app's user data folder, or the dev host's --data)
  --api URL         the central API, https:// (http:// only for 127.0.0.1)
  --code CODE       the one-time enrollment code from the central API
  --root KEY        the authority root public key (base64url) printed by the central API at first start
  --root-key-id ID  its key id (default root-1)`;

export const command: Command = {
  name: 'kiosk',
  summary: 'enroll a kiosk with the central API',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'enroll') throw new UsageError('UNKNOWN_SUBCOMMAND', `알 수 없는 하위 명령입니다: ${String(sub ?? '(없음)')}\n${usage}`);
    const { values } = parseArgs({
      args: rest,
      options: {
        data: { type: 'string' },
        api: { type: 'string' },
        code: { type: 'string' },
        root: { type: 'string' },
        'root-key-id': { type: 'string', default: 'root-1' },
      },
      strict: true,
    });
    const rootPublicKey = required(values.root, '--root');
    if (!/^[A-Za-z0-9_-]{43}$/.test(rootPublicKey)) throw new UsageError('ROOT_KEY_INVALID', '--root 는 base64url 로 쓴 32바이트 Ed25519 공개키여야 합니다.');
    const kiosk = createKioskApp({
      dataDir: resolve(io.cwd, required(values.data, '--data')),
      demo: false,
      logger: createLogger({ level: 'warn', write: (line) => io.stderr.write(line + '\n') }),
    });
    try {
      const fault = kiosk.status().fault;
      if (fault) throw new UsageError(fault.code, fault.message);
      // The terminal user owns the data folder already; the operator PIN guards the screen.
      const enrolled = await kiosk.enroll({
        apiUrl: required(values.api, '--api'),
        code: required(values.code, '--code'),
        rootKeyId: values['root-key-id'] ?? 'root-1',
        rootPublicKey,
      });
      writeLine(io.stdout, JSON.stringify(enrolled));
      return 0;
    } finally {
      await kiosk.close();
    }
  },
};
