// Runs in the renderer. The words of the 장치 설정 screen in 한국어 and English, and the pure
// mappings from a source's state to its light (tone, icon, words): colour is never the only signal.
import type { DevicesStatus, DevicesTestScan } from '../../../shared/contract';
import type { Lang } from '../i18n/text';

const W = {
  title: { ko: '장치 설정', en: 'Device setup' },
  back: { ko: '운영 콘솔로', en: 'Back to console' },
  sources: { ko: '입력 장치', en: 'Input sources' },
  wedge: { ko: '키보드(웨지) 스캐너', en: 'Keyboard (wedge) scanner' },
  hid: { ko: 'HID POS 스캐너', en: 'HID POS scanner' },
  camera: { ko: '카메라', en: 'Camera' },
  use: { ko: '사용', en: 'Use' },
  lastScan: { ko: '마지막 스캔', en: 'Last scan' },
  speed: { ko: '입력 속도', en: 'Typing speed' },
  cps: { ko: '자/초', en: 'chars/s' },
  never: { ko: '없음', en: 'none' },
  scans: { ko: '스캔', en: 'scans' },
  dropped: { ko: '꺼져 있어 버린 스캔', en: 'dropped while off' },
  drops: { ko: '버린 보고서', en: 'dropped reports' },
  errors: { ko: '오류', en: 'errors' },
  noHid: { ko: 'HID POS 스캐너가 연결되어 있지 않습니다. 스캐너를 꽂으면 1초 안에 여기에 나타납니다.', en: 'No HID POS scanner is connected. Plug one in and it appears here within a second.' },
  hidUnavailable: { ko: '이 환경에서는 HID 장치에 접근할 수 없습니다 (키보드·카메라는 쓸 수 있습니다).', en: 'HID devices cannot be reached here (keyboard and camera still work).' },
  usbIds: { ko: 'USB ID', en: 'USB id' },
  usagePage: { ko: '사용 페이지', en: 'Usage page' },
  udev: { ko: '터미널에서 다음을 실행한 뒤 스캐너를 뺐다가 다시 꽂으세요:', en: 'Run this in a terminal, then unplug and replug the scanner:' },
  keyboardScanners: { ko: '키보드 모드로 연결된 스캐너', en: 'Scanners in keyboard mode' },
  keyboardHelp: {
    ko: '키보드 모드 스캐너는 운영체제가 키보드로 다루며, 스캔을 글자 입력으로 보냅니다. 그대로 써도 되고, HID POS 모드로 바꾸면 한 번에 더 빠르게 읽습니다.',
    en: 'The OS treats keyboard-mode scanners as keyboards: each scan arrives as typed keys. They work as they are; HID POS mode reads a code in one go.',
  },
  wedgeHelp: {
    ko: '키보드 방식 스캐너는 스캔 테스트 영역에서 스캔해 보면 속도와 내용이 보입니다. 속도가 초당 100자보다 느리면 스캐너의 키 간격 설정을 줄이세요.',
    en: 'Scan in the scan test area to see speed and content. Under 100 chars/s, shorten the scanner’s inter-key delay.',
  },
  test: { ko: '스캔 테스트', en: 'Scan test' },
  testStart: { ko: '테스트 시작', en: 'Start test' },
  testStop: { ko: '테스트 끝내기', en: 'Stop test' },
  testOn: { ko: '테스트 중: 스캔은 출입으로 기록되지 않습니다.', en: 'Testing: scans are not recorded as entries.' },
  testOff: { ko: '테스트를 시작하면 스캔이 출입 기록 없이 여기에 표시됩니다. 몇 분 뒤, 또는 이 화면을 닫으면 저절로 끝납니다.', en: 'Start a test to see scans here without recording entries. It ends by itself after a few minutes or when this screen closes.' },
  endsAt: { ko: '자동 종료', en: 'Ends at' },
  noTestScans: { ko: '아직 스캔이 없습니다. 스캐너로 아무 코드나 읽어 보세요.', en: 'No scans yet. Read any code with a scanner.' },
  source: { ko: '입력', en: 'Source' },
  device: { ko: '장치', en: 'Device' },
  symbology: { ko: '코드 종류', en: 'Symbology' },
  length: { ko: '길이', en: 'Length' },
  chars: { ko: '자', en: 'chars' },
  data: { ko: '읽은 내용', en: 'Data read' },
  truncated: { ko: '(길어서 앞부분만 표시)', en: '(long: start shown)' },
  kp1Ok: { ko: 'KP1 출입 QR 형식입니다. 실제 출입에서는 서명과 유효시간도 확인합니다.', en: 'A KP1 entry QR. Real entries also check its signature and validity.' },
  kp1No: { ko: 'KP1 출입 QR이 아닙니다. 출입에서는 거부됩니다 (MALFORMED).', en: 'Not a KP1 entry QR: an entry would refuse it (MALFORMED).' },
  issuer: { ko: '발급기관', en: 'issuer' },
  validity: { ko: '유효', en: 'valid' },
  seconds: { ko: '초', en: 's' },
  locked: { ko: '관리자 잠금 상태라 바꿀 수 없습니다. 관리자 PIN으로 잠금을 해제한 뒤 다시 시도하세요.', en: 'Locked: unlock with the operator PIN, then try again.' },
  cameraSettings: { ko: '카메라 설정', en: 'Camera settings' },
  cameraDevice: { ko: '카메라', en: 'Camera' },
  firstCamera: { ko: '첫 번째 카메라', en: 'First camera' },
  noCameras: { ko: '카메라를 찾지 못했습니다.', en: 'No camera found.' },
  decoder: { ko: '인식 엔진', en: 'Decoder' },
  rate: { ko: '초당 최대 인식 횟수 (1~15)', en: 'Max decodes per second (1–15)' },
  mirrored: { ko: '미리보기 좌우 반전', en: 'Mirror the preview' },
  save: { ko: '카메라 설정 저장', en: 'Save camera settings' },
  cameraLast: { ko: '카메라 상태', en: 'Camera state' },
  cameraHelp: { ko: '카메라는 대기 화면에서만 켜집니다. 설정을 저장하고 이 화면을 닫으면 새 설정으로 다시 켜집니다.', en: 'The camera runs on the waiting screen only; close this screen after saving to restart it with the new settings.' },
  saved: { ko: '저장했습니다.', en: 'Saved.' },
  badRate: { ko: '초당 인식 횟수는 1~15 사이의 정수여야 합니다.', en: 'Decodes per second must be a whole number from 1 to 15.' },
} as const;

export type WordKey = keyof typeof W;
export const dw = (k: WordKey, lang: Lang): string => W[k][lang];

export type Tone = 'ok' | 'busy' | 'warn' | 'bad' | 'off';
export interface Light {
  tone: Tone;
  icon: string;
  words: string;
}

const ICON: Record<Tone, string> = { ok: '✓', busy: '…', warn: '!', bad: '✕', off: '○' };
const light = (tone: Tone, ko: string, en: string, lang: Lang): Light => ({ tone, icon: ICON[tone], words: lang === 'ko' ? ko : en });

type HidState = DevicesStatus['hid']['devices'][number]['state'];

/** A HID device's light: connected is ok; no permission or an error is bad; unplugged or off is off. */
export function hidLight(state: HidState, lang: Lang): Light {
  switch (state) {
    case 'connected':
      return light('ok', '연결됨', 'Connected', lang);
    case 'opening':
      return light('busy', '여는 중', 'Opening', lang);
    case 'no-permission':
      return light('bad', '권한 없음', 'No permission', lang);
    case 'error':
      return light('bad', '오류', 'Error', lang);
    case 'disconnected':
      return light('off', '뽑힘', 'Unplugged', lang);
    case 'off':
      return light('off', '꺼짐 (사용 안 함)', 'Off (not used)', lang);
    case 'stopped':
      return light('off', '멈춤', 'Stopped', lang);
  }
}

/** A whole source's light: off when disabled; HID by its devices; wedge and camera ready when on. */
export function sourceLight(source: 'wedge' | 'hid' | 'camera', status: DevicesStatus, lang: Lang): Light {
  const s = status[source];
  if (!s.enabled) return light('off', '꺼짐', 'Off', lang);
  if (source === 'hid') {
    const devices = status.hid.devices.filter((d) => d.state !== 'disconnected');
    if (!status.hid.available) return light('warn', '사용할 수 없음', 'Unavailable', lang);
    if (devices.some((d) => d.state === 'no-permission' || d.state === 'error')) return light('bad', '문제 있음', 'Problem', lang);
    const connected = devices.filter((d) => d.state === 'connected').length;
    if (connected > 0) return light('ok', `${connected}대 연결됨`, `${connected} connected`, lang);
    return light('warn', '연결된 스캐너 없음', 'None connected', lang);
  }
  return light('ok', '켜짐 · 대기 중', 'On · waiting', lang);
}

/** What the kiosk's camera last did (it runs on the idle and result screens only, so here it is the last state). */
export function cameraLight(phase: 'off' | 'starting' | 'running' | 'denied' | 'missing' | 'error', lang: Lang): Light {
  switch (phase) {
    case 'running':
      return light('ok', '작동 중이었음', 'Was running', lang);
    case 'starting':
      return light('busy', '켜는 중', 'Starting', lang);
    case 'denied':
      return light('bad', '카메라 권한 거부됨', 'Permission denied', lang);
    case 'missing':
      return light('bad', '카메라를 찾지 못함', 'No camera found', lang);
    case 'error':
      return light('bad', '카메라 오류', 'Camera error', lang);
    case 'off':
      return light('off', '쓰지 않음', 'Not in use', lang);
  }
}

/** Whether main will refuse operator actions now: a PIN must be set first, or one is set and no session is open. */
export function operatorLocked(status: { pinSet: boolean; setupRequired: boolean; unlockedUntil: number | null } | null, now: number): boolean {
  if (!status) return false; // unknown: let main decide (it refuses with OPERATOR_LOCKED, which the screen shows)
  if (status.setupRequired) return true;
  return status.pinSet && !(status.unlockedUntil !== null && status.unlockedUntil > now);
}

const SYMBOLOGY_NAMES: Readonly<Record<string, string>> = {
  qr: 'QR Code', datamatrix: 'Data Matrix', pdf417: 'PDF417', aztec: 'Aztec', code128: 'Code 128', ean13: 'EAN-13', ean8: 'EAN-8',
  upca: 'UPC-A', upce: 'UPC-E', code39: 'Code 39', code93: 'Code 93', codabar: 'Codabar', itf: 'Interleaved 2 of 5', databar: 'GS1 DataBar',
};

/** "QR Code", or the id itself; unknown in the screen's language. */
export function symbologyName(id: string, lang: Lang): string {
  if (id === 'unknown') return lang === 'ko' ? '알 수 없음' : 'unknown';
  return Object.prototype.hasOwnProperty.call(SYMBOLOGY_NAMES, id) ? (SYMBOLOGY_NAMES[id] ?? id) : id;
}

export const sourceName = (source: DevicesTestScan['source'], lang: Lang): string =>
  dw(source === 'hid' ? 'hid' : source === 'camera' ? 'camera' : 'wedge', lang);

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
export const usbId = (vendorId: number, productId: number) => `${hex4(vendorId)}:${hex4(productId)}`;

/** HH:MM:SS in Seoul, for last-scan times. */
export const seoulTime = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(11, 19);
