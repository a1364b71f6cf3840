// Runs in the renderer. The top bar: today's count and three status lights (scanner, sync,
// clock), in the kiosk's language. Each light has a shape and a word besides its colour.
import type { KioskStatus } from '../../../shared/contract';
import type { ConnectionState } from '../ipc/wsBridge';
import type { Lang, OperatorUiKey } from '../i18n/text';
import { op } from '../i18n/text';
import { languageOf } from '../store/kiosk';
import { useKioskState } from './context';

type Level = 'good' | 'warn' | 'bad' | 'off';

interface Light {
  id: 'scanner' | 'sync' | 'clock';
  label: string;
  state: string;
  level: Level;
  word: string;
  detail?: string;
}

export function lightsOf(status: KioskStatus | null, lang: Lang = 'ko'): Light[] {
  const w = (key: OperatorUiKey, values?: Record<string, number>) => op(key, lang, values);
  if (!status) {
    return [
      { id: 'scanner', label: w('lightScanner'), state: 'unknown', level: 'off', word: w('checking') },
      { id: 'sync', label: w('lightSync'), state: 'unknown', level: 'off', word: w('checking') },
      { id: 'clock', label: w('lightClock'), state: 'unknown', level: 'off', word: w('checking') },
    ];
  }
  const scanner: Record<KioskStatus['scanner']['state'], [Level, string]> = { ready: ['good', w('scannerReady')], warning: ['warn', w('scannerWarning')], off: ['off', w('scannerOff')] };
  const sync: Record<KioskStatus['sync']['state'], [Level, string]> = {
    ok: ['good', w('syncOk')],
    pending: ['warn', w('syncPending', { n: status.sync.pending })],
    offline: ['bad', w('syncOffline')],
    disabled: ['off', w('syncDisabled')],
  };
  const clock: Record<KioskStatus['clock']['state'], [Level, string]> = { ok: ['good', w('clockOk')], warning: ['warn', w('clockWarning')], unknown: ['off', w('clockUnknown')] };
  const [sl, sw] = scanner[status.scanner.state];
  const [yl, yw] = sync[status.sync.state];
  const [cl, cw] = clock[status.clock.state];
  return [
    { id: 'scanner', label: w('lightScanner'), state: status.scanner.state, level: sl, word: sw, detail: status.scanner.detail },
    { id: 'sync', label: w('lightSync'), state: status.sync.state, level: yl, word: yw },
    { id: 'clock', label: w('lightClock'), state: status.clock.state, level: cl, word: cw },
  ];
}

const MARK: Record<Level, string> = { good: '●', warn: '▲', bad: '■', off: '○' };

export function StatusBar({ status, todayCount, connection }: { status: KioskStatus | null; todayCount: number | null; connection: ConnectionState }) {
  const lang = useKioskState(languageOf);
  const unit = op('todayUnit', lang);
  return (
    <header className="status-bar" data-lang={lang}>
      <div className="today">
        {op('todayLabel', lang)} <strong data-testid="today-count">{todayCount ?? '–'}</strong>
        {unit}
      </div>
      <ul className="lights" aria-label={op('statusLights', lang)}>
        {lightsOf(status, lang).map((l) => (
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
            {op(connection === 'connecting' ? 'connecting' : 'disconnected', lang)}
          </li>
        )}
      </ul>
    </header>
  );
}
