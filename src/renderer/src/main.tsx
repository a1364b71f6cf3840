// Runs in the renderer (Electron's sandboxed page, or Chromium against the development host).
// Wires the pieces: transport → kiosk store, voice clips, wedge listener, status polling, React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import okUrl from '../../../resources/voice/ok.wav?url';
import duplicateUrl from '../../../resources/voice/duplicate.wav?url';
import refusedUrl from '../../../resources/voice/refused.wav?url';
import { connect } from './ipc';
import { createVoice } from './feedback/voice';
import { createKioskStore } from './store/kiosk';
import { startWedgeListener } from './wedge/listener';
import { AccountsLauncher } from './accounts/AccountsLauncher';
import { AccountsContext } from './accounts/context';
import { App } from './screens/App';
import { KioskContext } from './screens/context';
import './styles.css';

const STATUS_POLL_MS = 2000;

const connection = connect(window);

const voice = createVoice({
  urls: { ok: okUrl, duplicate: duplicateUrl, refused: refusedUrl },
  createContext: () => {
    try {
      return new AudioContext({ latencyHint: 'interactive' });
    } catch {
      return null;
    }
  },
  fetch: window.fetch.bind(window),
  speech: 'speechSynthesis' in window ? window.speechSynthesis : null,
  createUtterance: typeof SpeechSynthesisUtterance === 'function' ? (text) => new SpeechSynthesisUtterance(text) : null,
  gestureTarget: window,
});

const kiosk = createKioskStore({
  bridge: connection.bridge,
  voice,
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
});

const refresh = () => {
  void kiosk.refreshStatus();
  void kiosk.loadSettings();
};
kiosk.setConnection(connection.state());
connection.onState((state) => {
  kiosk.setConnection(state);
  if (state === 'open') refresh();
});
connection.bridge.on('kiosk:status', kiosk.setStatus);
connection.bridge.on('kiosk:admitted', kiosk.admitted);
connection.bridge.on('kiosk:refused', kiosk.refused);
refresh();
window.setInterval(() => {
  if (connection.state() === 'open') void kiosk.refreshStatus();
}, STATUS_POLL_MS);

const wedge = startWedgeListener({
  target: window,
  onScan: (data, timing, typing) => void kiosk.admit(data, 'wedge', timing, typing.charsPerSecond),
  now: () => performance.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (h) => window.clearTimeout(h as number),
});
kiosk.subscribe((state, prev) => {
  if (state.settings && state.settings.wedge !== prev.settings?.wedge) wedge.configure(state.settings.wedge);
  // The operator's recorded clips (or the built-in ones again) are decoded once, when settings name them.
  if (state.settings && state.settings.voiceClips !== prev.settings?.voiceClips) void voice.useRecorded(state.settings.voiceClips);
});

const rootEl = document.getElementById('root');
if (rootEl) {
  createRoot(rootEl).render(
    <StrictMode>
      <KioskContext.Provider value={{ kiosk, voice }}>
        <AccountsContext.Provider value={connection.bridge}>
          <App />
          <AccountsLauncher />
        </AccountsContext.Provider>
      </KioskContext.Provider>
    </StrictMode>,
  );
}
