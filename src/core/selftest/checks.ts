// Runs in Node (main, development host). The standard self-test checks, each built from what
// the kiosk already knows (status, settings, an injected probe) so it runs under plain Node
// with fakes. Each says in Korean (and English) what was found and what to fix.
import { DAY_MS } from '../clock';
import type { Clock } from '../clock';
import type { CheckOutcome, SelftestCheck } from './runner';

type Words = { ko: string; en: string };
const outcome = (status: CheckOutcome['status'], detail: Words, fix: Words | null): CheckOutcome => ({
  status,
  detail: detail.ko,
  fix: fix?.ko ?? null,
  en: { detail: detail.en, fix: fix?.en ?? null },
});
const ok = (detail: Words): CheckOutcome => outcome('ok', detail, null);

/** Trust list: fail when there is none, warn when older than warnAfterMs (default 7 days). */
export function trustListCheck(opts: { issuedAt: () => number | null; clock: Clock; warnAfterMs?: number }): SelftestCheck {
  const warnAfter = opts.warnAfterMs ?? 7 * DAY_MS;
  return {
    id: 'trustList',
    label: '신뢰 목록',
    labelEn: 'Trust list',
    run() {
      const issuedAt = opts.issuedAt();
      if (issuedAt === null) {
        return outcome(
          'fail',
          { ko: '신뢰 목록이 없어 모든 QR이 거절됩니다.', en: 'There is no trust list, so every QR code is refused.' },
          { ko: '키오스크를 중앙 서버에 등록하거나 네트워크 연결을 확인해 주세요.', en: 'Enroll the kiosk with the central API, or check the network.' },
        );
      }
      const days = Math.floor((opts.clock() - issuedAt) / DAY_MS);
      if (opts.clock() - issuedAt > warnAfter) {
        return outcome(
          'warn',
          { ko: `신뢰 목록이 ${days}일 전에 갱신되었습니다.`, en: `The trust list was updated ${days} days ago.` },
          { ko: '중앙 서버 연결을 확인해 주세요. 연결되면 자동으로 갱신됩니다.', en: 'Check the connection to the central API; it updates by itself once connected.' },
        );
      }
      const d = Math.max(0, days);
      return ok({ ko: `신뢰 목록 ${d}일 전 갱신`, en: `Trust list updated ${d} day${d === 1 ? '' : 's'} ago` });
    },
  };
}

/** Clock offset to the central API: warn past warnMs (default 2 s), fail past failMs (default 10 s, beyond the QR skew). */
export function clockCheck(opts: { offsetMs: () => number | null; warnMs?: number; failMs?: number }): SelftestCheck {
  const warnMs = opts.warnMs ?? 2000;
  const failMs = opts.failMs ?? 10_000;
  return {
    id: 'clock',
    label: '시계',
    labelEn: 'Clock',
    run() {
      const offset = opts.offsetMs();
      if (offset === null) {
        return outcome(
          'warn',
          { ko: '중앙 서버와 시계를 아직 비교하지 못했습니다.', en: 'The clock has not been compared with the central API yet.' },
          { ko: '중앙 서버 연결을 확인해 주세요.', en: 'Check the connection to the central API.' },
        );
      }
      const s = (Math.abs(offset) / 1000).toFixed(1);
      const off = { ko: `시계가 ${s}초 어긋나 있습니다.`, en: `The clock is ${s} s off.` };
      if (Math.abs(offset) > failMs) return outcome('fail', off, { ko: '운영체제의 시간 동기화(NTP)를 켜 주세요.', en: "Turn on the operating system's time sync (NTP)." });
      if (Math.abs(offset) > warnMs) return outcome('warn', off, { ko: '운영체제의 시간 동기화(NTP)를 확인해 주세요.', en: "Check the operating system's time sync (NTP)." });
      return ok({ ko: `시계 차이 ${s}초`, en: `Clock offset ${s} s` });
    },
  };
}

/** Central API: an injected probe (e.g. GET /health); 'not configured' when there is none. */
export function centralApiCheck(opts: { probe: (() => Promise<void>) | null; timeoutMs?: number }): SelftestCheck {
  return {
    id: 'centralApi',
    label: '중앙 서버 연결',
    labelEn: 'Central API connection',
    timeoutMs: opts.timeoutMs ?? 8000,
    async run() {
      if (!opts.probe) {
        return outcome(
          'warn',
          { ko: '중앙 서버가 설정되지 않았습니다. 출입 기록은 이 키오스크에만 저장됩니다.', en: 'No central API is set up. Entries are kept on this kiosk only.' },
          { ko: '설정에서 중앙 서버 주소를 입력하고 키오스크를 등록해 주세요.', en: 'Enter the central API address in the settings and enroll the kiosk.' },
        );
      }
      try {
        await opts.probe();
        return ok({ ko: '중앙 서버에 연결됨', en: 'Connected to the central API' });
      } catch {
        // Offline is survivable: the kiosk verifies offline and the outbox waits.
        return outcome(
          'warn',
          { ko: '중앙 서버에 연결할 수 없습니다. 출입 확인은 계속되고 기록은 나중에 전송됩니다.', en: 'The central API cannot be reached. Entry checks go on; entries are sent later.' },
          { ko: '네트워크 케이블과 방화벽, 중앙 서버 주소를 확인해 주세요.', en: 'Check the network cable, the firewall and the central API address.' },
        );
      }
    },
  };
}

/** A specimen scan read by a scanner during this self-test (the end-to-end proof of that scanner). */
export interface SpecimenSeen {
  source: string;
  scannedAt: number;
  /** It gave the result a specimen should give (OK fresh, EXPIRED for a printed card). */
  expected: boolean;
  result: string;
}

const SOURCE_NAME: Record<string, Words> = {
  hid: { ko: 'USB(HID) 스캐너', en: 'USB (HID) scanner' },
  wedge: { ko: '키보드 방식 스캐너', en: 'keyboard-wedge scanner' },
  camera: { ko: '카메라', en: 'camera' },
};
const sourceName = (source: string): Words => SOURCE_NAME[source] ?? { ko: source, en: source };

/** Scanners: HID POS state, and a specimen card read during the self-test (or any scan since start). */
export function scannerCheck(opts: {
  hid: () => { state: 'ready' | 'warning' | 'off'; detail: string };
  scanSeenSinceStart: () => boolean;
  specimenSeen?: () => SpecimenSeen | null;
}): SelftestCheck {
  return {
    id: 'scanner',
    label: '스캐너',
    labelEn: 'Scanners',
    run() {
      const hid = opts.hid();
      if (hid.state === 'warning') {
        return outcome(
          'fail',
          { ko: hid.detail, en: 'The USB scanner reports a problem (details in Korean on the status bar).' },
          { ko: '스캐너 USB 케이블을 다시 꽂고 자가점검을 다시 실행해 주세요.', en: 'Plug the scanner USB cable in again, then run the self-test again.' },
        );
      }
      const seen = opts.specimenSeen?.() ?? null;
      if (seen && !seen.expected) {
        return outcome(
          'fail',
          { ko: `견본 QR이 ${sourceName(seen.source).ko}로 읽혔지만 결과가 ${seen.result}입니다.`, en: `The specimen was read by the ${sourceName(seen.source).en} but gave ${seen.result}.` },
          seen.result === 'NOT_YET_VALID'
            ? { ko: '키오스크 시계가 견본 카드 발급 시각보다 늦습니다. 시간 동기화를 확인해 주세요.', en: "The kiosk clock is behind the card's issue time. Check time sync." }
            : { ko: '견본 카드를 새로 인쇄해 주세요.', en: 'Print a new specimen card.' },
        );
      }
      if (seen) {
        const name = sourceName(seen.source);
        return ok({ ko: `견본 QR이 ${name.ko}로 끝까지 확인됨`, en: `Specimen read end to end by the ${name.en}` });
      }
      if (hid.state === 'ready' || opts.scanSeenSinceStart()) {
        return ok(hid.state === 'ready' ? { ko: hid.detail, en: 'Scanners ready' } : { ko: '스캔이 정상적으로 들어왔습니다.', en: 'Scans have come in normally.' });
      }
      return outcome(
        'warn',
        { ko: '오늘 시작 후 스캔이 아직 없습니다.', en: 'No scan since the kiosk started today.' },
        { ko: '견본 QR을 스캐너에 한 번 읽혀 주세요.', en: 'Scan the specimen QR card once.' },
      );
    },
  };
}

/** Camera: as the renderer reported it (it alone can open the camera). */
export function cameraCheck(opts: { reported: () => 'ok' | 'denied' | 'missing' | 'disabled' | null }): SelftestCheck {
  return {
    id: 'camera',
    label: '카메라',
    labelEn: 'Camera',
    run() {
      switch (opts.reported()) {
        case 'ok':
          return ok({ ko: '카메라 영상이 들어옵니다.', en: 'The camera delivers a picture.' });
        case 'disabled':
          return ok({ ko: '카메라 스캔을 쓰지 않도록 설정되어 있습니다.', en: 'Camera scanning is turned off in the settings.' });
        case 'denied':
          return outcome(
            'fail',
            { ko: '카메라 사용 권한이 없습니다.', en: 'Permission to use the camera is missing.' },
            { ko: '운영체제 설정에서 문지기의 카메라 권한을 허용해 주세요.', en: "Allow Munjigi's camera access in the operating system settings." },
          );
        case 'missing':
          return outcome(
            'fail',
            { ko: '카메라를 찾을 수 없습니다.', en: 'No camera was found.' },
            { ko: '카메라 USB 연결을 확인해 주세요.', en: 'Check the camera USB connection.' },
          );
        default:
          return outcome(
            'warn',
            { ko: '화면에서 카메라 점검 결과를 받지 못했습니다.', en: 'The screen did not report a camera check.' },
            { ko: '자가점검 화면에서 다시 실행해 주세요.', en: 'Run it again from the self-test screen.' },
          );
      }
    },
  };
}

/** Speaker: mute and volume from settings, and whether the screen played the test sound. */
export function speakerCheck(opts: { voice: () => { muted: boolean; volume: number }; played?: () => 'played' | 'failed' | null }): SelftestCheck {
  return {
    id: 'speaker',
    label: '스피커',
    labelEn: 'Speaker',
    run() {
      const { muted, volume } = opts.voice();
      const pct = Math.round(volume * 100);
      if (muted) return outcome('warn', { ko: '음성 안내가 꺼져 있습니다.', en: 'Voice guidance is muted.' }, { ko: '설정에서 음소거를 해제해 주세요.', en: 'Turn mute off in the settings.' });
      if (volume < 0.2) return outcome('warn', { ko: `음량이 ${pct}%로 낮습니다.`, en: `The volume is low (${pct}%).` }, { ko: '설정에서 음량을 높여 주세요.', en: 'Raise the volume in the settings.' });
      if (opts.played?.() === 'failed') {
        return outcome(
          'fail',
          { ko: '시험음을 재생하지 못했습니다.', en: 'The test sound could not be played.' },
          { ko: '스피커 전원과 케이블, 운영체제 소리 출력 장치를 확인해 주세요.', en: "Check the speaker's power and cable and the operating system's sound output." },
        );
      }
      return ok({ ko: `음량 ${pct}%${opts.played?.() === 'played' ? ' · 시험음 재생됨' : ''}`, en: `Volume ${pct}%${opts.played?.() === 'played' ? ' · test sound played' : ''}` });
    },
  };
}

/** What a specimen token gave through the kiosk's scan path (see specimen.ts). */
export interface SpecimenRoundTrip {
  /** The kiosk answered it as a specimen, with this verify result. */
  recognised: boolean;
  result: string | null;
  /** An entry id in the answer: must never happen. */
  entryId: string | null;
  /** Entries today and outbox rows, before and after. */
  before: { entries: number; outbox: number };
  after: { entries: number; outbox: number };
}

/** Specimen QR: a fresh specimen token through the same scan path must give OK and write nothing. */
export function specimenCheck(opts: { roundTrip: () => SpecimenRoundTrip }): SelftestCheck {
  return {
    id: 'specimen',
    label: '견본 QR',
    labelEn: 'Specimen QR',
    run() {
      const r = opts.roundTrip();
      if (r.entryId !== null || r.after.entries !== r.before.entries || r.after.outbox !== r.before.outbox) {
        return outcome(
          'fail',
          { ko: '견본 QR이 출입 기록을 남겼습니다.', en: 'The specimen QR wrote an entry.' },
          { ko: '키오스크 사용을 멈추고 관리자에게 연락해 주세요.', en: 'Stop using the kiosk and contact the administrator.' },
        );
      }
      if (!r.recognised || r.result !== 'OK') {
        return outcome(
          'fail',
          { ko: `견본 QR 검증 결과가 예상과 다릅니다 (${r.result ?? '인식 안 됨'}).`, en: `The specimen QR gave an unexpected result (${r.result ?? 'not recognised'}).` },
          { ko: '시계와 데이터 폴더의 specimen 폴더를 확인하고 다시 실행해 주세요.', en: 'Check the clock and the specimen folder in the data folder, then run again.' },
        );
      }
      return ok({ ko: '견본 QR 검증 정상 · 기록 없음', en: 'Specimen verified · nothing recorded' });
    },
  };
}
