// Runs in the renderer. The settings panel's 안내 음성 파일 part: for each spoken answer (인증 완료 /
// 중복 / 거부) what plays now (recorded file or built-in, and its decoded length), 들어보기,
// 「녹음 파일로 바꾸기」 (main opens the file dialog and checks the file; the page names no path)
// and 「기본 음성으로 되돌리기」. A refused file shows main's message and code; the old clip stays.
import { useEffect, useState } from 'react';
import type { Settings, VoiceClipName } from '../../../shared/contract';
import type { LoadedClip } from '../feedback/voice';
import { RESULT_TEXT } from '../feedback/resultText';
import type { Lang, OperatorUiKey } from '../i18n/text';
import { op } from '../i18n/text';
import { useKiosk } from '../screens/context';

const CLIPS: ReadonlyArray<{ clip: VoiceClipName; label: OperatorUiKey; speech: string }> = [
  { clip: 'ok', label: 'clipOk', speech: RESULT_TEXT.OK.speech },
  { clip: 'duplicate', label: 'clipDuplicate', speech: RESULT_TEXT.DUPLICATE.speech },
  { clip: 'refused', label: 'clipRefused', speech: RESULT_TEXT.EXPIRED.speech },
];

type Message = { kind: 'error'; text: string } | { kind: 'done'; key: OperatorUiKey; values?: Record<string, string> };

const seconds = (s: number) => (Math.round(s * 10) / 10).toFixed(1);

export function VoiceClipsFieldset({ settings, lang }: { settings: Settings; lang: Lang }) {
  const { kiosk, voice } = useKiosk();
  const [loaded, setLoaded] = useState<Record<VoiceClipName, LoadedClip | null> | null>(() => voice?.loaded() ?? null);
  const [busy, setBusy] = useState<VoiceClipName | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [lastPlayed, setLastPlayed] = useState<string>('');

  // What each clip is now follows settings: decoded once per change, then shown with its length.
  useEffect(() => {
    if (!voice) return;
    let live = true;
    void voice.useRecorded(settings.voiceClips).then(() => {
      if (live) setLoaded(voice.loaded());
    });
    return () => {
      live = false;
    };
  }, [voice, settings.voiceClips]);

  const replace = async (clip: VoiceClipName) => {
    setBusy(clip);
    setMessage(null);
    const env = await kiosk.ask('voice:replaceClip', { clip });
    if (env.ok && !env.value.cancelled && env.value.clip) {
      await kiosk.loadSettings();
      setMessage({ kind: 'done', key: 'clipReplaced', values: { codec: env.value.clip.codec, s: seconds(env.value.clip.durationMs / 1000) } });
    } else if (env.ok) {
      setMessage({ kind: 'done', key: 'clipCancelled' });
    } else {
      setMessage({ kind: 'error', text: `${env.error.message} (${env.error.code})` });
    }
    setBusy(null);
  };

  const reset = async (clip: VoiceClipName) => {
    setBusy(clip);
    setMessage(null);
    const env = await kiosk.ask('voice:resetClip', { clip });
    if (env.ok) {
      await kiosk.loadSettings();
      setMessage({ kind: 'done', key: 'clipResetDone' });
    } else {
      setMessage({ kind: 'error', text: `${env.error.message} (${env.error.code})` });
    }
    setBusy(null);
  };

  const listen = (clip: VoiceClipName, speech: string) => {
    // The operator asked to hear it: played even when the entrance is muted, at the set volume (or full when 0).
    const outcome = voice?.play(clip, speech, { volume: settings.voice.volume > 0 ? settings.voice.volume : 1, muted: false });
    setLastPlayed(outcome ? `${clip}:${outcome.via}` : `${clip}:none`);
  };

  return (
    <fieldset data-testid="voice-clips" data-last-played={lastPlayed}>
      <legend>{op('clipsLegend', lang)}</legend>
      <p className="hint">{op('clipHint', lang)}</p>
      {CLIPS.map(({ clip, label, speech }) => {
        const recorded = settings.voiceClips[clip] !== null;
        const now = loaded?.[clip] ?? null;
        const state = now ? op(recorded ? 'clipRecorded' : 'clipBuiltIn', lang, { s: seconds(now.durationS) }) : op('clipUndecodable', lang);
        return (
          <div
            key={clip}
            className="clip-row"
            data-testid={`clip-${clip}`}
            data-clip-kind={recorded ? 'recorded' : 'builtin'}
            data-clip-src={now?.url ?? ''}
            data-clip-duration={now ? now.durationS.toFixed(3) : ''}
          >
            <p>
              <strong>{op(label, lang)}</strong> · <span data-testid={`clip-${clip}-state`}>{state}</span>
            </p>
            <div className="buttons">
              <button type="button" className="btn" data-testid={`clip-${clip}-listen`} onClick={() => listen(clip, speech)}>
                <span aria-hidden="true">♪ </span>
                {op('clipListen', lang)}
              </button>
              <button type="button" className="btn" data-testid={`clip-${clip}-replace`} disabled={busy !== null} onClick={() => void replace(clip)}>
                {op('clipReplace', lang)}
              </button>
              <button type="button" className="btn" data-testid={`clip-${clip}-reset`} disabled={busy !== null || !recorded} onClick={() => void reset(clip)}>
                {op('clipReset', lang)}
              </button>
            </div>
          </div>
        );
      })}
      {message && (
        <p className={`form-message ${message.kind === 'error' ? 'error' : 'saved'}`} data-testid={message.kind === 'error' ? 'clip-error' : 'clip-done'} role="status">
          {message.kind === 'error' ? message.text : op(message.key, lang, message.values)}
        </p>
      )}
    </fieldset>
  );
}
