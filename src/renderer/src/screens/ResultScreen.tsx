// Runs in the renderer. One answer, full screen: tone colour AND icon AND words, never colour
// alone. Marks the moment it is painted (data-painted-at) for the wedge-to-paint benchmark.
import { useLayoutEffect, useRef } from 'react';
import { TONE_ICON } from '../feedback/resultText';
import type { Lang } from '../i18n/text';
import { t, TONE_LABEL_IN } from '../i18n/text';
import type { ShownResult } from '../store/kiosk';
import { useKiosk } from './context';

export function ResultScreen({ result, lang }: { result: ShownResult; lang: Lang }) {
  const ref = useRef<HTMLElement>(null);
  const { kiosk } = useKiosk();
  const { text } = result;

  useLayoutEffect(() => {
    // Committed to the DOM now; the frame that shows it is painted right after this callback.
    const el = ref.current;
    const raf = requestAnimationFrame(() => {
      const paintedAt = performance.now();
      el?.setAttribute('data-painted-at', paintedAt.toFixed(2));
      kiosk.reportPaint(result.seq, paintedAt); // feedback time for the console
    });
    return () => cancelAnimationFrame(raf);
  }, [kiosk, result.seq]);

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
      {/* Colour is never the only signal: an icon with its own accessible name, and words. */}
      <div className="result-icon" role="img" aria-label={TONE_LABEL_IN[lang][text.tone]} data-testid="result-icon">
        <span aria-hidden="true">{TONE_ICON[text.tone]}</span>
      </div>
      <p className="tone-label">{TONE_LABEL_IN[lang][text.tone]}</p>
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
      {result.answer?.issuerName && result.code === 'OK' && <p className="issuer">{issuerLabel(result.answer.issuerName, lang)}</p>}
    </section>
  );
}

const ISSUERS: Record<Lang, Record<string, string>> = {
  ko: { naver: '네이버', kakao: '카카오톡', pass: 'PASS' },
  en: { naver: 'NAVER', kakao: 'KakaoTalk', pass: 'PASS' },
};
const issuerLabel = (name: string, lang: Lang) => `${ISSUERS[lang][name] ?? name} ${t('issuerQr', lang)}`;
