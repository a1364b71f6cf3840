// Runs in the renderer. What a refusal code of the central API means for the 전송 보류 항목
// panel, in Korean and English: what happened and what to check before 다시 보내기. Unknown
// codes still get a sentence with the code, so an operator always has something to pass on.
import type { Lang } from '../i18n/text';

type Explained = Record<Lang, string>;

const KNOWN: Record<string, Explained> = {
  VALIDATION_FAILED: {
    ko: '중앙 서버가 이 기록의 형식을 받아들이지 않았습니다. 키오스크와 중앙 서버의 버전이 맞는지 확인해 주세요.',
    en: 'The central server did not accept the format of this entry. Check that the kiosk and the central server run matching versions.',
  },
  BAD_JSON: {
    ko: '중앙 서버가 보낸 내용을 읽지 못했습니다. 중간의 프록시나 보안 장비가 내용을 바꾸는지 확인해 주세요.',
    en: 'The central server could not read what was sent. Check whether a proxy or security appliance in between alters requests.',
  },
  BODY_TOO_LARGE: {
    ko: '보낸 내용이 중앙 서버(또는 프록시)의 크기 한도를 넘었습니다. 서버 관리자에게 본문 크기 한도를 확인해 달라고 해 주세요.',
    en: 'What was sent exceeded the size limit of the central server (or a proxy). Ask the server administrator to check the body size limit.',
  },
  BATCH_TOO_LARGE: {
    ko: '한 번에 보낸 기록이 중앙 서버의 한도를 넘었습니다. 키오스크와 서버의 버전을 확인해 주세요.',
    en: 'One batch held more entries than the central server allows. Check the kiosk and server versions.',
  },
  BATCH_DUPLICATE_IDS: {
    ko: '같은 기록이 한 묶음에 두 번 들어 있었습니다. 다시 보내면 한 번만 저장됩니다.',
    en: 'The same entry appeared twice in one batch. Sent again, it is stored once.',
  },
};

const BY_STATUS: Record<string, Explained> = {
  HTTP_400: { ko: '중앙 서버가 이 기록을 거부했습니다(HTTP 400).', en: 'The central server refused this entry (HTTP 400).' },
  HTTP_413: { ko: '보낸 내용이 중앙 서버(또는 프록시)의 크기 한도를 넘었습니다(HTTP 413).', en: 'What was sent exceeded a size limit of the server or a proxy (HTTP 413).' },
  HTTP_422: { ko: '중앙 서버가 이 기록을 처리할 수 없다고 답했습니다(HTTP 422).', en: 'The central server said it cannot process this entry (HTTP 422).' },
};

/** The sentence for a refusal code; unknown codes name the code and say whom to tell. */
export function refusalText(code: string, lang: Lang): string {
  const known = KNOWN[code] ?? BY_STATUS[code];
  if (known) return known[lang];
  return lang === 'ko'
    ? `중앙 서버가 이 기록을 거부했습니다(코드 ${code}). 중앙 서버 관리자에게 이 코드를 알려 주세요.`
    : `The central server refused this entry (code ${code}). Give this code to the central server's administrator.`;
}

/** 'MM-DD HH:mm:ss' in Seoul time (the kiosk's people think in KST). */
export const seoulTime = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(5, 19).replace('T', ' ');
