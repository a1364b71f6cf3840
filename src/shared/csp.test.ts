// Unit tests (Node) for the renderer's Content Security Policy: every directive named once, no
// source anywhere but the app itself, and WebAssembly compilation ('wasm-unsafe-eval', for the
// camera's QR decoder) as the only relaxation — never 'unsafe-eval' or 'unsafe-inline'.
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from './csp';

const directives = RENDERER_CSP.split(';').map((d) => d.trim().split(/\s+/));
const byName = new Map(directives.map(([name, ...sources]) => [name, sources]));

describe('RENDERER_CSP', () => {
  it('names each directive once', () => {
    expect(byName.size).toBe(directives.length);
  });

  it("lets scripts come only from 'self' and compile WebAssembly, but not eval", () => {
    expect(byName.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    for (const [, ...sources] of directives) {
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources).not.toContain("'unsafe-inline'");
      expect(sources).not.toContain("'unsafe-hashes'");
      expect(sources).not.toContain("'strict-dynamic'");
    }
  });

  it('loads nothing from another host or scheme (no wildcards, no http(s), no blob: scripts)', () => {
    for (const [name, ...sources] of directives) {
      for (const source of sources) {
        expect(source, `${String(name)} ${source}`).toMatch(/^('self'|'none'|'wasm-unsafe-eval'|data:|blob:)$/);
      }
    }
    // blob: and data: only where media and images need them, never for scripts or workers.
    expect(byName.get('script-src')).not.toContain('blob:');
    expect(byName.has('worker-src')).toBe(false); // falls back to script-src: same-origin workers only
  });

  it('closes objects, frames, base, forms and framing', () => {
    expect(byName.get('object-src')).toEqual(["'none'"]);
    expect(byName.get('base-uri')).toEqual(["'none'"]);
    expect(byName.get('form-action')).toEqual(["'none'"]);
    expect(byName.get('frame-ancestors')).toEqual(["'none'"]);
    expect(byName.get('connect-src')).toEqual(["'self'"]);
  });
});
