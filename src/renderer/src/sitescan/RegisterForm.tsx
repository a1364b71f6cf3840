// Runs in the renderer. 홈페이지 보안점검 신청: 의료기관명, 홈페이지 주소, 담당자명, 회사 전화번호,
// 휴대폰 번호 (digits only), 이메일 and the two consents, each checked with its Korean message
// before sending (the same rules main and the server apply); the server's refusal (a blog or
// SNS page, an address already registered, too many applications) is shown with its reason.
import { useState } from 'react';
import type { SiteRegistration } from '../../../shared/sitescanApp';
import { registrationProblems } from '../../../shared/sitescanApp';
import { errorLine, useAccountsCall } from '../accounts/context';
import type { Lang, SitescanUiKey } from '../i18n/text';
import { sst } from '../i18n/text';

type TextField = 'clinicName' | 'url' | 'contactName' | 'officePhone' | 'mobile' | 'email';
const FIELDS: ReadonlyArray<{ name: TextField; label: SitescanUiKey; type: string; inputMode?: 'numeric' | 'email' | 'url'; autoComplete: string; max: number }> = [
  { name: 'clinicName', label: 'clinicName', type: 'text', autoComplete: 'organization', max: 100 },
  { name: 'url', label: 'url', type: 'url', inputMode: 'url', autoComplete: 'url', max: 2000 },
  { name: 'contactName', label: 'contactName', type: 'text', autoComplete: 'name', max: 50 },
  { name: 'officePhone', label: 'officePhone', type: 'tel', inputMode: 'numeric', autoComplete: 'tel', max: 20 },
  { name: 'mobile', label: 'mobile', type: 'tel', inputMode: 'numeric', autoComplete: 'tel', max: 20 },
  { name: 'email', label: 'email', type: 'email', inputMode: 'email', autoComplete: 'email', max: 254 },
];

export function RegisterForm({ lang, onCancel, onRegistered }: { lang: Lang; onCancel(): void; onRegistered(siteId: string): void }) {
  const call = useAccountsCall();
  const [values, setValues] = useState<Record<TextField, string>>({ clinicName: '', url: '', contactName: '', officePhone: '', mobile: '', email: '' });
  const [consentCollection, setConsentCollection] = useState(false);
  const [consentSuspension, setConsentSuspension] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<keyof SiteRegistration, string>>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** After the first 신청하기, messages follow each change (never on blur: a message appearing would move the button being clicked). */
  const [tried, setTried] = useState(false);

  const form = () => ({ ...values, consentCollection, consentSuspension });

  async function submit() {
    setServerError(null);
    setTried(true);
    const found = registrationProblems(form());
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const env = await call('sitescan:register', form() as SiteRegistration);
    setBusy(false);
    if (env.ok) onRegistered(env.value.siteId);
    else setServerError(errorLine(env.error));
  }

  return (
    <form
      className="ss-form"
      data-testid="ss-register"
      data-allow-typing=""
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <ol className="wizard-steps">
        <li className="current">{sst('stepApply', lang)}</li>
        <li>{sst('stepEmail', lang)}</li>
        <li>{sst('stepMonitoring', lang)}</li>
      </ol>
      {FIELDS.map((f) => (
        <div key={f.name} className="ss-field">
          <label htmlFor={`ss-${f.name}`}>{sst(f.label, lang)}</label>
          <input
            id={`ss-${f.name}`}
            name={f.name}
            type={f.type}
            inputMode={f.inputMode}
            autoComplete={f.autoComplete}
            maxLength={f.max}
            value={values[f.name]}
            aria-invalid={problems[f.name] ? true : undefined}
            aria-describedby={problems[f.name] ? `ss-${f.name}-error` : undefined}
            onChange={(e) => {
              const next = { ...values, [f.name]: e.target.value };
              setValues(next);
              if (tried) setProblems(registrationProblems({ ...next, consentCollection, consentSuspension }));
            }}
            data-testid={`ss-${f.name}`}
          />
          {f.name === 'url' && <small>{sst('urlHint', lang)}</small>}
          {problems[f.name] && (
            <span id={`ss-${f.name}-error`} className="form-error" data-testid={`ss-${f.name}-error`}>
              {problems[f.name]}
            </span>
          )}
        </div>
      ))}
      <label className="ss-consent">
        <input type="checkbox" checked={consentCollection} onChange={(e) => setConsentCollection(e.target.checked)} data-testid="ss-consentCollection" />
        {sst('consentCollection', lang)}
      </label>
      {problems.consentCollection && <p className="form-error" data-testid="ss-consentCollection-error">{problems.consentCollection}</p>}
      <label className="ss-consent">
        <input type="checkbox" checked={consentSuspension} onChange={(e) => setConsentSuspension(e.target.checked)} data-testid="ss-consentSuspension" />
        {sst('consentSuspension', lang)}
      </label>
      {problems.consentSuspension && <p className="form-error" data-testid="ss-consentSuspension-error">{problems.consentSuspension}</p>}
      {serverError && <p className="form-error" role="alert" data-testid="ss-register-error">{serverError}</p>}
      <div className="buttons">
        <button type="button" className="btn" onClick={onCancel}>{sst('cancel', lang)}</button>
        <button type="submit" className="btn primary" disabled={busy} data-testid="ss-submit">{busy ? sst('sending', lang) : sst('submit', lang)}</button>
      </div>
    </form>
  );
}
