// Runs in Node (main, CLI). Names the symbology of a scan from its AIM symbology identifier
// (ISO/IEC 15424, e.g. "]Q1") and, where that is absent or ambiguous, the scanner's code id
// (Honeywell's table: HID POS reports carry it in byte 61).

export const SYMBOLOGIES = {
  qr: 'QR Code',
  datamatrix: 'Data Matrix',
  pdf417: 'PDF417',
  micropdf417: 'MicroPDF417',
  aztec: 'Aztec',
  maxicode: 'MaxiCode',
  hanxin: 'Han Xin',
  code128: 'Code 128',
  ean13: 'EAN-13',
  ean8: 'EAN-8',
  upca: 'UPC-A',
  upce: 'UPC-E',
  'ean-addon': 'EAN/UPC add-on',
  code39: 'Code 39',
  code93: 'Code 93',
  code11: 'Code 11',
  codabar: 'Codabar',
  itf: 'Interleaved 2 of 5',
  industrial2of5: 'Industrial 2 of 5',
  msi: 'MSI',
  databar: 'GS1 DataBar',
  telepen: 'Telepen',
  plessey: 'Plessey',
  codablock: 'Codablock',
  code16k: 'Code 16K',
  unknown: 'unknown',
} as const;

export type Symbology = keyof typeof SYMBOLOGIES;

/** AIM code character (the letter after "]") → symbology. Modifiers (GS1, ECI, check digit) do not change it. */
const BY_AIM: Readonly<Record<string, Symbology>> = {
  Q: 'qr',
  d: 'datamatrix',
  L: 'pdf417',
  z: 'aztec',
  U: 'maxicode',
  h: 'hanxin',
  C: 'code128',
  A: 'code39',
  G: 'code93',
  H: 'code11',
  F: 'codabar',
  I: 'itf',
  S: 'industrial2of5',
  M: 'msi',
  e: 'databar',
  B: 'telepen',
  P: 'plessey',
  O: 'codablock',
  K: 'code16k',
};

/** Honeywell code id → symbology: used when a report has no AIM id, "]X" (other), or "]E0". */
const BY_CODE_ID: Readonly<Record<string, Symbology>> = {
  s: 'qr',
  w: 'datamatrix',
  r: 'pdf417',
  R: 'micropdf417',
  z: 'aztec',
  x: 'maxicode',
  H: 'hanxin',
  j: 'code128',
  I: 'code128', // GS1-128
  d: 'ean13',
  D: 'ean8',
  c: 'upca',
  E: 'upce',
  b: 'code39',
  i: 'code93',
  h: 'code11',
  a: 'codabar',
  e: 'itf',
  g: 'msi',
  y: 'databar',
};

const own = (table: Readonly<Record<string, Symbology>>, key: string | null): Symbology | undefined =>
  key !== null && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/**
 * The symbology of a scan. `aim` is "]" + code character + modifier or null; `codeId` a single
 * character or null; `data` the decoded text (only its length and digits matter, for "]E0").
 */
export function symbologyOf(aim: string | null, codeId: string | null, data: string): Symbology {
  const letter = aim !== null && aim.length === 3 && aim[0] === ']' ? (aim[1] ?? null) : null;
  if (letter === 'E') {
    const modifier = aim?.[2];
    if (modifier === '4') return 'ean8';
    if (modifier === '1' || modifier === '2') return 'ean-addon';
    // "]E0"/"]E3" carry EAN-13, UPC-A and UPC-E alike; the code id or the digit count tells them apart.
    const byCode = own(BY_CODE_ID, codeId);
    if (byCode === 'ean13' || byCode === 'upca' || byCode === 'upce') return byCode;
    const digits = /^\d+/.exec(data)?.[0].length ?? 0;
    if (digits === 12) return 'upca';
    if (digits === 8) return 'upce';
    return 'ean13';
  }
  const byAim = letter === null || letter === 'X' ? undefined : own(BY_AIM, letter);
  return byAim ?? own(BY_CODE_ID, codeId) ?? 'unknown';
}

/** A label for people (the setup screen, logs). */
export const symbologyLabel = (s: Symbology): string => SYMBOLOGIES[s];
