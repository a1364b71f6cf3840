// Runs under vitest (Node). The voice with a fake AudioContext and speechSynthesis: clips are
// fetched and decoded once, played through a gain node at the settings' volume, muted means
// silence, and a clip that cannot be decoded falls back to the Korean system voice.
import { describe, expect, it } from 'vitest';
import { clipUrls, createVoice } from './voice';

function fakeAudio(opts: { failDecode?: string[]; state?: AudioContextState } = {}) {
  const log: string[] = [];
  let decodes = 0;
  const gain = { gain: { value: 1 }, connect: () => {} };
  const ctx = {
    state: opts.state ?? 'running',
    destination: {},
    createGain: () => gain,
    decodeAudioData: async (buf: ArrayBuffer) => {
      decodes++;
      const name = new TextDecoder().decode(buf);
      if (opts.failDecode?.includes(name)) throw new Error('bad wav');
      return { name, duration: name.length / 10 } as unknown as AudioBuffer;
    },
    createBufferSource: () => {
      const src = {
        buffer: null as { name: string } | null,
        connect: () => {},
        start: () => log.push(`start ${src.buffer?.name} @${gain.gain.value}`),
        stop: () => log.push('stop'),
      };
      return src;
    },
    resume: async () => {
      log.push('resume');
    },
  };
  const spoken: { text: string; lang: string; volume: number }[] = [];
  const speech = {
    getVoices: () => [{ lang: 'ko-KR', name: 'Korean' }],
    cancel: () => {},
    speak: (u: { text: string; lang: string; volume: number }) => spoken.push({ text: u.text, lang: u.lang, volume: u.volume }),
  };
  const fetches: string[] = [];
  const voice = createVoice({
    urls: { ok: 'ok', duplicate: 'duplicate', refused: 'refused' },
    createContext: () => ctx as unknown as AudioContext,
    fetch: (async (url: string) => {
      fetches.push(url);
      return { ok: true, arrayBuffer: async () => new TextEncoder().encode(url).buffer } as Response;
    }) as unknown as typeof fetch,
    speech: speech as unknown as SpeechSynthesis,
    createUtterance: (text) => ({ text, lang: '', volume: 1, voice: null }) as unknown as SpeechSynthesisUtterance,
    gestureTarget: null,
  });
  return { voice, log, spoken, fetches, decodes: () => decodes };
}

describe('voice', () => {
  it('decodes each clip once and plays it through Web Audio at the settings volume', async () => {
    const a = fakeAudio();
    await a.voice.ready;
    expect(a.voice.play('ok', '인증되었습니다', { volume: 0.4, muted: false })).toEqual({ clip: 'ok', via: 'webaudio' });
    expect(a.voice.play('refused', '다시 확인해 주세요', { volume: 1, muted: false }).via).toBe('webaudio');
    expect(a.fetches.sort()).toEqual(['duplicate', 'ok', 'refused']);
    expect(a.decodes()).toBe(3);
    // The second answer cuts the first one short.
    expect(a.log).toEqual(['start ok @0.4', 'stop', 'start refused @1']);
  });

  it('muted or volume 0: nothing plays', async () => {
    const a = fakeAudio();
    await a.voice.ready;
    expect(a.voice.play('ok', 'x', { volume: 1, muted: true }).via).toBe('none');
    expect(a.voice.play('ok', 'x', { volume: 0, muted: false }).via).toBe('none');
    expect(a.log).toEqual([]);
    expect(a.spoken).toEqual([]);
  });

  it('a clip that cannot be decoded is spoken by speechSynthesis in Korean', async () => {
    const a = fakeAudio({ failDecode: ['duplicate'] });
    await a.voice.ready;
    expect(a.voice.backends()).toEqual({ ok: 'webaudio', duplicate: 'speech', refused: 'webaudio' });
    expect(a.voice.play('duplicate', '이미 인증되었습니다', { volume: 0.7, muted: false })).toEqual({ clip: 'duplicate', via: 'speech' });
    expect(a.spoken).toEqual([{ text: '이미 인증되었습니다', lang: 'ko-KR', volume: 0.7 }]);
  });

  it('a suspended context is resumed when a clip plays', async () => {
    const a = fakeAudio({ state: 'suspended' });
    await a.voice.ready;
    a.voice.play('ok', 'x', { volume: 1, muted: false });
    expect(a.log).toEqual(['resume', 'start ok @1']);
  });

  it('clip URLs: a recorded file where settings name one, the built-in clip elsewhere', () => {
    const builtIn = { ok: '/assets/ok.wav', duplicate: '/assets/duplicate.wav', refused: '/assets/refused.wav' };
    const name = `ok-${'0f'.repeat(16)}.mp3`;
    expect(clipUrls(builtIn, undefined)).toEqual(builtIn);
    expect(clipUrls(builtIn, { ok: name, duplicate: null, refused: null })).toEqual({ ...builtIn, ok: `/voice-clips/${name}` });
  });

  it('use(): only a changed clip is fetched and decoded again; the next answer plays it', async () => {
    const a = fakeAudio();
    await a.voice.ready;
    await a.voice.use({ ok: '/voice-clips/recorded-ok', duplicate: 'duplicate', refused: 'refused' });
    expect(a.fetches.slice(3)).toEqual(['/voice-clips/recorded-ok']);
    expect(a.decodes()).toBe(4);
    expect(a.voice.loaded().ok).toEqual({ url: '/voice-clips/recorded-ok', durationS: 2.4 });
    a.voice.play('ok', '인증되었습니다', { volume: 1, muted: false });
    expect(a.log).toEqual(['start /voice-clips/recorded-ok @1']);
    // Reset: back to the built-in clip.
    await a.voice.use({ ok: 'ok', duplicate: 'duplicate', refused: 'refused' });
    expect(a.voice.loaded().ok).toEqual({ url: 'ok', durationS: 0.2 });
  });

  it('use(): a recorded clip the browser cannot decode is spoken instead; a newer use() wins over a slower older one', async () => {
    const a = fakeAudio({ failDecode: ['/voice-clips/broken'] });
    await a.voice.ready;
    await a.voice.use({ ok: '/voice-clips/broken', duplicate: 'duplicate', refused: 'refused' });
    expect(a.voice.loaded().ok).toBeNull();
    expect(a.voice.backends().ok).toBe('speech');
    const first = a.voice.use({ ok: '/voice-clips/first', duplicate: 'duplicate', refused: 'refused' });
    const second = a.voice.use({ ok: '/voice-clips/second', duplicate: 'duplicate', refused: 'refused' });
    await Promise.all([first, second]);
    expect(a.voice.loaded().ok?.url).toBe('/voice-clips/second');
  });
});
