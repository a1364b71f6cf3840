// Runs in Node. `munjigi specimen-card`: prints the kiosk's 점검용 (specimen) QR card, signed with
// the specimen key in its data folder (made there if absent). Scanned during the 자가점검 it is
// answered 점검용 QR 확인됨 and proves the scanner end to end; anywhere else it is refused
// (SPECIMEN_TOKEN). It never admits anyone and writes no entry.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from '../args';
import { silentLogger } from '../../core/log';
import { openSpecimenIssuer } from '../../core/selftest';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';
import { required } from '../options';
import { tokenQrPng } from './issue';

const usage = `Usage: munjigi specimen-card --data DIR [--png FILE]

Prints a specimen (점검용) token signed with the kiosk's specimen key (DIR/specimen/specimen-key.pem,
made if absent) and optionally writes it as a QR code PNG to print and keep by the kiosk.
  --data DIR   the kiosk's data folder (Electron's user-data folder, e.g. ~/.config/Munjigi)
  --png FILE   also write the QR code PNG (error correction M)
The card never admits anyone: outside the self-test the kiosk refuses it with SPECIMEN_TOKEN.`;

export const command: Command = {
  name: 'specimen-card',
  summary: 'print the kiosk’s specimen QR card for the opening self-test',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseArgs({ args: argv, options: { data: { type: 'string' }, png: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length > 0) throw new UsageError('BAD_OPTION', `알 수 없는 인자입니다: ${positionals[0]!.slice(0, 40)}`);
    const dataDir = resolve(io.cwd, required(values.data, '--data'));
    if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw new UsageError('DATA_DIR_MISSING', `데이터 폴더가 없습니다: ${values.data}`);
    const specimen = openSpecimenIssuer({ dataDir, logger: silentLogger });
    const token = specimen.mint(Math.floor(Date.now() / 1000));
    if (values.png !== undefined) {
      try {
        writeFileSync(resolve(io.cwd, values.png), await tokenQrPng(token));
      } catch (err) {
        throw new UsageError('FILE_UNWRITABLE', `QR 이미지를 쓸 수 없습니다: ${values.png} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    writeLine(io.stdout, token);
    return 0;
  },
};
