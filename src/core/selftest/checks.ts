// Runs in Node (main, development host). The standard self-test checks, each built from what
// the kiosk already knows (status, settings, an injected probe) so it runs under plain Node
// with fakes. Each says in Korean what was found and what to fix.
import { DAY_MS } from '../clock';
import type { Clock } from '../clock';
import type { CheckOutcome, SelftestCheck } from './runner';

const ok = (detail: string): CheckOutcome => ({ status: 'ok', detail, fix: null });

/** Trust list: fail when there is none, warn when older than warnAfterMs (default 7 days). */
export function trustListCheck(opts: { issuedAt: () => number | null; clock: Clock; warnAfterMs?: number }): SelftestCheck {
  const warnAfter = opts.warnAfterMs ?? 7 * DAY_MS;
  return {
    id: 'trustList',
    label: '신뢰 목록',
    run() {
      const issuedAt = opts.issuedAt();
      if (issuedAt === null) {
        return { status: 'fail', detail: '신뢰 목록이 없어 모든 QR이 거절됩니다.', fix: '키오스크를 중앙 서버에 등록하거나 네트워크 연결을 확인해 주세요.' };
      }
      const days = Math.floor((opts.clock() - issuedAt) / DAY_MS);
      if (opts.clock() - issuedAt > warnAfter) {
        return { status: 'warn', detail: `신뢰 목록이 ${days}일 전에 갱신되었습니다.`, fix: '중앙 서버 연결을 확인해 주세요. 연결되면 자동으로 갱신됩니다.' };
      }
      return ok(`신뢰 목록 ${Math.max(0, days)}일 전 갱신`);
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
    run() {
      const offset = opts.offsetMs();
      if (offset === null) return { status: 'warn', detail: '중앙 서버와 시계를 아직 비교하지 못했습니다.', fix: '중앙 서버 연결을 확인해 주세요.' };
      const s = (Math.abs(offset) / 1000).toFixed(1);
      if (Math.abs(offset) > failMs) return { status: 'fail', detail: `시계가 ${s}초 어긋나 있습니다.`, fix: '운영체제의 시간 동기화(NTP)를 켜 주세요.' };
      if (Math.abs(offset) > warnMs) return { status: 'warn', detail: `시계가 ${s}초 어긋나 있습니다.`, fix: '운영체제의 시간 동기화(NTP)를 확인해 주세요.' };
      return ok(`시계 차이 ${s}초`);
    },
  };
}

/** Central API: an injected probe (e.g. GET /health); 'not configured' when there is none. */
export function centralApiCheck(opts: { probe: (() => Promise<void>) | null; timeoutMs?: number }): SelftestCheck {
  return {
    id: 'centralApi',
    label: '중앙 서버 연결',
    timeoutMs: opts.timeoutMs ?? 8000,
    async run() {
      if (!opts.probe) return { status: 'warn', detail: '중앙 서버가 설정되지 않았습니다. 출입 기록은 이 키오스크에만 저장됩니다.', fix: '설정에서 중앙 서버 주소를 입력하고 키오스크를 등록해 주세요.' };
      try {
        await opts.probe();
        return ok('중앙 서버에 연결됨');
      } catch {
        // Offline is survivable: the kiosk verifies offline and the outbox waits.
        return { status: 'warn', detail: '중앙 서버에 연결할 수 없습니다. 출입 확인은 계속되고 기록은 나중에 전송됩니다.', fix: '네트워크 케이블과 방화벽, 중앙 서버 주소를 확인해 주세요.' };
      }
    },
  };
}

/** Scanners: HID POS state from the kiosk, and whether any scan was seen since start. */
export function scannerCheck(opts: { hid: () => { state: 'ready' | 'warning' | 'off'; detail: string }; scanSeenSinceStart: () => boolean }): SelftestCheck {
  return {
    id: 'scanner',
    label: '스캐너',
    run() {
      const hid = opts.hid();
      if (hid.state === 'warning') return { status: 'fail', detail: hid.detail, fix: '스캐너 USB 케이블을 다시 꽂고 자가점검을 다시 실행해 주세요.' };
      if (hid.state === 'ready' || opts.scanSeenSinceStart()) return ok(hid.state === 'ready' ? hid.detail : '스캔이 정상적으로 들어왔습니다.');
      return { status: 'warn', detail: '오늘 시작 후 스캔이 아직 없습니다.', fix: '견본 QR을 스캐너에 한 번 읽혀 주세요.' };
    },
  };
}

/** Camera: as the renderer reported it (it alone can open the camera). */
export function cameraCheck(opts: { reported: () => 'ok' | 'denied' | 'missing' | 'disabled' | null }): SelftestCheck {
  return {
    id: 'camera',
    label: '카메라',
    run() {
      switch (opts.reported()) {
        case 'ok':
          return ok('카메라 영상이 들어옵니다.');
        case 'disabled':
          return ok('카메라 스캔을 쓰지 않도록 설정되어 있습니다.');
        case 'denied':
          return { status: 'fail', detail: '카메라 사용 권한이 없습니다.', fix: '운영체제 설정에서 문지기의 카메라 권한을 허용해 주세요.' };
        case 'missing':
          return { status: 'fail', detail: '카메라를 찾을 수 없습니다.', fix: '카메라 USB 연결을 확인해 주세요.' };
        default:
          return { status: 'warn', detail: '화면에서 카메라 점검 결과를 받지 못했습니다.', fix: '자가점검 화면에서 다시 실행해 주세요.' };
      }
    },
  };
}

/** Speaker: mute and volume from settings (the renderer plays the test sound). */
export function speakerCheck(opts: { voice: () => { muted: boolean; volume: number } }): SelftestCheck {
  return {
    id: 'speaker',
    label: '스피커',
    run() {
      const { muted, volume } = opts.voice();
      if (muted) return { status: 'warn', detail: '음성 안내가 꺼져 있습니다.', fix: '설정에서 음소거를 해제해 주세요.' };
      if (volume < 0.2) return { status: 'warn', detail: `음량이 ${Math.round(volume * 100)}%로 낮습니다.`, fix: '설정에서 음량을 높여 주세요.' };
      return ok(`음량 ${Math.round(volume * 100)}%`);
    },
  };
}
