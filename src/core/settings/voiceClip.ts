// Runs in Node (main, development host). Checks a recorded voice clip before the kiosk uses it:
// the type by its magic bytes (never the file name), then its header parsed for real: WAV (PCM
// 8/16-bit, mono/stereo; duration from the data chunk and byte rate), MP3 (every MPEG Layer III
// frame walked and counted; duration = frames × samples per frame / rate) and Ogg Opus or Vorbis
// (every page's CRC checked, one stream to its end-of-stream page; duration from the last
// granule position). A file cut short, a header that lies about its sizes, too big (2 MB) or
// too long (5 s) is refused with a stable code and a Korean sentence.
import { CodedError } from '../../shared/envelope';

export const MAX_CLIP_BYTES = 2 * 1024 * 1024;
export const MAX_CLIP_MS = 5000;

export type ClipFormat = 'wav' | 'mp3' | 'ogg';

export interface ClipInfo {
  format: ClipFormat;
  /** What is inside, for the operator: "PCM 16-bit", "MPEG-1 Layer III", "Opus", "Vorbis". */
  codec: string;
  durationMs: number;
  sampleRate: number;
  channels: number;
  bytes: number;
}

export const clipTooBig = () =>
  new CodedError('VOICE_CLIP_TOO_BIG', '음성 파일이 너무 큽니다 (최대 2 MB). 5초 이내로 줄여 다시 저장해 주세요. 기존 음성은 그대로입니다.');
const corrupt = (what: string) =>
  new CodedError('VOICE_CLIP_CORRUPT', `음성 파일이 손상되었거나 잘려 있습니다 (${what}). 파일을 다시 저장해 주세요. 기존 음성은 그대로입니다.`);
const unsupported = (what: string) =>
  new CodedError(
    'VOICE_CLIP_UNSUPPORTED',
    `지원하지 않는 음성 형식입니다 (${what}). WAV(PCM 8/16비트, 모노·스테레오), MP3, OGG(Opus·Vorbis)만 쓸 수 있습니다. 기존 음성은 그대로입니다.`,
  );

/** Checks `bytes` and returns what they hold; throws a CodedError (VOICE_CLIP_*) when it cannot be used. */
export function inspectClip(bytes: Uint8Array): ClipInfo {
  if (bytes.length === 0) throw new CodedError('VOICE_CLIP_EMPTY', '음성 파일이 비어 있습니다. 녹음한 파일을 다시 골라 주세요. 기존 음성은 그대로입니다.');
  if (bytes.length > MAX_CLIP_BYTES) throw clipTooBig();
  const info = parseByMagic(bytes);
  if (info.durationMs <= 0) throw corrupt('소리 데이터가 없습니다');
  if (info.durationMs > MAX_CLIP_MS) {
    throw new CodedError(
      'VOICE_CLIP_TOO_LONG',
      `음성 파일이 너무 깁니다 (${(info.durationMs / 1000).toFixed(1)}초, 최대 5초). 짧게 다시 녹음해 주세요. 기존 음성은 그대로입니다.`,
    );
  }
  return info;
}

function parseByMagic(b: Uint8Array): ClipInfo {
  const ascii = (at: number, n: number) => (b.length >= at + n ? String.fromCharCode(...b.subarray(at, at + n)) : '');
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') return parseWav(b);
  if (ascii(0, 4) === 'OggS') return parseOgg(b);
  if (ascii(0, 3) === 'ID3' || (b.length >= 2 && b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0)) return parseMp3(b);
  if (ascii(0, 4) === 'RIFF') throw unsupported('WAVE가 아닌 RIFF 파일');
  throw new CodedError('VOICE_CLIP_FORMAT', '음성 파일이 아닙니다. WAV, MP3, OGG 파일을 골라 주세요. 기존 음성은 그대로입니다.');
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

// ---- WAV -------------------------------------------------------------------------------------

const PCM = 1;
const EXTENSIBLE = 0xfffe;

function parseWav(b: Uint8Array): ClipInfo {
  const v = view(b);
  if (b.length < 12) throw corrupt('WAV 머리글이 짧습니다');
  const riffEnd = v.getUint32(4, true) + 8;
  if (riffEnd > b.length) throw corrupt('RIFF 크기가 파일보다 큽니다');
  let fmt: { channels: number; rate: number; byteRate: number; blockAlign: number; bits: number } | null = null;
  let dataBytes: number | null = null;
  let at = 12;
  while (at + 8 <= riffEnd) {
    const id = String.fromCharCode(...b.subarray(at, at + 4));
    const size = v.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > riffEnd) throw corrupt(`${id.trim() || '?'} 청크가 잘렸습니다`);
    if (id === 'fmt ') {
      if (size < 16) throw corrupt('fmt 청크가 짧습니다');
      let format = v.getUint16(body, true);
      if (format === EXTENSIBLE) {
        if (size < 40) throw corrupt('WAVE_FORMAT_EXTENSIBLE 머리글이 짧습니다');
        format = v.getUint16(body + 24, true); // the sub-format GUID starts with the format tag
      }
      if (format !== PCM) throw unsupported(`WAV 압축 형식 ${format}`);
      fmt = {
        channels: v.getUint16(body + 2, true),
        rate: v.getUint32(body + 4, true),
        byteRate: v.getUint32(body + 8, true),
        blockAlign: v.getUint16(body + 12, true),
        bits: v.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) throw corrupt('fmt 청크보다 data 청크가 먼저 있습니다');
      dataBytes = size;
      break;
    }
    at = body + size + (size % 2); // chunks are word-aligned
  }
  if (!fmt) throw corrupt('fmt 청크가 없습니다');
  if (dataBytes === null) throw corrupt('data 청크가 없습니다');
  const { channels, rate, byteRate, blockAlign, bits } = fmt;
  if (bits !== 8 && bits !== 16) throw unsupported(`WAV ${bits}비트`);
  if (channels !== 1 && channels !== 2) throw unsupported(`WAV ${channels}채널`);
  if (rate < 8000 || rate > 96_000) throw unsupported(`표본 추출률 ${rate} Hz`);
  // A header whose rates disagree with each other is lying about the duration.
  if (blockAlign !== (channels * bits) / 8 || byteRate !== rate * blockAlign) throw corrupt('WAV 머리글의 값이 서로 맞지 않습니다');
  return {
    format: 'wav',
    codec: `PCM ${bits}-bit`,
    durationMs: Math.round((Math.floor(dataBytes / blockAlign) / rate) * 1000),
    sampleRate: rate,
    channels,
    bytes: b.length,
  };
}

// ---- MP3 -------------------------------------------------------------------------------------

const MP3_RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
const MP3_KBPS_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MP3_KBPS_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

interface Mp3Frame {
  length: number;
  samples: number;
  rate: number;
  channels: number;
  version: string;
}

function mp3Frame(b: Uint8Array, at: number): Mp3Frame | null {
  if (at + 4 > b.length) return null;
  const h = ((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0);
  if ((h >>> 21) !== 0x7ff) return null;
  const versionBits = (h >>> 19) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = (h >>> 17) & 3; // 1 = Layer III
  const bitrateIndex = (h >>> 12) & 15;
  const rateIndex = (h >>> 10) & 3;
  if (versionBits === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const rate = MP3_RATES[versionBits]?.[rateIndex];
  if (!rate) return null;
  const v1 = versionBits === 3;
  const kbps = (v1 ? MP3_KBPS_V1 : MP3_KBPS_V2)[bitrateIndex] ?? 0;
  const padding = (h >>> 9) & 1;
  const samples = v1 ? 1152 : 576;
  const length = Math.floor(((samples / 8) * kbps * 1000) / rate) + padding;
  return { length, samples, rate, channels: ((h >>> 6) & 3) === 3 ? 1 : 2, version: v1 ? 'MPEG-1' : versionBits === 2 ? 'MPEG-2' : 'MPEG-2.5' };
}

function parseMp3(b: Uint8Array): ClipInfo {
  let at = 0;
  if (b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33) {
    // ID3v2: 10-byte header, synchsafe size, optional 10-byte footer.
    if (b.length < 10) throw corrupt('ID3 태그가 잘렸습니다');
    const size = (((b[6] ?? 0) & 0x7f) << 21) | (((b[7] ?? 0) & 0x7f) << 14) | (((b[8] ?? 0) & 0x7f) << 7) | ((b[9] ?? 0) & 0x7f);
    at = 10 + size + (((b[5] ?? 0) & 0x10) !== 0 ? 10 : 0);
    if (at > b.length) throw corrupt('ID3 태그 크기가 파일보다 큽니다');
  }
  // A trailing ID3v1 tag (128 bytes, "TAG") is not audio.
  let end = b.length;
  if (end - at >= 128 && b[end - 128] === 0x54 && b[end - 127] === 0x41 && b[end - 126] === 0x47) end -= 128;
  const first = mp3Frame(b, at);
  if (!first) throw new CodedError('VOICE_CLIP_FORMAT', '음성 파일이 아닙니다. WAV, MP3, OGG 파일을 골라 주세요. 기존 음성은 그대로입니다.');
  let frames = 0;
  let samples = 0;
  while (at < end) {
    const frame = mp3Frame(b, at);
    if (!frame) throw corrupt(`MP3 프레임 ${frames + 1}의 머리글이 올바르지 않습니다`);
    if (frame.rate !== first.rate) throw corrupt('MP3 프레임마다 표본 추출률이 다릅니다');
    if (at + frame.length > end) throw corrupt(`MP3 프레임 ${frames + 1}이 잘렸습니다`);
    at += frame.length;
    frames += 1;
    samples += frame.samples;
  }
  return {
    format: 'mp3',
    codec: `${first.version} Layer III`,
    durationMs: Math.round((samples / first.rate) * 1000),
    sampleRate: first.rate,
    channels: first.channels,
    bytes: b.length,
  };
}

// ---- Ogg (Opus, Vorbis) ----------------------------------------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : (page[i] ?? 0); // the CRC field itself counts as zeros
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  }
  return crc;
}

function parseOgg(b: Uint8Array): ClipInfo {
  const v = view(b);
  let at = 0;
  let serial: number | null = null;
  let expectedSeq = 0;
  let lastGranule = -1n;
  let ended = false;
  let head: { codec: 'Opus' | 'Vorbis'; rate: number; channels: number; preSkip: number } | null = null;
  while (at < b.length) {
    if (ended) throw corrupt('스트림이 끝난 뒤에 데이터가 더 있습니다');
    if (at + 27 > b.length || String.fromCharCode(...b.subarray(at, at + 4)) !== 'OggS') throw corrupt('OGG 페이지가 잘렸거나 올바르지 않습니다');
    if (b[at + 4] !== 0) throw unsupported('OGG 버전');
    const flags = b[at + 5] ?? 0;
    const granule = v.getBigInt64(at + 6, true);
    const pageSerial = v.getUint32(at + 14, true);
    const seq = v.getUint32(at + 18, true);
    const crc = v.getUint32(at + 22, true);
    const segments = b[at + 26] ?? 0;
    const bodyAt = at + 27 + segments;
    if (bodyAt > b.length) throw corrupt('OGG 페이지가 잘렸습니다');
    let bodyLength = 0;
    for (let i = 0; i < segments; i++) bodyLength += b[at + 27 + i] ?? 0;
    const pageEnd = bodyAt + bodyLength;
    if (pageEnd > b.length) throw corrupt('OGG 페이지가 잘렸습니다');
    if (oggCrc(b.subarray(at, pageEnd)) !== crc) throw corrupt('OGG 페이지의 검사값(CRC)이 맞지 않습니다');
    if (serial === null) {
      serial = pageSerial;
      if ((flags & 0x02) === 0) throw corrupt('OGG 스트림의 첫 페이지가 아닙니다');
      head = oggHead(b.subarray(bodyAt, pageEnd));
    } else if (pageSerial !== serial) {
      throw unsupported('OGG 안에 스트림이 여러 개');
    }
    if (seq !== expectedSeq) throw corrupt('OGG 페이지 순서가 맞지 않거나 빠진 페이지가 있습니다');
    expectedSeq += 1;
    if (granule !== -1n) lastGranule = granule;
    if ((flags & 0x04) !== 0) ended = true;
    at = pageEnd;
  }
  if (!head) throw corrupt('OGG 머리글이 없습니다');
  if (!ended) throw corrupt('OGG 스트림의 끝 페이지가 없습니다');
  if (lastGranule < 0n) throw corrupt('OGG 재생 위치가 없습니다');
  // Opus granules count 48 kHz samples including the encoder's pre-skip; Vorbis counts samples at its rate.
  const samples = head.codec === 'Opus' ? Number(lastGranule) - head.preSkip : Number(lastGranule);
  const clock = head.codec === 'Opus' ? 48_000 : head.rate;
  return { format: 'ogg', codec: head.codec, durationMs: Math.round((samples / clock) * 1000), sampleRate: head.rate, channels: head.channels, bytes: b.length };
}

function oggHead(p: Uint8Array): { codec: 'Opus' | 'Vorbis'; rate: number; channels: number; preSkip: number } {
  const v = view(p);
  const tag = (n: number, from = 0) => (p.length >= from + n ? String.fromCharCode(...p.subarray(from, from + n)) : '');
  if (tag(8) === 'OpusHead') {
    if (p.length < 19) throw corrupt('OpusHead가 짧습니다');
    if (((p[8] ?? 0) & 0xf0) !== 0) throw unsupported(`Opus 버전 ${p[8]}`);
    const channels = p[9] ?? 0;
    if (channels !== 1 && channels !== 2) throw unsupported(`Opus ${channels}채널`);
    return { codec: 'Opus', channels, preSkip: v.getUint16(10, true), rate: v.getUint32(12, true) || 48_000 };
  }
  if (p[0] === 1 && tag(6, 1) === 'vorbis') {
    if (p.length < 30) throw corrupt('Vorbis 머리글이 짧습니다');
    const channels = p[11] ?? 0;
    const rate = v.getUint32(12, true);
    if (channels !== 1 && channels !== 2) throw unsupported(`Vorbis ${channels}채널`);
    if (rate < 8000 || rate > 192_000) throw unsupported(`표본 추출률 ${rate} Hz`);
    return { codec: 'Vorbis', channels, preSkip: 0, rate };
  }
  throw unsupported('OGG 안의 코덱이 Opus·Vorbis가 아닙니다');
}
