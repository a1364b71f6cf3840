// Runs in the renderer. The staff side of the kiosk: 공동인증서 로그인 or 사용자 가입 when signed
// out; when signed in, the menus the permission table gives the session's roles (src/shared/
// accounts.ts), with 권한/부가정보 and 권한 승인 here. The session token never reaches this page.
import { useEffect, useState } from 'react';
import type { MenuId } from '../../../shared/accounts';
import { LOGIN_ID_RE, MENU_TABLE } from '../../../shared/accounts';
import type { SessionView } from '../../../shared/contract';
import { Approvals } from './Approvals';
import { CertificateDialog } from './CertificateDialog';
import { errorLine, useAccountsCall } from './context';
import { RolesMenu } from './RolesMenu';
import { SignupWizard } from './SignupWizard';
import { SitescanScreen } from '../sitescan/SitescanScreen';

type View = 'start' | 'login' | 'signup';

export function AccountsPanel({ onClose }: { onClose(): void }) {
  const call = useAccountsCall();
  const [session, setSession] = useState<SessionView | null>(null);
  const [view, setView] = useState<View>('start');
  const [menu, setMenu] = useState<MenuId>('myRoles');
  const [loginId, setLoginId] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  const refresh = () =>
    call('accounts:me', {}).then((env) => {
      if (env.ok) setSession(env.value);
      else setMessage(errorLine(env.error));
    });
  useEffect(() => {
    void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  }, []);

  if (session) {
    return (
      <section className="screen accounts" data-testid="accounts" data-signed-in="true" data-menus={session.menus.join(' ')}>
        <header className="accounts-header">
          <span data-testid="accounts-user">
            {session.user.name} ({session.user.loginId}) · {session.user.institutionName}
          </span>
          <button type="button" className="btn" onClick={() => void refresh()} data-testid="accounts-refresh">새로 고침</button>
          <button type="button" className="btn" onClick={() =>
              void call('accounts:logout', {}).then(() => {
                setSession(null);
                setView('start');
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
        {menu === 'homepageSecurity' && session.menus.includes('homepageSecurity') && <SitescanScreen />}
        {menu !== 'myRoles' && menu !== 'approvals' && menu !== 'homepageSecurity' && <p className="reason">{MENU_TABLE[menu].label} 메뉴는 운영 콘솔에서 엽니다.</p>}
      </section>
    );
  }

  return (
    <section className="screen accounts" data-testid="accounts" data-signed-in="false" data-allow-typing="">
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
              if (!env.ok) return env.error;
              setSession(env.value);
              setMenu('myRoles');
              return null;
            }}
          />
        </div>
      )}
      {view === 'signup' && <SignupWizard onDone={() => setView('start')} />}
      {message && <p className="reason">{message}</p>}
    </section>
  );
}
