// Runs in the renderer. 공동인증서로 잠금 해제 on the lock screen: the operator's 아이디 and the
// accounts certificate dialog (the same component as the staff login; the password goes to main
// in one call and the field is cleared). Main signs the central API's login challenge and decides
// by role and institution; refusals count with wrong PINs, and offline it says to use the PIN.
import { useState } from 'react';
import { LOGIN_ID_RE } from '../../../shared/accounts';
import type { AppError } from '../../../shared/envelope';
import { CertificateDialog } from '../accounts/CertificateDialog';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';
import { useOperator } from './context';

export function CertificateUnlock({ lang, onCancel }: { lang: Lang; onCancel(): void }) {
  const operator = useOperator();
  const [loginId, setLoginId] = useState('');
  const submit = async (ref: string, password: string): Promise<AppError | null> => {
    const id = loginId.trim();
    if (!LOGIN_ID_RE.test(id)) return { code: 'LOGIN_ID_INVALID', message: op('certLoginIdMissing', lang) };
    return operator.unlockWithCertificate(id, ref, password);
  };

  return (
    <div className="operator-cert-unlock" data-testid="cert-unlock" data-allow-typing="">
      <p className="hint">{op('certUnlockHint', lang)}</p>
      <label className="cert-login-id">
        {op('certLoginId', lang)}
        <input value={loginId} onChange={(e) => setLoginId(e.target.value)} autoComplete="username" data-testid="cert-unlock-id" />
      </label>
      <CertificateDialog title={op('certChoose', lang)} submitLabel={op('certUnlock', lang)} onSubmit={(row, password) => submit(row.ref, password)} onCancel={onCancel} />
    </div>
  );
}
