// Runs in the renderer. 권한 승인 for 보건소 승인자: the pending requests of their 보건소 (the server
// decides which), each approved or rejected with a comment (a rejection needs a reason); and
// 인증서 재등록 for a person of their 보건소 whose old certificate is lost.
import { useEffect, useState } from 'react';
import type { Response } from '../../../shared/contract';
import { ApproverRebind } from './ApproverRebind';
import { errorLine, useAccountsCall } from './context';

type Item = Response<'accounts:pendingApprovals'>['requests'][number];

export function Approvals() {
  const call = useAccountsCall();
  const [items, setItems] = useState<Item[] | null>(null);
  const [comments, setComments] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const load = () =>
    call('accounts:pendingApprovals', {}).then((env) => {
      if (env.ok) setItems(env.value.requests);
      else {
        setItems([]);
        setMessage(errorLine(env.error));
      }
    });
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  }, []);

  const decide = async (item: Item, approve: boolean) => {
    const comment = (comments[item.id] ?? '').trim();
    if (!approve && !comment) return setMessage('반려할 때는 사유를 입력해 주세요.');
    const env = await call('accounts:decide', { requestId: item.id, approve, comment });
    setMessage(env.ok ? `${item.requester.name}님의 ${item.roleLabel} 신청을 ${approve ? '승인' : '반려'}했습니다.` : errorLine(env.error));
    await load();
  };

  return (
    <section className="approvals" data-testid="approvals" data-allow-typing="">
      <h2 className="panel-title">권한 승인</h2>
      {items === null && <p>불러오는 중입니다…</p>}
      {items?.length === 0 && <p data-testid="approvals-empty">승인을 기다리는 신청이 없습니다.</p>}
      <ul className="approval-list">
        {items?.map((item) => (
          <li key={item.id} data-testid="approval-item" data-requester={item.requester.name} data-role={item.role}>
            <div>
              <strong>{item.requester.name}</strong> ({item.requester.loginId}) · {item.requester.institutionName} {item.requester.department ?? ''} · {item.roleLabel}
            </div>
            <div>
              휴대폰 {item.requester.mobile} · 기관 {item.requester.officePhone} · 신청 {new Date(item.requestedAt).toLocaleDateString('ko-KR')} · 만료 {new Date(item.expiresAt).toLocaleDateString('ko-KR')}
            </div>
            <div className="small">인증서: {item.requester.certificateSubject}</div>
            <input aria-label="의견" placeholder="의견 (반려 시 필수)" value={comments[item.id] ?? ''} onChange={(e) => setComments((c) => ({ ...c, [item.id]: e.target.value }))} data-testid="approval-comment" />
            <button type="button" className="btn primary" onClick={() => void decide(item, true)} data-testid="approval-approve">승인</button>
            <button type="button" className="btn" onClick={() => void decide(item, false)} data-testid="approval-reject">반려</button>
          </li>
        ))}
      </ul>
      {message && <p className="reason" role="status" data-testid="approvals-message">{message}</p>}
      <ApproverRebind />
    </section>
  );
}
