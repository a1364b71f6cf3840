// Runs in the renderer. 홈페이지 보안점검 (의료기관 보안담당자): my institution's homepages with a
// status badge, the registration form → 이메일 인증 → 모니터링 중, and each site's report. All
// calls go to main over sitescan:* (the staff session and its token stay there).
import { useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { Envelope } from '../../../shared/envelope';
import type { SiteSummary } from '../../../shared/sitescanApp';
import { errorLine, useAccountsCall } from '../accounts/context';
import type { Lang } from '../i18n/text';
import { sst } from '../i18n/text';
import { RegisterForm } from './RegisterForm';
import { SiteReport } from './SiteReport';
import { VerifyStep } from './VerifyStep';
import { seoulTime, siteBadge } from './view';
import './sitescan.css';

type View = { kind: 'list' } | { kind: 'register' } | { kind: 'verify'; siteId: string } | { kind: 'report'; siteId: string };

export function StatusBadge({ site, lang }: { site: Pick<SiteSummary, 'status' | 'followup' | 'lastOutcome'>; lang: Lang }) {
  const b = siteBadge(site);
  return (
    <span className={`ss-badge ss-${b.tone}`} data-testid="ss-badge" data-tone={b.tone}>
      <span aria-hidden="true">{b.icon}</span> {sst(b.key, lang)}
    </span>
  );
}

export function SitescanScreen({ initialLang = 'ko' }: { initialLang?: Lang }) {
  const call = useAccountsCall();
  const [lang, setLang] = useState<Lang>(initialLang);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [sites, setSites] = useState<Response<'sitescan:list'>['sites'] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const apply = (env: Envelope<Response<'sitescan:list'>>) => {
    if (env.ok) {
      setSites(env.value.sites);
      setMessage(null);
    } else setMessage(errorLine(env.error));
  };
  const reload = () => call('sitescan:list', {}).then(apply);
  useEffect(() => {
    void call('sitescan:list', {}).then(apply);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  }, []);

  const toList = () => {
    setView({ kind: 'list' });
    void reload();
  };

  return (
    <section className="sitescan" data-testid="sitescan" lang={lang}>
      <header className="ss-header">
        <h2 className="panel-title">{sst('title', lang)}</h2>
        <button type="button" className="btn" onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')} data-testid="ss-lang">
          {lang === 'ko' ? 'English' : '한국어'}
        </button>
      </header>
      {view.kind === 'list' && (
        <div>
          <p>{sst('intro', lang)}</p>
          <div className="buttons">
            <button type="button" className="btn primary" onClick={() => setView({ kind: 'register' })} data-testid="ss-new">{sst('newSite', lang)}</button>
            <button type="button" className="btn" onClick={() => void reload()} data-testid="ss-reload">{sst('reload', lang)}</button>
          </div>
          {sites && sites.length === 0 && <p data-testid="ss-empty">{sst('noSites', lang)}</p>}
          {sites && sites.length > 0 && (
            <table className="cert-table ss-sites" data-testid="ss-sites">
              <thead>
                <tr>
                  <th>{sst('colClinic', lang)}</th>
                  <th>{sst('colUrl', lang)}</th>
                  <th>{sst('colStatus', lang)}</th>
                  <th>{sst('colLastScan', lang)}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {sites.map((s) => (
                  <tr key={s.siteId} data-testid="ss-site" data-site-id={s.siteId}>
                    <td>{s.clinicName}</td>
                    <td className="ss-url">{s.url}</td>
                    <td><StatusBadge site={s} lang={lang} /></td>
                    <td>{s.lastScanAt ? `${seoulTime(s.lastScanAt)} · ${sst(`outcome_${s.lastOutcome ?? 'clean'}`, lang)}` : '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="btn"
                        onClick={() => setView(s.status === 'applied' ? { kind: 'verify', siteId: s.siteId } : { kind: 'report', siteId: s.siteId })}
                        data-testid="ss-open"
                      >
                        {s.status === 'applied' ? sst('verify', lang) : sst('open', lang)}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {view.kind === 'register' && <RegisterForm lang={lang} onCancel={toList} onRegistered={(siteId) => setView({ kind: 'verify', siteId })} />}
      {view.kind === 'verify' && <VerifyStep lang={lang} siteId={view.siteId} onBack={toList} />}
      {view.kind === 'report' && <SiteReport lang={lang} siteId={view.siteId} onBack={toList} />}
      {message && <p className="form-error" role="alert" data-testid="ss-error">{message}</p>}
    </section>
  );
}
