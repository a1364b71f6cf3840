// Runs in the renderer. The waiting screen: one big instruction, a picture of what to do, and a
// language toggle for foreign visitors (it holds for the next scan, then the default returns).
import type { Lang } from '../i18n/text';
import { t } from '../i18n/text';
import { useKiosk } from './context';

export function IdleScreen({ lang }: { lang: Lang }) {
  const { kiosk } = useKiosk();
  const other: Lang = lang === 'ko' ? 'en' : 'ko';
  return (
    <section className="screen idle" data-testid="idle" aria-live="polite">
      <ScanIllustration label={t('idleIllustration', lang)} />
      <h1 className="headline">{t('idleHeadline', lang)}</h1>
      <p className="sub">{t('idleSub', lang)}</p>
      <button
        type="button"
        className="btn lang-toggle"
        data-testid="language-toggle"
        lang={other}
        aria-label={t('switchLanguageLabel', lang)}
        onClick={() => kiosk.setVisitorLanguage(other === (kiosk.getState().settings?.language ?? 'ko') ? null : other)}
      >
        {t('switchLanguage', lang)}
      </button>
    </section>
  );
}

/** A phone showing a QR code held under a scanner beam. */
function ScanIllustration({ label }: { label: string }) {
  return (
    <svg className="illustration" viewBox="0 0 240 160" role="img" aria-label={label}>
      <rect x="20" y="20" width="80" height="130" rx="12" className="ill-phone" />
      <rect x="32" y="45" width="56" height="56" className="ill-screen" />
      <g className="ill-qr">
        <rect x="36" y="49" width="16" height="16" />
        <rect x="68" y="49" width="16" height="16" />
        <rect x="36" y="81" width="16" height="16" />
        <rect x="58" y="71" width="8" height="8" />
        <rect x="70" y="83" width="8" height="8" />
        <rect x="58" y="87" width="6" height="6" />
      </g>
      <path d="M150 30 l60 -10 l10 40 l-50 20 z" className="ill-scanner" />
      <path d="M160 70 L95 60 L95 90 Z" className="ill-beam" />
    </svg>
  );
}
