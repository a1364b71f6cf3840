// Runs in the renderer. While an operator session is open: time left, the operator menu
// (settings, console, self-test, PIN change, operating institution, leaving kiosk mode) and 잠금, which locks at once.
import { useEffect, useState } from 'react';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';
import { useOperator, useOperatorState } from './context';
import { LockIcon } from './LockIcon';

export const mmss = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

export function SessionBar({ lang, screenOpen }: { lang: Lang; screenOpen: boolean }) {
  const operator = useOperator();
  const sessionUntil = useOperatorState((s) => s.sessionUntil);
  const openWithoutPin = useOperatorState((s) => s.openWithoutPin);
  const view = useOperatorState((s) => s.view);
  const [now, setNow] = useState(() => Date.now());
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);

  const active = sessionUntil !== null || (openWithoutPin && (screenOpen || view !== null));
  if (!active) return null;
  const item = (key: Parameters<typeof op>[0], testid: string, action: () => void) => (
    <button type="button" className="btn small" data-testid={testid} onClick={action}>
      {op(key, lang)}
    </button>
  );
  return (
    <nav className="session-bar" data-testid="session-bar" aria-label={op('sessionOpen', lang)}>
      <span className="session-state">
        <LockIcon open />{' '}
        <strong>{op('sessionOpen', lang)}</strong>{' '}
        {sessionUntil !== null ? (
          <span data-testid="session-left">{op('sessionLeft', lang, { time: mmss(sessionUntil - now) })}</span>
        ) : (
          <span data-testid="session-no-pin">{op('sessionNoPin', lang)}</span>
        )}
      </span>
      <span className="session-menu">
        {item('menuSettings', 'menu-settings', () => operator.open('settings'))}
        {item('menuConsole', 'menu-console', () => operator.open('console'))}
        {item('menuSelftest', 'menu-selftest', () => operator.open('selftest'))}
        {item('menuPin', 'menu-pin', () => operator.open('pinChange'))}
        {item('menuInstitution', 'menu-institution', () => operator.open('institution'))}
        {item('menuLeaveKiosk', 'menu-leave-kiosk', () => {
          void operator.leaveKiosk().then((env) => setNotice(env.ok ? op('leftKiosk', lang) : `${env.error.message} (${env.error.code})`));
        })}
        <button type="button" className="btn small lock-now" data-testid="lock-now" onClick={() => void operator.lock()}>
          <LockIcon />{' '}
          {op('lockNow', lang)}
        </button>
      </span>
      {notice && (
        <span className="session-notice" role="status" data-testid="session-notice">
          {notice}
        </span>
      )}
    </nav>
  );
}
