// Runs in the renderer. The operator's settings: voice and its recorded clips, how long a result stays up, scanner
// timing, language and screen, the central API. Real input fields inside [data-allow-typing], so
// nothing typed here is read as a scan. Words in the kiosk's language (i18n/text.ts); values main
// refuses are shown with its Korean message and code; nothing is saved half-way.
import { useState } from 'react';
import type { Settings } from '../../../shared/contract';
import type { Form } from '../settings/settingsForm';
import { formOf, patchOf } from '../settings/settingsForm';
import { VoiceClipsFieldset } from '../settings/VoiceClips';
import { useKiosk, useKioskState } from './context';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';
import { languageOf } from '../store/kiosk';
import { operatorFor } from '../operator/context';

export function SettingsPanel() {
  const { kiosk, voice } = useKiosk();
  const settings = useKioskState((s) => s.settings);
  const lang = useKioskState(languageOf);
  if (!settings) {
    return (
      <section className="screen settings" data-testid="settings">
        <p className="reason">{op('settingsLoading', lang)}</p>
        <button type="button" className="btn" data-testid="settings-close" onClick={() => kiosk.openSettings(false)}>
          {op('close', lang)}
        </button>
      </section>
    );
  }
  // The form starts from what main holds each time the panel opens.
  return <SettingsForm settings={settings} backends={voice?.backends() ?? null} lang={lang} />;
}

function SettingsForm({ settings, backends, lang }: { settings: Settings; backends: Record<string, string> | null; lang: Lang }) {
  const { kiosk } = useKiosk();
  const [form, setForm] = useState<Form>(() => formOf(settings));
  // 'saved' is rendered in the current language, so it follows a language change just saved.
  const [message, setMessage] = useState<{ kind: 'error'; text: string } | { kind: 'saved' } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const save = async () => {
    const patch = patchOf(form, lang);
    if (typeof patch === 'string') {
      setMessage({ kind: 'error', text: patch });
      return;
    }
    setBusy(true);
    const env = await kiosk.updateSettings(patch);
    setBusy(false);
    setMessage(env.ok ? { kind: 'saved' } : { kind: 'error', text: `${env.error.message} (${env.error.code})` });
  };

  return (
    <section className="screen settings" data-testid="settings" data-allow-typing="">
      <h1 className="panel-title">{op('settingsTitle', lang)}</h1>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>{op('voiceLegend', lang)}</legend>
          <label>
            {op('volume', lang)}
            <input type="number" inputMode="numeric" min={0} max={100} step={5} value={form.volume} data-testid="settings-volume" onChange={(e) => set('volume', e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={form.muted} data-testid="settings-muted" onChange={(e) => set('muted', e.target.checked)} />
            {op('mute', lang)}
          </label>
          {backends && <p className="hint">{op('voiceVia', lang, { via: op(backends.ok === 'webaudio' ? 'viaClips' : backends.ok === 'speech' ? 'viaSpeech' : 'viaNone', lang) })}</p>}
        </fieldset>
        <VoiceClipsFieldset settings={settings} lang={lang} />
        <fieldset>
          <legend>{op('resultLegend', lang)}</legend>
          <label>
            {op('resultSeconds', lang)}
            <input type="number" inputMode="decimal" min={1} max={30} step={0.5} value={form.resultSeconds} data-testid="settings-result-seconds" onChange={(e) => set('resultSeconds', e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>{op('wedgeLegend', lang)}</legend>
          <label>
            {op('wedgeGap', lang)}
            <input type="number" inputMode="numeric" value={form.maxGapMs} data-testid="settings-wedge-max-gap" onChange={(e) => set('maxGapMs', e.target.value)} />
          </label>
          <label>
            {op('wedgeMin', lang)}
            <input type="number" inputMode="numeric" value={form.minLength} data-testid="settings-wedge-min-length" onChange={(e) => set('minLength', e.target.value)} />
          </label>
          <label>
            {op('wedgeIdle', lang)}
            <input type="number" inputMode="numeric" value={form.idleMs} data-testid="settings-wedge-idle" onChange={(e) => set('idleMs', e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>{op('screenLegend', lang)}</legend>
          <label>
            {op('language', lang)}
            <select value={form.language} data-testid="settings-language" onChange={(e) => set('language', e.target.value === 'en' ? 'en' : 'ko')}>
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={form.largeText} data-testid="settings-large-text" onChange={(e) => set('largeText', e.target.checked)} />
            {op('largeText', lang)}
          </label>
          <label className="check">
            <input type="checkbox" checked={form.highContrast} data-testid="settings-high-contrast" onChange={(e) => set('highContrast', e.target.checked)} />
            {op('highContrast', lang)}
          </label>
          <label>
            {op('screenTimeout', lang)}
            <input type="number" inputMode="numeric" value={form.screenTimeoutSeconds} data-testid="settings-screen-timeout" onChange={(e) => set('screenTimeoutSeconds', e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>{op('centralLegend', lang)}</legend>
          <label>
            {op('centralUrl', lang)}
            <input type="url" value={form.centralApiUrl} placeholder="https://" data-testid="settings-central-api" onChange={(e) => set('centralApiUrl', e.target.value)} />
          </label>
        </fieldset>
        {message && (
          <p className={`form-message ${message.kind}`} data-testid={message.kind === 'error' ? 'settings-error' : 'settings-saved'} role="status">
            {message.kind === 'saved' ? op('settingsSaved', lang) : message.text}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="btn primary" data-testid="settings-save" disabled={busy}>
            {op('save', lang)}
          </button>
          <button type="button" className="btn" data-testid="open-console" onClick={() => operatorFor(kiosk).open('console')}>
            {op('menuConsole', lang)}
          </button>
          <button type="button" className="btn" data-testid="open-selftest" onClick={() => operatorFor(kiosk).open('selftest')}>
            {op('menuSelftest', lang)}
          </button>
          <button type="button" className="btn" data-testid="settings-close" onClick={() => kiosk.openSettings(false)}>
            {op('close', lang)}
          </button>
        </div>
      </form>
    </section>
  );
}
