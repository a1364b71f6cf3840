// Runs in the renderer. The operator settings form as plain data: what the fields show for the
// settings main holds, and the patch they make, or a sentence saying which field is
// wrong and its allowed range, in the kiosk's language (the limits are taken from the contract,
// so they are written once).
import type { Settings, SettingsPatch } from '../../../shared/contract';
import { settingsPatch } from '../../../shared/contract';
import type { Lang } from '../i18n/text';

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

/** Field label and how a contract number is shown to a person, in each kiosk language. */
interface FieldWords {
  label: string;
  show: (n: number) => string;
}
const FIELDS: Record<string, Record<Lang, FieldWords>> = {
  'voice.volume': { ko: { label: '음량', show: (n) => `${Math.round(n * 100)}` }, en: { label: 'Volume', show: (n) => `${Math.round(n * 100)}` } },
  resultScreenMs: { ko: { label: '결과 표시 시간', show: (n) => `${n / 1000}초` }, en: { label: 'Result display time', show: (n) => `${n / 1000} s` } },
  'wedge.maxGapMs': { ko: { label: '키 간격 최대', show: (n) => `${n} ms` }, en: { label: 'Longest key gap', show: (n) => `${n} ms` } },
  'wedge.minLength': { ko: { label: '최소 길이', show: (n) => `${n}글자` }, en: { label: 'Shortest scan', show: (n) => (n === 1 ? '1 character' : `${n} characters`) } },
  'wedge.idleMs': { ko: { label: '입력 종료 대기', show: (n) => `${n} ms` }, en: { label: 'End-of-scan wait', show: (n) => `${n} ms` } },
  screenTimeoutMs: { ko: { label: '운영 화면 자동 닫힘', show: (n) => `${n / 1000}초` }, en: { label: 'Operator screen timeout', show: (n) => `${n / 1000} s` } },
  centralApiUrl: { ko: { label: '중앙 서버 주소', show: String }, en: { label: 'Central API address', show: String } },
};
const ANY_FIELD: Record<Lang, FieldWords> = { ko: { label: '설정 값', show: String }, en: { label: 'A setting', show: String } };

const SAY = {
  ko: {
    notNumber: (label: string) => `${label}에는 숫자를 입력해 주세요.`,
    tooSmall: (f: FieldWords, n: number) => `${f.label} 값이 너무 작습니다. 최소 ${f.show(n)}입니다.`,
    tooBig: (f: FieldWords, n: number) => `${f.label} 값이 너무 큽니다. 최대 ${f.show(n)}입니다.`,
    badUrl: '중앙 서버 주소는 http:// 또는 https://로 시작하는 주소여야 합니다 (아이디·비밀번호 없이).',
    notInteger: (f: FieldWords) => `${f.label} 값은 정수로 입력해 주세요.`,
  },
  en: {
    notNumber: (label: string) => `${label}: please enter a number.`,
    tooSmall: (f: FieldWords, n: number) => `${f.label} is too small. The minimum is ${f.show(n)}.`,
    tooBig: (f: FieldWords, n: number) => `${f.label} is too large. The maximum is ${f.show(n)}.`,
    badUrl: 'The central API address must start with http:// or https:// (without a user name or password).',
    notInteger: (f: FieldWords) => `${f.label} must be a whole number.`,
  },
} as const;

/** The patch the form makes, or a sentence in `lang` naming the wrong field and its allowed range. */
export function patchOf(f: Form, lang: Lang = 'ko'): SettingsPatch | string {
  const say = SAY[lang];
  const label = (key: string) => (FIELDS[key] ?? ANY_FIELD)[lang].label;
  const num = (v: string, key: string): number | string => {
    const t = v.trim();
    if (!/^\d{1,15}(\.\d{1,3})?$/.test(t)) return say.notNumber(label(key));
    return Number(t);
  };
  const volume = num(f.volume, 'voice.volume');
  const seconds = num(f.resultSeconds, 'resultScreenMs');
  const maxGapMs = num(f.maxGapMs, 'wedge.maxGapMs');
  const minLength = num(f.minLength, 'wedge.minLength');
  const idleMs = num(f.idleMs, 'wedge.idleMs');
  if (typeof volume === 'string') return volume;
  if (typeof seconds === 'string') return seconds;
  if (typeof maxGapMs === 'string') return maxGapMs;
  if (typeof minLength === 'string') return minLength;
  if (typeof idleMs === 'string') return idleMs;
  const timeout = num(f.screenTimeoutSeconds, 'screenTimeoutMs');
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
  const field = (FIELDS[issue?.path.join('.') ?? ''] ?? ANY_FIELD)[lang];
  if (issue?.code === 'too_small') return say.tooSmall(field, Number(issue.minimum));
  if (issue?.code === 'too_big') return say.tooBig(field, Number(issue.maximum));
  if (issue?.path[0] === 'centralApiUrl') return say.badUrl;
  return say.notInteger(field);
}
