// Runs in the renderer. Spoken feedback: the three clips are fetched and decoded ONCE (and again
// only when the operator replaces or resets one), then each answer starts its clip through Web
// Audio at once (no element, no decode on the hot path). If a clip cannot be decoded the Korean
// system voice (speechSynthesis) says the words.
import type { Settings } from '../../../shared/contract';
import { VOICE_CLIP_URL_PREFIX } from '../../../shared/contract';
import type { ClipName } from './resultText';

export type ClipUrls = Record<ClipName, string>;

/** Each clip's URL: the operator's recorded file where settings name one, else the built-in clip. */
export function clipUrls(builtIn: ClipUrls, recorded: Settings['voiceClips'] | undefined): ClipUrls {
  const of = (c: ClipName) => {
    const file = recorded?.[c];
    return file ? `${VOICE_CLIP_URL_PREFIX}${encodeURIComponent(file)}` : builtIn[c];
  };
  return { ok: of('ok'), duplicate: of('duplicate'), refused: of('refused') };
}

/** What a clip plays now, for the settings panel: its URL and the decoded length (null: not decoded, speech instead). */
export interface LoadedClip {
  url: string;
  durationS: number;
}

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
  /** Switches to these URLs: changed clips are fetched and decoded again; resolves when every clip is decoded. */
  use(urls: ClipUrls): Promise<void>;
  /** use() with the operator's recorded clips from settings over the built-in ones. */
  useRecorded(recorded: Settings['voiceClips'] | undefined): Promise<void>;
  /** The decoded clip behind each name now, or null where speech stands in. */
  loaded(): Record<ClipName, LoadedClip | null>;
}

interface AudioDeps {
  urls: ClipUrls;
  createContext: () => AudioContext | null;
  fetch: typeof fetch;
  speech: SpeechSynthesis | null;
  createUtterance: ((text: string) => SpeechSynthesisUtterance) | null;
  /** Where to listen for the first user gesture if autoplay is blocked. */
  gestureTarget: EventTarget | null;
}

export function createVoice(deps: AudioDeps): Voice {
  const ctx = deps.createContext();
  const buffers = new Map<ClipName, { url: string; buffer: AudioBuffer }>();
  let wanted: ClipUrls = { ...deps.urls };
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

  const load = async (name: ClipName, url: string) => {
    if (!ctx) return;
    let buffer: AudioBuffer | null = null;
    try {
      const res = await deps.fetch(url);
      if (res.ok) buffer = await ctx.decodeAudioData(await res.arrayBuffer());
    } catch {
      buffer = null;
    }
    if (wanted[name] !== url) return; // replaced again meanwhile: the newer load decides
    // Without a buffer the clip is left out: play() falls back to speechSynthesis for it.
    if (buffer) buffers.set(name, { url, buffer });
    else buffers.delete(name);
  };
  const names = Object.keys(deps.urls) as ClipName[];
  /** The load in flight (or done) for each clip's wanted URL, so every caller of use() can wait for it. */
  const pending = new Map<ClipName, Promise<void>>(names.map((n) => [n, load(n, deps.urls[n])]));
  const ready = Promise.all(pending.values()).then(() => undefined);

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

  const use = async (urls: ClipUrls) => {
    const changed = names.filter((n) => urls[n] !== wanted[n]);
    wanted = { ...urls };
    for (const n of changed) pending.set(n, load(n, urls[n]));
    await Promise.all(names.map((n) => pending.get(n)));
  };

  let playing: AudioBufferSourceNode | null = null;

  return {
    ready,
    play(clip, fallbackText, s) {
      if (s.muted || s.volume <= 0) return { clip, via: 'none' };
      const buffer = buffers.get(clip)?.buffer;
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
    use,
    useRecorded: (recorded) => use(clipUrls(deps.urls, recorded)),
    loaded() {
      const of = (c: ClipName): LoadedClip | null => {
        const b = buffers.get(c);
        return b ? { url: b.url, durationS: b.buffer.duration } : null;
      };
      return { ok: of('ok'), duplicate: of('duplicate'), refused: of('refused') };
    },
  };
}
