// Runs in the renderer. The top bar: today's count and three status lights (scanner, sync,
// clock). Each light has a shape and a word besides its colour.
import type { KioskStatus } from '../../../shared/contract';
import type { ConnectionState } from '../ipc/wsBridge';

type Level = 'good' | 'warn' | 'bad' | 'off';

interface Light {
  id: 'scanner' | 'sync' | 'clock';
  label: string;
  state: string;
  level: Level;
  word: string;
  detail?: string;
}

export function lightsOf(status: KioskStatus | null): Light[] {
  if (!status) {
    return [
      { id: 'scanner', label: '스캐너', state: 'unknown', level: 'off', word: '확인 중' },
      { id: 'sync', label: '전송', state: 'unknown', level: 'off', word: '확인 중' },
      { id: 'clock', label: '시계', state: 'unknown', level: 'off', word: '확인 중' },
    ];
  }
  const scanner: Record<KioskStatus['scanner']['state'], [Level, string]> = { ready: ['good', '준비'], warning: ['warn', '확인 필요'], off: ['off', '꺼짐'] };
  const sync: Record<KioskStatus['sync']['state'], [Level, string]> = { ok: ['good', '정상'], pending: ['warn', `대기 ${status.sync.pending}건`], offline: ['bad', '오프라인'], disabled: ['off', '사용 안 함'] };
  const clock: Record<KioskStatus['clock']['state'], [Level, string]> = { ok: ['good', '정상'], warning: ['warn', '오차 큼'], unknown: ['off', '미확인'] };
  const [sl, sw] = scanner[status.scanner.state];
  const [yl, yw] = sync[status.sync.state];
  const [cl, cw] = clock[status.clock.state];
  return [
    { id: 'scanner', label: '스캐너', state: status.scanner.state, level: sl, word: sw, detail: status.scanner.detail },
    { id: 'sync', label: '전송', state: status.sync.state, level: yl, word: yw },
    { id: 'clock', label: '시계', state: status.clock.state, level: cl, word: cw },
  ];
}

const MARK: Record<Level, string> = { good: '●', warn: '▲', bad: '■', off: '○' };

export function StatusBar({ status, todayCount, connection }: { status: KioskStatus | null; todayCount: number | null; connection: ConnectionState }) {
  return (
    <header className="status-bar">
      <div className="today">
        오늘 입장 <strong data-testid="today-count">{todayCount ?? '–'}</strong>명
      </div>
      <ul className="lights" aria-label="상태">
        {lightsOf(status).map((l) => (
          <li key={l.id} className={`light level-${l.level}`} data-testid={`light-${l.id}`} data-state={l.state} title={l.detail || undefined}>
            <span className="mark" aria-hidden="true">
              {MARK[l.level]}
            </span>
            {l.label} {l.word}
          </li>
        ))}
        {connection !== 'open' && (
          <li className="light level-bad" data-testid="light-connection" data-state={connection}>
            <span className="mark" aria-hidden="true">
              ■
            </span>
            {connection === 'connecting' ? '연결 중' : '연결 끊김'}
          </li>
        )}
      </ul>
    </header>
  );
}
