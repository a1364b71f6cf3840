// Runs in the renderer, demo setups only. Mints a test QR from the demo issuer so a person can
// try the kiosk with a real scanner or a phone camera pointed at this screen. The SVG from main
// is shown as an <img> data URL: an image cannot run script, unlike markup put into the page.
import { useEffect, useState } from 'react';
import { useKiosk, useKioskState } from './context';

/** Whole seconds left; `expiresAt` is Unix seconds (milliseconds tolerated). */
export function secondsLeft(expiresAt: number, nowMs: number): number {
  const expMs = expiresAt > 1e12 ? expiresAt : expiresAt * 1000;
  return Math.max(0, Math.ceil((expMs - nowMs) / 1000));
}

/** `showQr` is false while a result is up, so the QR never covers the answer. */
export function DemoPanel({ showQr }: { showQr: boolean }) {
  const { kiosk } = useKiosk();
  const token = useKioskState((s) => s.demoToken);
  const error = useKioskState((s) => s.demoError);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!token) return;
    const t = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(t);
  }, [token]);

  const left = token ? secondsLeft(token.expiresAt, now) : 0;
  return (
    <aside className="demo-panel" data-testid="demo-panel" aria-label="데모">
      <button type="button" className="btn" data-testid="demo-mint" onClick={() => void kiosk.mintDemoToken()}>
        데모: 테스트 QR 발급
      </button>
      {error && (
        <p className="form-message error" data-testid="demo-error">
          {error.message}
        </p>
      )}
      {token && showQr && (
        <figure className="demo-qr" data-testid="demo-token" data-token={token.token} data-expired={left === 0 ? 'true' : 'false'}>
          <img alt="테스트 QR코드" src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(token.qrSvg)}`} data-testid="demo-qr" />
          <figcaption data-testid="demo-countdown">{left > 0 ? `${left}초 남음` : '만료됨 — 다시 발급하세요'}</figcaption>
          <button type="button" className="btn small" onClick={() => kiosk.clearDemoToken()}>
            닫기
          </button>
        </figure>
      )}
    </aside>
  );
}
