// Runs in the renderer. 인증서 재등록 (승인자): a person of this 보건소 lost the key of their
// registered certificate; after checking who they are (신분증), the approver finds them by 아이디
// or 이름 and binds their renewed certificate (only its public part: chosen from the list or
// with 인증서 찾기, e.g. from the person's USB drive), with a note of how they were checked.
import { useState } from 'react';
import type { Response } from '../../../shared/contract';
import { CertificateDialog } from './CertificateDialog';
import { errorLine, useAccountsCall } from './context';

type User = Response<'accounts:findUsers'>['users'][number];

export function ApproverRebind() {
  const call = useAccountsCall();
  const [q, setQ] = useState('');
  const [users, setUsers] = useState<User[] | null>(null);
  const [picked, setPicked] = useState<User | null>(null);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const search = async () => {
    setMessage(null);
    const env = await call('accounts:findUsers', { q: q.trim() });
    if (!env.ok) return setMessage(errorLine(env.error));
    setUsers(env.value.users);
  };

  return (
    <section className="approver-rebind" data-testid="approver-rebind" data-allow-typing="">
      <h2 className="panel-title">인증서 재등록 (기존 인증서 분실)</h2>
      {!picked && (
        <>
          <div className="field">
            <input aria-label="아이디 또는 이름" placeholder="아이디 또는 이름 (두 글자 이상)" value={q} onChange={(e) => setQ(e.target.value)} data-testid="rebind-user-query" />
            <button type="button" className="btn" disabled={q.trim().length < 2} onClick={() => void search()} data-testid="rebind-user-search">
              사용자 찾기
            </button>
          </div>
          {users?.length === 0 && <p>관할 기관에서 찾은 사용자가 없습니다.</p>}
          <ul className="approval-list">
            {users?.map((u) => (
              <li key={u.id} data-testid="rebind-user" data-login-id={u.loginId}>
                <strong>{u.name}</strong> ({u.loginId}) · {u.institutionName} · 등록 인증서 만료 {new Date(u.certificateNotAfter).toLocaleDateString('ko-KR')}
                <button type="button" className="btn" onClick={() => setPicked(u)} data-testid="rebind-user-pick">
                  선택
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {picked && (
        <>
          <p>
            <strong>{picked.name}</strong> ({picked.loginId})님의 신분증 등으로 본인임을 확인한 뒤, 새로 발급받은 인증서를 선택해 주세요. 개인키와 암호는 필요 없습니다.
          </p>
          <label className="field">
            확인 내용
            <input value={comment} placeholder="예: 신분증으로 본인 확인" onChange={(e) => setComment(e.target.value)} data-testid="rebind-comment" />
          </label>
          <CertificateDialog
            title="새 인증서 선택"
            submitLabel="재등록"
            publicOnly
            onCancel={() => setPicked(null)}
            onSubmit={async (row) => {
              if (!comment.trim()) return { code: 'COMMENT_REQUIRED', message: '본인 확인 내용을 입력해 주세요.' };
              const env = await call('accounts:approverRebind', { userId: picked.id, certificateRef: row.ref, comment: comment.trim() });
              if (!env.ok) return env.error;
              setMessage(`${picked.name}님의 새 인증서를 등록했습니다. 이제 새 인증서로 로그인할 수 있습니다.`);
              setPicked(null);
              setComment('');
              return null;
            }}
          />
        </>
      )}
      {message && (
        <p className="reason" role="status" data-testid="rebind-message">
          {message}
        </p>
      )}
    </section>
  );
}
