// Runs in the renderer. What the kiosk says for each answer: a headline readable from 2 m, the
// reason and what the visitor should do. Colour is never the only signal: every tone has its
// own icon and words, and the voice clip follows the tone.
import type { ResultCode } from '../../../shared/kp1';

export type Tone = 'ok' | 'warn' | 'refused';
export type ClipName = 'ok' | 'duplicate' | 'refused';

export interface ResultText {
  tone: Tone;
  /** Big headline. */
  title: string;
  /** Why, in one sentence (empty for OK). */
  reason: string;
  /** What to do now. */
  action: string;
  /** Spoken fallback (speechSynthesis) when the clip cannot be played. */
  speech: string;
}

const UNVERIFIABLE: ResultText = {
  tone: 'refused',
  title: '확인할 수 없는 QR코드입니다',
  reason: '발급 기관의 서명을 확인할 수 없습니다.',
  action: '네이버·카카오톡·PASS 앱에서 QR코드를 새로 발급해 주세요. 계속 안 되면 직원에게 문의해 주세요.',
  speech: '다시 확인해 주세요',
};

export const RESULT_TEXT: Record<ResultCode, ResultText> = {
  OK: { tone: 'ok', title: '인증되었습니다', reason: '', action: '입장해 주세요.', speech: '인증되었습니다' },
  DUPLICATE: {
    tone: 'warn',
    title: '이미 인증되었습니다',
    reason: '방금 이 출입구에서 인증된 QR코드입니다.',
    action: '다시 찍지 않으셔도 됩니다. 입장해 주세요.',
    speech: '이미 인증되었습니다',
  },
  EXPIRED: {
    tone: 'refused',
    title: '유효시간이 지났습니다',
    reason: 'QR코드는 발급 후 15초 동안만 쓸 수 있습니다.',
    action: 'QR코드를 새로 발급해 주세요.',
    speech: '다시 확인해 주세요',
  },
  NOT_YET_VALID: {
    tone: 'refused',
    title: '아직 사용할 수 없는 QR코드입니다',
    reason: '휴대폰의 시간이 실제 시간과 다릅니다.',
    action: '휴대폰 시간을 확인해 주세요 (자동 시간 설정). 그 다음 QR코드를 새로 발급해 주세요.',
    speech: '다시 확인해 주세요',
  },
  MALFORMED: {
    tone: 'refused',
    title: '출입용 QR코드가 아닙니다',
    reason: '전자출입명부 QR코드가 아닌 코드가 읽혔습니다.',
    action: '네이버·카카오톡·PASS 앱의 출입용 QR코드를 보여 주세요.',
    speech: '다시 확인해 주세요',
  },
  UNSUPPORTED_VERSION: {
    tone: 'refused',
    title: '지원하지 않는 QR코드입니다',
    reason: '이 출입 단말기가 읽을 수 없는 형식입니다.',
    action: '앱을 최신 버전으로 업데이트한 뒤 QR코드를 새로 발급해 주세요.',
    speech: '다시 확인해 주세요',
  },
  TTL_TOO_LONG: {
    tone: 'refused',
    title: '확인할 수 없는 QR코드입니다',
    reason: '유효시간이 허용 범위보다 깁니다.',
    action: 'QR코드를 새로 발급해 주세요. 계속 안 되면 직원에게 문의해 주세요.',
    speech: '다시 확인해 주세요',
  },
  UNKNOWN_KEY: UNVERIFIABLE,
  BAD_SIGNATURE: UNVERIFIABLE,
  KEY_REVOKED: { ...UNVERIFIABLE, reason: '발급 기관의 인증 키가 폐기되었습니다.' },
  KEY_NOT_VALID_AT_ISSUE: { ...UNVERIFIABLE, reason: '발급 기관의 인증 키가 발급 시점에 유효하지 않았습니다.' },
  REPLAYED: {
    tone: 'refused',
    title: '이미 사용된 QR코드입니다',
    reason: '다른 곳에서 이미 사용된 QR코드입니다. 한 번만 쓸 수 있습니다.',
    action: '본인 휴대폰에서 QR코드를 새로 발급해 주세요.',
    speech: '다시 확인해 주세요',
  },
};

/** An admit that did not reach a verdict (transport down, internal error, refused request). */
export function errorText(message: string): ResultText {
  return {
    tone: 'refused',
    title: '처리하지 못했습니다',
    reason: message,
    action: '잠시 후 다시 찍어 주세요. 계속 안 되면 직원에게 문의해 주세요.',
    speech: '다시 확인해 주세요',
  };
}

export const clipFor = (tone: Tone): ClipName => (tone === 'ok' ? 'ok' : tone === 'warn' ? 'duplicate' : 'refused');

export const TONE_ICON: Record<Tone, string> = { ok: '✓', warn: '!', refused: '✕' };
export const TONE_LABEL: Record<Tone, string> = { ok: '인증 완료', warn: '이미 인증됨', refused: '인증 실패' };
