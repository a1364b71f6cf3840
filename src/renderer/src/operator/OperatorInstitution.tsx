// Runs in the renderer. 운영 기관: which institution's 시설관리자 may unlock this kiosk with a
// 공동인증서 (operator.json in main). Picked from the central API's directory with the accounts
// institution search; saving or removing it needs the current PIN, like a PIN change.
import { useState } from 'react';
import type { Institution } from '../../../shared/accounts';
import { PIN_MAX_DIGITS } from '../../../shared/operatorPin';
import { InstitutionPicker } from '../accounts/InstitutionPicker';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';
import { useOperator, useOperatorState } from './context';
import { lockMessage } from './LockScreen';

export function OperatorInstitution({ lang }: { lang: Lang }) {
  const operator = useOperator();
  const status = useOperatorState((s) => s.status);
  const busy = useOperatorState((s) => s.busy);
  const [picked, setPicked] = useState<Institution | null>(null);
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'saved'; text: string } | null>(null);
  const current = status?.institutionId ?? null;

  const save = async (institutionId: string | null) => {
    const typed = pin;
    setPin(''); // the PIN does not stay on screen after the call
    const refused = await operator.bindInstitution(institutionId, typed);
    if (refused) setMessage({ kind: 'error', text: lockMessage(refused, operator.getState().status, Date.now(), lang) ?? refused.message });
    else {
      setPicked(null);
      setMessage({ kind: 'saved', text: op('institutionSaved', lang) });
    }
  };

  return (
    <section className="screen operator-institution" data-testid="operator-institution" data-bound={current ?? ''} data-allow-typing="">
      <h1 className="panel-title">{op('institutionTitle', lang)}</h1>
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (picked) void save(picked.id);
        }}
      >
        <p className="hint">{op('institutionHint', lang)}</p>
        <p>
          {op('institutionCurrent', lang)}: <strong data-testid="institution-current">{current ?? op('institutionNone', lang)}</strong>
        </p>
        <InstitutionPicker label={op('institutionPick', lang)} value={picked} onChange={setPicked} testId="operator-institution-pick" />
        <label>
          {op('pinCurrent', lang)}
          <input
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            data-testid="institution-pin"
            onChange={(e) => setPin(e.target.value.replace(/[^0-9]/g, '').slice(0, PIN_MAX_DIGITS))}
          />
        </label>
        {message && (
          <p className={`form-message ${message.kind}`} role="status" data-testid={message.kind === 'error' ? 'institution-error' : 'institution-saved'}>
            {message.text}
          </p>
        )}
        <div className="buttons">
          <button type="submit" className="btn primary" data-testid="institution-save" disabled={busy || !picked}>
            {op('save', lang)}
          </button>
          {current && (
            <button type="button" className="btn" data-testid="institution-unbind" disabled={busy} onClick={() => void save(null)}>
              {op('institutionUnbind', lang)}
            </button>
          )}
          <button type="button" className="btn" data-testid="institution-close" onClick={() => operator.closeView()}>
            {op('close', lang)}
          </button>
        </div>
      </form>
    </section>
  );
}
