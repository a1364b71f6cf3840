// Runs in the renderer. One answer, full screen: tone colour AND icon AND words, never colour
// alone. Marks the moment it is painted (data-painted-at) for the wedge-to-paint benchmark.
import { useLayoutEffect, useRef } from 'react';
import { TONE_ICON, TONE_LABEL } from '../feedback/resultText';
import type { ShownResult } from '../store/kiosk';

export function ResultScreen({ result }: { result: ShownResult }) {
  const ref = useRef<HTMLElement>(null);
  const { text } = result;

  useLayoutEffect(() => {
    // Committed to the DOM now; the frame that shows it is painted right after this callback.
    const el = ref.current;
    const raf = requestAnimationFrame(() => el?.setAttribute('data-painted-at', performance.now().toFixed(2)));
    return () => cancelAnimationFrame(raf);
  }, [result.seq]);

  return (
    <section
      ref={ref}
      key={result.seq}
      className={`screen result tone-${text.tone}`}
      data-testid="result"
      data-code={result.code}
      data-tone={text.tone}
      data-seq={result.seq}
      role="alert"
    >
      <div className="result-icon" aria-hidden="true">
        {TONE_ICON[text.tone]}
      </div>
      <p className="tone-label">{TONE_LABEL[text.tone]}</p>
      <h1 className="headline" data-testid="result-title">
        {text.title}
      </h1>
      {text.reason && (
        <p className="reason" data-testid="result-reason">
          {text.reason}
        </p>
      )}
      <p className="action" data-testid="result-action">
        {text.action}
      </p>
      {result.answer?.issuerName && result.code === 'OK' && <p className="issuer">{issuerLabel(result.answer.issuerName)}</p>}
    </section>
  );
}

const ISSUERS: Record<string, string> = { naver: '네이버', kakao: '카카오톡', pass: 'PASS' };
const issuerLabel = (name: string) => `${ISSUERS[name] ?? name} QR코드`;
