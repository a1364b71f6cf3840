// Unit tests (Node) for the app:// file handler: real files in a temp root, CSP on every answer,
// traversal and unsupported methods refused without revealing paths.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, createAssetHandler } from './assets';
import { CSP } from './security';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'munjigi-assets-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>문지기</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'outside the root');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('createAssetHandler', () => {
  it('serves the index and assets with their type and the CSP', async () => {
    const serve = createAssetHandler(root);
    const index = await serve({ url: 'app://munjigi/', method: 'GET' });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('문지기');
    const js = await serve({ url: 'app://munjigi/assets/index-abc.js', method: 'GET' });
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    const head = await serve({ url: 'app://munjigi/assets/index-abc.js', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it.each(['app://munjigi/../secret.txt', 'app://munjigi/%2e%2e/secret.txt', 'app://munjigi/..%2fsecret.txt', 'app://munjigi/missing.js', 'app://munjigi/assets', 'app://other/index.html'])(
    '404s %s with the CSP and no path in the body',
    async (url) => {
      const res = await createAssetHandler(root)({ url, method: 'GET' });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      const body = await res.text();
      expect(body).not.toContain(base);
      expect(body).not.toContain('outside the root');
    },
  );

  it('refuses methods other than GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const res = await createAssetHandler(root)({ url: 'app://munjigi/index.html', method });
      expect(res.status).toBe(405);
    }
  });

  it('serves a recorded voice clip only where the core names it, on the app origin, with the CSP', async () => {
    const clip = join(base, 'voice', 'ok-0123.wav');
    mkdirSync(join(base, 'voice'), { recursive: true });
    writeFileSync(clip, 'RIFF');
    const asked: string[] = [];
    const serve = createAssetHandler(root, undefined, (path) => {
      asked.push(path);
      return path === '/voice-clips/ok-0123.wav' ? clip : null;
    });
    const res = await serve({ url: 'app://munjigi/voice-clips/ok-0123.wav', method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(await res.text()).toBe('RIFF');
    // Another origin never reaches the core; a name it does not know falls through to the renderer folder (404).
    expect((await serve({ url: 'app://other/voice-clips/ok-0123.wav', method: 'GET' })).status).toBe(404);
    expect((await serve({ url: 'app://munjigi/voice-clips/../secret.txt', method: 'GET' })).status).toBe(404);
    expect(asked.every((p) => p.startsWith('/'))).toBe(true);
  });

  it('types unknown extensions as opaque bytes', () => {
    expect(contentTypeFor('/x/clip.WAV')).toBe('audio/wav');
    expect(contentTypeFor('/x/a.exe')).toBe('application/octet-stream');
    expect(contentTypeFor('/x/noext')).toBe('application/octet-stream');
  });
});
