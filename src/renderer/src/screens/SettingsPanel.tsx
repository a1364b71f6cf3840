// Runs in the renderer. The operator's settings: voice, how long a result stays up, scanner
// timing. Real input fields inside [data-allow-typing], so nothing typed here is read as a scan.
// Values main refuses are shown with its Korean message; nothing is saved half-way.
import { useState } from 'react';
import type { Settings } from '../../../shared/contract';
import type { Form } from '../settings/settingsForm';
import { formOf, patchOf } from '../settings/settingsForm';
import { useKiosk, useKioskState } from './context';

export function SettingsPanel() {
  const { kiosk, voice } = useKiosk();
  const settings = useKioskState((s) => s.settings);
  if (!settings) {
    return (
      <section className="screen settings" data-testid="settings">
        <p className="reason">설정을 불러오는 중입니다…</p>
        <button type="button" className="btn" data-testid="settings-close" onClick={() => kiosk.openSettings(false)}>
          닫기
        </button>
      </section>
    );
  }
  // The form starts from what main holds each time the panel opens.
  return <SettingsForm settings={settings} backends={voice?.backends() ?? null} />;
}

function SettingsForm({ settings, backends }: { settings: Settings; backends: Record<string, string> | null }) {
  const { kiosk } = useKiosk();
  const [form, setForm] = useState<Form>(() => formOf(settings));
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const save = async () => {
    const patch = patchOf(form);
    if (typeof patch === 'string') {
      setMessage({ kind: 'error', text: patch });
      return;
    }
    setBusy(true);
    const env = await kiosk.updateSettings(patch);
    setBusy(false);
    setMessage(env.ok ? { kind: 'saved', text: '저장했습니다.' } : { kind: 'error', text: `${env.error.message} (${env.error.code})` });
  };

  return (
    <section className="screen settings" data-testid="settings" data-allow-typing="">
      <h1 className="panel-title">운영 설정</h1>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>음성 안내</legend>
          <label>
            음량 (0~100)
            <input type="number" inputMode="numeric" min={0} max={100} step={5} value={form.volume} data-testid="settings-volume" onChange={(e) => set('volume', e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={form.muted} data-testid="settings-muted" onChange={(e) => set('muted', e.target.checked)} />
            소리 끄기
          </label>
          {backends && <p className="hint">재생 방식: {backends.ok === 'webaudio' ? '녹음된 안내 음성' : backends.ok === 'speech' ? '시스템 음성(대체)' : '소리 없음'}</p>}
        </fieldset>
        <fieldset>
          <legend>결과 화면</legend>
          <label>
            결과 표시 시간 (초, 1~30)
            <input type="number" inputMode="decimal" min={1} max={30} step={0.5} value={form.resultSeconds} data-testid="settings-result-seconds" onChange={(e) => set('resultSeconds', e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>키보드 방식 스캐너</legend>
          <label>
            키 간격 최대 (ms)
            <input type="number" inputMode="numeric" value={form.maxGapMs} data-testid="settings-wedge-max-gap" onChange={(e) => set('maxGapMs', e.target.value)} />
          </label>
          <label>
            최소 길이 (글자)
            <input type="number" inputMode="numeric" value={form.minLength} data-testid="settings-wedge-min-length" onChange={(e) => set('minLength', e.target.value)} />
          </label>
          <label>
            입력 종료 대기 (ms)
            <input type="number" inputMode="numeric" value={form.idleMs} data-testid="settings-wedge-idle" onChange={(e) => set('idleMs', e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>언어 · 화면</legend>
          <label>
            기본 언어
            <select value={form.language} data-testid="settings-language" onChange={(e) => set('language', e.target.value === 'en' ? 'en' : 'ko')}>
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={form.largeText} data-testid="settings-large-text" onChange={(e) => set('largeText', e.target.checked)} />큰 글씨
          </label>
          <label className="check">
            <input type="checkbox" checked={form.highContrast} data-testid="settings-high-contrast" onChange={(e) => set('highContrast', e.target.checked)} />
            고대비
          </label>
          <label>
            운영 화면 자동 닫힘 (초, 15~3600)
            <input type="number" inputMode="numeric" value={form.screenTimeoutSeconds} data-testid="settings-screen-timeout" onChange={(e) => set('screenTimeoutSeconds', e.target.value)} />
          </label>
        </fieldset>
        <fieldset>
          <legend>중앙 서버</legend>
          <label>
            중앙 서버 주소 (비우면 사용 안 함)
            <input type="url" value={form.centralApiUrl} placeholder="https://" data-testid="settings-central-api" onChange={(e) => set('centralApiUrl', e.target.value)} />
          </label>
        </fieldset>
        {message && (
          <p className={`form-message ${message.kind}`} data-testid={message.kind === 'error' ? 'settings-error' : 'settings-saved'} role="status">
            {message.text}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="btn primary" data-testid="settings-save" disabled={busy}>
            저장
          </button>
          <button type="button" className="btn" data-testid="open-console" onClick={() => kiosk.openConsole(true)}>
            운영 콘솔
          </button>
          <button type="button" className="btn" data-testid="settings-close" onClick={() => kiosk.openSettings(false)}>
            닫기
          </button>
        </div>
      </form>
    </section>
  );
}
