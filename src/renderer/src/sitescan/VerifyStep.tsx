// Runs in the renderer. 이메일 인증: the 6-digit code from the mail, with the time left, the tries
// left and the resends left as the server counts them; 인증 코드 다시 받기; on success the status
// moves to 이메일 인증 and the first scan's time is shown (모니터링 중 follows the first scan).
import { useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { Envelope } from '../../../shared/envelope';
import { errorLine, useAccountsCall } from '../accounts/context';
import type { Lang } from '../i18n/text';
import { sst } from '../i18n/text';
import { seoulTime } from './view';

export function VerifyStep({ lang, siteId, onBack }: { lang: Lang; siteId: string; onBack(): void }) {
  const call = useAccountsCall();
  const [report, setReport] = useState<Response<'sitescan:report'> | null>(null);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<Response<'sitescan:verify'> | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const apply = (env: Envelope<Response<'sitescan:report'>>) => {
    if (env.ok) setReport(env.value);
    else setMessage(errorLine(env.error));
  };
  const load = () => call('sitescan:report', { siteId }).then(apply);
  useEffect(() => {
    void call('sitescan:report', { siteId }).then(apply);
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- per site
  }, [siteId]);

  const codeInfo = report?.emailCode ?? null;
  const left = codeInfo ? Math.max(0, codeInfo.expiresAt - now) : 0;

  async function verify() {
    setMessage(null);
    if (!/^\d{6}$/.test(code.trim())) {
      setMessage('인증 코드는 숫자 6자리입니다.');
      return;
    }
    const env = await call('sitescan:verify', { siteId, code: code.trim() });
    if (env.ok) setDone(env.value);
    else setMessage(errorLine(env.error));
    void load();
  }
  async function resend() {
    setMessage(null);
    const env = await call('sitescan:resendCode', { siteId });
    if (!env.ok) setMessage(errorLine(env.error));
    setCode('');
    void load();
  }

  return (
    <div className="ss-verify" data-testid="ss-verify" data-allow-typing="">
      <ol className="wizard-steps">
        <li>{sst('stepApply', lang)} ✔</li>
        <li className={done ? '' : 'current'}>{sst('stepEmail', lang)}{done ? ' ✔' : ''}</li>
        <li className={done ? 'current' : ''}>{sst('stepMonitoring', lang)}</li>
      </ol>
      {report && <p><strong>{report.clinicName}</strong> · {report.url}</p>}
      {done ? (
        <p className="ss-done" data-testid="ss-verified">
          {sst('verifiedFirstScan', lang, { time: seoulTime(done.firstScanAt) })}
        </p>
      ) : (
        <>
          <p>{sst('codeSentTo', lang)}</p>
          <label className="field">
            {sst('code', lang)}
            <input value={code} inputMode="numeric" maxLength={6} autoComplete="one-time-code" onChange={(e) => setCode(e.target.value)} data-testid="ss-code" />
          </label>
          {codeInfo && (
            <p className="ss-code-info" data-testid="ss-code-info">
              {left > 0 ? sst('codeExpiresIn', lang, { min: Math.floor(left / 60_000), sec: Math.floor((left % 60_000) / 1000) }) : sst('codeExpired', lang)}
              {' · '}
              {sst('attemptsLeft', lang, { n: codeInfo.attemptsLeft })}
              {' · '}
              {sst('sendsLeft', lang, { n: codeInfo.sendsLeft })}
            </p>
          )}
          <div className="buttons">
            <button type="button" className="btn" onClick={() => void resend()} disabled={!codeInfo || codeInfo.sendsLeft === 0 || now < codeInfo.resendAt} data-testid="ss-resend">
              {sst('resend', lang)}
            </button>
            <button type="button" className="btn primary" onClick={() => void verify()} data-testid="ss-verify-submit">{sst('verify', lang)}</button>
          </div>
        </>
      )}
      {message && <p className="form-error" role="alert" data-testid="ss-verify-error">{message}</p>}
      <button type="button" className="btn" onClick={onBack} data-testid="ss-back">{sst('back', lang)}</button>
    </div>
  );
}
