// Runs in the renderer. Everything the operator lock adds to the kiosk screen: the lock screen in
// front of a requested screen, the session bar, our own screens (self-test, PIN change), the
// re-lock timer (session end, screen timeout without input) and a line after a re-lock.
import { useEffect } from 'react';
import { useKiosk, useKioskState } from '../screens/context';
import { languageOf } from '../store/kiosk';
import { op } from '../i18n/text';
import { SelftestScreen } from '../selftest/SelftestScreen';
import { operatorFor, useOperatorState } from './context';
import { LockIcon } from './LockIcon';
import { LockScreen } from './LockScreen';
import { OperatorInstitution } from './OperatorInstitution';
import { PinChange } from './PinChange';
import { SessionBar } from './SessionBar';
import './operator.css';

const TICK_MS = 1000;

export function OperatorLayer() {
  const { kiosk } = useKiosk();
  const operator = operatorFor(kiosk);
  const lang = useKioskState(languageOf);
  const timeoutMs = useKioskState((s) => s.settings?.screenTimeoutMs ?? 120_000);
  const kioskScreenOpen = useKioskState((s) => s.settingsOpen || s.consoleOpen);
  const gate = useOperatorState((s) => s.gate);
  const view = useOperatorState((s) => s.view);
  const relocked = useOperatorState((s) => s.relocked);

  useEffect(() => {
    const timer = window.setInterval(() => operator.tick(timeoutMs), TICK_MS);
    const touch = () => operator.touch();
    window.addEventListener('pointerdown', touch);
    window.addEventListener('keydown', touch);
    window.addEventListener('wheel', touch);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('pointerdown', touch);
      window.removeEventListener('keydown', touch);
      window.removeEventListener('wheel', touch);
    };
  }, [operator, timeoutMs]);

  useEffect(() => {
    // Escape leaves our own screens and the lock screen, like it closes settings and the console.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      if (operator.getState().gate) operator.cancel();
      else if (operator.getState().view) operator.closeView();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [operator]);

  useEffect(() => {
    if (!relocked) return;
    const t = window.setTimeout(() => operator.clearRelocked(), 8000);
    return () => window.clearTimeout(t);
  }, [relocked, operator]);

  const overlay = gate ? <LockScreen lang={lang} /> : view === 'selftest' ? <SelftestScreen lang={lang} /> : view === 'pinChange' ? <PinChange lang={lang} /> : view === 'institution' ? <OperatorInstitution lang={lang} /> : null;
  // The session bar sits at the top of the kiosk (in the flow, so it covers nothing); over one of
  // our own screens it is the top of that screen.
  const bar = <SessionBar lang={lang} screenOpen={kioskScreenOpen} />;
  return (
    <>
      {!overlay && bar}
      {overlay && (
        <div className="operator-overlay" data-testid="operator-overlay" data-view={gate ? 'lock' : view}>
          {!gate && bar}
          {overlay}
        </div>
      )}
      {relocked && !gate && !view && !kioskScreenOpen && (
        <p className="relocked" role="status" data-testid="relocked" data-reason={relocked}>
          <LockIcon />{' '}
          {op(relocked === 'session' ? 'relockedSession' : 'relockedIdle', lang)}
        </p>
      )}
    </>
  );
}
