// Runs in the renderer. The kiosk's root: status bar, the one screen that is up (idle, result,
// fault or settings) and the demo panel. The root carries the hooks e2e tests read
// (data-screen, data-last-clip, data-clip-count).
import { useEffect } from 'react';
import { DemoPanel } from './DemoPanel';
import { FaultScreen } from './FaultScreen';
import { IdleScreen } from './IdleScreen';
import { ResultScreen } from './ResultScreen';
import { SettingsPanel } from './SettingsPanel';
import { StatusBar } from './StatusBar';
import { useKiosk, useKioskState } from './context';
import { languageOf, screenOf } from '../store/kiosk';
import { ConsoleScreen } from '../console/ConsoleScreen';
import { operatorFor } from '../operator/context';
import { OperatorLayer } from '../operator/OperatorLayer';
import { op } from '../i18n/text';
import { KioskCamera } from '../camera/KioskCamera';

export function App() {
  const { kiosk } = useKiosk();
  const connection = useKioskState((s) => s.connection);
  const status = useKioskState((s) => s.status);
  const result = useKioskState((s) => s.result);
  const settingsOpen = useKioskState((s) => s.settingsOpen);
  const todayCount = useKioskState((s) => s.todayCount);
  const lastClip = useKioskState((s) => s.lastClip);
  const clipCount = useKioskState((s) => s.clipCount);
  const voiceVia = useKioskState((s) => s.lastVoiceVia);
  const consoleOpen = useKioskState((s) => s.consoleOpen);
  const lang = useKioskState(languageOf);
  const largeText = useKioskState((s) => s.settings?.largeText ?? false);
  const highContrast = useKioskState((s) => s.settings?.highContrast ?? false);
  const screen = screenOf({ connection, status, result, settingsOpen, consoleOpen });

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    // Ctrl+Shift+S opens the operator settings; Escape closes them.
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.shiftKey && !e.altKey && e.code === 'KeyS') {
        e.preventDefault();
        void operatorFor(kiosk).request('settings'); // through the operator lock
      } else if (e.key === 'Escape' && kiosk.getState().consoleOpen) {
        kiosk.openConsole(false);
      } else if (e.key === 'Escape' && kiosk.getState().settingsOpen) {
        kiosk.openSettings(false);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [kiosk]);

  const fault = status?.fault ?? (connection === 'closed' ? { code: 'DISCONNECTED', message: '관리 프로그램과 연결이 끊겼습니다. 다시 연결하는 중입니다.' } : null);

  return (
    <div
      className={`kiosk screen-${screen} lang-${lang}${largeText ? ' large-text' : ''}${highContrast ? ' high-contrast' : ''}`}
      data-testid="kiosk"
      data-screen={screen}
      data-lang={lang}
      data-connection={connection}
      data-last-clip={lastClip ?? undefined}
      data-clip-count={clipCount}
      data-voice={voiceVia ?? undefined}
    >
      <StatusBar status={status} todayCount={todayCount} connection={connection} />
      <main className="stage">
        {screen === 'fault' && fault && <FaultScreen fault={fault} lang={lang} />}
        {screen === 'console' && <ConsoleScreen />}
        {screen === 'settings' && <SettingsPanel />}
        {screen === 'result' && result && <ResultScreen result={result} lang={lang} />}
        {screen === 'idle' && <IdleScreen lang={lang} />}
        <KioskCamera screen={screen} lang={lang} />
      </main>
      <footer className="footer">
        <span className="place">{status ? `${status.facilityId} · ${status.kioskId}` : ''}</span>
        {status?.demo && screen !== 'fault' && <DemoPanel showQr={screen === 'idle'} />}
        <button type="button" className="settings-button" data-testid="open-settings" aria-label={op('menuSettings', lang)} title={`${op('menuSettings', lang)} (Ctrl+Shift+S)`} onClick={() => void operatorFor(kiosk).request('settings')}>
          ⚙
        </button>
      </footer>
      <OperatorLayer />
    </div>
  );
}
