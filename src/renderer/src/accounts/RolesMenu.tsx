// Runs in the renderer. 권한/부가정보: every role filtered as 신청가능 / 신청중 / 보유; request
// more (signed with the certificate in main) and cancel a pending request.
import { useCallback, useEffect, useState } from 'react';
import type { RequestableRole } from '../../../shared/accounts';
import { REQUESTABLE_ROLES } from '../../../shared/accounts';
import type { Response } from '../../../shared/contract';
import { CertificateDialog } from './CertificateDialog';
import { errorLine, useAccountsCall } from './context';

const FILTERS = [
  { id: 'available', label: '신청가능' },
  { id: 'pending', label: '신청중' },
  { id: 'held', label: '보유' },
] as const;

const STATE_LABELS = { pending: '신청중', approved: '승인', rejected: '반려', cancelled: '취소', expired: '만료' } as const;

const isRequestable = (r: string): r is RequestableRole => (REQUESTABLE_ROLES as readonly string[]).includes(r);

export function RolesMenu({ onChanged }: { onChanged(): void }) {
  const call = useAccountsCall();
  const [data, setData] = useState<Response<'accounts:myRoles'> | null>(null);
  const [filter, setFilter] = useState<(typeof FILTERS)[number]['id']>('available');
  const [picked, setPicked] = useState<RequestableRole[]>([]);
  const [signing, setSigning] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const reload = useCallback(async () => {
    const env = await call('accounts:myRoles', {});
    if (env.ok) setData(env.value);
    else setMessage(errorLine(env.error));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- call is stable in effect
  }, []);
  useEffect(() => {
    let live = true;
    void call('accounts:myRoles', {}).then((env) => live && (env.ok ? setData(env.value) : setMessage(errorLine(env.error))));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  }, []);

  const shown = data?.roles.filter((r) => r.status === filter) ?? [];
  return (
    <section className="roles-menu" data-testid="roles-menu" data-allow-typing="">
      <h2 className="panel-title">권한/부가정보</h2>
      <div role="tablist" className="tabs">
        {FILTERS.map((f) => (
          <button key={f.id} type="button" role="tab" aria-selected={filter === f.id} className={`btn ${filter === f.id ? 'primary' : ''}`} onClick={() => setFilter(f.id)} data-testid={`roles-filter-${f.id}`}>
            {f.label} ({data?.roles.filter((r) => r.status === f.id).length ?? 0})
          </button>
        ))}
      </div>
      <ul className="role-list">
        {shown.length === 0 && <li>해당하는 권한이 없습니다.</li>}
        {shown.map((r) => (
          <li key={r.role} data-testid="role-item" data-role={r.role} data-status={r.status}>
            <span>{r.label}</span>
            {r.status === 'available' && r.requestable && isRequestable(r.role) && (
              <label>
                <input type="checkbox" checked={picked.includes(r.role)} onChange={(e) => { const role = r.role as RequestableRole; setPicked((cur) => (e.target.checked ? [...cur, role] : cur.filter((x) => x !== role))); }} /> 신청
              </label>
            )}
            {r.status === 'pending' && r.request && (
              <>
                <span> · 승인기관 {r.request.approverName} {r.request.approverPhone ?? ''}</span>
                <button
                  type="button"
                  className="btn"
                  data-testid="role-cancel"
                  onClick={() => {
                    const id = r.request?.id;
                    if (!id) return;
                    void call('accounts:cancelRequest', { requestId: id }).then((env) => {
                      setMessage(env.ok ? '신청을 취소했습니다.' : errorLine(env.error));
                      void reload();
                    });
                  }}
                >
                  신청 취소
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {filter === 'available' && !signing && (
        <div className="buttons">
          <button type="button" className="btn primary" disabled={picked.length === 0} onClick={() => setSigning(true)} data-testid="roles-request">
            권한 신청
          </button>
        </div>
      )}
      {signing && (
        <CertificateDialog
          title="권한 신청 서명"
          submitLabel="서명하고 신청"
          onCancel={() => setSigning(false)}
          onSubmit={async (row, password) => {
            const env = await call('accounts:requestRole', { roles: picked, certificateRef: row.ref, password });
            if (!env.ok) return env.error;
            setSigning(false);
            setPicked([]);
            setMessage('권한을 신청했습니다. 승인기관의 승인을 기다려 주세요.');
            await reload();
            onChanged();
            return null;
          }}
        />
      )}
      {message && <p className="reason" data-testid="roles-message">{message}</p>}
      {data && data.history.length > 0 && (
        <>
          <h3>신청 이력</h3>
          <ul className="role-list">
            {data.history.map((h) => (
              <li key={h.id} data-testid="role-history" data-role={h.role} data-state={h.state}>
                {h.roleLabel} · <strong>{STATE_LABELS[h.state]}</strong> · 승인기관 {h.approverName} · 신청 {new Date(h.requestedAt).toLocaleDateString('ko-KR')}
                {h.decidedAt !== null && ` · 처리 ${new Date(h.decidedAt).toLocaleDateString('ko-KR')}`}
                {h.comment && <div className="small" data-testid="role-history-comment">의견: {h.comment}</div>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
