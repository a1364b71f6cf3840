// Runs in the renderer. The console's 전송 보류 항목: entries the central API refused for good,
// which the sync worker set aside so the rest keeps flowing. Lists token id, entry id, the
// refusal code with what it means, when it was set aside and how many attempts (no subject:
// the contract carries none), and 다시 보내기 for the chosen ones or all, after a confirmation.
// Main refuses both calls without an operator session; the list reloads when the count changes.
import { useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import type { Lang } from '../i18n/text';
import { useKiosk, useKioskState } from '../screens/context';
import { refusalText, seoulTime } from './quarantineText';

type Listing = Response<'console:quarantine'>;

const PAGE = 100;

const W = {
  title: { ko: '전송 보류 항목', en: 'Entries held back from sending' },
  intro: {
    ko: '중앙 서버가 받지 않은 출입 기록입니다. 다른 기록은 계속 전송됩니다. 아래 사유의 원인을 해결한 뒤 다시 보내세요.',
    en: 'Entries the central server refused. Other entries keep being sent. Fix the cause given below, then send them again.',
  },
  none: { ko: '전송 보류 항목이 없습니다.', en: 'No entries are held back.' },
  token: { ko: '토큰', en: 'Token' },
  entry: { ko: '기록 ID', en: 'Entry ID' },
  reason: { ko: '거부 사유', en: 'Reason' },
  heldAt: { ko: '보류 시각', en: 'Held since' },
  attempts: { ko: '시도', en: 'Attempts' },
  resendSelected: { ko: '선택 항목 다시 보내기', en: 'Send selected again' },
  resendAll: { ko: '모두 다시 보내기', en: 'Send all again' },
  confirmAll: { ko: '보류된 {n}건을 모두 다시 보냅니다. 원인을 해결했는지 확인하셨나요?', en: 'All {n} held entries will be sent again. Have you fixed the cause?' },
  confirmSelected: { ko: '선택한 {n}건을 다시 보냅니다. 원인을 해결했는지 확인하셨나요?', en: 'The {n} selected entries will be sent again. Have you fixed the cause?' },
  confirm: { ko: '다시 보내기', en: 'Send again' },
  cancel: { ko: '취소', en: 'Cancel' },
  done: { ko: '{n}건을 다시 보냈습니다. 전송 대기 {pending}건, 보류 {held}건.', en: '{n} sent again. Waiting to send: {pending}; held back: {held}.' },
  shown: { ko: '오래된 순으로 {shown}건 표시 (전체 {total}건)', en: 'Oldest {shown} of {total} shown' },
  selectAll: { ko: '표시된 항목 모두 선택', en: 'Select all shown' },
} as const;
const w = (k: keyof typeof W, lang: Lang, vars: Record<string, number> = {}) => W[k][lang].replace(/\{(\w+)\}/g, (_m, v: string) => String(vars[v] ?? ''));

export function QuarantinePanel({ lang }: { lang: Lang }) {
  const { kiosk } = useKiosk();
  const count = useKioskState((s) => s.status?.sync.quarantined ?? 0);
  const [listing, setListing] = useState<Listing | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [asking, setAsking] = useState<'all' | 'selected' | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [reloads, setReloads] = useState(0);

  // Reload when the status count moves (the sync worker set more aside, or a requeue drained them).
  useEffect(() => {
    let live = true;
    void kiosk.ask('console:quarantine', { limit: PAGE }).then((env) => {
      if (!live) return;
      if (!env.ok) {
        setError(`${env.error.message} (${env.error.code})`);
        return;
      }
      setError(null);
      setListing(env.value);
      // A selection only holds entries still listed.
      const listed = new Set(env.value.rows.map((r) => r.entryId));
      setSelected((s) => new Set([...s].filter((id) => listed.has(id))));
    });
    return () => {
      live = false;
    };
  }, [kiosk, count, reloads]);

  const resend = async () => {
    const which = asking;
    if (!which || busy) return;
    setBusy(true);
    const env = await kiosk.ask('console:requeueQuarantined', which === 'all' ? { all: true } : { entryIds: [...selected] });
    setBusy(false);
    setAsking(null);
    if (!env.ok) {
      setError(`${env.error.message} (${env.error.code})`);
      return;
    }
    setMessage(w('done', lang, { n: env.value.requeued, pending: env.value.pending, held: env.value.quarantined }));
    setSelected(new Set());
    void kiosk.refreshStatus();
    setReloads((n) => n + 1);
  };

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const rows = listing?.rows ?? [];
  const total = listing?.total ?? 0;
  return (
    <section className="console-quarantine" data-testid="console-quarantine" data-total={listing ? total : ''} aria-labelledby="console-quarantine-title">
      <h2 id="console-quarantine-title">
        {w('title', lang)} <span data-testid="quarantine-count">{listing ? total : '…'}</span>
      </h2>
      {error && (
        <p className="form-message error" role="alert" data-testid="quarantine-error">
          {error}
        </p>
      )}
      {message && (
        <p className="form-message saved" role="status" data-testid="quarantine-message">
          {message}
        </p>
      )}
      {listing && total === 0 && <p data-testid="quarantine-empty">{w('none', lang)}</p>}
      {total > 0 && (
        <>
          <p className="quarantine-intro">{w('intro', lang)}</p>
          {total > rows.length && <p className="quarantine-shown">{w('shown', lang, { shown: rows.length, total })}</p>}
          <table className="quarantine-table">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={w('selectAll', lang)}
                    data-testid="quarantine-select-all"
                    checked={rows.length > 0 && selected.size === rows.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.entryId)) : new Set())}
                  />
                </th>
                <th>{w('token', lang)}</th>
                <th>{w('entry', lang)}</th>
                <th>{w('reason', lang)}</th>
                <th>{w('heldAt', lang)}</th>
                <th>{w('attempts', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.entryId} data-testid="quarantine-row" data-entry-id={r.entryId} data-code={r.code}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${w('token', lang)} ${r.tokenId}`}
                      data-testid="quarantine-select"
                      checked={selected.has(r.entryId)}
                      onChange={(e) => toggle(r.entryId, e.target.checked)}
                    />
                  </td>
                  <td className="token">{r.tokenId}</td>
                  <td className="entry-id">{r.entryId}</td>
                  <td>
                    <span className="code">{r.code}</span> <span className="refusal-reason">{refusalText(r.code, lang)}</span>
                  </td>
                  <td>{seoulTime(r.quarantinedAt)}</td>
                  <td className="attempts">{r.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="quarantine-actions">
            <button type="button" className="btn" data-testid="quarantine-resend-selected" disabled={selected.size === 0 || busy} onClick={() => setAsking('selected')}>
              {w('resendSelected', lang)}
            </button>
            <button type="button" className="btn" data-testid="quarantine-resend-all" disabled={busy} onClick={() => setAsking('all')}>
              {w('resendAll', lang)}
            </button>
          </div>
          {asking && (
            <div className="quarantine-confirm" role="alertdialog" aria-labelledby="quarantine-confirm-text" data-testid="quarantine-confirm" data-which={asking}>
              <p id="quarantine-confirm-text">{w(asking === 'all' ? 'confirmAll' : 'confirmSelected', lang, { n: asking === 'all' ? total : selected.size })}</p>
              <button type="button" className="btn primary" data-testid="quarantine-confirm-yes" disabled={busy} onClick={() => void resend()}>
                {w('confirm', lang)}
              </button>
              <button type="button" className="btn" data-testid="quarantine-confirm-no" disabled={busy} onClick={() => setAsking(null)}>
                {w('cancel', lang)}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
