// Runs in Node (main, development host). The operator's recorded voice clips: a chosen file is
// read (bounded), checked (./voiceClip), copied into the kiosk's data folder under a generated
// name, and only then named in settings; the user's path is never kept. A refused file changes
// nothing; a replaced or reset clip's old copy is removed after settings point elsewhere.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings, VoiceClipName } from '../../shared/contract';
import { VOICE_CLIP_FILE, VOICE_CLIP_URL_PREFIX } from '../../shared/contract';
import { CodedError } from '../../shared/envelope';
import type { Logger } from '../log';
import type { SettingsStore } from './store';
import type { ClipInfo } from './voiceClip';
import { clipTooBig, inspectClip, MAX_CLIP_BYTES } from './voiceClip';

export const VOICE_CLIP_DIR = 'voice';

export interface VoiceClips {
  /** Checks the file at `path` and makes it the clip; throws VOICE_CLIP_* and changes nothing when refused. */
  replaceFromFile(clip: VoiceClipName, path: string): { settings: Settings; info: ClipInfo };
  /** Back to the built-in clip. */
  reset(clip: VoiceClipName): Settings;
  /** The file behind a `/voice-clips/<name>` request, only for a clip settings name now; else null. */
  fileFor(urlPath: string): string | null;
}

const unreadable = () =>
  new CodedError('VOICE_CLIP_UNREADABLE', '음성 파일을 읽을 수 없습니다. 파일이 있는지, 열 수 있는지 확인해 주세요. 기존 음성은 그대로입니다.');

/** Reads a regular file of at most MAX_CLIP_BYTES (+1 to tell "too big" apart) without trusting its reported size. */
export function readClipFile(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw unreadable();
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unreadable();
    if (st.size > MAX_CLIP_BYTES) throw clipTooBig();
    const buf = Buffer.alloc(MAX_CLIP_BYTES + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got === buf.length) break;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, got);
  } catch (err) {
    if (err instanceof CodedError) throw err;
    throw unreadable();
  } finally {
    closeSync(fd);
  }
}

export function openVoiceClips(opts: { dataDir: string; settings: SettingsStore; logger: Logger; randomName?: () => string }): VoiceClips {
  const dir = join(opts.dataDir, VOICE_CLIP_DIR);
  const randomName = opts.randomName ?? (() => randomBytes(16).toString('hex'));
  const remove = (name: string | null) => {
    if (!name) return;
    try {
      rmSync(join(dir, name), { force: true });
    } catch (err) {
      opts.logger.warn('old voice clip not removed', { code: (err as NodeJS.ErrnoException).code ?? 'unknown' });
    }
  };

  return {
    replaceFromFile(clip, path) {
      const bytes = readClipFile(path);
      const info = inspectClip(bytes);
      const name = `${clip}-${randomName()}.${info.format}`;
      if (!VOICE_CLIP_FILE.test(name)) throw new CodedError('VOICE_CLIP_NAME', '음성 파일 이름을 만들지 못했습니다. 다시 시도해 주세요.');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const target = join(dir, name);
      const tmp = `${target}.tmp`;
      try {
        const fd = openSync(tmp, 'wx', 0o600);
        try {
          writeSync(fd, bytes);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, target);
      } catch {
        rmSync(tmp, { force: true });
        throw new CodedError('VOICE_CLIP_SAVE_FAILED', '음성 파일을 저장하지 못했습니다. 디스크 공간을 확인해 주세요. 기존 음성은 그대로입니다.');
      }
      const previous = opts.settings.get().voiceClips[clip];
      let settings: Settings;
      try {
        settings = opts.settings.setVoiceClip(clip, name);
      } catch (err) {
        remove(name); // settings still name the old clip: nothing half-applied
        throw err;
      }
      remove(previous);
      // The file name is generated and the user's path is never logged (it may hold a name).
      opts.logger.info('voice clip replaced', { clip, format: info.format, codec: info.codec, durationMs: info.durationMs, bytes: info.bytes });
      return { settings, info };
    },
    reset(clip) {
      const previous = opts.settings.get().voiceClips[clip];
      const settings = opts.settings.setVoiceClip(clip, null);
      remove(previous);
      opts.logger.info('voice clip reset to built-in', { clip });
      return settings;
    },
    fileFor(urlPath) {
      if (!urlPath.startsWith(VOICE_CLIP_URL_PREFIX)) return null;
      const name = urlPath.slice(VOICE_CLIP_URL_PREFIX.length);
      if (!VOICE_CLIP_FILE.test(name)) return null;
      const current = opts.settings.get().voiceClips;
      if (current.ok !== name && current.duplicate !== name && current.refused !== name) return null;
      return join(dir, name);
    },
  };
}
