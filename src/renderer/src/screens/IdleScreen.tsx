// Runs in the renderer. The waiting screen: one big instruction and a picture of what to do.
export function IdleScreen() {
  return (
    <section className="screen idle" data-testid="idle" aria-live="polite">
      <ScanIllustration />
      <h1 className="headline">QR코드를 스캐너에 보여 주세요</h1>
      <p className="sub">네이버 · 카카오톡 · PASS 앱의 출입용 QR코드</p>
    </section>
  );
}

/** A phone showing a QR code held under a scanner beam. */
function ScanIllustration() {
  return (
    <svg className="illustration" viewBox="0 0 240 160" role="img" aria-label="휴대폰 QR코드를 스캐너에 비추는 그림">
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
