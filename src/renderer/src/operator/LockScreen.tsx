// Runs in the renderer. The lock screen in front of settings, the console and the self-test:
// the first start sets a PIN (twice, under the shared rules), later starts ask for it. A wrong
// PIN says how many tries are left; a lockout says until when, counting down. Main decides.
// A second way in, 공동인증서로 잠금 해제 (./CertificateUnlock), shares the PIN's limiter.
import { useEffect, useState } from 'react';
import type { AppError } from '../../../shared/envelope';
import type { OperatorStatusView } from '../../../shared/contract';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS, PIN_PROBLEM_TEXT, pinProblem } from '../../../shared/operatorPin';
import type { PinProblem } from '../../../shared/operatorPin';
import type { Lang, OperatorUiKey } from '../i18n/text';
import { op } from '../i18n/text';
import { CertificateUnlock } from './CertificateUnlock';
import { useOperator, useOperatorState } from './context';
import { LockIcon } from './LockIcon';
import { PinPad } from './PinPad';

/** HH:MM:SS in Seoul (UTC+9, no daylight saving), the same in both languages. */
export const seoulClock = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(11, 19);

/** The sentence for a refusal or a lockout, in the screen's language; null when there is nothing to say. */
export function lockMessage(error: AppError | null, status: OperatorStatusView | null, now: number, lang: Lang): string | null {
  if (status?.lockedUntil && status.lockedUntil > now) {
    return op('lockedOut', lang, { time: seoulClock(status.lockedUntil), s: Math.ceil((status.lockedUntil - now) / 1000) });
  }
  if (!error) return null;
  if (error.code === 'OPERATOR_PIN_WRONG') return op('pinWrong', lang, { n: status?.attemptsLeft ?? '?' });
  if (error.code === 'OPERATOR_LOCKED_OUT') return null; // the lockout has ended: try again
  if (error.code === 'OPERATOR_STORE_DAMAGED') return `${op('storeDamaged', lang)} (${error.code})`;
  if (CERT_REFUSALS.includes(error.code as never)) return `${op(error.code as OperatorUiKey, lang)} (${error.code})`;
  return `${error.message} (${error.code})`;
}

/** The certificate unlock's own refusals, worded in both languages; others show main's sentence. */
const CERT_REFUSALS = ['OPERATOR_CERT_OFFLINE', 'OPERATOR_CERT_ROLE', 'OPERATOR_CERT_OTHER_FACILITY', 'OPERATOR_CERT_NO_INSTITUTION', 'OPERATOR_CERT_ACCOUNT_INACTIVE'] as const satisfies readonly OperatorUiKey[];

export const problemText = (p: PinProblem | 'MISMATCH', lang: Lang) => (p === 'MISMATCH' ? op('pinMismatch', lang) : PIN_PROBLEM_TEXT[p][lang]);

export function LockScreen({ lang }: { lang: Lang }) {
  const operator = useOperator();
  const gate = useOperatorState((s) => s.gate);
  const status = useOperatorState((s) => s.status);
  const error = useOperatorState((s) => s.error);
  const busy = useOperatorState((s) => s.busy);
  const [now, setNow] = useState(() => Date.now());
  const [first, setFirst] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [via, setVia] = useState<'pin' | 'certificate'>('pin');

  const lockedOut = status?.lockedUntil !== null && status?.lockedUntil !== undefined && status.lockedUntil > now;
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, []);
  useEffect(() => {
    // When the lockout ends, ask main again so the pad opens with the right count.
    if (status?.lockedUntil && status.lockedUntil <= now) void operator.refresh();
  }, [now, status?.lockedUntil, operator]);

  if (!gate) return null;
  const setup = gate.mode === 'setup';
  const byCertificate = via === 'certificate' && !setup;
  const message = problem ?? lockMessage(error, status, now, lang);

  const onPin = async (pin: string) => {
    setProblem(null);
    if (!setup) {
      await operator.unlock(pin);
      return;
    }
    if (first === null) {
      const p = pinProblem(pin);
      if (p) setProblem(problemText(p, lang));
      else setFirst(pin);
      return;
    }
    const again = first;
    setFirst(null);
    const result = await operator.setFirstPin(again, pin);
    if (result && result !== 'REFUSED') setProblem(problemText(result, lang));
  };

  return (
    <section className="screen operator-lock" data-testid="lock-screen" data-mode={gate.mode} data-via={byCertificate ? 'certificate' : 'pin'} data-target={gate.target} data-locked-out={lockedOut ? 'true' : 'false'} aria-labelledby="lock-title">
      <h1 id="lock-title" className="panel-title">
        <LockIcon />{' '}
        {setup ? op('setupTitle', lang) : op('lockTitle', lang)}
      </h1>
      <p className="lock-prompt" data-testid="lock-prompt">
        {setup ? (first === null ? op('setupPrompt', lang) : op('setupConfirm', lang)) : byCertificate ? op('certUnlock', lang) : op('lockPrompt', lang)}
      </p>
      {setup && <p className="hint">{op('pinRules', lang, { min: PIN_MIN_DIGITS, max: PIN_MAX_DIGITS })}</p>}
      {message && (
        <p className={`form-message error${lockedOut ? ' locked-out' : ''}`} role="alert" data-testid="lock-message" data-code={problem ? 'PIN_RULE' : lockedOut ? 'OPERATOR_LOCKED_OUT' : (error?.code ?? '')}>
          <span aria-hidden="true">⚠ </span>
          {message}
        </p>
      )}
      {byCertificate ? (
        // The dialog's own 취소 leaves the lock screen, like the pad's 취소 below.
        <CertificateUnlock lang={lang} onCancel={() => operator.cancel()} />
      ) : (
        <PinPad key={`${gate.mode}-${first === null ? 1 : 2}`} lang={lang} busy={busy} disabled={lockedOut} onSubmit={(pin) => void onPin(pin)} testid="pin" />
      )}
      <div className="buttons">
        {!setup && (
          <button type="button" className="btn" data-testid={byCertificate ? 'lock-use-pin' : 'lock-use-certificate'} onClick={() => setVia(byCertificate ? 'pin' : 'certificate')}>
            {byCertificate ? op('certBackToPin', lang) : op('certUnlock', lang)}
          </button>
        )}
        {!byCertificate && (
          <button type="button" className="btn" data-testid="lock-cancel" onClick={() => operator.cancel()}>
            {op('cancel', lang)}
          </button>
        )}
      </div>
    </section>
  );
}
