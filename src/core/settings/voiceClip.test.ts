// Runs under vitest (Node). The voice clip check against real files made here with espeak-ng,
// sox and ffmpeg (WAV 8/16-bit mono/stereo, MP3 with an ID3 tag, Ogg Opus and Vorbis), and
// against the ways a file goes wrong: cut short, a header that lies about sizes or rates, too
// long, too big, another type, flipped bytes. Every refusal is a VOICE_CLIP_* code, never a crash.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodedError } from '../../shared/envelope';
import { inspectClip, MAX_CLIP_BYTES } from './voiceClip';

const TOOLS = ['/usr/bin/sox', '/usr/bin/ffmpeg', '/usr/bin/espeak-ng'];
const missing = TOOLS.filter((t) => !existsSync(t));
if (missing.length > 0) console.warn(`voiceClip tests skipped: ${missing.join(', ')} not installed (Debian: sox ffmpeg espeak-ng)`);

let dir = '';
const file = (name: string) => join(dir, name);
const bytes = (name: string) => new Uint8Array(readFileSync(file(name)));
const sox = (...args: string[]) => execFileSync('sox', args, { timeout: 30_000 });
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { timeout: 30_000 });
/** sox's own reading of a file's duration, in ms, to compare with ours. */
const soxiMs = (name: string) => Number(execFileSync('soxi', ['-D', file(name)]).toString().trim()) * 1000;
/** ffprobe's reading of a file's duration, in ms. */
const probeMs = (name: string) =>
  Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file(name)]).toString().trim()) * 1000;

const codeOf = (b: Uint8Array): string => {
  try {
    inspectClip(b);
    return 'ACCEPTED';
  } catch (err) {
    if (err instanceof CodedError) {
      expect(err.message).toMatch(/[가-힣]/); // a Korean sentence for the operator
      return err.code;
    }
    throw err; // anything else is a bug in the parser
  }
};

describe.skipIf(missing.length > 0)('voice clip check with real files', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'munjigi-clip-'));
    execFileSync('espeak-ng', ['-v', 'ko', '-w', file('speech.wav'), '인증되었습니다'], { timeout: 30_000 });
    sox('-n', '-r', '8000', '-b', '8', '-c', '2', file('tone-8bit-stereo.wav'), 'synth', '1.5', 'sine', '440');
    sox('-n', '-r', '44100', '-b', '16', '-c', '2', file('tone-16bit-stereo.wav'), 'synth', '3', 'sine', '660');
    sox('-n', '-r', '16000', '-b', '16', '-c', '1', file('long.wav'), 'synth', '6', 'sine', '500');
    sox('-n', '-r', '16000', '-b', '24', '-c', '1', file('24bit.wav'), 'synth', '1', 'sine', '500');
    sox('-n', '-r', '16000', '-e', 'floating-point', '-b', '32', '-c', '1', file('float.wav'), 'synth', '1', 'sine', '500');
    sox('-n', '-r', '16000', '-b', '16', '-c', '4', file('quad.wav'), 'synth', '1', 'sine', '500');
    ffmpeg('-i', file('speech.wav'), '-c:a', 'libmp3lame', '-b:a', '64k', '-id3v2_version', '3', '-metadata', 'title=인증', file('speech.mp3'));
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=7', '-c:a', 'libmp3lame', '-b:a', '32k', file('long.mp3'));
    ffmpeg('-i', file('tone-16bit-stereo.wav'), '-c:a', 'libopus', '-b:a', '32k', file('tone.opus'));
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=6', '-c:a', 'libopus', file('long.opus'));
    ffmpeg('-i', file('speech.wav'), '-c:a', 'libvorbis', '-q:a', '2', file('speech.ogg'));
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['speech.wav', 'wav', 'PCM 16-bit', 1],
    ['tone-8bit-stereo.wav', 'wav', 'PCM 8-bit', 2],
    ['tone-16bit-stereo.wav', 'wav', 'PCM 16-bit', 2],
  ])('WAV %s: accepted with the duration sox reads', (name, format, codec, channels) => {
    const info = inspectClip(bytes(name));
    expect(info).toMatchObject({ format, codec, channels });
    expect(Math.abs(info.durationMs - soxiMs(name))).toBeLessThanOrEqual(1);
  });

  it('MP3 (ID3v2 tag, LAME): every frame counted, duration within one frame of ffprobe', () => {
    const info = inspectClip(bytes('speech.mp3'));
    expect(info).toMatchObject({ format: 'mp3', codec: 'MPEG-2 Layer III', sampleRate: 22050 });
    expect(Math.abs(info.durationMs - probeMs('speech.mp3'))).toBeLessThanOrEqual(60);
  });

  it('Ogg Opus and Ogg Vorbis: CRC-checked to the end page, duration from the last granule', () => {
    const opus = inspectClip(bytes('tone.opus'));
    expect(opus).toMatchObject({ format: 'ogg', codec: 'Opus', channels: 2 });
    expect(Math.abs(opus.durationMs - 3000)).toBeLessThanOrEqual(25);
    const vorbis = inspectClip(bytes('speech.ogg'));
    expect(vorbis).toMatchObject({ format: 'ogg', codec: 'Vorbis', channels: 1, sampleRate: 22050 });
    expect(Math.abs(vorbis.durationMs - soxiMs('speech.wav'))).toBeLessThanOrEqual(25);
  });

  it.each([['long.wav'], ['long.mp3'], ['long.opus']])('%s (6-7 s) is refused as too long', (name) => {
    expect(codeOf(bytes(name))).toBe('VOICE_CLIP_TOO_LONG');
  });

  it.each([['24bit.wav'], ['float.wav'], ['quad.wav']])('%s is refused as unsupported', (name) => {
    expect(codeOf(bytes(name))).toBe('VOICE_CLIP_UNSUPPORTED');
  });

  it.each([['speech.wav'], ['tone-16bit-stereo.wav'], ['speech.mp3'], ['tone.opus'], ['speech.ogg']])('%s cut short is refused as corrupt', (name) => {
    const whole = bytes(name);
    for (const keep of [0.5, 0.9]) expect(codeOf(whole.subarray(0, Math.floor(whole.length * keep)))).toBe('VOICE_CLIP_CORRUPT');
    expect(codeOf(whole.subarray(0, 30))).not.toBe('ACCEPTED');
  });

  it('a WAV header that lies: data size past the end, RIFF size past the end, byte rate halved to claim twice the time', () => {
    const wav = bytes('speech.wav');
    const dataAt = Buffer.from(wav).indexOf('data');
    const bigData = wav.slice();
    new DataView(bigData.buffer).setUint32(dataAt + 4, 22050 * 2 * 60, true);
    expect(codeOf(bigData)).toBe('VOICE_CLIP_CORRUPT');
    const bigRiff = wav.slice();
    new DataView(bigRiff.buffer).setUint32(4, wav.length * 4, true);
    expect(codeOf(bigRiff)).toBe('VOICE_CLIP_CORRUPT');
    const slow = wav.slice();
    const fmtAt = Buffer.from(wav).indexOf('fmt ');
    new DataView(slow.buffer).setUint32(fmtAt + 8 + 8, 22050, true); // byte rate of 8-bit, with 16-bit samples
    expect(codeOf(slow)).toBe('VOICE_CLIP_CORRUPT');
  });

  it('a flipped byte inside an Ogg page fails its CRC', () => {
    const ogg = bytes('tone.opus').slice();
    const at = Math.floor(ogg.length / 2);
    ogg[at] = (ogg[at] ?? 0) ^ 0xff;
    expect(codeOf(ogg)).toBe('VOICE_CLIP_CORRUPT');
  });

  it('a flipped frame header inside an MP3 is corrupt', () => {
    const mp3 = bytes('speech.mp3');
    const first = inspectClip(mp3);
    expect(first.format).toBe('mp3');
    // Find the second frame sync after the ID3 tag and break it.
    const id3 = 10 + ((mp3[6]! << 21) | (mp3[7]! << 14) | (mp3[8]! << 7) | mp3[9]!);
    const broken = mp3.slice();
    let second = id3 + 2;
    while (!(broken[second] === 0xff && (broken[second + 1]! & 0xe0) === 0xe0)) second++;
    broken[second] = 0x00;
    expect(codeOf(broken)).toBe('VOICE_CLIP_CORRUPT');
  });

  it('other types, empty and too big are refused by content, whatever the name', () => {
    expect(codeOf(new Uint8Array())).toBe('VOICE_CLIP_EMPTY');
    expect(codeOf(new TextEncoder().encode('인증되었습니다\n'))).toBe('VOICE_CLIP_FORMAT');
    expect(codeOf(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]))).toBe('VOICE_CLIP_FORMAT');
    expect(codeOf(new Uint8Array([...new TextEncoder().encode('RIFF'), 4, 0, 0, 0, ...new TextEncoder().encode('AVI ')]))).toBe('VOICE_CLIP_UNSUPPORTED');
    const big = new Uint8Array(MAX_CLIP_BYTES + 1);
    big.set(bytes('speech.wav').subarray(0, 44));
    expect(codeOf(big)).toBe('VOICE_CLIP_TOO_BIG');
  });

  it('random and mutated bytes never crash the parser: accepted or a VOICE_CLIP_* code', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32;
    const sources = ['speech.wav', 'speech.mp3', 'tone.opus', 'speech.ogg'].map(bytes);
    for (let i = 0; i < 400; i++) {
      const base = sources[i % sources.length]!;
      const b = base.slice(0, Math.max(1, Math.floor(base.length * (0.05 + rand()))));
      for (let k = 0; k < 1 + Math.floor(rand() * 8); k++) b[Math.floor(rand() * Math.min(b.length, 200))] = Math.floor(rand() * 256);
      expect(codeOf(b)).toMatch(/^(ACCEPTED|VOICE_CLIP_[A-Z_]+)$/);
    }
  });
});
