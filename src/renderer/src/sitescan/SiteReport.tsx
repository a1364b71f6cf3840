// Runs in the renderer. A site's report: status badge, the follow-up path with 조치 완료, scan
// history as a chart, the chosen scan's findings (rule, severity, evidence, where), its visit
// record (screenshot, redirects, requests, server IP, TLS issuer) and the notices.
import { useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { Envelope } from '../../../shared/envelope';
import { errorLine, useAccountsCall } from '../accounts/context';
import type { Lang } from '../i18n/text';
import { sst } from '../i18n/text';
import { HistoryChart } from './HistoryChart';
import { StatusBadge } from './SitescanScreen';
import { FOLLOWUP_STEPS, canMarkRemediated, seoulTime } from './view';

/** Requests listed per page of a visit (a page can make hundreds). */
const MAX_REQUEST_ROWS = 300;

export function SiteReport({ lang, siteId, onBack }: { lang: Lang; siteId: string; onBack(): void }) {
  const call = useAccountsCall();
  const [report, setReport] = useState<Response<'sitescan:report'> | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  /** The loaded visit record, kept with the result it belongs to (a newer selection ignores it). */
  const [loaded, setLoaded] = useState<{ resultId: string; visit: Response<'sitescan:visit'> | null; message: string | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const apply = (env: Envelope<Response<'sitescan:report'>>) => {
    if (env.ok) {
      setReport(env.value);
      setSelected((s) => s ?? env.value.results[0]?.resultId ?? null);
    } else setMessage(errorLine(env.error));
  };
  const load = () => call('sitescan:report', { siteId }).then(apply);
  useEffect(() => {
    void call('sitescan:report', { siteId }).then(apply);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- per site
  }, [siteId]);

  useEffect(() => {
    if (!selected) return;
    let live = true;
    void call('sitescan:visit', { siteId, resultId: selected }).then((env) => {
      if (!live) return;
      if (env.ok) setLoaded({ resultId: selected, visit: env.value, message: null });
      else setLoaded({ resultId: selected, visit: null, message: env.error.code === 'EVIDENCE_NOT_FOUND' ? null : errorLine(env.error) });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- call is stable
  }, [selected, siteId]);
  const current = loaded && loaded.resultId === selected ? loaded : null;
  const visit = current?.visit ?? null;
  const visitMessage = current && !current.visit ? (current.message ?? sst('noEvidence', lang)) : null;

  async function markRemediated() {
    const env = await call('sitescan:remediated', { siteId });
    if (!env.ok) setMessage(errorLine(env.error));
    void load();
  }

  if (!report) {
    return (
      <div data-testid="ss-report-loading">
        {message && <p className="form-error" role="alert">{message}</p>}
        <button type="button" className="btn" onClick={onBack}>{sst('back', lang)}</button>
      </div>
    );
  }
  const result = report.results.find((r) => r.resultId === selected) ?? null;
  const stopped = report.followup === 'suspended' || report.status === 'suspended';
  const currentStep = FOLLOWUP_STEPS.findIndex((s) => s.state === report.followup);

  return (
    <div className="ss-report" data-testid="ss-report">
      <header className="ss-report-head">
        <h3>{report.clinicName}</h3>
        <span className="ss-url">{report.url}</span>
        <StatusBadge site={report} lang={lang} />
        {report.nextScanAt && (
          <span>
            {sst('nextScan', lang)}: {seoulTime(report.nextScanAt)}
          </span>
        )}
      </header>

      <section aria-labelledby="ss-fu-title">
        <h4 id="ss-fu-title">{sst('followup', lang)}</h4>
        <ol className="ss-followup" data-testid="ss-followup" data-state={report.followup}>
          {FOLLOWUP_STEPS.map((s, i) => (
            <li key={s.state} className={i === currentStep ? 'current' : i < currentStep ? 'done' : ''} aria-current={i === currentStep ? 'step' : undefined}>
              {sst(s.key, lang)}
            </li>
          ))}
          <li className={stopped ? 'current ss-stopped' : 'ss-stopped-off'} aria-current={stopped ? 'step' : undefined}>{sst('fuSuspended', lang)}</li>
        </ol>
        {canMarkRemediated(report.followup) && (
          <p>
            <button type="button" className="btn primary" onClick={() => void markRemediated()} data-testid="ss-remediated">{sst('remediatedButton', lang)}</button>{' '}
            <small>{sst('remediatedHint', lang)}</small>
          </p>
        )}
      </section>

      <section aria-labelledby="ss-history-title">
        <h4 id="ss-history-title">{sst('history', lang)}</h4>
        <HistoryChart results={report.results} lang={lang} selected={selected} onSelect={setSelected} />
      </section>

      {result && (
        <section aria-labelledby="ss-findings-title" data-testid="ss-result" data-result-id={result.resultId}>
          <h4 id="ss-findings-title">
            {sst('findings', lang)} · {seoulTime(result.startedAt)} · {sst(`outcome_${result.outcome}`, lang)}
            {result.errorCode ? ` (${result.errorCode})` : ''}
          </h4>
          {result.findings.length === 0 ? (
            <p>{sst('noFindings', lang)}</p>
          ) : (
            <table className="cert-table ss-findings" data-testid="ss-findings">
              <thead>
                <tr>
                  <th>{sst('colRule', lang)}</th>
                  <th>{sst('colSeverity', lang)}</th>
                  <th>{sst('colEvidence', lang)}</th>
                  <th>{sst('colWhere', lang)}</th>
                </tr>
              </thead>
              <tbody>
                {result.findings.map((f, i) => (
                  <tr key={i} data-testid="ss-finding" data-rule={f.ruleId}>
                    <td><code>{f.ruleId}</code></td>
                    <td className={`ss-sev ss-sev-${f.severity}`}>{f.severity}</td>
                    <td>{f.evidence}</td>
                    <td className="ss-url">
                      {f.page && <div>{f.page}</div>}
                      {f.resource && <div>↳ {f.resource}</div>}
                      {f.profile && <small>{f.profile}</small>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h4>{sst('visit', lang)}</h4>
          {visitMessage && <p data-testid="ss-visit-missing">{visitMessage}</p>}
          {visit && (
            <div className="ss-visit" data-testid="ss-visit">
              {visit.screenshotPngBase64 && (
                <figure>
                  <img className="ss-shot" src={`data:image/png;base64,${visit.screenshotPngBase64}`} alt={`${sst('screenshot', lang)}: ${report.url}`} data-testid="ss-screenshot" />
                  <figcaption>{sst('screenshot', lang)}</figcaption>
                </figure>
              )}
              {visit.pages.map((p, i) => (
                <details key={i} open={i === 0} data-testid="ss-page">
                  <summary className="ss-url">{p.url}</summary>
                  <p>
                    {sst('serverIp', lang)}: {p.serverIp ?? '—'} · {sst('tlsIssuer', lang)}: {p.tlsIssuer ?? '—'}
                  </p>
                  {p.redirectChain.length > 1 && (
                    <div data-testid="ss-redirects">
                      <strong>{sst('redirects', lang)}</strong>
                      <ol>
                        {p.redirectChain.map((u, j) => (
                          <li key={j} className="ss-url">{u}</li>
                        ))}
                      </ol>
                    </div>
                  )}
                  <strong>{sst('requests', lang, { n: p.requests.length })}</strong>
                  <table className="cert-table ss-requests" data-testid="ss-requests">
                    <tbody>
                      {p.requests.slice(0, MAX_REQUEST_ROWS).map((r, j) => (
                        <tr key={j}>
                          <td>{r.type}</td>
                          <td>{r.status ?? '—'}</td>
                          <td>{r.host}</td>
                          <td className="ss-url">{r.url}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              ))}
            </div>
          )}
        </section>
      )}

      <section aria-labelledby="ss-notices-title">
        <h4 id="ss-notices-title">{sst('notices', lang)}</h4>
        {report.notices.length === 0 ? (
          <p>{sst('noNotices', lang)}</p>
        ) : (
          <ul className="ss-notices" data-testid="ss-notices">
            {report.notices.map((n, i) => (
              <li key={i} data-kind={n.kind}>
                <strong>{n.title}</strong> <small>{seoulTime(n.at)}{n.emailed ? ` · ${sst('emailed', lang)}` : ''}</small>
                <pre className="ss-notice-body">{n.body}</pre>
              </li>
            ))}
          </ul>
        )}
      </section>
      {message && <p className="form-error" role="alert" data-testid="ss-report-error">{message}</p>}
      <button type="button" className="btn" onClick={onBack} data-testid="ss-back">{sst('back', lang)}</button>
    </div>
  );
}
