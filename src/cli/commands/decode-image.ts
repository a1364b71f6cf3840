// Runs in Node. `munjigi decode-image FILE…`: reads QR codes from still PNG/JPEG images with the
// camera's default decoder (zxing-wasm, chosen by measurement — docs/camera.md), one JSON line a file.
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type * as ZxingReader from 'zxing-wasm/reader';
import type { Command } from '../io';
import { UsageError, writeLine } from '../io';

const usage = `Usage: munjigi decode-image FILE…

Reads each PNG or JPEG image and prints one JSON line per file: {"file":"…","data":"…"}
("data" is null where no QR code was read). Only QR codes are looked for.
A file that cannot be read (missing, not PNG/JPEG, damaged, over 32 MB) is reported on stderr
with a code and skipped; the others are still decoded and the exit code is then 2.`;

/** Largest image file accepted; a camera still is far smaller. */
export const MAX_IMAGE_BYTES = 32 * 1024 * 1024;

type Reader = typeof ZxingReader;
let reader: Promise<Reader> | undefined;

/** Loads zxing-wasm with its .wasm read from node_modules (never fetched from a CDN). */
function loadReader(): Promise<Reader> {
  reader ??= (async () => {
    const mod = await import('zxing-wasm/reader');
    const require = createRequire(import.meta.url);
    const wasm = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
    mod.prepareZXingModule({
      overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer },
      fireImmediately: true,
    });
    return mod;
  })();
  return reader;
}

class ImageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** A truncated file: a PNG must end with its IEND chunk, a JPEG with the EOI marker (FF D9). */
function looksComplete(b: Uint8Array): boolean {
  const tail = Buffer.from(b.subarray(Math.max(0, b.length - 64)));
  return isPng(b) ? tail.includes('IEND', 0, 'latin1') : tail.includes(Buffer.from([0xff, 0xd9]));
}

/** Decodes one image file's bytes; null when the image holds no readable QR code. */
export async function decodeImageBytes(bytes: Uint8Array): Promise<string | null> {
  if (!isPng(bytes) && !isJpeg(bytes)) throw new ImageError('IMAGE_FORMAT_UNSUPPORTED', 'PNG 또는 JPEG 이미지가 아닙니다');
  // zxing-wasm answers a damaged image with "no code"; say it is damaged instead.
  if (!looksComplete(bytes)) throw new ImageError('IMAGE_UNREADABLE', '이미지가 잘렸거나 손상되었습니다');
  const { readBarcodes } = await loadReader();
  let results;
  try {
    results = await readBarcodes(bytes, { formats: ['QRCode'], tryHarder: true, maxNumberOfSymbols: 1 });
  } catch {
    throw new ImageError('IMAGE_UNREADABLE', '이미지를 해석할 수 없습니다 (파일이 손상되었을 수 있습니다)');
  }
  const hit = results.find((r) => r.isValid);
  return hit ? hit.text : null;
}

async function readImage(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ImageError('FILE_UNREADABLE', '일반 파일이 아닙니다');
    size = s.size;
  } catch (e) {
    if (e instanceof ImageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw code === 'ENOENT' ? new ImageError('FILE_NOT_FOUND', '파일이 없습니다') : new ImageError('FILE_UNREADABLE', '파일을 읽을 수 없습니다');
  }
  if (size > MAX_IMAGE_BYTES) throw new ImageError('IMAGE_TOO_LARGE', `이미지가 너무 큽니다 (${MAX_IMAGE_BYTES / 1024 / 1024} MB 초과)`);
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    throw new ImageError('FILE_UNREADABLE', '파일을 읽을 수 없습니다');
  }
}

export const command: Command = {
  name: 'decode-image',
  summary: 'read QR codes from PNG/JPEG images with the camera decoder',
  usage,
  async run(argv, io) {
    const files = argv.filter((a) => a !== '--');
    const option = files.find((a) => a.startsWith('-') && a !== '-');
    if (option !== undefined && argv[0] !== '--') throw new UsageError('BAD_OPTION', `알 수 없는 옵션입니다: ${option.slice(0, 40)}`);
    if (files.length === 0) throw new UsageError('NO_FILES', '이미지 파일을 하나 이상 지정하세요.');
    let bad = 0;
    for (const file of files) {
      try {
        const data = await decodeImageBytes(await readImage(resolve(io.cwd, file)));
        writeLine(io.stdout, JSON.stringify({ file, data }));
      } catch (e) {
        if (!(e instanceof ImageError)) throw e;
        bad++;
        writeLine(io.stderr, `munjigi decode-image: ${JSON.stringify(file)}: ${e.message} (code: ${e.code})`);
      }
    }
    if (bad > 0) {
      writeLine(io.stderr, `munjigi decode-image: 읽지 못한 파일 ${bad}개를 건너뛰었습니다. (code: BAD_INPUT)`);
      return 2;
    }
    return 0;
  },
};
