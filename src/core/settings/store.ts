// Runs in Node (main, development host). The kiosk's settings: one JSON file, validated
// against the contract's schema on every read and write, written atomically (temp file,
// fsync, rename) so a power cut never leaves half a file. A bad change is refused whole.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Settings, SettingsPatch, VoiceClipName } from '../../shared/contract';
import { DEFAULT_CAMERA, DEFAULT_SOURCES, NO_VOICE_CLIPS, settings as settingsSchema, settingsPatch as patchSchema } from '../../shared/contract';
import { CodedError } from '../../shared/envelope';
import type { Logger } from '../log';

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
  /** Names a recorded clip's generated file (or null: the built-in clip). Only the voice clip store calls this. */
  setVoiceClip(clip: VoiceClipName, file: string | null): Settings;
  /** True when the file existed before this start: the kiosk was set up before. */
  readonly existedAtStart: boolean;
}

export function defaultSettings(kioskId: string, facilityId = 'demo-facility'): Settings {
  return {
    facilityId,
    kioskId,
    voice: { volume: 0.9, muted: false },
    wedge: { maxGapMs: 50, minLength: 6, idleMs: 100 },
    verify: { skewSeconds: 3, maxTtlSeconds: 15 },
    resultScreenMs: 4000,
    language: 'ko',
    largeText: false,
    highContrast: false,
    screenTimeoutMs: 120_000,
    centralApiUrl: null,
    sources: { ...DEFAULT_SOURCES },
    camera: { ...DEFAULT_CAMERA },
    voiceClips: { ...NO_VOICE_CLIPS },
  };
}

export function openSettings(opts: { path: string; defaults: () => Settings; logger: Logger }): SettingsStore {
  const existedAtStart = existsSync(opts.path);
  let current: Settings;
  if (existedAtStart) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(opts.path, 'utf8'));
    } catch {
      throw new CodedError('SETTINGS_CORRUPT', '설정 파일을 읽을 수 없습니다. 관리자에게 연락해 설정 파일을 복구해 주세요.');
    }
    const parsed = settingsSchema.safeParse(raw);
    if (!parsed.success) {
      const where = parsed.error.issues[0]?.path.join('.') ?? '';
      throw new CodedError('SETTINGS_INVALID', `설정 파일의 값이 올바르지 않습니다 (${where}). 관리자에게 연락해 주세요.`);
    }
    current = parsed.data;
  } else {
    current = settingsSchema.parse(opts.defaults());
    writeAtomically(opts.path, current);
    opts.logger.info('settings created', { kioskId: current.kioskId, facilityId: current.facilityId });
  }

  /** The whole next settings, validated, on disk, then current; a refusal changes neither. */
  const commit = (candidate: unknown) => {
    const next = settingsSchema.safeParse(candidate);
    if (!next.success) {
      const where = next.error.issues[0]?.path.join('.') ?? '';
      throw new CodedError('SETTINGS_REFUSED', `설정 값이 올바르지 않습니다: ${where}`);
    }
    writeAtomically(opts.path, next.data);
    current = next.data;
  };

  return {
    existedAtStart,
    get: () => structuredClone(current),
    update(patch) {
      const checkedPatch = patchSchema.safeParse(patch);
      if (!checkedPatch.success) {
        const where = checkedPatch.error.issues[0]?.path.join('.') ?? '';
        throw new CodedError('SETTINGS_REFUSED', `설정 값이 올바르지 않습니다: ${where}`);
      }
      commit({ ...current, ...checkedPatch.data });
      opts.logger.info('settings changed', { keys: Object.keys(checkedPatch.data) });
      return structuredClone(current);
    },
    setVoiceClip(clip, file) {
      commit({ ...current, voiceClips: { ...current.voiceClips, [clip]: file } });
      return structuredClone(current);
    },
  };
}

/** Write-then-rename with fsync of the file: readers see the old or the new file, never half. */
export function writeAtomically(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
