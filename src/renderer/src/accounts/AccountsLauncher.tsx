// Runs in the renderer. The way into the staff side from the kiosk screen: a small 직원 button
// that opens the accounts panel over the kiosk (scans keep being admitted by main meanwhile).
import { useState } from 'react';
import { AccountsPanel } from './AccountsPanel';
import './accounts.css';

export function AccountsLauncher() {
  const [open, setOpen] = useState(false);
  return open ? (
    <div className="accounts-overlay" data-testid="accounts-overlay">
      <AccountsPanel onClose={() => setOpen(false)} />
    </div>
  ) : (
    <button type="button" className="accounts-launcher" data-testid="open-accounts" aria-label="직원 로그인" title="직원 로그인 · 사용자 가입" onClick={() => setOpen(true)}>
      직원
    </button>
  );
}
