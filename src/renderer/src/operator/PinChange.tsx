// Runs in the renderer. Changing the operator PIN inside a session (or setting the first one on
// a demo kiosk): the current PIN, the new one twice, checked with the shared rules, decided by main.
import { useState } from 'react';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from '../../../shared/operatorPin';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';
import { useOperator, useOperatorState } from './context';
import { lockMessage, problemText } from './LockScreen';

export function PinChange({ lang }: { lang: Lang }) {
  const operator = useOperator();
  const status = useOperatorState((s) => s.status);
  const error = useOperatorState((s) => s.error);
  const busy = useOperatorState((s) => s.busy);
  const [fields, setFields] = useState({ current: '', next: '', again: '' });
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string } | null>(null);
  const first = status !== null && !status.pinSet;
  const digitsOnly = (v: string) => v.replace(/[^0-9]/g, '').slice(0, PIN_MAX_DIGITS);
  const set = (k: keyof typeof fields) => (e: { target: { value: string } }) => setFields((f) => ({ ...f, [k]: digitsOnly(e.target.value) }));

  const save = async () => {
    const { current, next, again } = fields;
    setFields({ current: '', next: '', again: '' }); // nothing typed stays on screen after the call
    const result = first ? await operator.setFirstPin(next, again) : await operator.changePin(current, next, again);
    if (result === null) setMessage({ kind: 'saved', text: op('pinChanged', lang) });
    else if (result === 'REFUSED') setMessage({ kind: 'error', text: lockMessage(operator.getState().error, operator.getState().status, Date.now(), lang) ?? error?.message ?? '' });
    else setMessage({ kind: 'error', text: problemText(result, lang) });
  };

  const field = (k: keyof typeof fields, label: Parameters<typeof op>[0]) => (
    <label>
      {op(label, lang)}
      <input type="password" inputMode="numeric" autoComplete="off" value={fields[k]} data-testid={`pin-change-${k}`} onChange={set(k)} />
    </label>
  );
  return (
    <section className="screen operator-pin-change" data-testid="pin-change" data-allow-typing="">
      <h1 className="panel-title">{first ? op('pinFirst', lang) : op('pinChangeTitle', lang)}</h1>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <p className="hint">{op('pinRules', lang, { min: PIN_MIN_DIGITS, max: PIN_MAX_DIGITS })}</p>
        {!first && field('current', 'pinCurrent')}
        {field('next', 'pinNew')}
        {field('again', 'pinNewAgain')}
        {message && (
          <p className={`form-message ${message.kind}`} role="status" data-testid={message.kind === 'error' ? 'pin-change-error' : 'pin-change-saved'}>
            {message.text}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="btn primary" data-testid="pin-change-save" disabled={busy}>
            {op('save', lang)}
          </button>
          <button type="button" className="btn" data-testid="pin-change-close" onClick={() => operator.closeView()}>
            {op('close', lang)}
          </button>
        </div>
      </form>
    </section>
  );
}
