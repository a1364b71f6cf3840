// Runs in the renderer. A padlock drawn as SVG (kiosk PCs have no colour-emoji font), closed or
// open, in the text colour; decorative, so the words beside it carry the meaning.
export function LockIcon({ open = false }: { open?: boolean }) {
  return (
    <svg className="lock-icon" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false">
      <path d={open ? 'M7 11V7a5 5 0 0 1 9.6-1.9' : 'M7 11V7a5 5 0 0 1 10 0v4'} fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
      <rect x="4" y="11" width="16" height="11" rx="2" fill="currentColor" />
    </svg>
  );
}
