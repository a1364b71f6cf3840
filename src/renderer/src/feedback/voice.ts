// Runs in the renderer. Spoken feedback: the three clips are fetched and decoded ONCE, then
// each answer starts its clip through Web Audio at once (no element, no decode on the hot
// path). If a clip cannot be decoded the Korean system voice (speechSynthesis) says the words.
import type { ClipName } from './resultText';

export type VoiceBackend = 'webaudio' | 'speech' | 'none';

export interface VoiceSettings {
  volume: number;
  muted: boolean;
}

export interface PlayOutcome {
  clip: ClipName;
  /** How it was played; 'none' when muted or nothing can make sound. */
  via: VoiceBackend;
}

export interface Voice {
  /** Fetches and decodes the clips; resolves when done (failures fall back to speech). */
  ready: Promise<void>;
  play(clip: ClipName, fallbackText: string, settings: VoiceSettings): PlayOutcome;
  /** Which backend each clip will use (for the operator's settings panel and tests). */
  backends(): Record<ClipName, VoiceBackend>;
}

interface AudioDeps {
  urls: Record<ClipName, string>;
  createContext: () => AudioContext | null;
  fetch: typeof fetch;
  speech: SpeechSynthesis | null;
  createUtterance: ((text: string) => SpeechSynthesisUtterance) | null;
  /** Where to listen for the first user gesture if autoplay is blocked. */
  gestureTarget: EventTarget | null;
}

export function createVoice(deps: AudioDeps): Voice {
  const ctx = deps.createContext();
  const buffers = new Map<ClipName, AudioBuffer>();
  let gain: GainNode | null = null;
  if (ctx) {
    gain = ctx.createGain();
    gain.connect(ctx.destination);
    if (ctx.state === 'suspended' && deps.gestureTarget) {
      // Kiosks run with autoplay allowed; elsewhere the first touch or key unlocks sound.
      const unlock = () => {
        void ctx.resume();
        deps.gestureTarget?.removeEventListener('pointerdown', unlock, true);
        deps.gestureTarget?.removeEventListener('keydown', unlock, true);
      };
      deps.gestureTarget.addEventListener('pointerdown', unlock, true);
      deps.gestureTarget.addEventListener('keydown', unlock, true);
    }
  }

  const load = async (name: ClipName) => {
    if (!ctx) return;
    try {
      const res = await deps.fetch(deps.urls[name]);
      if (!res.ok) return;
      buffers.set(name, await ctx.decodeAudioData(await res.arrayBuffer()));
    } catch {
      // Leave it out: play() falls back to speechSynthesis for this clip.
    }
  };
  const ready = Promise.all((Object.keys(deps.urls) as ClipName[]).map(load)).then(() => undefined);

  const speak = (text: string, s: VoiceSettings): boolean => {
    if (!deps.speech || !deps.createUtterance) return false;
    try {
      const u = deps.createUtterance(text);
      u.lang = 'ko-KR';
      u.volume = s.volume;
      const ko = deps.speech.getVoices().find((v) => v.lang.toLowerCase().startsWith('ko'));
      if (ko) u.voice = ko;
      deps.speech.cancel();
      deps.speech.speak(u);
      return true;
    } catch {
      return false;
    }
  };

  let playing: AudioBufferSourceNode | null = null;

  return {
    ready,
    play(clip, fallbackText, s) {
      if (s.muted || s.volume <= 0) return { clip, via: 'none' };
      const buffer = buffers.get(clip);
      if (ctx && gain && buffer) {
        try {
          if (ctx.state === 'suspended') void ctx.resume();
          // A new answer interrupts the previous one: the visitor hears the current result.
          try {
            playing?.stop();
          } catch {
            /* already ended */
          }
          gain.gain.value = s.volume;
          const src = ctx.createBufferSource();
          src.buffer = buffer;
          src.connect(gain);
          src.start();
          playing = src;
          return { clip, via: 'webaudio' };
        } catch {
          /* fall through to speech */
        }
      }
      return { clip, via: speak(fallbackText, s) ? 'speech' : 'none' };
    },
    backends() {
      const of = (c: ClipName): VoiceBackend => (buffers.has(c) ? 'webaudio' : deps.speech ? 'speech' : 'none');
      return { ok: of('ok'), duplicate: of('duplicate'), refused: of('refused') };
    },
  };
}
