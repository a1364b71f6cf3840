// Runs under vitest (Node). voice:replaceClip and voice:resetClip through the kiosk app and the
// contract's dispatcher: operator-only on a real kiosk, the file from main's chooser (the page
// names none), cancel changes nothing, refusals with their code and the old clip kept, and
// settings:update unable to name a clip file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/dispatch';
import type { KioskApp, KioskAppOptions } from '../app/kiosk';
import { createKioskApp } from '../app/kiosk';
import { silentLogger } from '../log';

const hasSox = existsSync('/usr/bin/sox');
if (!hasSox) console.warn('voice clip channel tests skipped: sox is not installed (Debian: sox)');

const apps: KioskApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(opts: Partial<KioskAppOptions> & { demo: boolean }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-clipch-'));
  const clipsDir = mkdtempSync(join(tmpdir(), 'munjigi-clipsrc-'));
  dirs.push(dataDir, clipsDir);
  const app = createKioskApp({ dataDir, logger: silentLogger, ...opts });
  apps.push(app);
  const tone = (name: string, seconds: number) => {
    execFileSync('sox', ['-n', '-r', '16000', '-b', '16', '-c', '1', join(clipsDir, name), 'synth', String(seconds), 'sine', '440'], { timeout: 30_000 });
    return join(clipsDir, name);
  };
  return { app, dispatch: createDispatcher(app.handlers, silentLogger), dataDir, clipsDir, tone };
}

describe.skipIf(!hasSox)('voice clip channels', () => {
  it('a chosen file replaces the clip and is served; refusals keep it; reset removes it; the page cannot name a file', async () => {
    let answer: string | null = null;
    const { app, dispatch, dataDir, tone } = start({ demo: true, chooseVoiceClip: () => Promise.resolve(answer) });
    answer = tone('ok.wav', 1.5);
    const replaced = await dispatch('voice:replaceClip', { clip: 'ok' });
    expect(replaced).toMatchObject({ ok: true, value: { cancelled: false, clip: { format: 'wav', durationMs: 1500 } } });
    const name = (replaced as { value: { settings: { voiceClips: { ok: string } } } }).value.settings.voiceClips.ok;
    expect(app.voiceClipFile(`/voice-clips/${name}`)).toBe(join(dataDir, 'voice', name));

    answer = tone('long.wav', 6);
    expect(await dispatch('voice:replaceClip', { clip: 'ok' })).toMatchObject({ ok: false, error: { code: 'VOICE_CLIP_TOO_LONG' } });
    answer = join(dataDir, 'settings.json');
    expect(await dispatch('voice:replaceClip', { clip: 'ok' })).toMatchObject({ ok: false, error: { code: 'VOICE_CLIP_FORMAT' } });
    expect(await dispatch('voice:replaceClip', { clip: 'hello' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('voice:replaceClip', { clip: 'ok', path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    // The page cannot name a clip file through settings:update either.
    expect(await dispatch('settings:update', { voiceClips: { ok: name, duplicate: name, refused: name } })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await dispatch('settings:get', {})).toMatchObject({ ok: true, value: { voiceClips: { ok: name, duplicate: null, refused: null } } });
    expect(readdirSync(join(dataDir, 'voice'))).toEqual([name]);

    expect(await dispatch('voice:resetClip', { clip: 'ok' })).toMatchObject({ ok: true, value: { voiceClips: { ok: null } } });
    expect(readdirSync(join(dataDir, 'voice'))).toEqual([]);
    expect(app.voiceClipFile(`/voice-clips/${name}`)).toBeNull();
  });

  it('cancel changes nothing; without a chooser (a plain browser host) it is refused', async () => {
    const { dispatch } = start({ demo: true, chooseVoiceClip: () => Promise.resolve(null) });
    expect(await dispatch('voice:replaceClip', { clip: 'refused' })).toMatchObject({ ok: true, value: { cancelled: true, clip: null, settings: { voiceClips: { refused: null } } } });
    const bare = start({ demo: true });
    expect(await bare.dispatch('voice:replaceClip', { clip: 'ok' })).toMatchObject({ ok: false, error: { code: 'VOICE_CLIP_NO_DIALOG' } });
  });

  it('a real kiosk needs an unlocked operator for both', async () => {
    const { dispatch, tone } = start({ demo: false, chooseVoiceClip: () => Promise.resolve(tone('ok.wav', 1)) });
    expect(await dispatch('voice:replaceClip', { clip: 'ok' })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    expect(await dispatch('voice:resetClip', { clip: 'ok' })).toMatchObject({ ok: false, error: { code: 'OPERATOR_LOCKED' } });
    await dispatch('operator:setPin', { pin: '246813' });
    await dispatch('operator:unlock', { pin: '246813' });
    expect(await dispatch('voice:replaceClip', { clip: 'ok' })).toMatchObject({ ok: true, value: { cancelled: false } });
  });
});
