// Runs in the renderer. 인증서 갱신 등록: after a login refused because the chosen certificate is
// not the registered one (a renewed certificate), the person picks the registered (old, maybe
// expired) certificate with its password, then the renewed one with its password; main signs
// the re-bind with both keys and logs in with the new one. The old password waits in a ref only
// until the second step is submitted, then both are cleared.
import { useRef, useState } from 'react';
import type { SessionView } from '../../../shared/contract';
import { CertificateDialog } from './CertificateDialog';
import { errorLine, useAccountsCall } from './context';

export function RebindFlow({ loginId, onDone, onCancel }: { loginId: string; onDone(session: SessionView): void; onCancel(): void }) {
  const call = useAccountsCall();
  const [step, setStep] = useState<'old' | 'new'>('old');
  const [message, setMessage] = useState<string | null>(null);
  const old = useRef<{ ref: string; password: string } | null>(null);
  const cancel = () => {
    old.current = null;
    onCancel();
  };
  return (
    <section className="rebind" data-testid="rebind" data-step={step} data-allow-typing="">
      <h1 className="panel-title">인증서 갱신 등록</h1>
      <p>
        아이디 <strong>{loginId}</strong>에 등록된 인증서 대신 갱신한 새 인증서로 로그인하려면, 먼저 등록된 기존 인증서(만료되었어도 됩니다)를 고르고 암호를
        입력한 뒤, 새 인증서를 고르고 암호를 입력해 주세요. 두 인증서의 명의자가 같아야 합니다. 기존 인증서를 잃어버렸다면 승인기관(보건소)에 재등록을 요청해 주세요.
      </p>
      {step === 'old' && (
        <CertificateDialog
          key="old"
          title="1단계: 기존(등록된) 인증서"
          submitLabel="다음"
          allowExpired
          onCancel={cancel}
          onSubmit={async (row, password) => {
            old.current = { ref: row.ref, password };
            setMessage(null);
            setStep('new');
            return null;
          }}
        />
      )}
      {step === 'new' && (
        <CertificateDialog
          key="new"
          title="2단계: 새(갱신한) 인증서"
          submitLabel="갱신 등록하고 로그인"
          onCancel={cancel}
          onSubmit={async (row, password) => {
            const first = old.current;
            old.current = null;
            if (!first) {
              setStep('old');
              return { code: 'REBIND_RESTART', message: '기존 인증서부터 다시 선택해 주세요.' };
            }
            const env = await call('accounts:rebind', { loginId, oldCertificateRef: first.ref, oldPassword: first.password, newCertificateRef: row.ref, newPassword: password });
            if (!env.ok) {
              // Both passwords are spent: start again from the registered certificate.
              setMessage(errorLine(env.error));
              setStep('old');
              return null;
            }
            onDone(env.value);
            return null;
          }}
        />
      )}
      {message && (
        <p className="reason form-error" role="alert" data-testid="rebind-error">
          {message}
        </p>
      )}
    </section>
  );
}
