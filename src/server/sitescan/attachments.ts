// Runs in Node (server, CLI). What a board attachment really is, from its bytes: executables
// renamed as documents, and archives that carry executables (names read from the zip
// central directory; nothing is extracted or run).

export function sniffKind(bytes: Buffer): string {
  const head = bytes.subarray(0, 8);
  if (head[0] === 0x4d && head[1] === 0x5a) return 'pe';
  if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) return 'elf';
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1')) || head.subarray(0, 4).equals(Buffer.from('PK\x05\x06', 'latin1'))) return 'zip';
  if (head.subarray(0, 4).toString('latin1') === 'Rar!') return 'rar';
  if (head.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))) return '7z';
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ole'; // HWP 5, old Office
  if (head.subarray(0, 4).toString('latin1') === 'HWP ') return 'hwp';
  const text = bytes.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (/^<(?:!doctype html|html|head|body)/.test(text)) return 'html';
  if (/^(?:#!|@echo off|<hta:|<script|on error resume next|createobject\(|wscript\.)/.test(text)) return 'script';
  return 'other';
}

/** File names in a zip, from its central directory (bounded). */
export function zipEntries(buf: Buffer, max = 2000): string[] {
  // the end-of-central-directory record is in the last 64 KiB + 22 bytes
  const from = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return [];
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count && n < max; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) break;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const flags = buf.readUInt16LE(p + 8);
    names.push(buf.subarray(p + 46, p + 46 + nameLen).toString(flags & 0x800 ? 'utf8' : 'latin1'));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}
