// Runs in the renderer. 시스템 관리 → 기관 관리 for 시스템관리자: search the institution directory
// (deactivated ones on request), add an institution with its kind and jurisdiction, change its
// 대표번호 or 관할 보건소, deactivate or reactivate it with a reason. The central API checks every
// field and audits every change; institutions are never deleted.
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { institutionCreate } from '../../../shared/accounts';
import { INSTITUTION_KINDS, INSTITUTION_KIND_LABELS, SIDO, institutionCreate as createSchema } from '../../../shared/accounts';
import type { Response } from '../../../shared/contract';
import { errorLine, useAccountsCall } from './context';

type Row = Response<'accounts:adminInstitutions'>['institutions'][number];
type Draft = { id: string; name: string; kind: (typeof INSTITUTION_KINDS)[number]; sido: string; sigungu: string; phone: string; healthCenterId: string };
const FIELD_LABELS: Record<string, string> = { id: '기관 코드', name: '기관명', kind: '종류', sido: '시도', sigungu: '시군구', phone: '대표번호', healthCenterId: '관할 보건소 코드' };
const EMPTY: Draft = { id: '', name: '', kind: 'clinic', sido: SIDO[0], sigungu: '', phone: '', healthCenterId: '' };

export function InstitutionAdmin() {
  const call = useAccountsCall();
  const [q, setQ] = useState('');
  const [includeInactive, setIncludeInactive] = useState(false);
  const [rows, setRows] = useState<Row[] | null>(null);
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [phones, setPhones] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);

  const load = async () => {
    const env = await call('accounts:adminInstitutions', { ...(q.trim() ? { q: q.trim() } : {}), includeInactive });
    if (env.ok) setRows(env.value.institutions);
    else setMessage(errorLine(env.error));
  };
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload when the filter changes
  }, [includeInactive]);

  const create = async () => {
    const input: z.input<typeof institutionCreate> = {
      id: draft.id.trim(),
      name: draft.name.trim(),
      kind: draft.kind,
      sido: draft.sido as (typeof SIDO)[number],
      sigungu: draft.sigungu.trim(),
      ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
      ...(draft.kind !== 'health_center' ? { healthCenterId: draft.healthCenterId.trim() } : {}),
    };
    // The shared rules first, so a person sees which field is wrong in Korean before anything is sent.
    const checked = createSchema.safeParse(input);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = String(issue?.path[0] ?? '');
      const detail = field === 'id' ? '영문 소문자, 숫자, -로 3~64자로 입력해 주세요.' : (issue?.message ?? '');
      return setMessage(`${FIELD_LABELS[field] ?? field}: ${detail}`);
    }
    const env = await call('accounts:createInstitution', input);
    if (!env.ok) return setMessage(errorLine(env.error));
    setMessage(`${env.value.name}을(를) 추가했습니다.`);
    setDraft(EMPTY);
    await load();
  };

  const setActive = async (row: Row, active: boolean) => {
    const reason = (reasons[row.id] ?? '').trim();
    if (!reason) return setMessage('사용 중지하거나 다시 사용하는 사유를 입력해 주세요.');
    const env = await call('accounts:setInstitutionActive', { id: row.id, active, reason });
    setMessage(env.ok ? `${row.name}을(를) ${active ? '다시 사용하도록' : '사용 중지로'} 바꿨습니다.` : errorLine(env.error));
    await load();
  };

  const savePhone = async (row: Row) => {
    const phone = (phones[row.id] ?? '').trim();
    const env = await call('accounts:updateInstitution', { id: row.id, change: { phone: phone || null, reason: '대표번호 변경' } });
    setMessage(env.ok ? `${row.name}의 대표번호를 바꿨습니다.` : errorLine(env.error));
    await load();
  };

  const input = (key: keyof Draft, label: string, placeholder: string) => (
    <label className="field">
      {label}
      <input value={draft[key]} placeholder={placeholder} onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))} data-testid={`inst-${key}`} />
    </label>
  );

  return (
    <section className="institution-admin" data-testid="institution-admin" data-allow-typing="">
      <h2 className="panel-title">기관 관리</h2>
      <div className="field">
        <input aria-label="기관 검색" placeholder="기관명, 시군구 또는 기관 코드" value={q} onChange={(e) => setQ(e.target.value)} data-testid="inst-query" />
        <button type="button" className="btn" onClick={() => void load()} data-testid="inst-search">검색</button>
        <label>
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} data-testid="inst-include-inactive" /> 사용 중지된 기관도 보기
        </label>
      </div>
      <table className="cert-table">
        <thead>
          <tr>
            <th>기관</th>
            <th>종류</th>
            <th>지역</th>
            <th>관할 보건소</th>
            <th>대표번호</th>
            <th>사용자</th>
            <th>상태</th>
          </tr>
        </thead>
        <tbody>
          {rows?.map((r) => (
            <tr key={r.id} data-testid="inst-row" data-id={r.id} data-active={r.active} className={r.active ? '' : 'cert-unusable'}>
              <td>
                {r.name}
                <div className="small">{r.id}</div>
              </td>
              <td>{INSTITUTION_KIND_LABELS[r.kind]}</td>
              <td>
                {r.sido} {r.sigungu}
              </td>
              <td>{r.healthCenterId}</td>
              <td>
                <input aria-label="대표번호" value={phones[r.id] ?? r.phone ?? ''} onChange={(e) => setPhones((p) => ({ ...p, [r.id]: e.target.value }))} data-testid="inst-phone-edit" size={13} />
                <button type="button" className="btn" onClick={() => void savePhone(r)} data-testid="inst-phone-save">저장</button>
              </td>
              <td>{r.users}</td>
              <td>
                <input aria-label="사유" placeholder="사유" value={reasons[r.id] ?? ''} onChange={(e) => setReasons((x) => ({ ...x, [r.id]: e.target.value }))} data-testid="inst-reason" size={8} />
                {r.active ? (
                  <button type="button" className="btn" onClick={() => void setActive(r, false)} data-testid="inst-deactivate">사용 중지</button>
                ) : (
                  <button type="button" className="btn" onClick={() => void setActive(r, true)} data-testid="inst-reactivate">다시 사용</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>기관 추가</h3>
      <div className="form-grid">
        {input('id', '기관 코드', 'clinic-suwon-yeongtong-1')}
        {input('name', '기관명', '영통예시의원')}
        <label className="field">
          종류
          <select value={draft.kind} onChange={(e) => setDraft((d) => ({ ...d, kind: e.target.value as Draft['kind'] }))} data-testid="inst-kind">
            {INSTITUTION_KINDS.map((k) => (
              <option key={k} value={k}>{INSTITUTION_KIND_LABELS[k]}</option>
            ))}
          </select>
        </label>
        <label className="field">
          시도
          <select value={draft.sido} onChange={(e) => setDraft((d) => ({ ...d, sido: e.target.value }))} data-testid="inst-sido">
            {SIDO.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        {input('sigungu', '시군구', '수원시 영통구')}
        {input('phone', '대표번호 (선택)', '031-000-0000')}
        {draft.kind !== 'health_center' && input('healthCenterId', '관할 보건소 코드', 'hc-seoul-gangnam')}
        <div className="buttons">
          <button type="button" className="btn primary" onClick={() => void create()} data-testid="inst-create">기관 추가</button>
        </div>
      </div>
      {message && <p className="reason" role="status" data-testid="inst-message">{message}</p>}
    </section>
  );
}
