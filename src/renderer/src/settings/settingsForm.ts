// Runs in the renderer. The operator settings form as plain data: what the fields show for the
// settings main holds, and the patch they make, or a Korean sentence saying which field is
// wrong and its allowed range (taken from the contract, so the limits are written once).
import type { Settings, SettingsPatch } from '../../../shared/contract';
import { settingsPatch } from '../../../shared/contract';

export interface Form {
  volume: string;
  muted: boolean;
  resultSeconds: string;
  maxGapMs: string;
  minLength: string;
  idleMs: string;
  language: 'ko' | 'en';
  largeText: boolean;
  highContrast: boolean;
  screenTimeoutSeconds: string;
  /** Empty means no central API. */
  centralApiUrl: string;
}

export const formOf = (s: Settings): Form => ({
  volume: String(Math.round(s.voice.volume * 100)),
  muted: s.voice.muted,
  resultSeconds: String(s.resultScreenMs / 1000),
  maxGapMs: String(s.wedge.maxGapMs),
  minLength: String(s.wedge.minLength),
  idleMs: String(s.wedge.idleMs),
  language: s.language,
  largeText: s.largeText,
  highContrast: s.highContrast,
  screenTimeoutSeconds: String(s.screenTimeoutMs / 1000),
  centralApiUrl: s.centralApiUrl ?? '',
});

/** Field label and how a contract number is shown to a person. */
const FIELDS: Record<string, { label: string; show: (n: number) => string }> = {
  'voice.volume': { label: '음량', show: (n) => `${Math.round(n * 100)}` },
  resultScreenMs: { label: '결과 표시 시간', show: (n) => `${n / 1000}초` },
  'wedge.maxGapMs': { label: '키 간격 최대', show: (n) => `${n} ms` },
  'wedge.minLength': { label: '최소 길이', show: (n) => `${n}글자` },
  'wedge.idleMs': { label: '입력 종료 대기', show: (n) => `${n} ms` },
  screenTimeoutMs: { label: '운영 화면 자동 닫힘', show: (n) => `${n / 1000}초` },
  centralApiUrl: { label: '중앙 서버 주소', show: String },
};

export function patchOf(f: Form): SettingsPatch | string {
  const num = (v: string, label: string): number | string => {
    const t = v.trim();
    if (!/^\d{1,15}(\.\d{1,3})?$/.test(t)) return `${label}에는 숫자를 입력해 주세요.`;
    return Number(t);
  };
  const volume = num(f.volume, '음량');
  const seconds = num(f.resultSeconds, '결과 표시 시간');
  const maxGapMs = num(f.maxGapMs, '키 간격 최대');
  const minLength = num(f.minLength, '최소 길이');
  const idleMs = num(f.idleMs, '입력 종료 대기');
  if (typeof volume === 'string') return volume;
  if (typeof seconds === 'string') return seconds;
  if (typeof maxGapMs === 'string') return maxGapMs;
  if (typeof minLength === 'string') return minLength;
  if (typeof idleMs === 'string') return idleMs;
  const timeout = num(f.screenTimeoutSeconds, '운영 화면 자동 닫힘');
  if (typeof timeout === 'string') return timeout;
  const url = f.centralApiUrl.trim();
  const patch: SettingsPatch = {
    voice: { volume: volume / 100, muted: f.muted },
    resultScreenMs: Math.round(seconds * 1000),
    wedge: { maxGapMs, minLength, idleMs },
    language: f.language,
    largeText: f.largeText,
    highContrast: f.highContrast,
    screenTimeoutMs: Math.round(timeout * 1000),
    centralApiUrl: url === '' ? null : url,
  };
  // The contract's own limits, said in words before main is asked (main checks again).
  const checked = settingsPatch.safeParse(patch);
  if (checked.success) return patch;
  const issue = checked.error.issues[0];
  const field = FIELDS[issue?.path.join('.') ?? ''] ?? { label: '설정 값', show: String };
  if (issue?.code === 'too_small') return `${field.label} 값이 너무 작습니다. 최소 ${field.show(Number(issue.minimum))}입니다.`;
  if (issue?.code === 'too_big') return `${field.label} 값이 너무 큽니다. 최대 ${field.show(Number(issue.maximum))}입니다.`;
  if (issue?.path[0] === 'centralApiUrl') return '중앙 서버 주소는 http:// 또는 https://로 시작하는 주소여야 합니다 (아이디·비밀번호 없이).';
  return `${field.label} 값은 정수로 입력해 주세요.`;
}
