// Runs in Node. `munjigi issue`: mints a KP1 token the way an issuer app would, and optionally
// its QR image (error correction M), for demos, tests and checking a kiosk's scanner.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from '../args';
import QRCode from 'qrcode';
import { mintToken, readPrivateKeyFile } from '../../core/kp1';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';
import { integerOption, required } from '../options';

const usage = `Usage: munjigi issue --key FILE --issuer N --key-id K [--ttl 15] [--at UNIX] [--minor] [--png FILE]

Mints one KP1 token signed with the issuer's private key (PKCS#8 PEM from munjigi keys new-issuer)
and prints it.
  --issuer N   issuer code in the trust list (1 naver, 2 kakao, 3 pass)
  --key-id K   which of the issuer's keys this is (0-255)
  --ttl S      validity in seconds, 1-60 (default 15)
  --at UNIX    issued-at in Unix seconds (default: now)
  --minor      holder under 14 with guardian consent on record
  --png FILE   also write the token as a QR code PNG (error correction M)`;

/** Renders a token as the QR PNG an issuer app would show (level M; version 8 for KP1). */
export function tokenQrPng(token: string): Promise<Buffer> {
  return QRCode.toBuffer(token, { errorCorrectionLevel: 'M', type: 'png', margin: 4, scale: 8 });
}

export const command: Command = {
  name: 'issue',
  summary: 'mint a KP1 token (and a QR image) for demos and tests',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        key: { type: 'string' },
        issuer: { type: 'string' },
        'key-id': { type: 'string' },
        ttl: { type: 'string' },
        at: { type: 'string' },
        minor: { type: 'boolean' },
        png: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 0) throw new UsageError('BAD_OPTION', `알 수 없는 인자입니다: ${positionals[0]!.slice(0, 40)}`);
    const issuer = required(integerOption(values.issuer, '--issuer', 0, 255), '--issuer');
    const keyId = required(integerOption(values['key-id'], '--key-id', 0, 255), '--key-id');
    const ttl = integerOption(values.ttl, '--ttl', 1, 60, 15)!;
    const issuedAt = integerOption(values.at, '--at', 0, 0xffffffff, Math.floor(Date.now() / 1000))!;
    const privateKey = readPrivateKeyFile(resolve(io.cwd, required(values.key, '--key')));
    const token = mintToken({ privateKey, issuer, keyId, issuedAt, ttl, minorWithConsent: values.minor ?? false });
    if (values.png !== undefined) {
      const path = resolve(io.cwd, values.png);
      try {
        writeFileSync(path, await tokenQrPng(token));
      } catch (err) {
        throw new UsageError('FILE_UNWRITABLE', `QR 이미지를 쓸 수 없습니다: ${values.png} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    writeLine(io.stdout, token);
    return 0;
  },
};
