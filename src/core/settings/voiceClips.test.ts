// Runs under vitest (Node). Replacing a voice clip: a good file is copied under a generated name
// and only then named in settings (the user's path is kept nowhere); a refused file or a failed
// settings write changes nothing and leaves no file behind; reset removes the copy; only the
// clips in use are served; a file over 2 MB is not read.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../log';
import { defaultSettings, openSettings } from './store';
import type { SettingsStore } from './store';
import { VOICE_CLIP_URL_PREFIX } from '../../shared/contract';
import { openVoiceClips, readClipFile } from './voiceClips';

const hasSox = existsSync('/usr/bin/sox');
if (!hasSox) console.warn('voiceClips tests skipped: sox is not installed (Debian: sox)');

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(wrap?: (s: SettingsStore) => SettingsStore) {
  const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-clips-'));
  const inbox = mkdtempSync(join(tmpdir(), '홍길동-녹음-'));
  dirs.push(dataDir, inbox);
  const { logger, lines } = memoryLogger();
  const plain = openSettings({ path: join(dataDir, 'settings.json'), defaults: () => defaultSettings('k1'), logger });
  const settings = wrap ? wrap(plain) : plain;
  const clips = openVoiceClips({ dataDir, settings, logger });
  const tone = (name: string, seconds: number) => {
    execFileSync('sox', ['-n', '-r', '16000', '-b', '16', '-c', '1', join(inbox, name), 'synth', String(seconds), 'sine', '440'], { timeout: 30_000 });
    return join(inbox, name);
  };
  const stored = () => (existsSync(join(dataDir, 'voice')) ? readdirSync(join(dataDir, 'voice')).sort() : []);
  return { dataDir, inbox, lines, settings, clips, tone, stored };
}

describe.skipIf(!hasSox)('voice clips', () => {
  it('replace: copied under a generated name, named in settings, served; the path is kept nowhere', () => {
    const { clips, tone, stored, settings, lines, dataDir, inbox } = setup();
    const path = tone('내 목소리.wav', 1.2);
    const { settings: next, info } = clips.replaceFromFile('ok', path);
    expect(info).toMatchObject({ format: 'wav', durationMs: 1200 });
    const name = next.voiceClips.ok!;
    expect(name).toMatch(/^ok-[0-9a-f]{32}\.wav$/);
    expect(stored()).toEqual([name]);
    expect(readFileSync(join(dataDir, 'voice', name))).toEqual(readFileSync(path));
    expect(settings.get().voiceClips).toEqual({ ok: name, duplicate: null, refused: null });
    const onDisk = readFileSync(join(dataDir, 'settings.json'), 'utf8');
    const logged = JSON.stringify(lines);
    expect(logged).toContain('voice clip replaced'); // the log is really being read
    for (const text of [onDisk, logged]) {
      expect(text).not.toContain(inbox);
      expect(text).not.toContain('내 목소리');
    }
    expect(clips.fileFor(`${VOICE_CLIP_URL_PREFIX}${name}`)).toBe(join(dataDir, 'voice', name));
  });

  it('a second replace removes the first copy; reset removes the copy and goes back to built-in', () => {
    const { clips, tone, stored } = setup();
    const first = clips.replaceFromFile('refused', tone('a.wav', 1)).settings.voiceClips.refused!;
    const second = clips.replaceFromFile('refused', tone('b.wav', 2)).settings.voiceClips.refused!;
    expect(second).not.toBe(first);
    expect(stored()).toEqual([second]);
    expect(clips.fileFor(`${VOICE_CLIP_URL_PREFIX}${first}`)).toBeNull();
    expect(clips.reset('refused').voiceClips.refused).toBeNull();
    expect(stored()).toEqual([]);
    expect(clips.fileFor(`${VOICE_CLIP_URL_PREFIX}${second}`)).toBeNull();
  });

  it('a refused file keeps the old clip and leaves no file behind', () => {
    const { clips, tone, stored, settings, inbox } = setup();
    const good = clips.replaceFromFile('duplicate', tone('good.wav', 1)).settings.voiceClips.duplicate;
    const before = settings.get();
    writeFileSync(join(inbox, 'notes.wav'), '녹음 아님');
    const refusals: Array<[string, string]> = [
      [tone('long.wav', 6), 'VOICE_CLIP_TOO_LONG'],
      [join(inbox, 'notes.wav'), 'VOICE_CLIP_FORMAT'],
      [join(inbox, 'missing.wav'), 'VOICE_CLIP_UNREADABLE'],
      [inbox, 'VOICE_CLIP_UNREADABLE'], // a folder
    ];
    for (const [path, code] of refusals) {
      expect(() => clips.replaceFromFile('duplicate', path)).toThrowError(expect.objectContaining({ code }));
    }
    expect(settings.get()).toEqual(before);
    expect(stored()).toEqual([good]);
  });

  it('a settings write that fails after the copy removes the copy: never half-applied', () => {
    const { clips, tone, stored, settings } = setup((s) => ({
      ...s,
      get: () => s.get(),
      setVoiceClip: () => {
        throw Object.assign(new Error('disk full'), { code: 'SETTINGS_WRITE_FAILED' });
      },
    }));
    expect(() => clips.replaceFromFile('ok', tone('a.wav', 1))).toThrow('disk full');
    expect(stored()).toEqual([]);
    expect(settings.get().voiceClips.ok).toBeNull();
  });

  it('serves only clips in use, by their exact generated name', () => {
    const { clips, tone } = setup();
    const name = clips.replaceFromFile('ok', tone('a.wav', 1)).settings.voiceClips.ok!;
    for (const url of [
      '/voice-clips/../settings.json',
      `/voice-clips/${name.replace('ok-', 'refused-')}`,
      `/voice-clips/${name}?x=1`,
      `/voice-clips/%2e%2e%2f${name}`,
      `/other/${name}`,
      '/voice-clips/',
    ]) {
      expect(clips.fileFor(url)).toBeNull();
    }
  });

  it('reads at most 2 MB: a bigger file is refused without reading it all', () => {
    const { inbox } = setup();
    const big = join(inbox, 'big.wav');
    writeFileSync(big, Buffer.alloc(3 * 1024 * 1024));
    expect(() => readClipFile(big)).toThrowError(expect.objectContaining({ code: 'VOICE_CLIP_TOO_BIG' }));
  });
});
