// Runs in Node. `munjigi keys`: Ed25519 key pairs for an authority root (signs trust lists) or
// an issuer (signs KP1 tokens). The private key goes to a 0600 PEM file, never to stdout unless asked.
import { resolve } from 'node:path';
import { parseArgs } from '../args';
import type { KeyObject } from 'node:crypto';
import { generateKeyPair, privateKeyToPem, publicKeyToBase64url, readPrivateKeyFile, writePrivateKeyFile } from '../../core/kp1';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';
import { integerOption } from '../options';

const usage = `Usage:
  munjigi keys new-authority --out FILE [--key-id root-1]
      a root key pair for signing trust lists; prints {"keyId","publicKey"} (pin it with
      munjigi verify --root KEYID=PUBLICKEY, or in the kiosk settings)
  munjigi keys new-issuer --out FILE [--key-id 1] [--valid-days 365]
      an issuer key pair for minting KP1 tokens; prints {"publicKey","trustKey"} where
      trustKey is the entry to put in the issuer's "keys" in the trust list
  munjigi keys public --key FILE
      prints {"publicKey"} of a private key file
The private key is written as PKCS#8 PEM with mode 0600 and an existing file is never
overwritten. --print-private instead prints it in the JSON (demos only).`;

const ROOT_KEY_ID = /^[A-Za-z0-9._-]{1,128}$/;
const DAY_S = 86_400;

function keepPrivate(key: KeyObject, out: string | undefined, printPrivate: boolean | undefined, cwd: string): { privateKeyPem?: string } {
  if (out !== undefined) {
    writePrivateKeyFile(resolve(cwd, out), key);
    return {};
  }
  if (printPrivate) return { privateKeyPem: privateKeyToPem(key) };
  throw new UsageError('MISSING_OPTION', '--out 파일 경로가 필요합니다 (개인키는 화면에 출력하지 않습니다).');
}

const isoSeconds = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const command: Command = {
  name: 'keys',
  summary: 'create Ed25519 keys for an authority root or a token issuer',
  usage,
  async run(argv, io) {
    const [action, ...rest] = argv;
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        out: { type: 'string' },
        key: { type: 'string' },
        'key-id': { type: 'string' },
        'valid-days': { type: 'string' },
        'print-private': { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError('BAD_OPTION', `알 수 없는 인자입니다: ${positionals[0]!.slice(0, 40)}`);
    if (values.out !== undefined && values['print-private']) throw new UsageError('BAD_OPTION', '--out 과 --print-private 는 함께 쓸 수 없습니다.');

    if (action === 'new-authority') {
      const keyId = values['key-id'] ?? 'root-1';
      if (!ROOT_KEY_ID.test(keyId)) throw new UsageError('BAD_OPTION', '--key-id 는 영문, 숫자, . _ - 로 된 1~128자여야 합니다.');
      const pair = generateKeyPair();
      const extra = keepPrivate(pair.privateKey, values.out, values['print-private'], io.cwd);
      writeLine(io.stdout, JSON.stringify({ keyId, publicKey: publicKeyToBase64url(pair.publicKey), ...extra }));
      return 0;
    }
    if (action === 'new-issuer') {
      const keyId = integerOption(values['key-id'], '--key-id', 0, 255, 1)!;
      const days = integerOption(values['valid-days'], '--valid-days', 1, 3650, 365)!;
      const pair = generateKeyPair();
      const extra = keepPrivate(pair.privateKey, values.out, values['print-private'], io.cwd);
      const publicKey = publicKeyToBase64url(pair.publicKey);
      const now = Math.floor(Date.now() / 1000);
      const trustKey = { keyId, publicKey, notBefore: isoSeconds(now), notAfter: isoSeconds(now + days * DAY_S), status: 'active' };
      writeLine(io.stdout, JSON.stringify({ publicKey, trustKey, ...extra }));
      return 0;
    }
    if (action === 'public') {
      if (values.key === undefined) throw new UsageError('MISSING_OPTION', '--key 개인키 파일 경로가 필요합니다.');
      writeLine(io.stdout, JSON.stringify({ publicKey: publicKeyToBase64url(readPrivateKeyFile(resolve(io.cwd, values.key))) }));
      return 0;
    }
    throw new UsageError('UNKNOWN_SUBCOMMAND', `keys 다음에는 new-authority, new-issuer, public 중 하나를 써 주세요${action ? ` (받은 값: ${action.slice(0, 40)})` : ''}.`);
  },
};
