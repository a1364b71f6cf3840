// Runs in the renderer. The kiosk's words in 한국어 and English (for foreign visitors): result
// screens, idle, fault, tone labels and the console. Korean is the source (feedback/resultText.ts);
// English mirrors it code for code, so a missing translation is a type error, not a blank screen.
// The voice stays Korean: there are no English clips (see docs/console.md).
import type { ResultCode } from '../../../shared/kp1';
import type { ResultText, Tone } from '../feedback/resultText';
import { errorText, RESULT_TEXT, TONE_LABEL } from '../feedback/resultText';

export type Lang = 'ko' | 'en';
export const LANGS: readonly Lang[] = ['ko', 'en'];

type Words = Omit<ResultText, 'tone' | 'speech'>;

const EN_UNVERIFIABLE: Words = {
  title: 'This QR code cannot be verified',
  reason: "The issuer's signature could not be checked.",
  action: 'Issue a new QR code in NAVER, KakaoTalk or PASS. If it keeps failing, please ask a staff member.',
};

const EN_RESULT: Record<ResultCode, Words> = {
  OK: { title: 'Verified', reason: '', action: 'Please go in.' },
  DUPLICATE: { title: 'Already verified', reason: 'This QR code was just verified at this entrance.', action: 'No need to scan again. Please go in.' },
  EXPIRED: { title: 'This QR code has expired', reason: 'A QR code can be used for 15 seconds after it is issued.', action: 'Please issue a new QR code.' },
  NOT_YET_VALID: {
    title: 'This QR code is not valid yet',
    reason: "Your phone's clock differs from the real time.",
    action: "Check your phone's time (automatic time setting), then issue a new QR code.",
  },
  MALFORMED: { title: 'Not an entry QR code', reason: 'The code read is not an entry-register QR code.', action: 'Please show the entry QR code from NAVER, KakaoTalk or PASS.' },
  UNSUPPORTED_VERSION: {
    title: 'Unsupported QR code',
    reason: 'This kiosk cannot read this format.',
    action: 'Update the app, then issue a new QR code.',
  },
  TTL_TOO_LONG: { ...EN_UNVERIFIABLE, reason: 'Its validity period is longer than allowed.', action: 'Please issue a new QR code. If it keeps failing, please ask a staff member.' },
  UNKNOWN_KEY: EN_UNVERIFIABLE,
  BAD_SIGNATURE: EN_UNVERIFIABLE,
  KEY_REVOKED: { ...EN_UNVERIFIABLE, reason: "The issuer's key has been revoked." },
  KEY_NOT_VALID_AT_ISSUE: { ...EN_UNVERIFIABLE, reason: "The issuer's key was not valid when the code was issued." },
  REPLAYED: {
    title: 'This QR code was already used',
    reason: 'It was already used elsewhere. Each code can be used once.',
    action: 'Please issue a new QR code on your own phone.',
  },
};

/** The screen text for a KP1 code in a language; the spoken line stays the Korean clip's. */
export function resultTextIn(code: ResultCode, lang: Lang): ResultText {
  const ko = RESULT_TEXT[code];
  return lang === 'ko' ? ko : { ...ko, ...EN_RESULT[code] };
}

/** An admit without a verdict: main's message is Korean, so English adds its own sentence. */
export function errorTextIn(message: string, lang: Lang): ResultText {
  const ko = errorText(message);
  if (lang === 'ko') return ko;
  return { ...ko, title: 'Could not process the scan', reason: message, action: 'Please scan again in a moment. If it keeps failing, please ask a staff member.' };
}

export const TONE_LABEL_IN: Record<Lang, Record<Tone, string>> = {
  ko: TONE_LABEL,
  en: { ok: 'Verified', warn: 'Already verified', refused: 'Not verified' },
};

/** Short interface words, by key. */
const UI = {
  idleHeadline: { ko: 'QR코드를 스캐너에 보여 주세요', en: 'Show your QR code to the scanner' },
  idleSub: { ko: '네이버 · 카카오톡 · PASS 앱의 출입용 QR코드', en: 'The entry QR code from NAVER, KakaoTalk or PASS' },
  idleIllustration: { ko: '휴대폰 QR코드를 스캐너에 비추는 그림', en: 'A phone showing a QR code to the scanner' },
  switchLanguage: { ko: 'English', en: '한국어' },
  switchLanguageLabel: { ko: 'Show this screen in English', en: '한국어로 보기' },
  faultTitle: { ko: '지금은 출입 인증을 할 수 없습니다', en: 'Entry check is not available right now' },
  faultDisconnected: { ko: '연결 끊김', en: 'Disconnected' },
  faultAction: { ko: '관리자에게 연락해 주세요. 그 동안은 수기 명부를 사용해 주세요.', en: 'Please tell a staff member. Use the paper register meanwhile.' },
  faultCode: { ko: '오류 코드', en: 'Error code' },
  issuerQr: { ko: 'QR코드', en: 'QR code' },
  cameraPreview: { ko: '카메라 화면', en: 'Camera view' },
  cameraStarting: { ko: '카메라를 켜는 중입니다…', en: 'Starting the camera…' },
  cameraRunning: { ko: 'QR코드를 카메라에 비춰도 됩니다', en: 'You can also hold your QR code up to the camera' },
  cameraDenied: { ko: '카메라 사용이 허용되지 않았습니다. 스캐너는 그대로 사용할 수 있습니다. 관리자는 카메라 권한을 확인해 주세요.', en: 'The camera is not allowed. The scanner still works. Staff: check the camera permission.' },
  cameraMissing: { ko: '카메라를 찾을 수 없습니다. 스캐너는 그대로 사용할 수 있습니다. 관리자는 카메라 연결과 장치 설정을 확인해 주세요.', en: 'No camera found. The scanner still works. Staff: check the camera cable and the device setup.' },
  cameraError: { ko: '카메라를 사용할 수 없습니다(다른 프로그램이 사용 중일 수 있습니다). 스캐너는 그대로 사용할 수 있습니다.', en: 'The camera cannot be used (another program may be using it). The scanner still works.' },
} as const satisfies Record<string, Record<Lang, string>>;

export type UiKey = keyof typeof UI;
export const t = (key: UiKey, lang: Lang): string => UI[key][lang];
