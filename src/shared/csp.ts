// Runs everywhere. The renderer's Content Security Policy: the same policy whether the page
// comes from Electron's app:// protocol or from the development host, so tests see what
// kiosks run. No inline or remote script, no eval, nothing framed, no form posts.
// 'wasm-unsafe-eval' lets the page (and its same-origin workers) compile WebAssembly, which the
// camera's QR decoder (zxing-wasm, decode.worker.ts) needs; it does not allow eval(),
// new Function() or string timers, which stay blocked. The .wasm itself still comes from 'self'.
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
