// Runs in the renderer. The five steps of 사용자 가입: 개인정보 수집 동의 → 인증서 등록 (personal
// certificates only; checked in main) → 사용자정보 입력 (validated with the shared rules) →
// 권한신청 (승인기관 defaults to the institution's 관할 보건소) → 가입신청 완료 (whom to call).
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { Institution, RequestableRole, signupResponse } from '../../../shared/accounts';
import { REQUESTABLE_ROLES, ROLE_LABELS, signupUser } from '../../../shared/accounts';
import type { CertificateRow, Response } from '../../../shared/contract';
import { CertificateDialog } from './CertificateDialog';
import { errorLine, useAccountsCall } from './context';
import { InstitutionPicker } from './InstitutionPicker';

const STEPS = ['개인정보 수집 동의', '인증서 등록', '사용자정보 입력', '권한신청', '가입신청 완료'] as const;

interface UserForm {
  name: string;
  loginId: string;
  mobile: string;
  officePhone: string;
  department: string;
}

export function SignupWizard({ onDone }: { onDone(): void }) {
  const call = useAccountsCall();
  const [step, setStep] = useState(0);
  const [consent, setConsent] = useState<Response<'accounts:consent'> | null>(null);
  const [agreedAt, setAgreedAt] = useState<number | null>(null);
  const [cert, setCert] = useState<{ row: CertificateRow; holderName: string } | null>(null);
  const [form, setForm] = useState<UserForm>({ name: '', loginId: '', mobile: '', officePhone: '', department: '' });
  const [institution, setInstitution] = useState<Institution | null>(null);
  const [approver, setApprover] = useState<Institution | null>(null);
  const [roles, setRoles] = useState<RequestableRole[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<z.infer<typeof signupResponse> | null>(null);
  const [signing, setSigning] = useState(false);

  useEffect(() => {
    void call('accounts:consent', {}).then((env) => (env.ok ? setConsent(env.value) : setError(errorLine(env.error))));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once
  }, []);

  const checkUser = () => {
    const next: Record<string, string> = {};
    const parsed = signupUser.safeParse({
      name: form.name.trim(),
      loginId: form.loginId.trim(),
      institutionId: institution?.id ?? '',
      mobile: form.mobile.trim(),
      officePhone: form.officePhone.trim(),
      ...(form.department.trim() ? { department: form.department.trim() } : {}),
    });
    if (!parsed.success) for (const issue of parsed.error.issues) next[String(issue.path[0])] ??= issue.message;
    if (!institution) next.institutionId = '기관명을 검색해 목록에서 선택해 주세요.';
    if (cert && form.name.replace(/\s+/g, '') !== cert.holderName.replace(/\s+/g, '')) next.name ??= `이름이 인증서의 이름(${cert.holderName})과 다릅니다.`;
    setErrors(next);
    return Object.keys(next).length === 0 && parsed.success ? parsed.data : null;
  };

  const field = (key: keyof UserForm, label: string, placeholder: string, errKey: string = key) => (
    <label className="field">
      {label}
      <input value={form[key]} placeholder={placeholder} onChange={(e) => setForm((f) => ({ ...f, [key]: e.target.value }))} data-testid={`signup-${key}`} />
      {errors[errKey] && <span className="form-error" data-testid={`signup-error-${errKey}`}>{errors[errKey]}</span>}
    </label>
  );

  return (
    <section className="wizard" data-testid="signup" data-step={step + 1} data-allow-typing="">
      <ol className="wizard-steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined} className={i === step ? 'current' : ''}>
            {i + 1}. {s}
          </li>
        ))}
      </ol>
      {error && <p className="reason form-error" role="alert" data-testid="signup-error">{error}</p>}

      {step === 0 && (
        <div>
          <pre className="consent-text" tabIndex={0} data-testid="consent-text" data-version={consent?.version}>
            {consent?.text ?? '동의서를 불러오는 중입니다…'}
          </pre>
          <label>
            <input type="checkbox" checked={agreedAt !== null} onChange={(e) => setAgreedAt(e.target.checked ? Date.now() : null)} data-testid="consent-agree" /> 위 내용을 읽었으며 개인정보 수집·이용에 동의합니다 (버전 {consent?.version})
          </label>
          <div className="buttons">
            <button type="button" className="btn" onClick={onDone}>취소</button>
            <button type="button" className="btn primary" disabled={agreedAt === null || !consent} onClick={() => setStep(1)} data-testid="signup-next">다음</button>
          </div>
        </div>
      )}

      {step === 1 && (
        <CertificateDialog
          title="인증서 등록 (개인 공동인증서)"
          submitLabel="등록"
          onCancel={() => setStep(0)}
          onSubmit={async (row, password) => {
            const env = await call('accounts:checkCertificate', { certificateRef: row.ref, password });
            if (!env.ok) return env.error;
            setCert({ row, holderName: env.value.holderName });
            setForm((f) => ({ ...f, name: f.name || env.value.holderName }));
            setStep(2);
            return null;
          }}
        />
      )}

      {step === 2 && (
        <div className="form-grid">
          {field('name', '이름 (인증서 명의자)', '홍길동')}
          {field('loginId', '아이디', '영문 소문자로 시작하는 6~20자')}
          <InstitutionPicker label="기관명" value={institution} onChange={(i) => { setInstitution(i); setApprover(null); }} testId="signup-institution" />
          {errors.institutionId && <span className="form-error" data-testid="signup-error-institutionId">{errors.institutionId}</span>}
          {field('department', '부서 (선택)', '감염관리팀')}
          {field('mobile', '휴대폰번호', '010-0000-0000')}
          {field('officePhone', '기관(부서) 전화번호', '02-0000-0000')}
          <div className="buttons">
            <button type="button" className="btn" onClick={() => setStep(1)}>이전</button>
            <button type="button" className="btn primary" onClick={() => checkUser() && setStep(3)} data-testid="signup-next">다음</button>
          </div>
        </div>
      )}

      {step === 3 && (
        <div>
          <fieldset>
            <legend>신청할 권한</legend>
            {REQUESTABLE_ROLES.map((r) => (
              <label key={r} className="role-option">
                <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles((cur) => (e.target.checked ? [...cur, r] : cur.filter((x) => x !== r)))} data-testid={`role-${r}`} /> {ROLE_LABELS[r]}
              </label>
            ))}
          </fieldset>
          <InstitutionPicker
            label="승인기관 (관할 보건소)"
            kind="health_center"
            value={approver}
            defaultId={institution?.healthCenterId}
            onChange={setApprover}
            testId="signup-approver"
          />
          {signing ? (
            <CertificateDialog
              title="가입신청 서명"
              submitLabel="서명하고 신청"
              onCancel={() => setSigning(false)}
              onSubmit={async (row, password) => {
                const user = checkUser();
                if (!user || !approver || agreedAt === null || !consent || !cert) return { code: 'SIGNUP_INCOMPLETE', message: '입력하지 않은 항목이 있습니다.' };
                if (row.ref !== cert.row.ref) return { code: 'SIGNUP_OTHER_CERTIFICATE', message: '등록한 인증서로 서명해 주세요.' };
                const env = await call('accounts:signup', {
                  consent: { version: consent.version, sha256: consent.sha256, agreedAt },
                  user,
                  roles,
                  approverId: approver.id,
                  certificateRef: row.ref,
                  password,
                });
                if (!env.ok) return env.error;
                setDone(env.value);
                setSigning(false);
                setStep(4);
                return null;
              }}
            />
          ) : (
            <div className="buttons">
              <button type="button" className="btn" onClick={() => setStep(2)}>이전</button>
              <button type="button" className="btn primary" disabled={roles.length === 0 || !approver} onClick={() => setSigning(true)} data-testid="signup-submit">가입신청</button>
            </div>
          )}
        </div>
      )}

      {step === 4 && done && (
        <div data-testid="signup-done">
          <p className="panel-title">가입신청이 접수되었습니다</p>
          <p>
            {done.approver.name}의 승인을 기다리고 있습니다. 승인되면 공동인증서로 로그인해 권한 메뉴를 사용할 수 있습니다.
          </p>
          <p data-testid="signup-contact">
            문의: {done.approver.name} {done.approver.phone ?? '(전화번호는 보건소 대표번호로 문의해 주세요)'}
          </p>
          <div className="buttons">
            <button type="button" className="btn primary" onClick={onDone}>확인</button>
          </div>
        </div>
      )}
    </section>
  );
}
