// Runs under vitest (Node). `munjigi decode-image` in-process: a minted KP1 QR as PNG and JPEG,
// an image without a code, and bad files (missing, not an image, damaged) reported and skipped.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, mintToken } from '../../core/kp1';
import { jsonLines, runCli } from '../testing';

let dir: string;
let token: string;
const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'decode-image-'));
  token = mintToken({ privateKey: generateKeyPair().privateKey, issuer: 1, keyId: 1, issuedAt: 1_795_392_000 });
  const png = await QRCode.toBuffer(token, { type: 'png', errorCorrectionLevel: 'M', scale: 6 });
  writeFileSync(join(dir, 'qr.png'), png);
  writeFileSync(join(dir, 'damaged.png'), png.subarray(0, 60));
  const blank = new PNG({ width: 64, height: 48 });
  blank.data.fill(255);
  writeFileSync(join(dir, 'blank.png'), PNG.sync.write(blank));
  writeFileSync(join(dir, 'notes.txt'), 'not an image');
  if (hasFfmpeg) execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', join(dir, 'qr.png'), '-q:v', '4', join(dir, 'qr.jpg')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...files: string[]) => runCli(['decode-image', ...files], { cwd: dir });

describe('munjigi decode-image', () => {
  it('reads the KP1 token from a PNG', async () => {
    const r = await cli('qr.png');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(jsonLines(r.out)).toEqual([{ file: 'qr.png', data: token }]);
  });

  it.skipIf(!hasFfmpeg)('reads the same token from a JPEG', async () => {
    const r = await cli('qr.jpg');
    expect(r.code).toBe(0);
    expect(jsonLines(r.out)).toEqual([{ file: 'qr.jpg', data: token }]);
  });

  it('an image without a QR code gives data null and exit 0', async () => {
    const r = await cli('blank.png');
    expect(r.code).toBe(0);
    expect(jsonLines(r.out)).toEqual([{ file: 'blank.png', data: null }]);
  });

  it('bad files are reported in Korean with a code, the rest still decoded, exit 2', async () => {
    const r = await cli('missing.png', 'notes.txt', 'qr.png', 'damaged.png', '.');
    expect(r.code).toBe(2);
    expect(jsonLines(r.out)).toEqual([{ file: 'qr.png', data: token }]);
    expect(r.err).toContain('"missing.png": 파일이 없습니다 (code: FILE_NOT_FOUND)');
    expect(r.err).toContain('"notes.txt": PNG 또는 JPEG 이미지가 아닙니다 (code: IMAGE_FORMAT_UNSUPPORTED)');
    expect(r.err).toMatch(/"damaged\.png": .*\(code: IMAGE_UNREADABLE\)/);
    expect(r.err).toContain('".": 일반 파일이 아닙니다 (code: FILE_UNREADABLE)');
    expect(r.err).toContain('(code: BAD_INPUT)');
  });

  it('no files or an unknown option is a usage error', async () => {
    expect((await cli()).code).toBe(2);
    const r = await cli('--fast', 'qr.png');
    expect(r.code).toBe(2);
    expect(r.err).toContain('BAD_OPTION');
  });
});
