// Runs in the renderer. The staff side of the kiosk: 공동인증서 로그인 or 사용자 가입 when signed
// out; when signed in, the menus the permission table gives the session's roles (src/shared/
// accounts.ts), with 권한/부가정보, 권한 승인 and 시스템 관리 here. Main pushes every session change
// (refresh, new roles, sign-out by expiry or revocation), so the menus follow without a reload.
// The session token never reaches this page.
import { useEffect, useState } from 'react';
import type { MenuId } from '../../../shared/accounts';
import { LOGIN_ID_RE, MENU_TABLE } from '../../../shared/accounts';
import type { SessionView } from '../../../shared/contract';
import { Approvals } from './Approvals';
import { CertificateDialog } from './CertificateDialog';
import { errorLine, useAccountsCall, useAccountsSession } from './context';
import { InstitutionAdmin } from './InstitutionAdmin';
import { RebindFlow } from './RebindFlow';
import { RolesMenu } from './RolesMenu';
import { SignupWizard } from './SignupWizard';
import { SitescanScreen } from '../sitescan/SitescanScreen';

type View = 'start' | 'login' | 'signup' | 'rebind';

export function AccountsPanel({ onClose }: { onClose(): void }) {
  const call = useAccountsCall();
  const [session, setSession] = useState<SessionView | null>(null);
  const [view, setView] = useState<View>('start');
  const [menu, setMenu] = useState<MenuId>('myRoles');
  const [loginId, setLoginId] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  /** The last login was refused because the certificate is not the registered one: offer 인증서 갱신 등록. */
  const [offerRebind, setOfferRebind] = useState(false);

  useAccountsSession((change) => {
    if (!change.session) {
      setSession(null);
      setView('start');
      setMessage(change.message);
      return;
    }
    const next = change.session;
    setSession(next);
    setMenu((m) => (next.menus.includes(m) ? m : 'myRoles'));
    if (change.reason === 'roles-changed') setMessage('권한이 바뀌어 메뉴를 새로 고쳤습니다.');
  });

  /** True once main has said whether a staff session is open (tests and screen readers wait for it). */
  const [ready, setReady] = useState(false);
  const refresh = () =>
    call('accounts:me', {}).then((env) => {
      if (env.ok) setSession(env.value);
      else setMessage(errorLine(env.error));
      setReady(true);
    });
  useEffect(() => {
    void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  }, []);

  if (session) {
    return (
      <section className="screen accounts" data-testid="accounts" data-signed-in="true" data-ready={ready} data-menus={session.menus.join(' ')}>
        <header className="accounts-header">
          <span data-testid="accounts-user">
            {session.user.name} ({session.user.loginId}) · {session.user.institutionName}
          </span>
          <button type="button" className="btn" onClick={() => void refresh()} data-testid="accounts-refresh">새로 고침</button>
          <button type="button" className="btn" onClick={() =>
              void call('accounts:logout', {}).then(() => {
                setSession(null);
                setView('start');
                setMessage(null);
              })
            } data-testid="accounts-logout">로그아웃</button>
          <button type="button" className="btn" onClick={onClose}>닫기</button>
        </header>
        <nav className="accounts-menu" aria-label="메뉴">
          {session.menus.map((m) => (
            <button key={m} type="button" className={`btn ${menu === m ? 'primary' : ''}`} onClick={() => setMenu(m)} data-testid={`menu-${m}`}>
              {MENU_TABLE[m].label}
            </button>
          ))}
        </nav>
        {menu === 'myRoles' && <RolesMenu onChanged={() => void refresh()} />}
        {menu === 'approvals' && session.menus.includes('approvals') && <Approvals />}
        {menu === 'administration' && session.menus.includes('administration') && <InstitutionAdmin />}
        {menu === 'homepageSecurity' && session.menus.includes('homepageSecurity') && <SitescanScreen />}
        {menu !== 'myRoles' && menu !== 'approvals' && menu !== 'administration' && menu !== 'homepageSecurity' && <p className="reason">{MENU_TABLE[menu].label} 메뉴는 운영 콘솔에서 엽니다.</p>}
        {message && <p className="reason" role="status" data-testid="accounts-message">{message}</p>}
      </section>
    );
  }

  return (
    <section className="screen accounts" data-testid="accounts" data-signed-in="false" data-ready={ready} data-allow-typing="">
      {view === 'start' && (
        <div className="accounts-start">
          <h1 className="panel-title">직원 로그인</h1>
          <p>문지기의 관리 메뉴는 승인된 권한을 가진 직원만 사용할 수 있습니다.</p>
          <div className="buttons">
            <button type="button" className="btn" onClick={onClose}>닫기</button>
            <button type="button" className="btn" onClick={() => setView('signup')} data-testid="accounts-signup">사용자 가입</button>
            <button type="button" className="btn primary" onClick={() => setView('login')} data-testid="accounts-login">공동인증서 로그인</button>
          </div>
        </div>
      )}
      {view === 'login' && (
        <div>
          <label className="field">
            아이디
            <input value={loginId} onChange={(e) => setLoginId(e.target.value)} data-testid="login-id" autoComplete="username" />
          </label>
          <CertificateDialog
            title="공동인증서 로그인"
            submitLabel="로그인"
            onCancel={() => setView('start')}
            onSubmit={async (row, password) => {
              const id = loginId.trim();
              if (!LOGIN_ID_RE.test(id)) return { code: 'LOGIN_ID_INVALID', message: '아이디를 확인해 주세요 (영문 소문자로 시작하는 6~20자).' };
              const env = await call('accounts:login', { loginId: id, certificateRef: row.ref, password });
              setOfferRebind(!env.ok && env.error.code === 'CERT_NOT_REGISTERED');
              if (!env.ok) return env.error;
              setSession(env.value);
              setMenu('myRoles');
              setMessage(null);
              return null;
            }}
          />
          {offerRebind && (
            <div className="buttons">
              <span>인증서를 갱신했다면 기존 인증서와 새 인증서로 갱신 등록을 해 주세요.</span>
              <button type="button" className="btn" onClick={() => setView('rebind')} data-testid="login-rebind">
                인증서 갱신 등록
              </button>
            </div>
          )}
        </div>
      )}
      {view === 'rebind' && (
        <RebindFlow
          loginId={loginId.trim()}
          onCancel={() => setView('login')}
          onDone={(s) => {
            setSession(s);
            setMenu('myRoles');
            setOfferRebind(false);
            setMessage('새 인증서를 등록하고 로그인했습니다. 다음부터 새 인증서로 로그인해 주세요.');
          }}
        />
      )}
      {view === 'signup' && <SignupWizard onDone={() => setView('start')} />}
      {message && <p className="reason" role="status" data-testid="accounts-message">{message}</p>}
    </section>
  );
}
