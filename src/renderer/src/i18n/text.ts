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

/** Operator screens (lock, PIN, session, self-test) and the status bar and settings panel, by key.
 * `{n}`-style placeholders are filled by fill(). */
const OPERATOR_UI = {
  // Lock screen and PIN pad
  lockTitle: { ko: '관리자 잠금', en: 'Operator lock' },
  lockPrompt: { ko: '관리자 PIN을 입력해 주세요', en: 'Enter the operator PIN' },
  setupTitle: { ko: '관리자 PIN 설정', en: 'Set the operator PIN' },
  setupPrompt: { ko: '처음 사용하는 키오스크입니다. 새 PIN을 입력해 주세요', en: 'This kiosk has no PIN yet. Enter a new PIN' },
  setupConfirm: { ko: '같은 PIN을 한 번 더 입력해 주세요', en: 'Enter the same PIN again' },
  pinRules: { ko: '숫자 {min}~{max}자리 · 같은 숫자 반복이나 연속된 숫자(123456)는 안 됩니다', en: '{min}–{max} digits · no repeated digit or run (123456)' },
  pinMismatch: { ko: '두 번 입력한 PIN이 다릅니다. 처음부터 다시 입력해 주세요.', en: 'The two PINs differ. Please start again.' },
  pinWrong: { ko: 'PIN이 맞지 않습니다. 앞으로 {n}번 더 틀리면 잠시 잠깁니다.', en: 'Wrong PIN. {n} more wrong tries and entry is locked for a while.' },
  lockedOut: { ko: 'PIN을 여러 번 잘못 입력해 {time}까지 잠겼습니다 (남은 시간 {s}초).', en: 'Too many wrong PINs: locked until {time} ({s} s left).' },
  storeDamaged: { ko: '관리자 잠금 파일이 손상되었습니다. 데이터 폴더의 operator.json을 지운 뒤 다시 시작해 주세요.', en: 'The operator lock file is damaged. Delete operator.json in the data folder and restart.' },
  pinDelete: { ko: '지우기', en: 'Delete' },
  pinClear: { ko: '모두 지우기', en: 'Clear' },
  pinOk: { ko: '확인', en: 'OK' },
  cancel: { ko: '취소', en: 'Cancel' },
  pinEntered: { ko: '{n}자리 입력됨', en: '{n} digits entered' },
  // Session bar and menu
  sessionOpen: { ko: '관리자 모드', en: 'Operator mode' },
  sessionLeft: { ko: '남은 시간 {time}', en: '{time} left' },
  sessionNoPin: { ko: 'PIN 미설정(데모) · PIN을 설정하면 잠깁니다', en: 'No PIN set (demo) · setting a PIN locks it' },
  lockNow: { ko: '잠금', en: 'Lock' },
  menuSettings: { ko: '운영 설정', en: 'Settings' },
  menuConsole: { ko: '운영 콘솔', en: 'Console' },
  menuSelftest: { ko: '자가점검', en: 'Self-test' },
  menuPin: { ko: 'PIN 변경', en: 'Change PIN' },
  menuLeaveKiosk: { ko: '키오스크 모드 나가기', en: 'Leave kiosk mode' },
  leftKiosk: { ko: '키오스크 모드를 나갔습니다. 세션이 끝나면 다시 잠깁니다.', en: 'Kiosk mode left. It locks again when the session ends.' },
  relockedSession: { ko: '관리자 세션이 끝나 다시 잠갔습니다.', en: 'The operator session ended; locked again.' },
  relockedIdle: { ko: '입력이 없어 다시 잠갔습니다.', en: 'Locked again after no input.' },
  // 공동인증서로 잠금 해제 and the kiosk's operating institution (src/renderer/src/operator/CertificateUnlock.tsx)
  certUnlock: { ko: '공동인증서로 잠금 해제', en: 'Unlock with certificate' },
  certUnlockHint: { ko: '이 키오스크를 운영하는 기관의 시설관리자 또는 시스템관리자 계정만 열 수 있습니다. 중앙 서버에 연결되어 있어야 합니다.', en: 'Only a facility manager of the institution that runs this kiosk, or a system administrator, can unlock. Needs the central API.' },
  certLoginId: { ko: '아이디', en: 'User ID' },
  certChoose: { ko: '인증서 선택', en: 'Choose your certificate' },
  certLoginIdMissing: { ko: '아이디를 입력해 주세요.', en: 'Enter your user ID.' },
  certBackToPin: { ko: 'PIN으로 잠금 해제', en: 'Unlock with PIN' },
  OPERATOR_CERT_OFFLINE: { ko: '중앙 서버에 연결할 수 없어 인증서로 잠금을 해제할 수 없습니다. 관리자 PIN으로 잠금을 해제해 주세요.', en: 'The central API cannot be reached, so the certificate cannot unlock. Use the operator PIN.' },
  OPERATOR_CERT_ROLE: { ko: '이 계정에는 키오스크를 관리할 권한(시설관리자 또는 시스템관리자)이 없습니다. 관리자 PIN을 사용해 주세요.', en: 'This account may not operate kiosks (facility manager or system administrator needed). Use the operator PIN.' },
  OPERATOR_CERT_OTHER_FACILITY: { ko: '다른 기관의 시설관리자 계정입니다. 이 키오스크를 운영하는 기관의 시설관리자만 잠금을 해제할 수 있습니다.', en: 'A facility manager of another institution. Only the institution that runs this kiosk can unlock it.' },
  OPERATOR_CERT_NO_INSTITUTION: { ko: '이 키오스크의 운영 기관이 지정되지 않아 시설관리자 인증서로 열 수 없습니다. 관리자 PIN으로 잠금을 해제한 뒤 운영 기관을 지정해 주세요.', en: 'No operating institution is set for this kiosk, so a facility manager cannot unlock it. Unlock with the PIN and set the institution.' },
  OPERATOR_CERT_ACCOUNT_INACTIVE: { ko: '승인되지 않았거나 사용이 중지된 계정이라 잠금을 해제할 수 없습니다.', en: 'This account is not approved or has been disabled, so it cannot unlock.' },
  menuInstitution: { ko: '운영 기관', en: 'Institution' },
  institutionTitle: { ko: '운영 기관 (인증서 잠금 해제)', en: 'Operating institution (certificate unlock)' },
  institutionHint: { ko: '이 기관의 시설관리자가 공동인증서로 잠금을 해제할 수 있습니다. 시스템관리자는 언제나 열 수 있습니다. 바꾸려면 현재 PIN이 필요합니다.', en: 'Facility managers of this institution can unlock with their certificate; system administrators always can. Changing it needs the current PIN.' },
  institutionNone: { ko: '지정 안 됨 (시스템관리자만 인증서로 열 수 있음)', en: 'None (only system administrators can unlock by certificate)' },
  institutionCurrent: { ko: '현재 운영 기관', en: 'Current institution' },
  institutionPick: { ko: '운영 기관 선택', en: 'Choose the institution' },
  institutionUnbind: { ko: '지정 해제', en: 'Remove' },
  institutionSaved: { ko: '운영 기관을 저장했습니다.', en: 'The institution was saved.' },
  // PIN change
  pinChangeTitle: { ko: 'PIN 변경', en: 'Change PIN' },
  pinCurrent: { ko: '현재 PIN', en: 'Current PIN' },
  pinNew: { ko: '새 PIN', en: 'New PIN' },
  pinNewAgain: { ko: '새 PIN 확인', en: 'New PIN again' },
  pinChanged: { ko: 'PIN을 바꿨습니다.', en: 'The PIN was changed.' },
  pinFirst: { ko: '첫 PIN 설정', en: 'Set the first PIN' },
  save: { ko: '저장', en: 'Save' },
  close: { ko: '닫기', en: 'Close' },
  // Self-test
  selftestTitle: { ko: '자가점검', en: 'Self-test' },
  selftestRun: { ko: '지금 점검', en: 'Run now' },
  selftestRunning: { ko: '점검 중…', en: 'Checking…' },
  selftestLast: { ko: '마지막 점검: {time} ({trigger})', en: 'Last check: {time} ({trigger})' },
  selftestNever: { ko: '아직 점검한 기록이 없습니다.', en: 'No self-test has run yet.' },
  selftestDaily: { ko: '하루 첫 시작', en: 'first start of the day' },
  selftestManual: { ko: '직접 실행', en: 'run by hand' },
  selftestAllOk: { ko: '모든 항목 정상', en: 'All checks passed' },
  selftestFailed: { ko: '{n}개 항목 실패', en: '{n} checks failed' },
  selftestWarned: { ko: '{n}개 항목 확인 필요', en: '{n} checks need attention' },
  statusOk: { ko: '정상', en: 'Passed' },
  statusWarn: { ko: '확인 필요', en: 'Attention' },
  statusFail: { ko: '실패', en: 'Failed' },
  fixLabel: { ko: '조치', en: 'What to do' },
  specimenStep: { ko: '견본 QR 카드를 스캐너에 읽혀 주세요', en: 'Scan the specimen QR card' },
  specimenWaiting: { ko: '견본 QR을 기다리는 중 ({time}까지)', en: 'Waiting for the specimen QR (until {time})' },
  specimenSeen: { ko: '점검용 QR 확인됨 · {source} · 결과 {result}', en: 'Specimen QR confirmed · {source} · result {result}' },
  specimenUnexpected: { ko: '견본 QR이 읽혔지만 결과가 예상과 다릅니다 ({result})', en: 'The specimen was read but gave an unexpected result ({result})' },
  specimenCard: { ko: '견본 카드 보기/인쇄', en: 'Show / print the specimen card' },
  specimenCardHint: { ko: '이 QR은 점검용이며 출입 인증에 쓸 수 없습니다.', en: 'This QR is for checks only and never admits anyone.' },
  speakerTest: { ko: '시험음 재생', en: 'Play test sound' },
  // Status bar
  todayLabel: { ko: '오늘 입장', en: 'Today' },
  todayUnit: { ko: '명', en: '' },
  statusLights: { ko: '상태', en: 'Status' },
  lightScanner: { ko: '스캐너', en: 'Scanner' },
  lightSync: { ko: '전송', en: 'Sync' },
  lightClock: { ko: '시계', en: 'Clock' },
  checking: { ko: '확인 중', en: 'Checking' },
  scannerReady: { ko: '준비', en: 'Ready' },
  scannerWarning: { ko: '확인 필요', en: 'Check' },
  scannerOff: { ko: '꺼짐', en: 'Off' },
  syncOk: { ko: '정상', en: 'OK' },
  syncPending: { ko: '대기 {n}건', en: '{n} waiting' },
  syncOffline: { ko: '오프라인', en: 'Offline' },
  syncDisabled: { ko: '사용 안 함', en: 'Not used' },
  clockOk: { ko: '정상', en: 'OK' },
  clockWarning: { ko: '오차 큼', en: 'Off' },
  clockUnknown: { ko: '미확인', en: 'Unknown' },
  connecting: { ko: '연결 중', en: 'Connecting' },
  disconnected: { ko: '연결 끊김', en: 'Disconnected' },
  // Settings panel
  settingsTitle: { ko: '운영 설정', en: 'Settings' },
  settingsLoading: { ko: '설정을 불러오는 중입니다…', en: 'Loading the settings…' },
  settingsSaved: { ko: '저장했습니다.', en: 'Saved.' },
  voiceLegend: { ko: '음성 안내', en: 'Voice guidance' },
  volume: { ko: '음량 (0~100)', en: 'Volume (0–100)' },
  mute: { ko: '소리 끄기', en: 'Mute' },
  voiceVia: { ko: '재생 방식: {via}', en: 'Playback: {via}' },
  viaClips: { ko: '녹음된 안내 음성', en: 'recorded clips' },
  viaSpeech: { ko: '시스템 음성(대체)', en: 'system voice (fallback)' },
  viaNone: { ko: '소리 없음', en: 'no sound' },
  clipsLegend: { ko: '안내 음성 파일', en: 'Voice clips' },
  clipOk: { ko: '인증 완료', en: 'Verified' },
  clipDuplicate: { ko: '중복', en: 'Already verified' },
  clipRefused: { ko: '거부', en: 'Not verified' },
  clipRecorded: { ko: '녹음 파일 ({s}초)', en: 'Recorded file ({s} s)' },
  clipBuiltIn: { ko: '기본 음성 ({s}초)', en: 'Built-in voice ({s} s)' },
  clipUndecodable: { ko: '재생할 수 없어 시스템 음성으로 안내합니다', en: 'Cannot be played: the system voice speaks instead' },
  clipListen: { ko: '들어보기', en: 'Listen' },
  clipReplace: { ko: '녹음 파일로 바꾸기', en: 'Replace with a recording' },
  clipReset: { ko: '기본 음성으로 되돌리기', en: 'Back to the built-in voice' },
  clipHint: { ko: 'WAV · MP3 · OGG, 5초 이내, 2 MB 이하', en: 'WAV · MP3 · OGG, up to 5 s and 2 MB' },
  clipReplaced: { ko: '바꿨습니다: {codec}, {s}초.', en: 'Replaced: {codec}, {s} s.' },
  clipResetDone: { ko: '기본 음성으로 되돌렸습니다.', en: 'Back to the built-in voice.' },
  clipCancelled: { ko: '파일을 고르지 않아 그대로 둡니다.', en: 'No file chosen: nothing changed.' },
  resultLegend: { ko: '결과 화면', en: 'Result screen' },
  resultSeconds: { ko: '결과 표시 시간 (초, 1~30)', en: 'Result shown for (s, 1–30)' },
  wedgeLegend: { ko: '키보드 방식 스캐너', en: 'Keyboard-wedge scanner' },
  wedgeGap: { ko: '키 간격 최대 (ms)', en: 'Longest gap between keys (ms)' },
  wedgeMin: { ko: '최소 길이 (글자)', en: 'Shortest scan (characters)' },
  wedgeIdle: { ko: '입력 종료 대기 (ms)', en: 'End-of-scan wait (ms)' },
  screenLegend: { ko: '언어 · 화면', en: 'Language · screen' },
  language: { ko: '기본 언어', en: 'Default language' },
  largeText: { ko: '큰 글씨', en: 'Large text' },
  highContrast: { ko: '고대비', en: 'High contrast' },
  screenTimeout: { ko: '운영 화면 자동 닫힘 (초, 15~3600)', en: 'Operator screens close after (s, 15–3600)' },
  centralLegend: { ko: '중앙 서버', en: 'Central API' },
  centralUrl: { ko: '중앙 서버 주소 (비우면 사용 안 함)', en: 'Central API address (empty: not used)' },
} as const satisfies Record<string, Record<Lang, string>>;

export type OperatorUiKey = keyof typeof OPERATOR_UI;
/** An operator-screen word in a language, with `{name}` placeholders filled from `values`. */
export const op = (key: OperatorUiKey, lang: Lang, values: Record<string, string | number> = {}): string =>
  OPERATOR_UI[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));

/** 홈페이지 보안점검 screens (src/renderer/src/sitescan): registration, code entry, site list and report. */
const SITESCAN_UI = {
  title: { ko: '홈페이지 보안점검', en: 'Homepage security' },
  intro: { ko: '의료기관 홈페이지를 하루 2~3번 일반 방문자처럼 방문해 숨겨진 악성코드와 변조를 찾고, 발견하면 알려 드립니다.', en: 'Your clinic homepage is visited 2–3 times a day like an ordinary visitor; hidden malware and tampering are reported to you.' },
  newSite: { ko: '새 홈페이지 신청', en: 'Register a homepage' },
  reload: { ko: '새로 고침', en: 'Reload' },
  back: { ko: '목록으로', en: 'Back to list' },
  noSites: { ko: '등록된 홈페이지가 없습니다. "새 홈페이지 신청"으로 등록해 주세요.', en: 'No homepage registered yet. Use "Register a homepage".' },
  colClinic: { ko: '의료기관', en: 'Clinic' },
  colUrl: { ko: '홈페이지', en: 'Homepage' },
  colStatus: { ko: '상태', en: 'Status' },
  colLastScan: { ko: '최근 점검', en: 'Last scan' },
  open: { ko: '보고서', en: 'Report' },
  stepApply: { ko: '신청', en: 'Applied' },
  stepEmail: { ko: '이메일 인증', en: 'Email verified' },
  stepMonitoring: { ko: '모니터링 중', en: 'Monitoring' },
  clinicName: { ko: '의료기관명', en: 'Clinic name' },
  url: { ko: '홈페이지 주소', en: 'Homepage address' },
  urlHint: { ko: '예: https://www.clinic.co.kr (블로그·카페·SNS는 등록할 수 없습니다)', en: 'e.g. https://www.clinic.co.kr (blogs, cafés and SNS pages cannot be registered)' },
  contactName: { ko: '담당자명', en: 'Contact person' },
  officePhone: { ko: '회사 전화번호 (숫자만)', en: 'Office phone (digits only)' },
  mobile: { ko: '휴대폰 번호 (숫자만)', en: 'Mobile phone (digits only)' },
  email: { ko: '이메일 (인증 코드를 보냅니다)', en: 'Email (a verification code is sent)' },
  consentCollection: { ko: '[필수] 개인정보(담당자명, 전화번호, 이메일) 수집·이용에 동의합니다. 점검 결과 안내와 연락에만 쓰며 서비스 해지 후 1년 뒤 파기합니다.', en: '[Required] I agree to the collection and use of personal data (contact name, phone numbers, email), used only for scan notices and contact, destroyed one year after the service ends.' },
  consentSuspension: { ko: '[필수] 악성코드가 발견되어 요청받은 보안 조치를 정해진 기간 안에 하지 않으면 서비스가 중단될 수 있음에 동의합니다.', en: '[Required] I agree that the service may be stopped if requested security measures are not carried out within the set period.' },
  submit: { ko: '신청하기', en: 'Apply' },
  cancel: { ko: '취소', en: 'Cancel' },
  sending: { ko: '보내는 중…', en: 'Sending…' },
  codeSentTo: { ko: '입력한 이메일로 6자리 인증 코드를 보냈습니다.', en: 'A 6-digit code was sent to the email address you entered.' },
  code: { ko: '인증 코드 (숫자 6자리)', en: 'Code (6 digits)' },
  verify: { ko: '인증하기', en: 'Verify' },
  resend: { ko: '인증 코드 다시 받기', en: 'Send a new code' },
  codeExpiresIn: { ko: '남은 시간 {min}분 {sec}초', en: '{min} min {sec} s left' },
  codeExpired: { ko: '인증 코드가 만료되었습니다. 다시 받아 주세요.', en: 'The code has expired. Please get a new one.' },
  attemptsLeft: { ko: '남은 입력 횟수 {n}회', en: '{n} tries left' },
  sendsLeft: { ko: '다시 받기 {n}회 가능', en: '{n} resends left' },
  verifiedFirstScan: { ko: '이메일 인증을 마쳤습니다. 첫 점검이 {time}에 시작됩니다.', en: 'Email verified. The first scan starts at {time}.' },
  history: { ko: '점검 이력', en: 'Scan history' },
  historyEmpty: { ko: '아직 점검 기록이 없습니다.', en: 'No scans yet.' },
  historySummary: { ko: '최근 {n}회 점검: 정상 {clean}, 의심 {suspicious}, 악성 {malicious}, 실패 {failed}', en: 'Last {n} scans: clean {clean}, suspicious {suspicious}, malicious {malicious}, failed {failed}' },
  findings: { ko: '발견 항목', en: 'Findings' },
  noFindings: { ko: '이 점검에서 발견된 항목이 없습니다.', en: 'Nothing was found in this scan.' },
  colRule: { ko: '규칙', en: 'Rule' },
  colSeverity: { ko: '심각도', en: 'Severity' },
  colEvidence: { ko: '근거', en: 'Evidence' },
  colWhere: { ko: '위치', en: 'Where' },
  visit: { ko: '방문 기록', en: 'Visit record' },
  noEvidence: { ko: '이 점검의 방문 기록(화면, 요청, 리다이렉트)은 저장되지 않았습니다.', en: 'No visit record (screenshot, requests, redirects) was kept for this scan.' },
  screenshot: { ko: '방문 화면', en: 'Screenshot' },
  redirects: { ko: '리다이렉트', en: 'Redirects' },
  requests: { ko: '요청 {n}건', en: '{n} requests' },
  serverIp: { ko: '서버 IP', en: 'Server IP' },
  tlsIssuer: { ko: '인증서 발급자', en: 'TLS issuer' },
  followup: { ko: '후속 조치', en: 'Follow-up' },
  fuDetected: { ko: '탐지', en: 'Detected' },
  fuRequested: { ko: '조치요청', en: 'Action requested' },
  fuRemediated: { ko: '조치완료(재점검)', en: 'Fixed (re-scanning)' },
  fuNormal: { ko: '정상', en: 'Normal' },
  fuSuspended: { ko: '서비스 중단', en: 'Service stopped' },
  remediatedButton: { ko: '조치 완료 (바로 재점검)', en: 'Fixed — re-scan now' },
  remediatedHint: { ko: '안내받은 악성코드를 모두 지운 뒤 누르면 바로 다시 점검합니다.', en: 'Press after removing everything listed; the site is scanned again at once.' },
  notices: { ko: '알림', en: 'Notices' },
  noNotices: { ko: '알림이 없습니다.', en: 'No notices.' },
  emailed: { ko: '메일 보냄', en: 'emailed' },
  nextScan: { ko: '다음 점검', en: 'Next scan' },
  outcome_clean: { ko: '정상', en: 'Clean' },
  outcome_suspicious: { ko: '의심', en: 'Suspicious' },
  outcome_malicious: { ko: '악성', en: 'Malicious' },
  outcome_failed: { ko: '점검 실패', en: 'Scan failed' },
  badge_applied: { ko: '신청 · 이메일 인증 필요', en: 'Applied · verify email' },
  badge_verified: { ko: '이메일 인증 · 첫 점검 대기', en: 'Email verified · first scan pending' },
  badge_monitoring: { ko: '모니터링 중', en: 'Monitoring' },
  badge_action: { ko: '악성코드 발견 · 조치요청', en: 'Malware found · action requested' },
  badge_remediated: { ko: '조치완료 · 재점검 중', en: 'Fixed · re-scanning' },
  badge_suspended: { ko: '서비스 중단', en: 'Service stopped' },
  badge_failing: { ko: '모니터링 중 · 접속 실패', en: 'Monitoring · site unreachable' },
} as const satisfies Record<string, Record<Lang, string>>;

export type SitescanUiKey = keyof typeof SITESCAN_UI;
/** A 홈페이지 보안점검 word in a language, with `{name}` placeholders filled from `values`. */
export const sst = (key: SitescanUiKey, lang: Lang, values: Record<string, string | number> = {}): string =>
  SITESCAN_UI[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
