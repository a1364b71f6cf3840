// Runs in the renderer. 인증서 선택, as Korean public systems show it: a table of 구분 / 사용자 /
// 만료일 / 발급자 (expired and unusable certificates greyed out and not selectable), 인증서 찾기
// for a file path, and the certificate password. The password is handed to main once and the
// field is cleared; the key is unlocked and used only in main.
import { useEffect, useState } from 'react';
import type { CertificateRow } from '../../../shared/contract';
import type { AppError } from '../../../shared/envelope';
import { errorLine, useAccountsCall } from './context';

export interface CertificateDialogProps {
  title: string;
  /** Called with the chosen row and the password; resolves to an error to show, or null when done. */
  onSubmit(row: CertificateRow, password: string): Promise<AppError | null>;
  onCancel(): void;
  submitLabel?: string;
  /** 인증서 갱신 등록: the registered certificate may have expired already (it only proves possession). */
  allowExpired?: boolean;
  /** Only the public certificate is used (an approver binding a person's renewed certificate): no password, no key needed. */
  publicOnly?: boolean;
}

/** Whether a row can be chosen in this dialog: main's refusal, relaxed for the two cases above. */
export function usableRow(r: CertificateRow, opts: { allowExpired?: boolean; publicOnly?: boolean }): { usable: boolean; refusal: string | null } {
  if (r.refusal === null) return { usable: true, refusal: null };
  const personal = r.kind === 'personal';
  if (opts.publicOnly && personal && !r.expired) return { usable: true, refusal: null };
  if (opts.allowExpired && personal && r.hasKey && r.expired) return { usable: true, refusal: null };
  return { usable: false, refusal: r.refusal };
}

const day = (iso: string) => iso.slice(0, 10);

export function CertificateDialog({ title, onSubmit, onCancel, submitLabel = '확인', allowExpired = false, publicOnly = false }: CertificateDialogProps) {
  const check = (r: CertificateRow) => usableRow(r, { allowExpired, publicOnly });
  const call = useAccountsCall();
  const [rows, setRows] = useState<CertificateRow[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [findPath, setFindPath] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // List once when the dialog opens; the answer arrives later (an external system).
    let live = true;
    void call('accounts:certificates', {}).then((env) => {
      if (!live) return;
      if (env.ok) {
        setRows(env.value.certificates);
        setSelected((cur) => cur ?? env.value.certificates.find((r) => check(r).usable)?.ref ?? null);
      } else {
        setRows([]);
        setError(errorLine(env.error));
      }
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per dialog
  }, []);

  const find = async () => {
    setError(null);
    const env = await call('accounts:findCertificate', { path: findPath.trim() });
    if (!env.ok) return setError(errorLine(env.error));
    const row = env.value;
    setRows((cur) => [row, ...(cur ?? []).filter((r) => r.ref !== row.ref)]);
    const { usable, refusal } = check(row);
    if (!usable) setError(refusal);
    else setSelected(row.ref);
  };

  const chosen = rows?.find((r) => r.ref === selected) ?? null;
  const submit = async () => {
    if (!chosen) return setError('사용할 인증서를 선택해 주세요.');
    const { usable, refusal } = check(chosen);
    if (!usable) return setError(refusal);
    if (!password && !publicOnly) return setError('인증서 암호를 입력해 주세요.');
    setBusy(true);
    setError(null);
    const typed = password;
    setPassword(''); // the field never keeps it after the call
    const failed = await onSubmit(chosen, typed);
    setBusy(false);
    if (failed) setError(errorLine(failed));
  };

  return (
    <section className="cert-dialog" role="dialog" aria-label="인증서 선택" data-testid="cert-dialog" data-allow-typing="">
      <h2 className="panel-title">{title}</h2>
      <table className="cert-table">
        <thead>
          <tr>
            <th>구분</th>
            <th>사용자</th>
            <th>만료일</th>
            <th>발급자</th>
          </tr>
        </thead>
        <tbody>
          {rows === null && (
            <tr>
              <td colSpan={4}>인증서를 찾는 중입니다…</td>
            </tr>
          )}
          {rows?.length === 0 && (
            <tr>
              <td colSpan={4}>이 컴퓨터에서 인증서를 찾지 못했습니다. 인증서 찾기로 파일을 지정해 주세요.</td>
            </tr>
          )}
          {rows?.map((r) => {
            const { usable, refusal } = check(r);
            return (
              <tr
                key={r.ref}
                data-testid="cert-row"
                data-holder={r.holderName}
                data-not-after={day(r.notAfter)}
                data-usable={usable}
                aria-disabled={!usable}
                aria-selected={selected === r.ref}
                title={refusal ?? undefined}
                className={`${usable ? '' : 'cert-unusable'} ${selected === r.ref ? 'cert-selected' : ''}`}
                onClick={() => {
                  if (usable) {
                    setSelected(r.ref);
                    setError(null);
                  } else setError(refusal);
                }}
              >
                <td>{r.kindLabel}</td>
                <td>{r.subjectCN}</td>
                <td>{day(r.notAfter)}{r.expired ? ' (만료)' : ''}</td>
                <td>{r.issuerLabel}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="cert-find">
        <input aria-label="인증서 파일 경로" placeholder="인증서 찾기: signCert.der 파일 또는 폴더 경로" value={findPath} onChange={(e) => setFindPath(e.target.value)} data-testid="cert-find-path" />
        <button type="button" className="btn" onClick={() => void find()} disabled={!findPath.trim()} data-testid="cert-find">
          인증서 찾기
        </button>
      </div>
      {!publicOnly && (
        <label className="cert-password">
          인증서 암호
          <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void submit()} data-testid="cert-password" />
        </label>
      )}
      {error && (
        <p className="reason form-error" role="alert" data-testid="cert-error">
          {error}
        </p>
      )}
      <div className="buttons">
        <button type="button" className="btn" onClick={onCancel}>
          취소
        </button>
        <button type="button" className="btn primary" disabled={busy || !chosen} onClick={() => void submit()} data-testid="cert-submit">
          {busy ? '확인 중…' : submitLabel}
        </button>
      </div>
    </section>
  );
}
